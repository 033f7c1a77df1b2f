"""The one event-pattern engine: EventBridge rules, SNS filter policies, Lambda
event-source-mapping ``FilterCriteria`` and Pipes filters all use it.

``compile_pattern(pattern, dialect=...)`` validates a pattern (dict or JSON
text) and returns a ``CompiledPattern`` with ``matches(event)``; invalid
patterns raise ``InvalidPatternError`` with the service's message.
``PatternIndex`` matches one event against many patterns.
"""

from eventproof_fakes.event_patterns.errors import InvalidPatternError
from eventproof_fakes.event_patterns.index import PatternIndex
from eventproof_fakes.event_patterns.matching import CompiledPattern, compile_pattern

__all__ = ["CompiledPattern", "InvalidPatternError", "PatternIndex", "compile_pattern"]
