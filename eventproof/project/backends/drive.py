"""Lambda's pollers and EventBridge's Lambda targets, driven by eventproof over boto3.

On moto, a queue's event source mapping or a rule's Lambda target would
need moto to run the function (Docker). ``take_over`` reads them through
the AWS APIs, removes them from moto (so moto never tries), and ``Driver``
does their work with the function run in this process:

- an SQS mapping: receive up to ``BatchSize`` messages from the real queue,
  hand them to the function as a Lambda SQS event, delete them on success
  (all but the ``batchItemFailures`` with ``ReportBatchItemFailures``), and
  on failure make them visible again at once (the visibility timeout
  elapsing), so the queue's own redrive policy moves a message to its DLQ
  after ``maxReceiveCount`` receives;
- a rule with a Lambda target: every event a successful ``PutEvents`` put
  on the rule's bus is matched against the rule's pattern (by the backend's
  own matcher: moto has no ``TestEventPattern``), and delivered as EventBridge delivers it, as an
  asynchronous invocation (retried on error as the function's ``MaximumRetryAttempts``
  says, twice by default).

What it cannot drive faithfully (mapping filters, other event sources,
input transformers, SNS subscriptions of functions, failure destinations)
raises ``Unsupported`` naming the resource, never silently dropped.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from boto3.dynamodb.types import TypeDeserializer

from eventproof.project.backends.base import NeverIdle, Unsupported
from eventproof.project.backends.envelopes import eventbridge_event, sqs_event, sqs_record
from eventproof.project.backends.runtime import Call, CallWatch, Function, FunctionSpec, Invocation
from eventproof.properties.outcome import _maybe_json, _plain

__all__ = ["Driver", "Route", "SqsMapping", "take_over"]

_STEP_LIMIT = 500
_DESERIALIZE = TypeDeserializer()


@dataclass(frozen=True)
class SqsMapping:
    function: str
    queue_arn: str
    queue_url: str
    batch_size: int
    report_failures: bool


@dataclass(frozen=True)
class Route:
    function: str
    bus: str
    rule: str
    rule_arn: str
    pattern: str


def _name(arn_or_name: str) -> str:
    return arn_or_name.rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def take_over(client: Any, functions: dict[str, FunctionSpec]) -> tuple[list[SqsMapping], list[Route]]:
    """Read the functions' SQS mappings and rule targets, and remove them from the backend."""
    by_arn = {spec.arn: name for name, spec in functions.items()}
    lam, sqs, events = client("lambda"), client("sqs"), client("events")
    mappings: list[SqsMapping] = []
    for found in lam.list_event_source_mappings().get("EventSourceMappings", []):
        function = by_arn.get(found["FunctionArn"]) or by_arn.get(found["FunctionArn"].split(":$")[0])
        if function is None:
            continue
        source = found["EventSourceArn"]
        if not source.startswith("arn:aws:sqs:"):
            raise Unsupported(f"{function}: its event source {source} (a stream) is not driven here")
        if found.get("FilterCriteria", {}).get("Filters"):
            raise Unsupported(f"{function}: the FilterCriteria of its mapping on {source} are "
                              "not applied here")
        url = sqs.get_queue_url(QueueName=_name(source))["QueueUrl"]
        mappings.append(SqsMapping(function, source, url, int(found.get("BatchSize", 10)),
                                   "ReportBatchItemFailures" in found.get("FunctionResponseTypes", [])))
        # Disabled first: moto keeps a deleted mapping on its queue, and would still invoke it.
        lam.update_event_source_mapping(UUID=found["UUID"], Enabled=False)
        lam.delete_event_source_mapping(UUID=found["UUID"])
    routes: list[Route] = []
    for bus in events.list_event_buses().get("EventBuses", []):
        for rule in events.list_rules(EventBusName=bus["Name"]).get("Rules", []):
            targets = events.list_targets_by_rule(Rule=rule["Name"], EventBusName=bus["Name"])
            taken = []
            for target in targets.get("Targets", []):
                function = by_arn.get(target["Arn"])
                if function is None:
                    continue
                where = f"{function}: the target of rule {rule['Name']}"
                for key in ("InputTransformer", "InputPath", "Input"):
                    if key in target:
                        raise Unsupported(f"{where} has {key}, which is not applied here")
                if "EventPattern" not in rule:
                    raise Unsupported(f"{where} is a schedule, which is not driven here")
                routes.append(Route(function, bus["Name"], rule["Name"], rule["Arn"],
                                    rule["EventPattern"]))
                taken.append(target["Id"])
            if taken:
                events.remove_targets(Rule=rule["Name"], EventBusName=bus["Name"], Ids=taken)
    for subscription in client("sns").list_subscriptions().get("Subscriptions", []):
        if subscription.get("Protocol") == "lambda":
            raise Unsupported(f"the SNS subscription {subscription['SubscriptionArn']} of a "
                              "function is not driven here")
    return mappings, routes


