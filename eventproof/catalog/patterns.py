"""Regular expressions from contracts, matched without catastrophic backtracking.

JSON Schema's ``pattern``, ``patternProperties`` and ``propertyNames``
patterns come from files in pull requests; Python's ``re`` backtracks, so
``^(a+)+$`` against 28 ``a``s and a ``!`` takes seconds. Every pattern is
matched here, in one of two ways:

- RE2 (``google-re2``), linear in the length of the text, for every pattern
  it can read: all but backreferences, lookaround and repetitions over 1000.
- Otherwise the ``regex`` module with a time limit (``MATCH_SECONDS``): past
  it, matching raises ``PatternTimeout`` (a ``MessageError``), so a hostile
  pattern costs at most that, per value.

A pattern must also be one Python's ``re`` reads, because hypothesis's
``from_regex`` (the strategies) generates strings from it; ``pattern_problem``
says why one is refused, and the catalog calls it at load time (the
meta-schema's ``format: regex``), so a bad pattern is a contract error even
when no message is ever checked.

JSON Schema patterns are ECMA-262 regular expressions. Where engines differ,
both paths here (and the strategies, which compile with ``re.ASCII``) follow
ECMA-262:

- ``\\d``, ``\\w``, ``\\b`` are ASCII only (``[0-9]``, ``[A-Za-z0-9_]``), where
  Python's ``re`` would also match other Unicode digits and letters;
- ``$`` (without a multiline flag) matches only at the very end: Python's
  ``$`` also matches before a final newline, so ``"abc\\n"`` matched
  ``^abc$`` before; the fallback rewrites ``$`` to ``\\Z``.

Known differences from ECMA-262 that remain: ``\\s`` is ASCII whitespace
(ECMA-262 adds Unicode spaces such as U+00A0 and U+2028); ``.`` excludes only
``\\n`` (ECMA-262 also excludes ``\\r``, U+2028, U+2029); ``\\p{...}``,
``(?<name>...)``-style syntax Python's ``re`` cannot read, and ``[[:alpha:]]``
(an ECMA-262 class of the characters ``[:alph``) are refused or read as RE2
reads them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import re2
import regex

from eventproof.errors import MessageError, short_repr

__all__ = ["MATCH_SECONDS", "PatternTimeout", "ascii_pattern", "pattern_problem", "searcher"]

MATCH_SECONDS = 1.0

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # RE2 would print every pattern it cannot read to stderr
_RE2_OPTIONS.never_capture = True  # a yes/no answer needs no groups, and is faster without
_UNANCHORED = re2._Anchor.UNANCHORED
_NO_MATCH = re2._NULL_SPAN


class PatternTimeout(MessageError):
    """A pattern RE2 cannot run took longer than ``MATCH_SECONDS`` on one value."""


@functools.lru_cache(maxsize=4096)
def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be used (a sentence), or None if it can."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"not a regular expression ({exc})"
    except (OverflowError, RecursionError, MemoryError, ValueError) as exc:
        return f"not a regular expression eventproof can run ({type(exc).__name__}: {exc})"
    if _re2(pattern) is None and _fallback(pattern) is None:
        return "not a regular expression eventproof can run"
    return None


@functools.lru_cache(maxsize=4096)
def searcher(pattern: str) -> Callable[[str], bool]:
    """A test: does ``pattern`` match somewhere in a string (JSON Schema's ``pattern``)?

    A string holding a lone surrogate (possible in JSON through ``\\ud800``)
    is not UTF-8, so RE2 cannot read it: it goes to the time-limited engine.

    Raises ValueError for a pattern ``pattern_problem`` refuses (the catalog
    refuses those at load time, so validation never sees one).
    """
    problem = pattern_problem(pattern)
    if problem is not None:
        raise ValueError(f"pattern {short_repr(pattern)}: {problem}")
    slow = _fallback(pattern)

    def limited(text: str) -> bool:
        if slow is None:
            raise PatternTimeout(f"the pattern {short_repr(pattern)} cannot be matched "
                                 "against text holding a lone surrogate")
        try:
            return slow.search(text, timeout=MATCH_SECONDS) is not None
        except TimeoutError:
            raise PatternTimeout(
                f"the pattern {short_repr(pattern)} took longer than {MATCH_SECONDS:g} s on "
                f"{short_repr(text, 40)} (RE2 cannot run it: backreference, lookaround "
                "or a repetition over 1000)",
                hint="rewrite the pattern without nested repetition",
            ) from None

    compiled = _re2(pattern)
    if compiled is not None:
        # The binding's own search() decodes offsets back to characters: four times
        # the cost of the match itself. A yes/no needs only RE2's Match on UTF-8.
        match = compiled._regexp.Match

        def linear(text: str) -> bool:
            try:
                data = text.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate: not UTF-8, so not for RE2
                return limited(text)
            return bool(match(_UNANCHORED, data, 0, len(data))[0] != _NO_MATCH)

        return linear

    return limited


def ascii_pattern(pattern: str) -> re.Pattern[str]:
    """``pattern`` for Python's ``re`` with ECMA-262's ASCII classes (for from_regex)."""
    return re.compile(pattern, re.ASCII)


def _re2(pattern: str) -> re2._Regexp | None:
    try:
        return re2.compile(pattern, _RE2_OPTIONS)
    except Exception:  # re2.error, and TypeError/ValueError from its wrapper
        return None


def _fallback(pattern: str) -> regex.Pattern[str] | None:
    try:
        return regex.compile(_dollar_at_end(pattern), regex.V0 | regex.ASCII)
    except (regex.error, OverflowError, RecursionError, MemoryError, ValueError):
        return None


def _dollar_at_end(pattern: str) -> str:
    r"""Rewrite each unescaped ``$`` outside a character class as ``\Z`` (ECMA-262's ``$``)."""
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index:index + 2])
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[index + 1:index + 2] == "]":  # "[]...]": a leading ] is a member
                out.append("[]")
                index += 2
                continue
        elif char == "$":
            char = r"\Z"
        out.append(char)
        index += 1
    return "".join(out)
