"""The value tests of the pattern language: one ``FieldTest`` per pattern leaf.

A leaf (``"state": ["a", {"prefix": "b"}]``) is a list of alternatives; an
event field satisfies it when one of its values satisfies one alternative.
JSON types stay apart: ``true`` is not ``1`` and ``"1"`` is not ``1``;
numbers compare numerically (``300`` equals ``300.0``). Validation follows
aws/event-ruler's ``JsonRuleCompiler`` and the messages AWS returns.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

from eventproof_fakes.event_patterns.errors import PatternProblem
from eventproof_fakes.event_patterns.wildcard import compile_wildcard

Predicate = Callable[[Any], bool]
# What ``PatternIndex`` can look an alternative up by: ("string", text),
# ("number", n), ("literal", "null"|"true"|"false"), ("prefix", text),
# ("suffix", text), ("prefix-ci", lowered), ("suffix-ci", lowered),
# ("equals-ci", lowered), ("numeric", NumericBounds) or ("exists", None).
IndexTerm = tuple[str, Any]
NumericBounds = tuple[float | None, bool, float | None, bool]  # low, low open, high, high open
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_NUMERIC_OPERATORS = ("=", "<", "<=", ">", ">=")


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class FieldTest:
    """What one field of one pattern branch accepts."""

    __slots__ = (
        "absent_ok",
        "any_value",
        "index_terms",
        "literals",
        "numbers",
        "predicates",
        "strings",
    )

    def __init__(self) -> None:
        self.strings: set[str] = set()
        self.numbers: set[int | float] = set()
        self.literals: set[str] = set()  # "null", "true", "false": kept apart from 1 and 0
        self.predicates: list[Predicate] = []
        self.any_value = False  # {"exists": true}
        self.absent_ok = False  # {"exists": false}
        # One term per alternative, or None once an alternative cannot be
        # looked up (anything-but, wildcard, cidr, an IP address, exists false).
        self.index_terms: list[IndexTerm] | None = []

    @property
    def exact_strings_only(self) -> bool:
        """True when only exact string values can satisfy this field (indexable)."""
        return bool(self.strings) and not (
            self.numbers or self.literals or self.predicates or self.any_value or self.absent_ok
        )

    @property
    def needs_value(self) -> bool:
        return self.any_value or bool(
            self.strings or self.numbers or self.literals or self.predicates
        )

    def accepts(self, value: Any) -> bool:
        if self.any_value:
            return True
        if isinstance(value, str):
            if value in self.strings:
                return True
        elif value is None:
            if "null" in self.literals:
                return True
        elif isinstance(value, bool):
            if ("true" if value else "false") in self.literals:
                return True
        elif value in self.numbers:
            return True
        for predicate in self.predicates:  # noqa: SIM110 - any() over a generator costs more here
            if predicate(value):
                return True
        return False


def build_field_test(name: str, alternatives: list[Any], dialect: str) -> FieldTest:
    if not alternatives:
        raise PatternProblem("Empty arrays are not allowed")
    test = FieldTest()
    for alternative in alternatives:
        term: IndexTerm | None
        if isinstance(alternative, dict):
            term = _add_operator(test, alternative, dialect)
        elif isinstance(alternative, str):
            term = _add_exact_string(test, alternative)
        elif isinstance(alternative, bool) or alternative is None:
            literal = "null" if alternative is None else str(alternative).lower()
            test.literals.add(literal)
            term = ("literal", literal)
        elif is_number(alternative):
            test.numbers.add(alternative)
            term = ("number", alternative)
        else:
            raise PatternProblem("Match value must be String, number, true, false, or null")
        if term is None or test.index_terms is None:
            test.index_terms = None
        else:
            test.index_terms.append(term)
    return test


def _add_exact_string(test: FieldTest, text: str) -> IndexTerm | None:
    test.strings.add(text)
    # event-ruler turns an IP-address string into a range, so other spellings
    # of the same address (IPv6 zero padding) match too.
    address = _parse_ip(text)
    if address is not None:
        test.predicates.append(lambda value: isinstance(value, str) and _parse_ip(value) == address)
        return None
    return ("string", text)


def _add_operator(test: FieldTest, expression: dict[str, Any], dialect: str) -> IndexTerm | None:
    """Add the operator's test; returns how an index can look it up, if it can."""
    if not expression:
        raise PatternProblem("Match expression name not found")
    if len(expression) > 1:
        raise PatternProblem("Only one key allowed in match expression")
    ((operator, argument),) = expression.items()
    if operator == "exists":
        if not isinstance(argument, bool):
            raise PatternProblem("exists match pattern must be either true or false.")
        if argument:
            test.any_value = True
            return ("exists", None)
        test.absent_ok = True
        return None
    if operator in ("prefix", "suffix"):
        predicate, term = _affix(argument, operator)
        test.predicates.append(predicate)
        return term
    if operator == "equals-ignore-case":
        if not isinstance(argument, str):
            raise PatternProblem("equals-ignore-case match pattern must be a string")
        folded = argument.lower()
        test.predicates.append(lambda value: isinstance(value, str) and value.lower() == folded)
        return ("equals-ci", folded)
    if operator == "numeric":
        predicate, bounds = numeric_range(argument)
        test.predicates.append(predicate)
        if isinstance(bounds, tuple):
            return ("numeric", bounds)
        return ("number", bounds)
    if operator == "cidr":
        network = cidr_network(argument)
        test.predicates.append(lambda value: _in_network(value, network))
    elif operator == "wildcard" and dialect == "eventbridge":
        if not isinstance(argument, str):
            raise PatternProblem("wildcard match pattern must be a string")
        regex = compile_wildcard(argument)
        test.predicates.append(
            lambda value: isinstance(value, str) and regex.fullmatch(value) is not None
        )
    elif operator == "anything-but":
        test.predicates.append(anything_but(argument, dialect))
    else:
        raise PatternProblem(f"Unrecognized match type {operator}")
    return None


