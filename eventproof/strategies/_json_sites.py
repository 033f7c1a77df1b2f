"""Where and how a message can be broken, read from its JSON Schema."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from referencing._core import Resolver  # the public type of Registry.resolver()

from eventproof.catalog.patterns import searcher
from eventproof.strategies._json import canonical
from eventproof.strategies._numbers import is_multiple

if TYPE_CHECKING:
    from eventproof.strategies.invalid import Site

# Alternatives: breaking the rest may land in another branch. Conjunctive
# keywords (allOf, $ref beside others, not, if/then/else) only add constraints,
# so breaking the keywords beside them still breaks the whole.
_COMPOSED = ("anyOf", "oneOf")
_EXTRA_NAME = "unexpectedProperty"
# One stand-in per JSON type, for "wrong type" mutations.
_STAND_INS: list[tuple[str, Any]] = [
    ("string", "not-a-valid-value"),
    ("integer", 12345),
    ("number", 1.5),
    ("boolean", True),
    ("null", None),
    ("array", []),
    ("object", {}),
]


def _pointer(base: str, step: str | int) -> str:
    return f"{base}/{str(step).replace('~', '~0').replace('/', '~1')}"


def _site(pointer: str, kind: str, detail: str, replacement: Any = None,
          remove: bool = False) -> Site:
    from eventproof.strategies.invalid import Site

    return Site(pointer, kind, detail, replacement, remove)


def sites(contract: Any, message: Any) -> list[Site]:
    found: list[Site] = []
    _walk(contract.schema, contract.resolver(), message, "", found, depth=0)
    return found


def _flatten(schema: Any, resolver: Resolver[Any]) -> tuple[Any, Any]:
    """Resolve $ref and fold allOf parts that are plain refs/objects into one view."""
    for _ in range(20):
        if isinstance(schema, dict) and "$ref" in schema and len(
            [k for k in schema if not k.startswith(("$", "x-")) or k == "$ref"]
        ) == 1:
            resolved = resolver.lookup(schema["$ref"])
            schema, resolver = resolved.contents, resolved.resolver
        else:
            break
    return schema, resolver


def _walk(schema: Any, resolver: Any, value: Any, pointer: str, found: list[Site],
          depth: int) -> None:
    if depth > 12:
        return
    schema, resolver = _flatten(schema, resolver)
    if not isinstance(schema, dict):
        return
    if any(keyword in schema for keyword in _COMPOSED):
        return
    declared = schema.get("type")
    types = {declared} if isinstance(declared, str) else set(declared or ())
    if types:
        found.extend(_wrong_type(types, schema, pointer))
    if "enum" in schema or "const" in schema:
        allowed = [schema["const"]] if "const" in schema else schema["enum"]
        keys = {canonical(option) for option in allowed}
        for candidate in ("NOT_AN_ALLOWED_VALUE", -987654321):
            if canonical(candidate) not in keys and (not types or _type_of(candidate) in types):
                found.append(_site(pointer, "not-in-enum", f"{candidate!r} is not allowed",
                                   candidate))
                break
        return
    if isinstance(value, str):
        found.extend(_string_sites(schema, value, pointer))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        found.extend(_number_sites(schema, value, pointer, "integer" in types))
    elif isinstance(value, list):
        found.extend(_array_sites(schema, value, pointer))
        items = schema.get("items")
        if isinstance(items, dict) and not schema.get("prefixItems"):
            for index, item in enumerate(value):
                _walk(items, resolver, item, _pointer(pointer, index), found, depth + 1)
    elif isinstance(value, dict):
        found.extend(_object_sites(schema, value, pointer))
        properties = schema.get("properties", {})
        for name, item in value.items():
            if name in properties:
                _walk(properties[name], resolver, item, _pointer(pointer, name), found, depth + 1)


def _type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {float: "number", str: "string", list: "array", dict: "object"}[type(value)]


def _wrong_type(types: set[str], schema: dict[str, Any], pointer: str) -> list[Site]:
    for name, stand_in in _STAND_INS:
        accepted = name in types or (name == "integer" and "number" in types)
        if not accepted:
            return [_site(pointer, "wrong-type", f"a {name} where {'/'.join(sorted(types))} "
                          "is expected", stand_in)]
    return []


def _string_sites(schema: dict[str, Any], value: str, pointer: str) -> list[Site]:
    found: list[Site] = []
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    if low > 0:
        found.append(_site(pointer, "too-short", f"{low - 1} characters, at least {low} needed",
                           value[: low - 1]))
    if high is not None:
        longer = (value + "x" * (high + 1))[: high + 1]
        found.append(_site(pointer, "too-long", f"{high + 1} characters, at most {high} allowed",
                           longer))
    pattern = schema.get("pattern")
    if pattern is not None:
        for candidate in ("", "!", "~ no match ~", "0", "zzzz"):
            fits = low <= len(candidate) and (high is None or len(candidate) <= high)
            if fits and not searcher(pattern)(candidate):
                found.append(_site(pointer, "pattern-mismatch",
                                   f"{candidate!r} does not match {pattern!r}", candidate))
                break
    if "format" in schema:
        candidate = f"not-a-{schema['format']}"
        if low <= len(candidate) and (high is None or len(candidate) <= high):
            found.append(_site(pointer, "bad-format", f"{candidate!r} is not a "
                               f"{schema['format']}", candidate))
    return found


def _number_sites(schema: dict[str, Any], value: float, pointer: str,
                  integer: bool) -> list[Site]:
    found: list[Site] = []
    if "minimum" in schema:
        below = schema["minimum"] - 1
        found.append(_site(pointer, "below-minimum", f"{below} < minimum {schema['minimum']}",
                           below))
    if "exclusiveMinimum" in schema and not isinstance(schema["exclusiveMinimum"], bool):
        bound = schema["exclusiveMinimum"]
        found.append(_site(pointer, "below-minimum", f"{bound} is not > {bound}", bound))
    if "maximum" in schema:
        above = schema["maximum"] + 1
        found.append(_site(pointer, "above-maximum", f"{above} > maximum {schema['maximum']}",
                           above))
    if "exclusiveMaximum" in schema and not isinstance(schema["exclusiveMaximum"], bool):
        bound = schema["exclusiveMaximum"]
        found.append(_site(pointer, "above-maximum", f"{bound} is not < {bound}", bound))
    step = schema.get("multipleOf")
    if step is not None:
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        for candidate in (value + step / 2, value - step / 2, value + step / 3):
            if integer and not float(candidate).is_integer():
                continue
            inside = (low is None or candidate > low) and (high is None or candidate < high)
            if inside and not is_multiple(candidate, step):
                found.append(_site(pointer, "not-multiple",
                                   f"{candidate} is not a multiple of {step}", candidate))
                break
    return found


def _array_sites(schema: dict[str, Any], value: list[Any], pointer: str) -> list[Site]:
    found: list[Site] = []
    low, high = schema.get("minItems", 0), schema.get("maxItems")
    if low > 0 and len(value) >= low:
        found.append(_site(pointer, "too-few-items", f"{low - 1} items, at least {low} needed",
                           value[: low - 1]))
    if high is not None and value:
        extended = (value * (high + 1))[: high + 1]
        found.append(_site(pointer, "too-many-items", f"{high + 1} items, at most {high}",
                           extended))
    if schema.get("uniqueItems") and value and (high is None or len(value) < high):
        found.append(_site(pointer, "duplicate-items", "the first item repeated",
                           [*value, value[0]]))
    return found


def _object_sites(schema: dict[str, Any], value: dict[str, Any], pointer: str) -> list[Site]:
    found: list[Site] = []
    found.extend(
        _site(_pointer(pointer, name), "missing-required", f"required {name!r} left out",
              remove=True)
        for name in schema.get("required", [])
        if name in value
    )
    patterns = schema.get("patternProperties", {})
    if schema.get("additionalProperties") is False and not any(
        searcher(p)(_EXTRA_NAME) for p in patterns
    ):
        found.append(_site(_pointer(pointer, _EXTRA_NAME), "extra-property",
                           f"undeclared {_EXTRA_NAME!r} added", "surprise"))
    return found
