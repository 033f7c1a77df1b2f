"""The one event-pattern engine: EventBridge rules, SNS filter policies, Lambda
event-source-mapping ``FilterCriteria`` and Pipes filters all use it.

``compile_pattern(pattern, dialect=...)`` validates a pattern (dict or JSON
text) and returns a ``CompiledPattern`` with ``matches(event)``; invalid
patterns raise ``InvalidPatternError`` with the service's message.
``PatternIndex`` matches one event against many patterns.
"""

from __future__ import annotations

import json
from typing import Any

from fakes.event_patterns.compiler import compile_branches, parse_pattern_text
from fakes.event_patterns.errors import DIALECTS, InvalidPatternError, PatternProblem
from fakes.event_patterns.index import PatternIndex
from fakes.event_patterns.matching import CompiledPattern


def compile_pattern(
    pattern: dict[str, Any] | str, *, dialect: str = "eventbridge"
) -> CompiledPattern:
    """Validate ``pattern`` as ``dialect`` ("eventbridge" or "sns") and compile it.

    EventBridge, Lambda ``FilterCriteria`` and Pipes filters use the
    "eventbridge" dialect. "sns" follows SNS filter policies: no
    ``wildcard``, only ``prefix`` inside ``anything-but``, at most 5 keys
    and 150 combinations; its messages start ``FilterPolicy: ``.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"unknown pattern dialect {dialect!r}; expected one of {DIALECTS}")
    try:
        parsed = parse_pattern_text(pattern) if isinstance(pattern, str) else pattern
        branches = compile_branches(parsed, dialect)
    except PatternProblem as problem:
        raise InvalidPatternError.for_dialect(problem.reason, dialect) from None
    source = pattern if isinstance(pattern, str) else json.dumps(pattern)
    return CompiledPattern(branches, dialect, source)


__all__ = ["CompiledPattern", "InvalidPatternError", "PatternIndex", "compile_pattern"]