@dataclass
class Driver:
    """Delivers to functions until nothing is left to deliver; records what was published."""

    client: Any  # service name -> boto3 client (eventproof's own calls)
    functions: dict[str, Function]
    mappings: list[SqsMapping]
    routes: list[Route]
    watch: CallWatch
    matches: Callable[[str, dict[str, Any]], bool]  # (pattern, event) -> does the rule match
    account: str
    region: str
    copies: int = 1
    # Moves the (frozen) wall clock on: a message made visible again is visible only
    # once time has passed since (moto compares strictly).
    advance: Callable[[float], None] | None = None
    trigger_channel: str = ""  # the channel whose deliveries are duplicated
    invocations: list[Invocation] = field(default_factory=list)
    published: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _pending: deque[tuple[str, dict[str, Any], int]] = field(default_factory=deque)
    _put: deque[tuple[str, dict[str, Any]]] = field(default_factory=deque)  # (bus, event) to route
    _aliases: dict[str, str] = field(default_factory=dict)  # a duplicate's message id -> the original's

    def after_call(self, call: Call, response: dict[str, Any]) -> None:
        """Note every event a successful ``PutEvents`` put on a bus (routed once the caller returned)."""
        if (call.service, call.operation) != ("events", "PutEvents"):
            return
        for entry, result in zip(call.params.get("Entries", []), response.get("Entries", []), strict=False):
            if "EventId" not in result:
                continue
            bus = _name(entry.get("EventBusName") or "default")
            event = eventbridge_event(entry, event_id=result["EventId"], account=self.account,
                                      region=self.region)
            self.published.setdefault(bus, []).append(
                {"source": event["source"], "detail-type": event["detail-type"], "detail": event["detail"]})
            self._put.append((bus, event))

    def _route(self) -> None:
        while self._put:
            bus, event = self._put.popleft()
            for route in self.routes:
                if route.bus != bus or not self.matches(route.pattern, event):
                    continue
                times = self.copies if self.trigger_channel == f"events:{route.rule_arn}" else 1
                attempts = self.functions[route.function].spec.async_attempts
                for _ in range(times):
                    self._pending.append((route.function, event, attempts))

    def invoke_async(self, function: str, event: Any) -> None:
        """An asynchronous invocation (``Invoke`` with ``Event``), duplicated on ``lambda:<name>``."""
        times = self.copies if self.trigger_channel == f"lambda:{function}" else 1
        for _ in range(times):
            self._pending.append((function, event, self.functions[function].spec.async_attempts))

    def run_until_idle(self) -> None:
        for _ in range(_STEP_LIMIT):
            progressed = False
            self._route()
            while self._pending:
                function, event, attempts = self._pending.popleft()
                invocation = self._invoke(function, event)
                if invocation.error is not None and attempts > 1:
                    self._pending.append((function, event, attempts - 1))
                self._route()
                progressed = True
            for mapping in self.mappings:
                progressed = self._poll(mapping) or progressed
            if not progressed:
                return
        raise NeverIdle(
            f"the system never became idle: still delivering after {_STEP_LIMIT} rounds",
            hint="a message was retried without end: e.g. the trigger queue has no dead-letter "
                 "queue (RedrivePolicy), so a message the handler rejects comes back forever")

    def _invoke(self, function: str, event: Any) -> Invocation:
        invocation = self.functions[function].invoke(event)
        self.invocations.append(invocation)
        return invocation

    def _poll(self, mapping: SqsMapping) -> bool:
        with self.watch.internal():
            sqs = self.client("sqs")
            received = sqs.receive_message(
                QueueUrl=mapping.queue_url, MaxNumberOfMessages=min(mapping.batch_size, 10),
                AttributeNames=["All"], MessageAttributeNames=["All"]).get("Messages", [])
            if not received:
                return False
            duplicated = self.trigger_channel == f"sqs:{_name(mapping.queue_arn)}" and self.copies > 1
            for message in received:
                first = message.get("Attributes", {}).get("ApproximateReceiveCount") == "1"
                if duplicated and first and message["MessageId"] not in self._aliases:
                    # A copy on another server: deleting this one leaves it, so it comes again.
                    for _ in range(self.copies - 1):
                        copy = {"QueueUrl": mapping.queue_url, "MessageBody": message["Body"]}
                        if message.get("MessageAttributes"):
                            copy["MessageAttributes"] = message["MessageAttributes"]
                        sent = sqs.send_message(**copy)
                        self._aliases[sent["MessageId"]] = message["MessageId"]
        records = [sqs_record(m, mapping.queue_arn, self.region,
                              self._aliases.get(m["MessageId"])) for m in received]
        invocation = self._invoke(mapping.function, sqs_event(records))
        failed = _failed_items(invocation, records, mapping.report_failures)
        with self.watch.internal():
            for record in records:
                if record["messageId"] in failed:
                    sqs.change_message_visibility(QueueUrl=mapping.queue_url,
                                                  ReceiptHandle=record["receiptHandle"],
                                                  VisibilityTimeout=0)
                else:
                    sqs.delete_message(QueueUrl=mapping.queue_url, ReceiptHandle=record["receiptHandle"])
        if failed and self.advance is not None:
            self.advance(0.001)
        return True

    def observe(self, *, input_queues: tuple[str, ...]) -> dict[str, Any]:
        """Tables scanned, queues drained, events published: the outcome, as ``observe`` gives it."""
        with self.watch.internal():
            dynamodb, sqs = self.client("dynamodb"), self.client("sqs")
            tables: dict[str, list[Any]] = {}
            for page in dynamodb.get_paginator("list_tables").paginate():
                for table in page.get("TableNames", []):
                    tables[table] = [
                        _plain({k: _DESERIALIZE.deserialize(v) for k, v in item.items()})
                        for scanned in dynamodb.get_paginator("scan").paginate(TableName=table)
                        for item in scanned.get("Items", [])]
            queues: dict[str, list[Any]] = {}
            for url in sqs.list_queues().get("QueueUrls", []):
                name = _name(url)
                if name not in input_queues:
                    queues[name] = _drain(sqs, url)
        return {"tables": tables, "queues": queues, "events": {b: list(e) for b, e in self.published.items()}}


def _drain(sqs: Any, url: str) -> list[Any]:
    bodies: list[Any] = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                       VisibilityTimeout=600).get("Messages", [])
        if not messages:
            return bodies
        bodies.extend(_maybe_json(m["Body"]) for m in messages)


def _failed_items(invocation: Invocation, records: list[dict[str, Any]], partial: bool) -> set[str]:
    """The message ids Lambda leaves on the queue after this invocation."""
    everything = {r["messageId"] for r in records}
    if invocation.error is not None:
        return everything
    payload = invocation.payload
    if not partial or not isinstance(payload, dict) or not payload.get("batchItemFailures"):
        return set()
    failed = {str(item.get("itemIdentifier")) if isinstance(item, dict) else ""
              for item in payload["batchItemFailures"]}
    # An identifier that is empty or not in the batch fails the whole batch (Lambda's rule).
    return failed if failed <= everything else everything
