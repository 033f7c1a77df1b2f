"""Where and how a message can be broken, read from its Avro schema (JSON form)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eventproof.strategies.invalid import Site

_EXTRA_NAME = "unexpectedField"
_INT32 = 2**31
_INT64 = 2**63
# The JSON kinds each Avro type accepts, to pick a stand-in no branch accepts.
_KINDS = {
    "null": {"null"}, "boolean": {"boolean"}, "int": {"integer"}, "long": {"integer"},
    "float": {"integer", "number"}, "double": {"integer", "number"}, "bytes": {"string"},
    "string": {"string"}, "enum": {"string"}, "fixed": {"string"}, "array": {"array"},
    "map": {"object"}, "record": {"object"}, "error": {"object"},
}  # fmt: skip
_STAND_INS: list[tuple[str, Any]] = [
    ("string", "not-a-valid-value"),
    ("integer", 12345),
    ("number", 1.5),
    ("boolean", True),
    ("array", []),
    ("object", {}),
    ("null", None),
]


def _site(pointer: str, kind: str, detail: str, replacement: Any = None,
          remove: bool = False) -> Site:
    from eventproof.strategies.invalid import Site

    return Site(pointer, kind, detail, replacement, remove)


def _step(pointer: str, name: str | int) -> str:
    return f"{pointer}/{str(name).replace('~', '~0').replace('/', '~1')}"


def sites(contract: Any, message: Any) -> list[Site]:
    found: list[Site] = []
    named = getattr(contract, "named_types", {}) or {}
    _walk(getattr(contract, "parsed", contract.schema), named, message, "", found, 0)
    return found


def _resolve(node: Any, named: dict[str, Any]) -> Any:
    while isinstance(node, str) and node in named:
        node = named[node]
    if isinstance(node, dict) and isinstance(node.get("type"), (dict, list)):
        return _resolve(node["type"], named)
    if isinstance(node, dict) and isinstance(node.get("type"), str) and node["type"] in named:
        return _resolve(node["type"], named)
    return node


def _kinds(node: Any, named: dict[str, Any]) -> set[str]:
    node = _resolve(node, named)
    if isinstance(node, list):
        return set().union(*(_kinds(branch, named) for branch in node))
    if isinstance(node, str):
        return _KINDS.get(node, set())
    if node.get("logicalType") == "date":
        return {"string"}
    if node.get("logicalType") == "decimal":
        return {"integer", "number"}
    return _KINDS.get(node["type"], set())


def _walk(node: Any, named: dict[str, Any], value: Any, pointer: str, found: list[Site],
          depth: int) -> None:
    if depth > 12:
        return
    node = _resolve(node, named)
    accepted = _kinds(node, named)
    for kind, stand_in in _STAND_INS:
        if kind not in accepted:
            found.append(_site(pointer, "wrong-type",
                               f"a {kind} where {'/'.join(sorted(accepted))} is expected",
                               stand_in))
            break
    if isinstance(node, (list, str)):
        if node in ("int", "long"):
            limit = _INT32 if node == "int" else _INT64
            found.append(_site(pointer, "above-maximum", f"{limit} does not fit an Avro {node}",
                               limit))
        return
    logical, kind = node.get("logicalType"), node.get("type")
    if logical == "uuid":
        found.append(_site(pointer, "bad-format", "'not-a-uuid' is not a uuid", "not-a-uuid"))
    elif logical == "date":
        found.append(_site(pointer, "bad-format", "'2024-13-45' is not a date", "2024-13-45"))
    elif logical == "decimal":
        scale = node.get("scale", 0)
        too_fine = float(f"0.{'0' * scale}1")
        found.append(_site(pointer, "bad-decimal", f"{too_fine!r} has more than {scale} "
                           "decimal places", too_fine))
    elif kind == "enum":
        found.append(_site(pointer, "not-in-enum", "'NOT_A_SYMBOL' is not a symbol",
                           "NOT_A_SYMBOL"))
    elif kind == "fixed" and isinstance(value, str):
        found.append(_site(pointer, "too-long", f"{node['size'] + 1} characters, fixed size "
                           f"{node['size']}", value + "x"))
    elif kind in ("record", "error") and isinstance(value, dict):
        fields = {field["name"]: field for field in node["fields"]}
        for name, field in fields.items():
            if name not in value:
                continue
            if "default" not in field:
                found.append(_site(_step(pointer, name), "missing-required",
                                   f"field {name!r} left out", remove=True))
            _walk(field["type"], named, value[name], _step(pointer, name), found, depth + 1)
        if _EXTRA_NAME not in fields:
            found.append(_site(_step(pointer, _EXTRA_NAME), "extra-property",
                               f"undeclared field {_EXTRA_NAME!r} added", "surprise"))
    elif kind == "array" and isinstance(value, list):
        for index, item in enumerate(value):
            _walk(node["items"], named, item, _step(pointer, index), found, depth + 1)
    elif kind == "map" and isinstance(value, dict):
        for key, item in value.items():
            _walk(node["values"], named, item, _step(pointer, key), found, depth + 1)
