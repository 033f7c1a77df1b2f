"""The reference system under random traffic and faults: nothing lost, nothing doubled.

One hypothesis state machine drives the command bus (ProcessPayment on SQS,
outcomes on EventBridge) and the CDC outbox (AddBook behind its API, the
Books stream, ChangeProcessor, BookAdded consumer) with valid and invalid
commands, producer retries, duplicate deliveries, handler crashes at any of
their first AWS calls and clock jumps. After every step the fakes run until
idle and the invariant must hold:

- every ProcessPayment the queue accepted ends as one charge that was
  announced, or on the DLQ; a command the processor rejects ends on the DLQ
  with no charge and no announcement. Announcements are at least once (a
  crash between PutEvents and marking the charge announced repeats it), so
  "not doubled" means one charge and one outcome per payment, never two;
- every book the API accepted (201) is listed exactly once in the catalogue,
  from exactly one BookAdded event id, however often the stream delivered it.
"""

from __future__ import annotations

import contextlib
import json
import logging
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from eventproof.catalog import Catalog
from eventproof.properties.system import reused_clients
from eventproof.strategies import from_contract
from fakes import FakeAWS
from reference_impl import command_bus
from reference_impl.command_bus import lambdas as command_bus_lambdas
from reference_impl.command_bus.payments import InvalidProcessPayment, parse_process_payment
from reference_impl.outbox import app as outbox_app
from reference_impl.outbox import infrastructure as outbox_infrastructure
from reference_impl.outbox import lambdas as outbox_lambdas

CATALOG = Catalog.load(Path(__file__).resolve().parents[2] / "contracts")
NAMES = command_bus.Names()
FUNCTIONS = [NAMES.processor_function, "AddBook", "ChangeProcessor", "BookAdded"]
# Found by this machine: BookAdded used to mark the event seen before listing the book, so a
# crash between the two writes made the retry skip the listing. Both now go in one
# transaction; these crash points stay pinned by a regression test below.
ONCE_LOST_AT = [("BookAdded", 1, "after"), ("BookAdded", 1, "before")]
# One environment for every example, reset in between; its clients are made once.
AWS = FakeAWS(seed=11)
CLIENTS: dict[tuple[Any, ...], Any] = {}


def _accepted_by_processor(command: dict[str, Any]) -> bool:
    try:
        parse_process_payment(json.dumps(command))
    except InvalidProcessPayment:
        return False
    return True


