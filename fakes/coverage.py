"""The parameter-coverage table: for every operation a fake answers, every request parameter.

Each member of an operation's botocore input shape is, for the fakes, one of

- ``handled``: the fake reads it and models what it does;
- ``simplified``: accepted without being modelled, as the fake's docstring
  documents, because refusing it would refuse every call (``eventproof_fakes.refusals.SIMPLIFIED``);
- ``refused``: declared with ``@operation(refuses=...)`` (or in
  ``eventproof_fakes.refusals`` for a package whose owner has not yet moved them onto
  its marks); dispatch answers ``UnsupportedParameter`` naming it;
- ``unaccounted``: neither refused nor ever read by the source of the
  service's package (see ``_names_in_source``), so the fake cannot be
  modelling it: a silent gap, which the coverage test rejects.

The table is checked in, one JSON file per service
(``tests/unit/fakes/coverage/<service>.json``), and published as
``docs/coverage.md``. A botocore release that adds a parameter, or a service
that registers a new operation, changes the table and fails the test until
the snapshot is regenerated (and so reviewed)::

    python -m eventproof_fakes.coverage --write
"""

from __future__ import annotations

import argparse
import ast
import functools
import importlib
import json
import sys
from pathlib import Path
from typing import Any

from eventproof_fakes.environment import SERVICES, shared_session
from eventproof_fakes.operations import operation_table, refused_parameters
from eventproof_fakes.refusals import READ_GENERICALLY as _READ_GENERICALLY
from eventproof_fakes.refusals import SIMPLIFIED as _SIMPLIFIED

__all__ = [
    "HANDLED",
    "REFUSED",
    "SIMPLIFIED",
    "UNACCOUNTED",
    "backend_class",
    "coverage_table",
    "render_markdown",
    "snapshot_dir",
]

HANDLED = "handled"
REFUSED = "refused"
SIMPLIFIED = "simplified"
UNACCOUNTED = "unaccounted"

def snapshot_dir(root: Path) -> Path:
    """Where the repository at ``root`` keeps the snapshot (the fakes may be installed elsewhere)."""
    return root / "tests" / "unit" / "fakes" / "coverage"


def backend_class(service: str) -> type:
    module_name, class_name = SERVICES[service][1].split(":")
    backend: type = getattr(importlib.import_module(module_name), class_name)
    return backend


@functools.cache
def _names_in_source(package: str) -> frozenset[str]:
    """The strings the source of ``package`` (a fake's folder) *reads* a request with.

    A read is ``x["Name"]`` (not an assignment), ``x.get("Name")`` / ``pop`` /
    ``setdefault``, ``"Name" in x``, or a name listed in a tuple, list or set
    literal (parameters handled generically, e.g. copied by a loop). A key of
    a response dict literal is not a read: a fake that only echoes a fixed
    value under a parameter's name has not handled it.
    """
    module = importlib.import_module(package)
    folder = Path(module.__file__ or "").parent
    names: set[str] = set()
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names.update(_read_names(node))
    return frozenset(names)


def _read_names(node: ast.AST) -> list[str]:
    def text(value: ast.AST) -> list[str]:
        return [value.value] if isinstance(value, ast.Constant) and isinstance(value.value, str) else []

    if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
        return text(node.slice)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("get", "pop", "setdefault")
        and node.args
    ):
        return text(node.args[0])
    if isinstance(node, ast.Compare) and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops):
        return text(node.left)
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [name for element in node.elts for name in text(element)]
    return []


def coverage_table(service: str) -> dict[str, dict[str, str]]:
    """``{OperationName: {Parameter: status}}`` for every operation the fake registers.

    Parameters are the input shape's top-level members (``Targets``) and, below
    each member that is handled, its nested structure members, by path:
    ``Targets[].SqsParameters.MessageGroupId`` (``[]`` a list's items, ``{}`` a
    map's values). A member that is refused, simplified or read generically
    covers everything below it; a shape that contains itself (DynamoDB's
    ``AttributeValue``) is walked once.
    """
    klass = backend_class(service)
    table = operation_table(klass)
    model = shared_session()._session.get_service_model(service)  # botocore's, cached
    by_snake = {_snake(name): name for name in model.operation_names}
    mentioned = _names_in_source(klass.__module__.rsplit(".", 1)[0])
    result: dict[str, dict[str, str]] = {}
    for snake in table.names():
        name = by_snake.get(snake)
        if name is None:
            raise LookupError(f"{klass.__name__}.{snake} is registered but {service} has no such operation")
        shape = model.operation_model(name).input_shape
        # A refusal of a parameter this botocore lacks (one another release has)
        # is harmless: dispatch never sees it, and the table lists the model's members.
        refused = refused_parameters(service, name, table)
        simplified = _SIMPLIFIED.get(service, {}).get(name, {})
        generic = _READ_GENERICALLY.get(service, {}).get(name, {})

        def status(
            path: str, member: str, refused: frozenset[str] = refused,
            simplified: dict[str, str] = simplified, generic: dict[str, str] = generic,
        ) -> str:
            if path in refused:
                return REFUSED
            if path in simplified:
                return SIMPLIFIED
            if path in generic or member in mentioned:
                return HANDLED
            return UNACCOUNTED

        statuses: dict[str, str] = {}
        if shape is not None:
            for member, member_shape in shape.members.items():
                statuses[member] = status(member, member)
                if statuses[member] == HANDLED and member not in generic:
                    _walk(member_shape, member, frozenset({shape.name}), status, generic, statuses)
        result[name] = statuses
    return result


