"""Validating a bucket's notification configuration as PutBucketNotificationConfiguration does.

https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html
https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
Two configurations overlap, and are refused, when they share an event type
(a wildcard covers its family) and a key could match both filters: one
prefix starts the other and one suffix ends the other (a missing rule is
the empty string, which overlaps everything). Rule values are matched
against the key as the records carry it, form-URL-encoded: AWS asks for
special characters in prefixes and suffixes to be entered encoded
("dt%3D2026/" for "dt=2026/").
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

from eventproof_fakes.s3.errors import invalid_argument, s3_error

EVENT_TYPES = frozenset(
    "s3:" + name
    for name in (
        "ObjectCreated:*", "ObjectCreated:Put", "ObjectCreated:Post", "ObjectCreated:Copy",
        "ObjectCreated:CompleteMultipartUpload",
        "ObjectRemoved:*", "ObjectRemoved:Delete", "ObjectRemoved:DeleteMarkerCreated",
        "ObjectRestore:*", "ObjectRestore:Post", "ObjectRestore:Completed",
        "ObjectRestore:Delete", "ReducedRedundancyLostObject", "Replication:*",
        "Replication:OperationFailedReplication", "Replication:OperationMissedThreshold",
        "Replication:OperationReplicatedAfterThreshold",
        "Replication:OperationNotTracked", "LifecycleExpiration:*",
        "LifecycleExpiration:Delete", "LifecycleExpiration:DeleteMarkerCreated",
        "LifecycleTransition", "IntelligentTiering", "ObjectTagging:*", "ObjectTagging:Put",
        "ObjectTagging:Delete", "ObjectAcl:Put",
    )
)
# (list in the configuration, key of the destination ARN, service in the ARN)
DESTINATIONS = (
    ("TopicConfigurations", "TopicArn", "sns"),
    ("QueueConfigurations", "QueueArn", "sqs"),
    ("LambdaFunctionConfigurations", "LambdaFunctionArn", "lambda"),
)


@dataclass(frozen=True, slots=True)
class Target:
    """One configuration: where matching events go and which keys it covers."""

    configuration_id: str
    service: str  # sns, sqs or lambda
    arn: str
    events: tuple[str, ...]
    prefix: str
    suffix: str

    def wants(self, event_name: str, encoded_key: str) -> bool:
        """Whether an event on a key (form-URL-encoded, as in the record) goes to this target."""
        return (
            any(_covers(pattern, event_name) for pattern in self.events)
            and encoded_key.startswith(self.prefix)
            and encoded_key.endswith(self.suffix)
        )


def encode_key(key: str) -> str:
    """The key as notification records carry it: form-encoded, "/" left as is."""
    return quote_plus(key, safe="/")


def _covers(pattern: str, event_name: str) -> bool:
    if pattern.endswith(":*"):
        return event_name.startswith(pattern[:-1])
    return pattern == event_name


def _family(event: str) -> str:
    return event.rsplit(":", 1)[0] if event.count(":") == 2 else event


def _share_event(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    for x in a:
        for y in b:
            if x == y or (x.endswith(":*") and _family(x) == _family(y)) or (
                y.endswith(":*") and _family(y) == _family(x)
            ):
                return True
    return False


def _rules(configuration: dict[str, Any]) -> tuple[str, str, list[dict[str, str]]]:
    rules = ((configuration.get("Filter") or {}).get("Key") or {}).get("FilterRules") or []
    prefix = suffix = None
    normalised = []
    for rule in rules:
        name = str(rule.get("Name", "")).lower()
        if name not in ("prefix", "suffix"):
            raise invalid_argument("filter rule name must be either prefix or suffix",
                                   "FilterRule", rule.get("Name"))
        if (prefix if name == "prefix" else suffix) is not None:
            raise invalid_argument(f"Cannot specify more than one {name} rule in a filter.",
                                   "FilterRule", name)
        value = str(rule.get("Value", ""))
        if name == "prefix":
            prefix = value
        else:
            suffix = value
        # GetBucketNotificationConfiguration spells the rule names capitalised.
        normalised.append({"Name": name.capitalize(), "Value": value})
    return prefix or "", suffix or "", normalised


def parse_configuration(
    configuration: dict[str, Any], new_id: Any
) -> tuple[dict[str, Any], list[Target]]:
    """The configuration as S3 stores it (ids filled in, rule names normalised) and its targets."""
    unknown = set(configuration) - {d[0] for d in DESTINATIONS} - {"EventBridgeConfiguration"}
    if unknown:
        raise invalid_argument(
            f"eventproof's fake s3 does not model {sorted(unknown)} in notification "
            "configurations", sorted(unknown)[0], "",
        )
    stored: dict[str, Any] = {}
    targets: list[Target] = []
    for list_name, arn_key, service in DESTINATIONS:
        entries = configuration.get(list_name) or []
        if not entries:
            continue
        stored[list_name] = []
        for entry in entries:
            events = tuple(entry.get("Events") or ())
            if not events:
                raise malformed_configuration()
            for event in events:
                if event not in EVENT_TYPES:
                    raise invalid_argument("The event is not supported for notifications",
                                           "Event", event)
            prefix, suffix, rules = _rules(entry)
            configuration_id = entry.get("Id") or base64.b64encode(
                str(new_id()).encode()
            ).decode().rstrip("=")
            kept: dict[str, Any] = {"Id": configuration_id, arn_key: entry[arn_key],
                                    "Events": list(events)}
            if rules:
                kept["Filter"] = {"Key": {"FilterRules": rules}}
            stored[list_name].append(kept)
            targets.append(Target(configuration_id, service, entry[arn_key], events, prefix,
                                  suffix))
    ids = [t.configuration_id for t in targets]
    if len(set(ids)) != len(ids):
        raise invalid_argument("Configuration ids must be unique.", "Id", ids[0])
    for index, first in enumerate(targets):
        for second in targets[index + 1 :]:
            if _share_event(first.events, second.events) and _filters_overlap(first, second):
                raise invalid_argument(
                    "Configurations overlap. Configurations on the same bucket cannot share a "
                    "common event type.", "Event", first.events[0],
                )
    if "EventBridgeConfiguration" in configuration:
        if configuration["EventBridgeConfiguration"]:
            raise malformed_configuration()
        stored["EventBridgeConfiguration"] = {}
    return stored, targets


def _filters_overlap(a: Target, b: Target) -> bool:
    prefixes = a.prefix.startswith(b.prefix) or b.prefix.startswith(a.prefix)
    suffixes = a.suffix.endswith(b.suffix) or b.suffix.endswith(a.suffix)
    return prefixes and suffixes


def malformed_configuration() -> Exception:
    return s3_error(
        "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our "
        "published schema",
    )


def unreachable(failures: list[tuple[str, str]]) -> Exception:
    """AWS numbers the destinations it could not validate: ArgumentName1, ArgumentValue1, ..."""
    fields: dict[str, str] = {}
    for number, (arn, reason) in enumerate(failures, start=1):
        fields[f"ArgumentName{number}"] = arn
        fields[f"ArgumentValue{number}"] = reason
    return s3_error("InvalidArgument", "Unable to validate the following destination "
                    "configurations", 400, **fields)
