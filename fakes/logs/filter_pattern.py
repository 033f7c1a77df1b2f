"""CloudWatch Logs filter patterns: terms and JSON conditions.

https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html

Modelled:
- terms, case-sensitive, matched anywhere in the message: ``ERROR``,
  ``"Task timed out"`` (a quoted phrase), several terms (all must match),
  ``?ERROR ?WARN`` (any of them), ``-Throttling`` (must not match);
- JSON conditions on messages that are JSON objects:
  ``{ $.level = "ERROR" }``, ``!=``, ``<``, ``>``, ``<=``, ``>=`` on numbers,
  ``*`` wildcards in strings, ``IS TRUE``/``IS FALSE``/``IS NULL``,
  ``NOT EXISTS``, ``&&``, ``||`` and parentheses; selectors ``$.a.b``,
  ``$.a[0]``.
Refused with ``UnsupportedFilterPattern`` (never silently matched): space-
delimited patterns (``[ip, user, ...]``), regular expressions
(``%...%``), and anything else that does not parse.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from eventproof_fakes.errors import FakesError

__all__ = ["UnsupportedFilterPattern", "compile_filter"]

Matcher = Callable[[str], bool]
_MISSING = object()


class UnsupportedFilterPattern(FakesError, ValueError):
    """A filter pattern this fake cannot evaluate (or that is not valid)."""


def compile_filter(pattern: str | None) -> Matcher:
    """A predicate on a log event's message."""
    text = (pattern or "").strip()
    if not text:
        return lambda message: True
    if text.startswith("{"):
        condition = _JsonParser(text).parse()

        def matches_json(message: str) -> bool:
            try:
                document = json.loads(message)
            except ValueError:
                return False
            return isinstance(document, dict) and condition(document)

        return matches_json
    if text.startswith("[") or text.startswith("%"):
        raise UnsupportedFilterPattern(
            f"eventproof's fake logs does not model the filter pattern {pattern!r} "
            "(space-delimited and regular-expression patterns)"
        )
    return _terms(text)


_TERM = re.compile(r'([?-]?)(?:"((?:[^"\\]|\\.)*)"|([^\s"]+))')


def _terms(text: str) -> Matcher:
    required: list[str] = []
    optional: list[str] = []
    excluded: list[str] = []
    position = 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        match = _TERM.match(text, position)
        if match is None:
            raise UnsupportedFilterPattern(f"Invalid filter pattern {text!r} at {position}")
        prefix, quoted, bare = match.groups()
        term = quoted.replace('\\"', '"') if quoted is not None else bare
        {"": required, "?": optional, "-": excluded}[prefix].append(term)
        position = match.end()
    if optional and (required or excluded):
        raise UnsupportedFilterPattern(
            f"eventproof's fake logs does not model mixing ?term with other terms: {text!r}"
        )

    def matches(message: str) -> bool:
        if optional:
            return any(term in message for term in optional)
        return all(t in message for t in required) and not any(t in message for t in excluded)

    return matches


_JSON_TOKEN = re.compile(
    r"\s*(?:(?P<selector>\$(?:\.[A-Za-z_$][\w$-]*|\[\d+\])*)"
    r"|(?P<op>&&|\|\||!=|<=|>=|=|<|>|\(|\)|\{|\})"
    r'|(?P<string>"(?:[^"\\]|\\.)*")'
    r"|(?P<number>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
    r"|(?P<word>[A-Za-z_*][\w*.-]*))"
)


