"""Generate one flat Python function per Avro contract and compile it once: the fast path.

The checks are avro_validation.py's (the JSON form of contracts/README.md,
strict about undeclared fields), written out as straight-line Python instead
of a closure per type: records, arrays and maps are inlined with local
variables; a named type gets a function of its own only where it contains
itself, nests too deeply or is used too often, and a union branch only where
it is not a one-line test. If generation fails for any reason the closures of
``compile_avro_check`` are used instead; the detailed path never uses this module.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

from eventproof.catalog.avro_validation import compile_avro_check
from eventproof.catalog.codegen import CodeWriter
from eventproof.catalog.formats import UUID_PATTERN, is_date
from eventproof.catalog.value_tests import Check, decimal_fits, is_finite_number

__all__ = ["fast_avro_check", "generate_avro_check"]

Named = dict[str, Any]

_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)
_INTEGER = "(type({v}) is int or _plain_int({v})) and {low} <= {v} <= {high}"
_PRIMITIVES = {
    "null": "{v} is None",
    "boolean": "({v} is True or {v} is False)",
    "int": _INTEGER.format(v="{v}", low=_INT32[0], high=_INT32[1]),
    "long": _INTEGER.format(v="{v}", low=_INT64[0], high=_INT64[1]),
    "float": "(type({v}) is int or (type({v}) is float and _isfinite({v})) or _is_number({v}))",
    "string": "isinstance({v}, str)",
}
_PRIMITIVES["double"] = _PRIMITIVES["float"]
_PRIMITIVES["bytes"] = _PRIMITIVES["string"]
_TIMESTAMPS = frozenset({"timestamp-millis", "timestamp-micros", "local-timestamp-millis",
                         "local-timestamp-micros", "time-micros"})

# Past these, a type becomes a call: Python allows 20 nested loops per function,
# and a record used by many fields should not be copied into each.
_MAX_INDENT = 8
_MAX_INLINES_PER_TYPE = 4


def fast_avro_check(schema: Any, named: Named) -> Check:
    """The fastest yes/no check we can build for ``schema``: generated code, else closures."""
    try:
        return generate_avro_check(schema, named)
    except (RecursionError, SyntaxError, MemoryError, KeyError, TypeError, ValueError):
        return compile_avro_check(schema, named)


def generate_avro_check(schema: Any, named: Named) -> Check:
    """Compile a parsed Avro schema's JSON-form check into one Python function."""
    generator = _Generator(named)
    entry = generator.function(schema)
    generator.finish()
    return generator.build(entry, "Avro validator")


