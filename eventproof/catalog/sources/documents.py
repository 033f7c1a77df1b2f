"""Documents other tools write (AsyncAPI, registry exports): reading, ``$ref``s, bundling.

A ``$ref`` resolves within its document (``#/components/schemas/Money``) or to a
local file relative to the referring one (``common.yaml#/Money``,
``./order.avsc``); a remote one is refused (eventproof never touches the
network). ``bundle_schema`` turns a JSON Schema that refers elsewhere into one
self-contained draft-07 schema: every referenced schema is copied once into
``definitions`` and the ``$ref`` rewritten, so recursion stays a ``$ref``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from eventproof.catalog.files import read_json, read_yaml
from eventproof.errors import RefError

__all__ = ["DRAFT7", "Documents", "Located", "bundle_schema", "escape"]

DRAFT7 = "http://json-schema.org/draft-07/schema#"
# Keywords whose values are data, not schemas: a "$ref" key inside them is not a reference.
_DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples", "example"})

Located = tuple[Any, Path, str]  # a node, the file it is in, its JSON pointer there


def escape(key: str | int) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def _unescape(part: str) -> str:
    return unquote(part).replace("~1", "/").replace("~0", "~")


class Documents:
    """Every document read so far, by absolute path; resolves ``$ref``s between them."""

    def __init__(self) -> None:
        self._documents: dict[Path, Any] = {}
        self.referenced: set[Path] = set()  # files a $ref pointed into
        self._given: dict[Path, Path] = {}  # resolved path -> the path as the user gave it

    def shown(self, path: Path) -> Path:
        """The path to print in an error: as given on the command line, where known."""
        return self._given.get(path.resolve(), path)

    @property
    def files(self) -> list[Path]:
        return list(self._documents)

    def load(self, path: Path) -> Any:
        key = path.resolve()
        self._given.setdefault(key, path)
        if key not in self._documents:
            if path.suffix in (".yaml", ".yml"):
                self._documents[key] = read_yaml(path).data
            else:
                self._documents[key] = read_json(path)
        return self._documents[key]

    def resolve(self, ref: str, base: Path, where: str) -> Located:
        """The node ``ref`` (written at ``where`` in ``base``) points to."""
        if urlsplit(ref).scheme in ("http", "https"):
            raise RefError(f"remote $ref {ref!r} refused: eventproof never touches the network",
                           file=self.shown(base), pointer=f"{where}/$ref",
                           hint="copy the document beside this one and refer to it by relative path")
        file_part, _, fragment = ref.partition("#")
        target = (base.parent / unquote(file_part)).resolve() if file_part else base.resolve()
        if file_part and not target.is_file():
            raise RefError(f"$ref {ref!r} points to nothing: no file at {target}",
                           file=self.shown(base), pointer=f"{where}/$ref")
        node = self.load(target)
        if file_part:
            self.referenced.add(target)
        pointer = ""
        for part in (fragment.split("/")[1:] if fragment else []):
            step = _unescape(part)
            if isinstance(node, dict) and step in node:
                node = node[step]
            elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
                node = node[int(step)]
            else:
                raise RefError(f"$ref {ref!r} points to nothing: no {fragment!r} in {target.name}",
                               file=self.shown(base), pointer=f"{where}/$ref")
            pointer += "/" + escape(step)
        return node, target, pointer

    def follow(self, node: Any, base: Path, where: str) -> Located:
        """Follow a chain of ``{"$ref": ...}`` objects to what they finally point to."""
        seen: set[tuple[Path, str]] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            if (base.resolve(), where) in seen:
                raise RefError("cyclic $ref: the chain of references comes back to itself",
                               file=self.shown(base), pointer=f"{where}/$ref")
            seen.add((base.resolve(), where))
            node, base, where = self.resolve(node["$ref"], base, where)
        return node, base.resolve(), where


def bundle_schema(
    documents: Documents, schema: Any, base: Path, where: str, *, definitions: str = "definitions"
) -> dict[str, Any]:
    """A self-contained copy of ``schema``: every ``$ref`` lands in its ``definitions``."""
    root, base, where = documents.follow(schema, base, where)
    if not isinstance(root, dict):
        raise RefError(f"expected a schema object, found {type(root).__name__}",
                       file=documents.shown(base),
                       pointer=where or "/")
    root_key = (base.resolve(), where)
    names: dict[tuple[Path, str], str] = {root_key: ""}
    collected: dict[str, Any] = {}
    taken = set(root.get(definitions, {})) if isinstance(root.get(definitions), dict) else set()

    def name_for(key: tuple[Path, str]) -> str:
        stem = key[1].rsplit("/", 1)[-1] or key[0].name.split(".")[0]
        name, counter = _unescape(stem) or "schema", 2
        while name in taken:
            name, counter = f"{_unescape(stem)}{counter}", counter + 1
        taken.add(name)
        return name

    def copy(node: Any, file: Path, pointer: str) -> Any:
        if isinstance(node, list):
            return [copy(item, file, f"{pointer}/{i}") for i, item in enumerate(node)]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                target, target_file, target_pointer = documents.resolve(value, file, pointer)
                target_key = (target_file, target_pointer)
                if target_key not in names:
                    names[target_key] = name_for(target_key)
                    collected[names[target_key]] = copy(target, target_file, target_pointer)
                name = names[target_key]
                out[key] = f"#/{definitions}/{escape(name)}" if name else "#"
            elif key in _DATA_KEYWORDS:
                out[key] = value
            else:
                out[key] = copy(value, file, f"{pointer}/{escape(key)}")
        return out

    bundled: dict[str, Any] = copy(root, base, where)
    if collected:
        bundled[definitions] = {**bundled.get(definitions, {}), **collected}
    return bundled
