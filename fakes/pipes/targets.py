"""Where a pipe delivers: Lambda, SQS, SNS or an EventBridge bus.

- Lambda gets the whole batch as one JSON array, synchronously
  (``REQUEST_RESPONSE``, the default: a function error fails the batch) or
  asynchronously (``FIRE_AND_FORGET``: accepted is delivered; Lambda's own
  async retries take over).
- SQS and SNS get one message per event: a string event as it is, any other
  value as its JSON text.
- An event bus gets one event per pipe event, with ``source`` "Pipe <name>"
  and ``detail-type`` "Event from <source kind>" unless
  ``EventBridgeEventBusParameters`` say otherwise, as real pipes deliver.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eventproof_fakes.limits import EVENTBRIDGE_MAX_PUT_EVENTS_ENTRIES
from eventproof_fakes.pipes.input_template import evaluate_path

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

__all__ = ["Delivery", "TargetFailed", "deliver", "target_service"]


class TargetFailed(Exception):
    """The target did not take the batch; the pipe retries it per its source's rules."""


@dataclass
class Delivery:
    """What the target answered: ``failed_ids`` are Lambda's batchItemFailures, if any."""

    failed_ids: list[str] | None = None


def target_service(arn: str) -> str:
    parts = arn.split(":")
    service = parts[2] if len(parts) > 5 else ""
    if service == "lambda" and parts[5] == "function":
        return "lambda"
    if service == "events" and parts[5].startswith("event-bus/"):
        return "events"
    if service in ("sqs", "sns"):
        return service
    raise ValueError(
        "eventproof's fake pipes deliver to a Lambda function, an SQS queue, an SNS topic "
        f"or an event bus; got Target {arn!r}"
    )


def deliver(
    env: FakeAWS,
    *,
    pipe_name: str,
    source_kind: str,
    target: str,
    parameters: dict[str, Any],
    events: list[Any],
    originals: list[dict[str, Any]],
) -> Delivery:
    service = target_service(target)
    if service == "lambda":
        return _to_lambda(env, target, parameters, events)
    if service == "sqs":
        sqs_parameters = parameters.get("SqsQueueParameters") or {}
        for event, original in zip(events, originals, strict=True):
            env.sqs.send(
                target,
                _as_text(event),
                group_id=_dynamic(sqs_parameters.get("MessageGroupId"), original),
                deduplication_id=_dynamic(sqs_parameters.get("MessageDeduplicationId"), original),
            )
    elif service == "sns":
        for event in events:
            env.sns.publish_message(target, _as_text(event))
    else:
        _to_bus(env, pipe_name, source_kind, target, parameters, events, originals)
    return Delivery()


def _to_lambda(
    env: FakeAWS, function_arn: str, parameters: dict[str, Any], events: list[Any]
) -> Delivery:
    invocation_type = (parameters.get("LambdaFunctionParameters") or {}).get(
        "InvocationType", "REQUEST_RESPONSE"
    )
    if invocation_type == "FIRE_AND_FORGET":
        env.lambda_.invoke_async(function_arn, events)
        return Delivery()
    result = env.lambda_.invoke_sync(function_arn, events)
    if result.error is not None:
        raise TargetFailed(f"{function_arn} failed: {result.error}")
    payload = result.payload
    if isinstance(payload, dict) and isinstance(payload.get("batchItemFailures"), list):
        failed = [
            str(item.get("itemIdentifier"))
            for item in payload["batchItemFailures"]
            if isinstance(item, dict)
        ]
        return Delivery(failed_ids=failed)
    return Delivery()


def _to_bus(
    env: FakeAWS,
    pipe_name: str,
    source_kind: str,
    bus_arn: str,
    parameters: dict[str, Any],
    events: list[Any],
    originals: list[dict[str, Any]],
) -> None:
    bus_parameters = parameters.get("EventBridgeEventBusParameters") or {}
    entries = []
    for event, original in zip(events, originals, strict=True):
        entry: dict[str, Any] = {
            "EventBusName": bus_arn,
            "Source": _dynamic(bus_parameters.get("Source"), original) or f"Pipe {pipe_name}",
            "DetailType": _dynamic(bus_parameters.get("DetailType"), original)
            or f"Event from {source_kind}",
            "Detail": json.dumps(event),
            "Resources": list(bus_parameters.get("Resources") or []),
        }
        when = _dynamic(bus_parameters.get("Time"), original)
        if when:
            entry["Time"] = when
        entries.append(entry)
    for start in range(0, len(entries), EVENTBRIDGE_MAX_PUT_EVENTS_ENTRIES):
        answer = env.events.put_event_entries(
            entries[start : start + EVENTBRIDGE_MAX_PUT_EVENTS_ENTRIES]
        )
        rejected = [entry for entry in answer if entry.get("ErrorCode")]
        if rejected:
            raise TargetFailed(f"{len(rejected)} event(s) rejected by {bus_arn}: {rejected}")


def _dynamic(value: str | None, original: dict[str, Any]) -> str | None:
    """A target parameter that is a JSON path takes its value from the source event."""
    if value is None or not value.startswith("$."):
        return value
    found = evaluate_path(value, original)
    return None if found is None else _as_text(found)


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
