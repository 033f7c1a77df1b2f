"""A template handler is fed through its own trigger: the template's queue or rule."""

from __future__ import annotations

from pathlib import Path

from eventproof.project import open_project
from eventproof.properties import Bench
from eventproof.properties.system import INPUT_DLQ, INPUT_QUEUE, Delivery

PAYMENTS = Path(__file__).resolve().parents[3] / "examples" / "payments"
REQUEST = {"paymentId": "pay-0001", "account": "acc-1", "amount": 5, "currency": "EUR"}
SETTLED = {"paymentId": "pay-0001", "amount": "5", "currency": "EUR"}


def test_sqs_messages_arrive_through_the_templates_queue_and_its_dead_letter_queue() -> None:
    project = open_project(PAYMENTS)
    system = project.system(project.config.handlers["PaymentsFunction"])
    with Bench(system) as bench:
        run = bench.run([REQUEST, {"paymentId": "bad"}], via="sqs")
        stack = bench.aws.cloudformation.stack()
        queue_arn = stack.attribute("PaymentRequests", "Arn")
        sources = {r["eventSourceARN"] for i in bench.aws.invocations(system.name)
                   for r in i.event["Records"]}
        queues = bench.client("sqs").list_queues()["QueueUrls"]
    assert sources == {queue_arn}
    assert not any(url.endswith(f"/{INPUT_QUEUE}") for url in queues)
    # The template's DLQ, known to the properties as the input DLQ (maxReceiveCount 3).
    assert [m for m in run.rejected] == [{"paymentId": "bad"}]
    assert INPUT_DLQ in run.outcome["queues"]


def test_eventbridge_events_arrive_through_the_templates_rule_on_its_bus() -> None:
    # verify takes source and detail-type from the contract's x-eventproof.trigger.
    project = open_project(PAYMENTS)
    system = project.system(project.config.handlers["ReceiptsFunction"])
    with Bench(system) as bench:
        run = bench.run([SETTLED], via=Delivery("eventbridge", "payments", "PaymentSettled"))
        buses = {i.event.get("detail-type"): i.event["source"] for i in bench.aws.invocations(system.name)}
        rules = bench.client("events").list_rules(EventBusName="default").get("Rules", [])
    assert run.handled == 1 and buses == {"PaymentSettled": "payments"}
    assert rules == []  # no rule of the bench's own
    assert run.outcome["events"] == {}  # the input event is not the system's output
