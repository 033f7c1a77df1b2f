"""Handing matched events to targets, with RetryPolicy and DeadLetterConfig.

https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
A failed delivery (the queue or function is gone, SNS refuses) is retried
on the virtual clock with exponential backoff (1 s, 2 s, 4 s ... capped at
5 minutes; AWS adds jitter, we do not) until MaximumRetryAttempts
(default 185) or MaximumEventAgeInSeconds (default 24 h) runs out; then the
event goes to the dead-letter queue with AWS's message attributes, or is
dropped. A Lambda target is invoked asynchronously, so once Lambda accepts
the event its own retries apply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventproof_fakes import observe
from eventproof_fakes.errors import AWSError
from eventproof_fakes.events.model import Delivery, Rule
from eventproof_fakes.events.transform import render_input
from eventproof_fakes.limits import (
    EVENTBRIDGE_DEFAULT_MAX_EVENT_AGE,
    EVENTBRIDGE_DEFAULT_RETRY_ATTEMPTS,
)

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

MAX_BACKOFF_SECONDS = 300
MAX_BUS_HOPS = 5  # cross-bus targets: stop a rule loop between buses


class Dispatcher:
    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self.deliveries: list[Delivery] = []

    def dispatch(self, rule: Rule, event: dict[str, Any], hops: int) -> None:
        for target in list(rule.targets.values()):
            payload = render_input(target, event, rule.name, rule.arn)
            untransformed = not any(k in target for k in ("Input", "InputPath", "InputTransformer"))
            for _ in range(self.env.faults.hook.copies("events:" + rule.arn)):
                if untransformed:
                    self.env.deliveries.record(
                        observe.EVENTBRIDGE_EVENT, target["Arn"], event, self.env.clock.now()
                    )
                self._attempt(rule, target, event, payload, hops, 1, self.env.clock.now())

    def _attempt(
        self,
        rule: Rule,
        target: dict[str, Any],
        event: dict[str, Any],
        payload: str,
        hops: int,
        attempt: int,
        first_at: float,
    ) -> None:
        record = Delivery(
            rule.name,
            target["Id"],
            target["Arn"],
            event["id"],
            payload,
            attempt,
            self.env.clock.now(),
        )
        self.deliveries.append(record)
        try:
            self._send(target, event, payload, hops)
        except (AWSError, KeyError, LookupError) as error:
            code = error.code if isinstance(error, AWSError) else "ResourceNotFoundException"
            record.error = f"{code}: {error}"
            if not getattr(error, "retryable", True):  # an API destination's final answer
                self._dead_letter(
                    record, rule, target, payload, code, str(error), "MaximumRetryAttemptsExhausted", 0
                )
                return
            self._after_failure(
                record,
                rule,
                target,
                event,
                payload,
                hops,
                first_at,
                code,
                error.message if isinstance(error, AWSError) else str(error),
            )

    def _after_failure(
        self,
        record: Delivery,
        rule: Rule,
        target: dict[str, Any],
        event: dict[str, Any],
        payload: str,
        hops: int,
        first_at: float,
        code: str,
        message: str,
    ) -> None:
        attempt = record.attempt
        policy = target.get("RetryPolicy") or {}
        max_retries = policy.get("MaximumRetryAttempts", EVENTBRIDGE_DEFAULT_RETRY_ATTEMPTS)
        max_age = policy.get("MaximumEventAgeInSeconds", EVENTBRIDGE_DEFAULT_MAX_EVENT_AGE)
        delay = min(2 ** (attempt - 1), MAX_BACKOFF_SECONDS)
        age_at_retry = self.env.clock.now() + delay - first_at
        if attempt - 1 >= max_retries:
            self._dead_letter(
                record,
                rule,
                target,
                payload,
                code,
                message,
                "MaximumRetryAttemptsExhausted",
                attempt - 1,
            )
        elif age_at_retry > max_age:
            self._dead_letter(
                record,
                rule,
                target,
                payload,
                code,
                message,
                "MaximumEventAgeExhausted",
                attempt - 1,
            )
        else:
            self.env.clock.call_later(
                delay,
                lambda: self._attempt(rule, target, event, payload, hops, attempt + 1, first_at),
                label=f"events retry {rule.name}/{target['Id']} attempt {attempt + 1}",
            )

    def _dead_letter(
        self,
        record: Delivery,
        rule: Rule,
        target: dict[str, Any],
        payload: str,
        code: str,
        message: str,
        condition: str,
        retries: int,
    ) -> None:
        queue = (target.get("DeadLetterConfig") or {}).get("Arn")
        if not queue:
            return
        attributes = {
            "RULE_ARN": rule.arn,
            "TARGET_ARN": target["Arn"],
            "ERROR_CODE": code,
            "ERROR_MESSAGE": message,
            "EXHAUSTED_RETRY_CONDITION": condition,
            "RETRY_ATTEMPTS": str(retries),
        }
        try:
            self.env.sqs.send(
                queue,
                payload,
                message_attributes={
                    name: {"DataType": "String", "StringValue": value}
                    for name, value in attributes.items()
                },
            )
        except AWSError:
            return  # AWS drops the event when the dead-letter queue is gone too
        record.dead_lettered = True

    def _send(self, target: dict[str, Any], event: dict[str, Any], payload: str, hops: int) -> None:
        arn = target["Arn"]
        service = arn.split(":")[2] if arn.count(":") >= 5 else ""
        if service == "sqs":
            group = (target.get("SqsParameters") or {}).get("MessageGroupId")
            self.env.sqs.send(arn, payload, group_id=group)
        elif service == "sns":
            self.env.sns.publish_message(arn, payload)
        elif service == "lambda":
            self.env.lambda_.invoke_async(arn, _json_or_text(payload))
        elif service == "events" and ":api-destination/" in arn:
            self.env.events.invoke_api_destination(arn, target, payload)
        elif service == "events":
            if hops >= MAX_BUS_HOPS:
                return
            self.env.events.route(arn, event, hops + 1)
        else:
            raise AWSError(
                "InvalidArgument", f"eventproof's EventBridge fake cannot deliver to {arn}"
            )


def _json_or_text(payload: str) -> Any:
    import json

    try:
        return json.loads(payload)
    except ValueError:
        return payload
