"""How messages reach a handler: one registered ``DeliveryKind`` per ``via``.

Built in: ``sqs``, ``async``, ``eventbridge``, ``api``, ``sns``, ``stream``,
``s3``, ``kinesis`` (each module's docstring says what the handler receives,
what a copy is and how AWS retries). A new delivery is one module calling
``register_delivery`` and one import below.
"""

# isort: off
# Each module registers its kind on import; this order is the order error messages list.
from eventproof.properties.deliveries import sqs  # noqa: F401
from eventproof.properties.deliveries import invoke  # noqa: F401
from eventproof.properties.deliveries import eventbridge  # noqa: F401
from eventproof.properties.deliveries import api  # noqa: F401
from eventproof.properties.deliveries import sns  # noqa: F401
from eventproof.properties.deliveries import stream  # noqa: F401
from eventproof.properties.deliveries import s3  # noqa: F401
from eventproof.properties.deliveries import kinesis  # noqa: F401
# isort: on
from eventproof.properties.deliveries.registry import (
    DeliveryKind,
    Undeliverable,
    delivery_kind,
    delivery_names,
    register_delivery,
)

__all__ = ["DeliveryKind", "Undeliverable", "delivery_kind", "delivery_names", "register_delivery"]