def _plain_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Generator(CodeWriter):
    def __init__(self, named: Named) -> None:
        self.named = named
        super().__init__({
            "_plain_int": _plain_int, "_isfinite": math.isfinite, "_is_number": is_finite_number,
            "_uuid": UUID_PATTERN.fullmatch, "_is_date": is_date,
        })
        self.function_names: dict[Any, str] = {}
        self.pending: list[tuple[str, Any]] = []
        self.inlined: dict[Any, int] = {}
        self.inlining: set[Any] = set()

    def resolve(self, node: Any) -> Any:
        return self.named[node] if isinstance(node, str) and node not in _PRIMITIVES else node

    def key(self, node: Any) -> Any:
        """Named types by name (a record may refer to itself by name), others by identity."""
        node = self.resolve(node)
        if isinstance(node, dict) and node.get("type") in ("record", "error", "enum", "fixed"):
            return node["name"]
        self.keep_alive.append(node)
        return id(node)

    def function(self, node: Any) -> str:
        key = self.key(node)
        if key not in self.function_names:
            self.function_names[key] = self.fresh("_check")
            self.pending.append((self.function_names[key], node))
        return self.function_names[key]

    def finish(self) -> None:
        while self.pending:
            name, node = self.pending.pop(0)
            self.emit(0, f"def {name}(v):")
            self.inlining, self.inlined = {self.key(node)}, {}
            resolved = self.resolve(node)
            if isinstance(resolved, dict) and resolved.get("type") in ("record", "error"):
                self.record(resolved, "v", 1)  # the record itself, not a call to this function
            else:
                self.statements(node, "v", 1)
            self.emit(1, "return True")

    def expression(self, node: Any, v: str) -> str | None:
        """A one-line test of ``v`` against ``node``, if the type needs no loop or record."""
        node = self.resolve(node)
        if isinstance(node, str):
            return _PRIMITIVES[node].format(v=v)
        if isinstance(node, list):
            return None
        logical, base = node.get("logicalType"), node.get("type")
        if logical == "uuid" and base == "string":
            return f"(isinstance({v}, str) and _uuid({v}) is not None)"
        if logical == "decimal" and base in ("bytes", "fixed"):
            return self.decimal(int(node["precision"]), int(node.get("scale", 0)), v)
        if logical == "date" and base == "int":
            return f"(isinstance({v}, str) and _is_date({v}))"
        if logical in _TIMESTAMPS and base == "long":
            return _PRIMITIVES["long"].format(v=v)
        if logical == "time-millis" and base == "int":
            return _INTEGER.format(v=v, low=0, high=86_400_000 - 1)
        if base == "enum":
            return f"(isinstance({v}, str) and {v} in {self.constant(frozenset(node['symbols']))})"
        if base == "fixed":
            return f"(isinstance({v}, str) and len({v}) == {int(node['size'])})"
        if isinstance(base, str) and base in _PRIMITIVES:
            return _PRIMITIVES[base].format(v=v)
        return None

    def decimal(self, precision: int, scale: int, v: str) -> str:
        """Fits decimal(precision, scale): at most ``scale`` decimals, ``precision - scale`` whole digits.

        The exact test reads the float's shortest repr. Cheaper and equal where
        a double has digits to spare (precision <= 14): a float has at most
        ``scale`` decimals exactly when scaling, rounding and dividing back
        gives the same double, since the division by an exact power of ten is
        correctly rounded, and a shorter decimal that round-trips could not
        have more places. Whole digits: |v| < 10 ** (precision - scale).
        """
        exact = self.constant(decimal_fits(precision, scale))
        if precision > 14:
            return f"{exact}({v})"
        limit, factor = 10 ** (precision - scale), float(10**scale)
        return (f"((-{limit} < {v} < {limit} and round({v} * {factor!r}) / {factor!r} == {v}) "
                f"if type({v}) is float else -{limit} < {v} < {limit} if type({v}) is int "
                f"else {exact}({v}))")

    def statements(self, node: Any, v: str, indent: int) -> None:
        """Emit code that returns False unless ``v`` conforms to ``node``."""
        test = self.expression(node, v)
        if test is not None:
            self.fail_if(indent, f"not ({test})")
            return
        resolved = self.resolve(node)
        if isinstance(resolved, list):
            self.union(resolved, v, indent)
            return
        kind = resolved["type"]
        if kind in ("record", "error"):
            self.named_type(resolved, v, indent)
        elif kind == "array":
            self.fail_if(indent, f"not isinstance({v}, list)")
            item = self.fresh("v")
            self.block(indent, f"for {item} in {v}:", partial(self.nested, resolved["items"], item))
        elif kind == "map":
            self.fail_if(indent, f"not isinstance({v}, dict)")
            item = self.fresh("v")
            self.block(indent, f"for {item} in {v}.values():", partial(self.nested, resolved["values"], item))
        else:
            self.statements(kind, v, indent)  # {"type": {...}} wrapping another type

    def nested(self, node: Any, v: str, indent: int) -> None:
        """``node`` on ``v``, as a call if it would nest too deeply here."""
        if indent > _MAX_INDENT and self.expression(node, v) is None:
            self.fail_if(indent, f"not {self.function(node)}({v})")
        else:
            self.statements(node, v, indent)

    def union(self, branches: list[Any], v: str, indent: int) -> None:
        tests = [self.expression(branch, v) for branch in branches]
        complex_branches = [b for b, test in zip(branches, tests, strict=True) if test is None]
        simple = " or ".join(test for test in tests if test is not None)
        if len(complex_branches) == 1:
            # The usual ["null", SomeRecord]: the one-liners first, then the record inline.
            if simple:
                self.block(indent, f"if not ({simple}):", partial(self.nested, complex_branches[0], v))
            else:
                self.nested(complex_branches[0], v, indent)
            return
        calls = [f"{self.function(b)}({v})" for b in complex_branches]
        self.fail_if(indent, "not (" + " or ".join(([simple] if simple else []) + calls) + ")")

    def named_type(self, record: dict[str, Any], v: str, indent: int) -> None:
        key = self.key(record)
        if key in self.inlining or indent > _MAX_INDENT or self.inlined.get(key, 0) >= _MAX_INLINES_PER_TYPE:
            self.fail_if(indent, f"not {self.function(record)}({v})")
            return
        self.inlined[key] = self.inlined.get(key, 0) + 1
        self.inlining.add(key)
        self.record(record, v, indent)
        self.inlining.discard(key)

    def record(self, record: dict[str, Any], v: str, indent: int) -> None:
        fields = record["fields"]
        declared = frozenset(f["name"] for f in fields)
        required = frozenset(f["name"] for f in fields if "default" not in f)
        self.fail_if(indent, f"not isinstance({v}, dict)")
        if required == declared:
            self.fail_if(indent, f"{v}.keys() != {self.constant(declared)}")
        else:
            self.fail_if(indent, f"not {v}.keys() <= {self.constant(declared)}")
            if required:
                self.fail_if(indent, f"not {v}.keys() >= {self.constant(required)}")
        for field in fields:
            name = field["name"]
            if name in required:
                self.bind(f"{v}[{name!r}]", field["type"], indent)
            else:
                self.block(indent, f"if {name!r} in {v}:", partial(self.bind, f"{v}[{name!r}]", field["type"]))

    def bind(self, expression: str, node: Any, indent: int) -> None:
        local = self.fresh("v")
        self.emit(indent, f"{local} = {expression}")
        self.nested(node, local, indent)