class ReferenceSystem(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._patches = contextlib.ExitStack()
        # The handlers log every rejected command and crash with a traceback: hundreds per run.
        logging.disable(logging.ERROR)
        self._patches.callback(logging.disable, logging.NOTSET)
        self._patches.enter_context(AWS.patch_boto3())
        self._patches.enter_context(reused_clients(CLIENTS))
        AWS.reset()
        session = FakeAWS.session()
        clock = lambda: AWS.clock.now()  # noqa: E731 -- read through AWS: reset replaces the clock
        command_bus.provision(session)
        outbox_infrastructure.provision(session, variant="cdc", resource_policies=False)
        command_bus_lambdas.app.use(command_bus.wire(session, clock=clock))
        outbox_lambdas.app.use(outbox_app.wire(session, variant="cdc", clock=clock))
        self.sqs = session.client("sqs")
        self.queue_url = self.sqs.get_queue_url(QueueName=NAMES.command_queue)["QueueUrl"]
        self.commands: list[dict[str, Any]] = []
        self.books_tried: list[dict[str, Any]] = []
        self.books_accepted: set[str] = set()

    def teardown(self) -> None:
        command_bus_lambdas.app.cold_start()
        outbox_lambdas.app.cold_start()
        self._patches.close()

    def _settle(self) -> None:
        AWS.run_until_idle()

    # --- traffic ------------------------------------------------------------
    @rule(command=from_contract(CATALOG["ProcessPayment"]))
    def send_payment(self, command: dict[str, Any]) -> None:
        self.sqs.send_message(QueueUrl=self.queue_url, MessageBody=json.dumps(command))
        self.commands.append(command)
        self._settle()

    @rule(data=st.data())
    def producer_resends_a_payment(self, data: st.DataObject) -> None:
        if self.commands:
            self.send_payment(data.draw(st.sampled_from(self.commands), label="resent"))

    @rule(book=from_contract(CATALOG["AddBook"]))
    def add_book(self, book: dict[str, Any]) -> None:
        result = AWS.lambda_.invoke_sync("AddBook", json.dumps({"body": json.dumps(book)}))
        self.books_tried.append(book)
        payload = result.payload
        if isinstance(payload, dict) and payload.get("statusCode") == 201:
            self.books_accepted.add(book["name"])
        self._settle()

    @rule(data=st.data())
    def client_retries_a_book(self, data: st.DataObject) -> None:
        if self.books_tried:
            self.add_book(data.draw(st.sampled_from(self.books_tried), label="retried"))

    # --- faults -------------------------------------------------------------
    @rule(channel=st.sampled_from([f"sqs:{NAMES.command_queue}", "stream:Books"]))
    def next_delivery_is_duplicated(self, channel: str) -> None:
        AWS.faults.duplicate(channel, deliveries=1)

    @rule(function=st.sampled_from(FUNCTIONS), at_call=st.integers(1, 3),
          when=st.sampled_from(["before", "after"]))
    def next_invocation_crashes(self, function: str, at_call: int, when: Any) -> None:
        AWS.faults.crash(function, at_call=at_call, when=when)

    @rule(seconds=st.integers(1, 3600))
    def time_passes(self, seconds: int) -> None:
        AWS.clock.advance(seconds)
        self._settle()

    # --- the invariant --------------------------------------------------------
    @invariant()
    def nothing_lost_nothing_doubled(self) -> None:
        self._payments_end_once()
        self._books_listed_once()

    def _payments_end_once(self) -> None:
        charges = {item["paymentId"]["S"]: item for item in AWS.dynamodb.items(NAMES.payments_table)}
        outcomes: dict[str, set[str]] = {}
        for event in AWS.events.events(NAMES.bus):
            outcomes.setdefault(event["detail"]["paymentId"], set()).add(event["detail-type"])
        dead = [json.loads(m.body) for m in AWS.sqs.messages(NAMES.dead_letter_queue)
                if not m.deleted]
        pending = [m for m in AWS.sqs.messages(NAMES.command_queue) if not m.deleted]
        assert not pending, f"{len(pending)} commands still on the queue after the system idled"
        for command in self.commands:
            payment = command["paymentId"]
            on_dlq = command in dead
            if not _accepted_by_processor(command):
                assert on_dlq, f"rejected command {payment} is neither processed nor on the DLQ"
                continue
            announced = charges.get(payment, {}).get("announced", {}).get("BOOL", False)
            assert (announced and outcomes.get(payment)) or on_dlq, f"payment {payment} lost"
            assert len(outcomes.get(payment, ())) <= 1, f"payment {payment}: two outcomes"
        valid = {c["paymentId"] for c in self.commands if _accepted_by_processor(c)}
        assert set(charges) <= valid and set(outcomes) <= valid, "a charge nobody asked for"

    def _books_listed_once(self) -> None:
        catalogue = {item["name"]["S"]: item for item in AWS.dynamodb.items("Catalogue")}
        event_ids: dict[str, set[str]] = {}
        for event in AWS.events.events("outbox-demo"):
            if event["detail-type"] == "BookAdded":
                event_ids.setdefault(event["detail"]["name"], set()).add(event["detail"]["eventId"])
        for name in self.books_accepted:
            assert name in catalogue, f"accepted book {name!r} never listed"
        for name, item in catalogue.items():
            assert item["timesListed"]["N"] == "1", f"book {name!r} listed {item['timesListed']}"
            assert len(event_ids.get(name, ())) == 1, f"book {name!r}: {event_ids.get(name)}"
        assert set(catalogue) <= {b["name"] for b in self.books_tried}


ReferenceSystem.TestCase.settings = settings(
    # Eight steps read well unshrunk; shrinking a failing run of this machine can take minutes.
    max_examples=200, stateful_step_count=8, deadline=None, derandomize=True,
    phases=[Phase.explicit, Phase.generate], database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
)
TestReferenceSystem = ReferenceSystem.TestCase


def test_book_added_lists_the_book_even_when_it_crashes_around_its_dedup_write() -> None:
    """The gap the machine once found (see ONCE_LOST_AT) stays closed."""
    for function, at_call, when in ONCE_LOST_AT:
        _book_listed_after_crash(function, at_call, when)


def _book_listed_after_crash(function: str, at_call: int, when: Any) -> None:
    machine = ReferenceSystem()
    try:
        AWS.faults.crash(function, at_call=at_call, when=when)
        machine.add_book({"name": "Dune", "author": "Frank Herbert", "isbn": "9780441013593"})
        assert machine.books_accepted == {"Dune"}
        assert [e["detail-type"] for e in AWS.events.events("outbox-demo")] == ["BookAdded"]
        (listed,) = AWS.dynamodb.items("Catalogue")
        assert listed["name"] == {"S": "Dune"}
    finally:
        machine.teardown()