class _JsonParser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str]] = []
        position = 0
        while position < len(text):
            if text[position:].strip() == "":
                break
            match = _JSON_TOKEN.match(text, position)
            if match is None or match.end() == position:
                raise UnsupportedFilterPattern(f"Invalid filter pattern {text!r} at {position}")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind)))
            position = match.end()
        self.index = 0

    def parse(self) -> Callable[[dict[str, Any]], bool]:
        self._expect("{")
        condition = self._or()
        self._expect("}")
        if self.index != len(self.tokens):
            raise UnsupportedFilterPattern(f"Invalid filter pattern {self.text!r}")
        return condition

    def _peek(self) -> tuple[str, str]:
        return self.tokens[self.index] if self.index < len(self.tokens) else ("end", "")

    def _next(self) -> tuple[str, str]:
        token = self._peek()
        self.index += 1
        return token

    def _expect(self, value: str) -> None:
        if self._next()[1] != value:
            raise UnsupportedFilterPattern(f"Invalid filter pattern {self.text!r}: expected {value}")

    def _or(self) -> Callable[[dict[str, Any]], bool]:
        parts = [self._and()]
        while self._peek()[1] == "||":
            self._next()
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else (lambda d: any(p(d) for p in parts))

    def _and(self) -> Callable[[dict[str, Any]], bool]:
        parts = [self._atom()]
        while self._peek()[1] == "&&":
            self._next()
            parts.append(self._atom())
        return parts[0] if len(parts) == 1 else (lambda d: all(p(d) for p in parts))

    def _atom(self) -> Callable[[dict[str, Any]], bool]:
        kind, value = self._next()
        if value == "(":
            inner = self._or()
            self._expect(")")
            return inner
        if kind != "selector":
            raise UnsupportedFilterPattern(
                f"Invalid filter pattern {self.text!r}: expected a $. selector, got {value!r}"
            )
        path = _path(value)
        kind, operator = self._next()
        if kind == "word" and operator in ("IS", "NOT"):
            return self._keyword(path, operator)
        if operator not in ("=", "!=", "<", ">", "<=", ">="):
            raise UnsupportedFilterPattern(
                f"Invalid filter pattern {self.text!r}: unsupported operator {operator!r}"
            )
        kind, operand = self._next()
        return _comparison(path, operator, kind, operand, self.text)

    def _keyword(self, path: list[str | int], first: str) -> Callable[[dict[str, Any]], bool]:
        _, second = self._next()
        if first == "NOT" and second == "EXISTS":
            return lambda d: _select(d, path) is _MISSING
        expected = {"TRUE": True, "FALSE": False, "NULL": None}
        if first == "IS" and second in expected:
            wanted = expected[second]
            return lambda d: _select(d, path) is wanted
        raise UnsupportedFilterPattern(f"Invalid filter pattern {self.text!r}: {first} {second}")


def _path(selector: str) -> list[str | int]:
    path: list[str | int] = []
    for name, index in re.findall(r"\.([^.\[]+)|\[(\d+)\]", selector[1:]):
        path.append(name if name else int(index))
    return path


def _select(document: Any, path: list[str | int]) -> Any:
    value = document
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, list) or step >= len(value):
                return _MISSING
            value = value[step]
        elif isinstance(value, dict) and step in value:
            value = value[step]
        else:
            return _MISSING
    return value


def _comparison(
    path: list[str | int], operator: str, kind: str, operand: str, text: str
) -> Callable[[dict[str, Any]], bool]:
    if kind == "number":
        number = float(operand)
        compare: dict[str, Callable[[float], bool]] = {
            "=": lambda v: v == number, "!=": lambda v: v != number,
            "<": lambda v: v < number, ">": lambda v: v > number,
            "<=": lambda v: v <= number, ">=": lambda v: v >= number,
        }
        test = compare[operator]

        def numeric(document: dict[str, Any]) -> bool:
            value = _select(document, path)
            return isinstance(value, int | float) and not isinstance(value, bool) and test(value)

        return numeric
    if kind in ("string", "word") and operator in ("=", "!="):
        wanted = json.loads(operand) if kind == "string" else operand
        # Only "*" is a wildcard in filter patterns.
        shape = re.compile(".*".join(re.escape(part) for part in wanted.split("*")), re.S)
        equal = operator == "="

        def textual(document: dict[str, Any]) -> bool:
            value = _select(document, path)
            if value is _MISSING or isinstance(value, dict | list):
                return not equal and value is not _MISSING
            shown = value if isinstance(value, str) else json.dumps(value)
            return (shape.fullmatch(shown) is not None) == equal

        return textual
    raise UnsupportedFilterPattern(
        f"Invalid filter pattern {text!r}: {operator} needs a number, got {operand!r}"
    )
