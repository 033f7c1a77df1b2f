"""Properties every at-least-once consumer must have, proven with hypothesis on the fakes.

``assert_accepts_valid``, ``assert_idempotent``, ``assert_survives_crashes``,
``assert_rejects_invalid`` and ``assert_order_insensitive`` take a handler (or a ``System`` that builds
one on fresh fakes) and a contract; a failure raises ``PropertyFailed``
whose ``counterexample`` renders as a story. A property none of whose
examples reached a successful handling raises ``VacuousProperty`` (and
warns ``VacuityWarning`` below ``min_success``): a green verdict is only
worth what it exercised.

``via`` says how messages reach the handler: ``sqs``, ``async``,
``eventbridge``, ``api`` (API Gateway proxy events; the message is the JSON
body), ``sns``, ``stream`` (a DynamoDB stream record's image), ``s3`` (an
object-created notification) or ``kinesis``; each is a registered
``eventproof.properties.deliveries.DeliveryKind``, through the system's own
trigger when it was deployed with one (``System(own_trigger=True)``).
"""

from eventproof.properties.acceptance import assert_accepts_valid
from eventproof.properties.checks import (
    assert_idempotent,
    assert_order_insensitive,
    assert_rejects_invalid,
    assert_survives_crashes,
)
from eventproof.properties.exercise import VacuityWarning, VacuousProperty
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
    "VacuityWarning",
    "VacuousProperty",
    "Via",
    "assert_accepts_valid",
    "assert_idempotent",
    "assert_order_insensitive",
    "assert_rejects_invalid",
    "assert_survives_crashes",
    "observe",
    "run_once",
]
