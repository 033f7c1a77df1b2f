"""Properties every at-least-once consumer must have, proven with hypothesis on the fakes.

``assert_idempotent``, ``assert_survives_crashes``, ``assert_rejects_invalid``
and ``assert_order_insensitive`` take a handler (or a ``System`` that builds
one on fresh fakes) and a contract; a failure raises ``PropertyFailed``
whose ``counterexample`` renders as a story.
"""

from eventproof.properties.checks import (
    assert_idempotent,
    assert_order_insensitive,
    assert_rejects_invalid,
    assert_survives_crashes,
)
from eventproof.properties.outcome import Projection, observe
from eventproof.properties.story import Counterexample, PropertyFailed
from eventproof.properties.system import Bench, Run, System, Via, run_once

__all__ = [
    "Bench",
    "Counterexample",
    "Projection",
    "PropertyFailed",
    "Run",
    "System",
    "Via",
    "assert_idempotent",
    "assert_order_insensitive",
    "assert_rejects_invalid",
    "assert_survives_crashes",
    "observe",
    "run_once",
]