def _affix(argument: Any, kind: str) -> tuple[Predicate, IndexTerm]:
    """``prefix`` / ``suffix``, optionally ``{"equals-ignore-case": "..."}``; "" matches every string."""
    check = str.startswith if kind == "prefix" else str.endswith
    if isinstance(argument, dict) and list(argument) == ["equals-ignore-case"]:
        folded = argument["equals-ignore-case"]
        if isinstance(folded, str):
            lowered = folded.lower()
            return (
                lambda value: isinstance(value, str) and check(value.lower(), lowered),
                (f"{kind}-ci", lowered),
            )
    if not isinstance(argument, str):
        raise PatternProblem(f"{kind} match pattern must be a string")
    return lambda value: isinstance(value, str) and check(value, argument), (kind, argument)


# --- numeric ---------------------------------------------------------------
def numeric_range(argument: Any) -> tuple[Predicate, NumericBounds | float]:
    """``[">", 0, "<=", 5]``: one lower and/or one upper bound, or ``["=", x]``.

    Returns the test and its bounds (just the number for ``=``).
    """
    if not isinstance(argument, list):
        raise PatternProblem("Value of numeric must be an array.")
    terms = list(argument)
    if not terms or not isinstance(terms[0], str):
        shown = "]" if not terms else _json_text(terms[0])
        raise PatternProblem(f"Invalid member in numeric match: {shown}")
    operator = terms[0]
    if operator not in _NUMERIC_OPERATORS:
        raise PatternProblem(f"Unrecognized numeric range operator: {operator}")
    label = "equals" if operator == "=" else operator
    if len(terms) < 2 or not is_number(terms[1]):
        raise PatternProblem(f"Value of {label} must be numeric")
    first = terms[1]
    if operator == "=":
        if len(terms) > 2:
            raise PatternProblem("Too many elements in numeric expression")
        return (lambda value: is_number(value) and value == first), first
    if operator in ("<", "<="):
        if len(terms) > 2:
            raise PatternProblem("Too many elements in numeric expression")
        return _bounded((None, False, first, operator == "<"))
    if len(terms) == 2:
        return _bounded((first, operator == ">", None, False))
    second_operator = terms[2]
    if not isinstance(second_operator, str):
        raise PatternProblem(f"Bad value in numeric range: {_json_text(second_operator)}")
    if second_operator not in ("<", "<="):
        raise PatternProblem(f"Bad numeric range operator: {second_operator}")
    if len(terms) < 4 or not is_number(terms[3]):
        raise PatternProblem(f"Value of {second_operator} must be numeric")
    if len(terms) > 4:
        raise PatternProblem("Too many terms in numeric range expression")
    if not first < terms[3]:
        raise PatternProblem("Bottom must be less than top")
    return _bounded((first, operator == ">", terms[3], second_operator == "<"))


def _bounded(bounds: NumericBounds) -> tuple[Predicate, NumericBounds]:
    low, low_open, high, high_open = bounds

    def within(value: Any) -> bool:
        if not is_number(value):
            return False
        if low is not None and (value <= low if low_open else value < low):
            return False
        return not (high is not None and (value >= high if high_open else value > high))

    return within, bounds


