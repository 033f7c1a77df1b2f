"""Schedules and schedule groups as the Scheduler fake stores them, with request validation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from botocore.utils import parse_to_aware_datetime

from eventproof_fakes.errors import AWSError
from eventproof_fakes.scheduling import (
    InvalidScheduleExpression,
    ScheduleExpression,
    parse_expression,
)
from eventproof_fakes.scheduling.expressions import zone

DEFAULT_GROUP = "default"
DEFAULT_RETRY_POLICY = {"MaximumEventAgeInSeconds": 86400, "MaximumRetryAttempts": 185}
_NAME = re.compile(r"^[0-9a-zA-Z\-_.]{1,64}$")
# Target kinds the fake does not model: refused by name, never ignored.
REFUSED_TARGET_PARAMETERS = (
    "EcsParameters",
    "KinesisParameters",
    "SageMakerPipelineParameters",
    "EventBridgePutEventsV2Parameters",
    "EventBridgePutRawEventsParameters",
)
TARGET_SERVICES = ("lambda", "sqs", "sns", "events")


def validation(message: str) -> AWSError:
    return AWSError("ValidationException", message)


@dataclass
class Group:
    name: str
    arn: str
    created: datetime
    tags: list[dict[str, str]] = field(default_factory=list)

    def describe(self) -> dict[str, Any]:
        return {
            "Arn": self.arn,
            "Name": self.name,
            "State": "ACTIVE",
            "CreationDate": self.created,
            "LastModificationDate": self.created,
        }


@dataclass
class Schedule:
    name: str
    group: str
    arn: str
    expression: ScheduleExpression
    params: dict[str, Any]  # the request as given (normalised): what GetSchedule returns
    created: datetime
    modified: datetime

    @property
    def enabled(self) -> bool:
        return self.params.get("State", "ENABLED") == "ENABLED"

    @property
    def target(self) -> dict[str, Any]:
        return dict(self.params["Target"])

    @property
    def start(self) -> datetime | None:
        return self.params.get("StartDate")

    @property
    def end(self) -> datetime | None:
        return self.params.get("EndDate")

    @property
    def deletes_after_completion(self) -> bool:
        return self.params.get("ActionAfterCompletion") == "DELETE"

    def describe(self) -> dict[str, Any]:
        described = {key: value for key, value in self.params.items() if key != "ClientToken"}
        described.update(
            Arn=self.arn,
            Name=self.name,
            GroupName=self.group,
            State=self.params.get("State", "ENABLED"),
            ScheduleExpressionTimezone=self.params.get("ScheduleExpressionTimezone", "UTC"),
            CreationDate=self.created,
            LastModificationDate=self.modified,
            ActionAfterCompletion=self.params.get("ActionAfterCompletion", "NONE"),
        )
        target = dict(described["Target"])
        target.setdefault("RetryPolicy", dict(DEFAULT_RETRY_POLICY))
        described["Target"] = target
        return described

    def summary(self) -> dict[str, Any]:
        return {
            "Arn": self.arn,
            "Name": self.name,
            "GroupName": self.group,
            "State": self.params.get("State", "ENABLED"),
            "CreationDate": self.created,
            "LastModificationDate": self.modified,
            "Target": {"Arn": self.params["Target"]["Arn"]},
        }


def check_name(name: str, what: str = "name") -> None:
    if not _NAME.match(name):
        raise validation(
            f"1 validation error detected: Value '{name}' at '{what}' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [0-9a-zA-Z-_.]+"
        )


def checked_expression(params: dict[str, Any]) -> ScheduleExpression:
    """Parse the expression in its time zone; AWS's ValidationException otherwise."""
    timezone = params.get("ScheduleExpressionTimezone")
    if timezone is not None:
        try:
            zone(timezone)
        except InvalidScheduleExpression:
            raise validation(f"Invalid time zone: {timezone}.") from None
    try:
        return parse_expression(params["ScheduleExpression"], timezone=timezone)
    except InvalidScheduleExpression as error:
        raise validation(
            f"Invalid Schedule Expression {params['ScheduleExpression']}: {error.reason}"
        ) from None


def normalised(params: dict[str, Any]) -> dict[str, Any]:
    """The request with StartDate/EndDate as aware datetimes (boto3 takes strings and epochs too)."""
    copy = dict(params)
    for key in ("StartDate", "EndDate"):
        if copy.get(key) is not None:
            copy[key] = parse_to_aware_datetime(copy[key]).astimezone(UTC)
    return copy


def check_request(params: dict[str, Any]) -> None:
    """What CreateSchedule and UpdateSchedule refuse before storing anything."""
    check_name(params["Name"])
    window = params["FlexibleTimeWindow"]
    if window["Mode"] == "FLEXIBLE":
        minutes = window.get("MaximumWindowInMinutes")
        if minutes is None or not 1 <= minutes <= 1440:
            raise validation(
                "MaximumWindowInMinutes must be between 1 and 1440 when Mode is FLEXIBLE."
            )
    elif "MaximumWindowInMinutes" in window:
        raise validation("MaximumWindowInMinutes must not be set when Mode is OFF.")
    start, end = params.get("StartDate"), params.get("EndDate")
    if start is not None and end is not None and end <= start:
        raise validation("The EndDate must be after the StartDate.")
    target = params["Target"]
    for name in REFUSED_TARGET_PARAMETERS:
        if name in target:
            raise AWSError(
                "UnsupportedParameter",
                f"eventproof's fake scheduler does not model the parameter Target.{name}",
            )
    arn = target["Arn"]
    service = arn.split(":")[2] if arn.count(":") >= 5 else ""
    if service not in TARGET_SERVICES:
        raise AWSError(
            "UnsupportedParameter",
            f"eventproof's fake scheduler invokes Lambda, SQS, SNS and EventBridge targets, "
            f"not {arn} (universal targets are not modelled)",
        )
    if service == "events" and "EventBridgeParameters" not in target:
        raise validation("EventBridgeParameters are required for an EventBridge PutEvents target.")
    policy = target.get("RetryPolicy") or {}
    age = policy.get("MaximumEventAgeInSeconds")
    if age is not None and not 60 <= age <= 86400:
        raise validation("MaximumEventAgeInSeconds must be between 60 and 86400.")
    attempts = policy.get("MaximumRetryAttempts")
    if attempts is not None and not 0 <= attempts <= 185:
        raise validation("MaximumRetryAttempts must be between 0 and 185.")
