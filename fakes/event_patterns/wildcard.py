"""``wildcard`` patterns: ``*`` matches any run of characters; ``\\*`` and ``\\\\`` escape.

event-ruler rejects consecutive ``*`` and rules whose wildcards could keep
too many matcher states alive at once ("Rule is too complex"). It measures
that on its automaton; we approximate it by the number of wildcards in one
pattern: AWS accepts five (``a:*:*:*:*:*``-style patterns with six are
rejected, see the recorded ``content_wildcard_complex_EXC`` case).
"""

from __future__ import annotations

import re

from eventproof_fakes.event_patterns.errors import PatternProblem

MAX_WILDCARDS_PER_PATTERN = 5

_TOO_COMPLEX = (
    "Rule is too complex - try using fewer wildcard characters or fewer repeating "
    "character sequences after a wildcard character"
)


def compile_wildcard(pattern: str) -> re.Pattern[str]:
    pieces: list[str] = []
    literal: list[str] = []
    stars = 0
    previous_was_star = False
    position = 0
    while position < len(pattern):
        char = pattern[position]
        if char == "\\":
            following = pattern[position + 1 : position + 2]
            if following not in ("*", "\\"):
                raise PatternProblem(f"Invalid escape character at pos {position}")
            literal.append(following)
            position += 2
            previous_was_star = False
            continue
        if char == "*":
            if previous_was_star:
                raise PatternProblem(f"Consecutive wildcard characters at pos {position}")
            pieces.append(re.escape("".join(literal)))
            literal = []
            pieces.append(".*")
            stars += 1
            previous_was_star = True
        else:
            literal.append(char)
            previous_was_star = False
        position += 1
    pieces.append(re.escape("".join(literal)))
    if stars > MAX_WILDCARDS_PER_PATTERN:
        raise PatternProblem(_TOO_COMPLEX)
    return re.compile("".join(pieces), re.DOTALL)