def _walk(
    shape: Any, path: str, seen: frozenset[str], status: Any, generic: Any, out: dict[str, str]
) -> None:
    """Each nested structure member below ``path``: its status, then (if handled) its own members."""
    kind = shape.type_name
    if kind == "list":
        _walk(shape.member, path + "[]", seen, status, generic, out)
    elif kind == "map":
        _walk(shape.value, path + "{}", seen, status, generic, out)
    elif kind == "structure" and shape.name not in seen:
        for member, member_shape in shape.members.items():
            nested = f"{path}.{member}"
            out[nested] = status(nested, member)
            if out[nested] == HANDLED and nested not in generic:
                _walk(member_shape, nested, seen | {shape.name}, status, generic, out)


def _snake(name: str) -> str:
    from botocore import xform_name

    return xform_name(name)


def _nested(path: str) -> bool:
    return "." in path or "[]" in path or "{}" in path


def render_markdown(tables: dict[str, dict[str, dict[str, str]]]) -> str:
    lines = [
        "# Parameter coverage of the fakes",
        "",
        "Generated by `python -m eventproof_fakes.coverage --write` from botocore's service models and",
        "the fakes' operation registry; `tests/unit/fakes/test_coverage.py` fails when it is",
        "out of date. For every operation a fake answers, every request parameter is either",
        "**handled** (modelled) or **refused**: a call that passes a refused parameter gets",
        "an `UnsupportedParameter` error naming it, never a silent success. Nested members",
        "are counted below every top-level member that is handled, by path",
        "(`Targets[].SqsParameters.MessageGroupId`: `[]` a list's items, `{}` a map's values);",
        "a refused member covers everything below it.",
        "",
        "| service | operations | top-level handled | top-level refused | nested handled "
        "| nested refused | simplified |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for service, table in tables.items():
        top = [s for params in table.values() for p, s in params.items() if not _nested(p)]
        nested = [s for params in table.values() for p, s in params.items() if _nested(p)]
        lines.append(
            f"| {service} | {len(table)} | {top.count(HANDLED)} | {top.count(REFUSED)} | "
            f"{nested.count(HANDLED)} | {nested.count(REFUSED)} | "
            f"{top.count(SIMPLIFIED) + nested.count(SIMPLIFIED)} |"
        )
    notes = [
        f"- {service} {operation} `{param}`: {why}"
        for service, operations in _SIMPLIFIED.items()
        for operation, params in operations.items()
        for param, why in params.items()
    ]
    if notes:
        lines += ["", "Accepted without being modelled (documented simplifications):", "", *notes]
    for service, table in tables.items():
        lines += [
            "",
            f"## {service}",
            "",
            "| operation | handled | refused | nested: handled | nested: refused |",
            "|---|---|---|---:|---|",
        ]
        for name, params in table.items():
            def listed(status: str, nested: bool, params: dict[str, str] = params) -> list[str]:
                return [p for p, s in params.items() if s == status and _nested(p) == nested]

            handled = ", ".join(listed(HANDLED, False)) or "—"
            refused = ", ".join(listed(REFUSED, False)) or "—"
            nested_refused = ", ".join(f"`{p}`" for p in listed(REFUSED, True)) or "—"
            lines.append(
                f"| {name} | {handled} | {refused} | {len(listed(HANDLED, True))} | {nested_refused} |"
            )
    return "\n".join(lines) + "\n"


def all_tables() -> dict[str, dict[str, dict[str, str]]]:
    return {service: coverage_table(service) for service in SERVICES}


def _dump(table: dict[str, dict[str, str]]) -> str:
    return json.dumps(table, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eventproof_fakes.coverage", description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite the snapshot and docs")
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="the repository to write into (default: the current folder)")
    args = parser.parse_args(argv)
    tables = all_tables()
    gaps = [
        f"{service} {name} {param}"
        for service, table in tables.items()
        for name, params in table.items()
        for param, status in params.items()
        if status == UNACCOUNTED
    ]
    if args.write:
        folder = snapshot_dir(args.root)
        folder.mkdir(parents=True, exist_ok=True)
        for service, table in tables.items():
            (folder / f"{service}.json").write_text(_dump(table), encoding="utf-8")
        (args.root / "docs" / "coverage.md").write_text(render_markdown(tables), encoding="utf-8")
    else:
        sys.stdout.write(render_markdown(tables))
    for gap in gaps:
        sys.stderr.write(f"unaccounted (neither handled nor refused): {gap}\n")
    return 1 if gaps else 0


if __name__ == "__main__":
    raise SystemExit(main())