def _json_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "["
    if isinstance(value, dict):
        return "{"
    return str(value)


# --- cidr ------------------------------------------------------------------
def cidr_network(argument: Any) -> IpNetwork:
    if not isinstance(argument, str):
        # AWS answers a non-string cidr with the prefix operator's message.
        raise PatternProblem("prefix match pattern must be a string")
    parts = argument.split("/")
    if len(parts) != 2:
        raise PatternProblem("Malformed CIDR, one '/' required")
    address_text, mask_text = parts
    try:
        mask = int(mask_text)
    except ValueError:
        raise PatternProblem("Malformed CIDR, mask bits must be an integer") from None
    address = _parse_ip(address_text)
    if address is None:
        raise PatternProblem(f"Nonstandard IP address: {address_text}")
    if not 0 <= mask <= address.max_prefixlen:
        raise PatternProblem(
            f"Malformed CIDR, mask bits must be between 0 and {address.max_prefixlen}"
        )
    return ipaddress.ip_network((address, mask), strict=False)


def _parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if not text or not (text[0].isalnum() or text[0] == ":"):
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _in_network(value: Any, network: IpNetwork) -> bool:
    if not isinstance(value, str):
        return False
    address = _parse_ip(value)
    return address is not None and address.version == network.version and address in network


# --- anything-but ----------------------------------------------------------
_NOT_SINGLE = "Value of anything-but must be an array or single string/number value."
_IGNORE_CASE_TYPES = (
    "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."
)


def anything_but(argument: Any, dialect: str) -> Predicate:
    """Matches any present value (null included) that is not excluded; never a missing field."""
    if isinstance(argument, dict):
        return _anything_but_operator(argument, dialect)
    if isinstance(argument, list):
        strings: set[str] = set()
        numbers: set[int | float] = set()
        for item in argument:
            if isinstance(item, str):
                strings.add(item)
            elif is_number(item):
                numbers.add(item)
            else:
                raise PatternProblem(
                    "Inside anything but list, start|null|boolean is not supported."
                )
        if bool(strings) == bool(numbers):
            raise PatternProblem(
                "Inside anything but list, either all values are number or string, "
                "mixed type is not supported"
            )
        return _excluding(strings, numbers)
    if isinstance(argument, str):
        return _excluding({argument}, set())
    if is_number(argument):
        return _excluding(set(), {argument})
    raise PatternProblem(_NOT_SINGLE)


def _excluding(strings: set[str], numbers: set[int | float]) -> Predicate:
    def allowed(value: Any) -> bool:
        if isinstance(value, str):
            return value not in strings
        if is_number(value):
            return value not in numbers
        return True

    return allowed


def _anything_but_operator(argument: dict[str, Any], dialect: str) -> Predicate:
    if not argument:
        raise PatternProblem("Anything-But expression name not found")
    if len(argument) > 1:
        raise PatternProblem("Only one key allowed in match expression")
    ((operator, value),) = argument.items()
    allowed = (
        ("prefix",) if dialect == "sns" else ("prefix", "suffix", "equals-ignore-case", "wildcard")
    )
    if operator not in allowed:
        raise PatternProblem(f"Unsupported anything-but pattern: {operator}")
    values = value if isinstance(value, list) else [value]
    if isinstance(value, dict) or value is None or isinstance(value, bool) or not values:
        if operator == "equals-ignore-case" and not isinstance(value, dict | type(None)):
            raise PatternProblem(_IGNORE_CASE_TYPES)
        if operator == "wildcard":
            raise PatternProblem("wildcard match pattern must be a string")
        raise PatternProblem(_NOT_SINGLE)
    for item in values:
        if not isinstance(item, str):
            if operator == "equals-ignore-case":
                raise PatternProblem(_IGNORE_CASE_TYPES)
            if operator == "wildcard":
                raise PatternProblem("wildcard match pattern must be a string")
            raise PatternProblem("prefix/suffix match pattern must be a string")
        if operator in ("prefix", "suffix") and not item:
            raise PatternProblem("Null prefix/suffix not allowed")
    texts: list[str] = values
    if operator == "prefix":
        return lambda v: not (isinstance(v, str) and v.startswith(tuple(texts)))
    if operator == "suffix":
        return lambda v: not (isinstance(v, str) and v.endswith(tuple(texts)))
    if operator == "equals-ignore-case":
        folded = {text.lower() for text in texts}
        return lambda v: not (isinstance(v, str) and v.lower() in folded)
    regexes = [compile_wildcard(text) for text in texts]
    return lambda v: not (isinstance(v, str) and any(r.fullmatch(v) for r in regexes))
