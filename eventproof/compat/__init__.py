"""Contract evolution: can a new version of a contract replace the old one?

``compare_versions`` applies a compatibility mode (Confluent's names) to a
contract's history: Avro by the specification's schema-resolution rules,
cross-checked with fastavro; JSON Schema by structural rules, each finding
backed by a generated witness message. ``compare_against_ref`` does it for
a whole catalog against a git ref; ``check_expectations`` holds contracts to
what their consumers say they rely on.
"""

from eventproof.compat.compare import ContractComparison, Version, compare_versions
from eventproof.compat.findings import DirectionResult, Incompatibility, Witness
from eventproof.compat.modes import Direction, Mode, ModeChoice, choose_mode

__all__ = [
    "ContractComparison",
    "Direction",
    "DirectionResult",
    "Incompatibility",
    "Mode",
    "ModeChoice",
    "Version",
    "Witness",
    "choose_mode",
    "compare_versions",
]
