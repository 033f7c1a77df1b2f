"""Check every JSON Schema ``$ref`` of the catalog at load time.

A ``$ref`` must land inside the catalog: one to a file that is not there is
"a $ref to nowhere", an http(s) one to a schema the catalog does not hold is
refused (validation never touches the network). A chain of references that
comes back to itself without descending into the message (``A -> B -> A``,
or through ``allOf``/``anyOf``/``oneOf``/``not``/``if``) would make any
validator loop forever, so it is reported as a cycle. Recursion through
``properties`` or ``items`` (a tree type) is fine and allowed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import referencing.exceptions
from referencing import Registry
from referencing._core import Resolver
from referencing.jsonschema import DRAFT202012

from eventproof.errors import RefError

__all__ = ["check_refs"]

_SAME_INSTANCE_LISTS = ("allOf", "anyOf", "oneOf")
_SAME_INSTANCE_SCHEMAS = ("not", "if", "then", "else")
_CHILD_SCHEMAS = ("additionalProperties", "items", "contains", "propertyNames",
                  "unevaluatedItems", "unevaluatedProperties", "additionalItems")
_CHILD_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")


def _where(index: dict[int, tuple[Path, str]], schema: Any) -> tuple[Path | None, str | None]:
    return index.get(id(schema), (None, None))


def index_schemas(files: dict[Path, Any]) -> dict[int, tuple[Path, str]]:
    """Map each subschema object to (file, JSON pointer) so errors can say where."""
    index: dict[int, tuple[Path, str]] = {}
    for path, root in files.items():
        stack: list[tuple[Any, str]] = [(root, "")]
        while stack:
            node, pointer = stack.pop()
            if isinstance(node, dict):
                index.setdefault(id(node), (path, pointer))
                stack.extend((v, f"{pointer}/{_escape(k)}") for k, v in node.items())
            elif isinstance(node, list):
                stack.extend((v, f"{pointer}/{i}") for i, v in enumerate(node))
    return index


def _escape(key: str) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


TargetCheck = Callable[[Any, Path], "tuple[str, str] | None"]


def check_refs(
    files: dict[Path, Any], uris: dict[Path, str], registry: Registry[Any],
    target_problem: TargetCheck,
) -> None:
    """Check every ``$ref``: it resolves inside the catalog, to a valid schema, without a cycle.

    ``target_problem(target, file)`` says what is wrong with a ``$ref``'s
    target as a schema (the meta-schema check), so a ``$ref`` to a
    non-schema location such as ``#/default`` cannot smuggle unchecked
    values into the validators.
    """
    index = index_schemas(files)
    checked: set[int] = set()
    done: set[int] = set()
    for path, root in files.items():
        _check_file(path, root, registry.resolver(base_uri=uris[path]), index,
                    lambda target, where, ref, p=path: _check_target(  # type: ignore[misc]
                        target, p, where, ref, target_problem, checked),
                    done)


def _check_target(target: Any, path: Path, pointer: str, ref: str, target_problem: TargetCheck,
                  checked: set[int]) -> None:
    if id(target) in checked:
        return
    problem = target_problem(target, path)
    if problem is not None:
        headline, inner = problem
        raise RefError(
            f"$ref {ref!r} leads to a value that is not a valid JSON Schema: {headline}"
            + (f" (at {inner} inside the target)" if inner else ""),
            file=path,
            pointer=f"{pointer}/$ref",
        )
    checked.add(id(target))


def _lookup(resolver: Resolver[Any], ref: str, path: Path, pointer: str) -> Any:
    try:
        return resolver.lookup(ref)
    except referencing.exceptions.Unresolvable:
        target = urljoin(str(getattr(resolver, "_base_uri", "")), ref)
        if urlsplit(target).scheme in ("http", "https"):
            raise RefError(
                f"remote $ref {ref!r} refused: validation never touches the network",
                hint="copy the schema into the catalog and refer to it by relative path",
                file=path,
                pointer=f"{pointer}/$ref",
            ) from None
        document, fragment = urldefrag(target)
        if fragment:
            raise RefError(f"$ref {ref!r} points to nothing: no {fragment!r} in that schema",
                           file=path, pointer=f"{pointer}/$ref") from None
        raise RefError(f"$ref {ref!r} points to nothing: no schema file at {document}",
                       file=path, pointer=f"{pointer}/$ref") from None


def _check_file(
    path: Path,
    root: Any,
    resolver: Resolver[Any],
    index: dict[int, tuple[Path, str]],
    check_target: Callable[[Any, str, str], None],
    done: set[int],
) -> None:
    stack: list[tuple[Any, str, Resolver[Any]]] = [(root, "", resolver)]
    while stack:
        node, pointer, here = stack.pop()
        if not isinstance(node, dict):
            continue
        if isinstance(node.get("$id"), str) and pointer:
            here = here.in_subresource(DRAFT202012.create_resource(node))
        ref = node.get("$ref")
        if isinstance(ref, str):
            check_target(_lookup(here, ref, path, pointer).contents, pointer, ref)
            _check_cycle(node, here, index, done)
        for key, value in node.items():
            if key in _CHILD_MAPS and isinstance(value, dict):
                stack.extend((v, f"{pointer}/{key}/{_escape(k)}", here) for k, v in value.items())
            elif key in (*_SAME_INSTANCE_LISTS, "prefixItems", "items") and isinstance(value, list):
                stack.extend((v, f"{pointer}/{key}/{i}", here) for i, v in enumerate(value))
            elif key in (*_SAME_INSTANCE_SCHEMAS, *_CHILD_SCHEMAS) and isinstance(value, dict):
                stack.append((value, f"{pointer}/{key}", here))


def _same_instance_edges(
    node: dict[str, Any], resolver: Resolver[Any]
) -> list[tuple[Any, Resolver[Any]]]:
    edges: list[tuple[Any, Resolver[Any]]] = []
    ref = node.get("$ref")
    if isinstance(ref, str):
        try:
            resolved = resolver.lookup(ref)
        except referencing.exceptions.Unresolvable:
            return edges  # reported where that $ref is checked itself
        edges.append((resolved.contents, resolved.resolver))
    for key in _SAME_INSTANCE_LISTS:
        if isinstance(node.get(key), list):
            edges.extend((sub, resolver) for sub in node[key])
    for key in _SAME_INSTANCE_SCHEMAS:
        if isinstance(node.get(key), dict):
            edges.append((node[key], resolver))
    return edges


def _check_cycle(
    start: dict[str, Any], resolver: Resolver[Any], index: dict[int, tuple[Path, str]],
    done: set[int],
) -> None:
    # Depth-first over "applies to the same instance" edges, iteratively so a
    # long chain cannot exhaust the Python stack. ``done`` is shared by every
    # call of one catalog: a node whose descendants were searched once has no
    # cycle below it, so a chain of n $refs costs n steps, not n * n.
    if id(start) in done:
        return
    on_path: set[int] = {id(start)}
    stack: list[tuple[Any, list[tuple[Any, Resolver[Any]]]]] = [
        (start, _same_instance_edges(start, resolver))
    ]
    while stack:
        node, edges = stack[-1]
        if not edges:
            stack.pop()
            on_path.discard(id(node))
            done.add(id(node))
            continue
        child, child_resolver = edges.pop()
        if not isinstance(child, dict) or id(child) in done:
            continue
        if id(child) in on_path:
            file, pointer = _where(index, start)
            chain = " -> ".join(
                f"{_where(index, n)[1] or '/'}" for n, _ in stack
            )
            raise RefError(
                f"cyclic $ref: following {chain} comes back to where it started "
                "without descending into the message, so validation would never end",
                file=file,
                pointer=(pointer or "") + "/$ref",
            )
        on_path.add(id(child))
        stack.append((child, _same_instance_edges(child, child_resolver)))
