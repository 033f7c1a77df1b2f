"""How messages reach a handler: one registered ``DeliveryKind`` per ``via``.

Built in: ``sqs``, ``async``, ``eventbridge``, ``api``, ``sns``, ``stream``,
``s3``, ``kinesis`` (each module's docstring says what the handler receives,
what a copy is and how AWS retries). A new delivery is one module calling
``register_delivery`` and one import below.
"""

from eventproof.properties.deliveries import (  # noqa: F401  (each registers its kind)
    api,
    eventbridge,
    invoke,
    kinesis,
    s3,
    sns,
    sqs,
    stream,
)
from eventproof.properties.deliveries.registry import (
    DeliveryKind,
    Undeliverable,
    delivery_kind,
    delivery_names,
    register_delivery,
)

__all__ = ["DeliveryKind", "Undeliverable", "delivery_kind", "delivery_names", "register_delivery"]
