"""The reference implementation's handlers as ``System``s the properties can run.

Each ``build`` provisions the pattern through boto3 exactly as its
``infrastructure.provision`` does on AWS (minus the functions the property
feeds itself) and wires the handler with the fakes' virtual clock. The clock
is read through the environment on every call: ``FakeAWS.reset`` replaces it
between runs.
"""

from __future__ import annotations

import json
from typing import Any

from eventproof.properties import System
from eventproof_fakes import FakeAWS
from reference_impl import command_bus
from reference_impl.outbox import app as outbox_app
from reference_impl.outbox import infrastructure as outbox_infrastructure
from reference_impl.outbox import lambdas as outbox_lambdas


def virtual_clock(aws: FakeAWS) -> Any:
    return lambda: aws.clock.now()


def _payment_processor(aws: FakeAWS) -> Any:
    session = FakeAWS.session()
    command_bus.provision(session, with_functions=False)
    return command_bus.wire(session, clock=virtual_clock(aws)).process_payment


PAYMENT_PROCESSOR = System(build=_payment_processor, name="payment-processor-under-test")


def _book_added_consumer(aws: FakeAWS) -> Any:
    session = FakeAWS.session()
    outbox_infrastructure.provision(session, variant="cdc", with_functions=False)
    return outbox_app.wire(session, variant="cdc", clock=virtual_clock(aws)).book_added


BOOK_ADDED_CONSUMER = System(build=_book_added_consumer, name="book-added-under-test")


def _cdc_add_book(aws: FakeAWS) -> Any:
    """AddBook behind the API, the whole CDC outbox downstream: stream, ChangeProcessor, bus, consumers."""
    session = FakeAWS.session()
    outbox_infrastructure.provision(session, variant="cdc", resource_policies=False)
    handlers = outbox_lambdas.app.use(
        outbox_app.wire(session, variant="cdc", clock=virtual_clock(aws)))

    def add_book(book: dict[str, Any], context: Any) -> dict[str, Any]:
        return handlers.add_book({"httpMethod": "POST", "body": json.dumps(book)}, context)

    return add_book


CDC_OUTBOX_WRITER = System(build=_cdc_add_book, name="add-book-under-test")
