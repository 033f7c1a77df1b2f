"""Notification configurations: validation, overlap detection and matching."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from eventproof_fakes.errors import AWSError
from eventproof_fakes.s3.notification_config import encode_key, parse_configuration

QUEUE = "arn:aws:sqs:us-east-1:123456789012:q"


def queue(events: list[str], prefix: str | None = None, suffix: str | None = None,
          **extra: Any) -> dict[str, Any]:
    config: dict[str, Any] = {"QueueArn": QUEUE, "Events": events, **extra}
    rules = [{"Name": n, "Value": v} for n, v in (("prefix", prefix), ("suffix", suffix))
             if v is not None]
    if rules:
        config["Filter"] = {"Key": {"FilterRules": rules}}
    return config


def parse(*configs: dict[str, Any]) -> Any:
    counter = itertools.count()
    return parse_configuration({"QueueConfigurations": list(configs)}, lambda: next(counter))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (queue(["s3:ObjectCreated:*"]), queue(["s3:ObjectCreated:Put"])),
        (queue(["s3:ObjectCreated:*"], prefix="a/"), queue(["s3:ObjectCreated:*"], prefix="a/b")),
        (queue(["s3:ObjectCreated:*"], suffix=".jpg"), queue(["s3:ObjectCreated:*"], suffix="jpg")),
        (queue(["s3:ObjectRemoved:Delete"], prefix="x"), queue(["s3:ObjectRemoved:*"])),
    ],
)
def test_overlapping_configurations_are_refused(first: dict[str, Any], second: dict[str, Any]) -> None:
    with pytest.raises(AWSError, match="overlap"):
        parse(first, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (queue(["s3:ObjectCreated:*"]), queue(["s3:ObjectRemoved:*"])),
        (queue(["s3:ObjectCreated:*"], prefix="a/"), queue(["s3:ObjectCreated:*"], prefix="b/")),
        (queue(["s3:ObjectCreated:*"], suffix=".jpg"), queue(["s3:ObjectCreated:*"], suffix=".png")),
        (queue(["s3:ObjectCreated:Put"]), queue(["s3:ObjectCreated:Copy"])),
    ],
)
def test_disjoint_configurations_are_accepted(first: dict[str, Any], second: dict[str, Any]) -> None:
    _, targets = parse(first, second)
    assert len(targets) == 2


def test_a_generated_id_and_capitalised_rule_names_are_stored() -> None:
    stored, [target] = parse(queue(["s3:ObjectCreated:*"], prefix="in/"))
    [config] = stored["QueueConfigurations"]
    assert config["Id"] and config["Id"] == target.configuration_id
    assert config["Filter"]["Key"]["FilterRules"] == [{"Name": "Prefix", "Value": "in/"}]


def test_matching_applies_the_event_family_prefix_and_suffix() -> None:
    _, [target] = parse(queue(["s3:ObjectCreated:*"], prefix="in/", suffix=".csv"))
    assert target.wants("s3:ObjectCreated:Copy", "in/a.csv")
    assert not target.wants("s3:ObjectRemoved:Delete", "in/a.csv")
    assert not target.wants("s3:ObjectCreated:Put", "out/a.csv")
    assert not target.wants("s3:ObjectCreated:Put", "in/a.json")


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (queue(["s3:ObjectCreated:*"], Filter={"Key": {"FilterRules": [{"Name": "middle", "Value": "x"}]}}),
         "prefix or suffix"),
        (queue(["s3:ObjectCreated:*"], Filter={"Key": {"FilterRules": [
            {"Name": "prefix", "Value": "a"}, {"Name": "prefix", "Value": "b"}]}}),
         "more than one prefix"),
        (queue(["s3:Object:Made"]), "not supported"),
    ],
)
def test_invalid_configurations_are_refused(config: dict[str, Any], message: str) -> None:
    with pytest.raises(AWSError, match=message):
        parse(config)


def test_an_unmodelled_configuration_list_is_refused_by_name() -> None:
    with pytest.raises(AWSError, match="CloudFunctionConfiguration"):
        parse_configuration({"CloudFunctionConfiguration": {}}, lambda: 0)


def test_rule_values_match_the_encoded_key_as_aws_asks_them_entered() -> None:
    # https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html
    _, [target] = parse(queue(["s3:ObjectCreated:*"], prefix="dt%3D2026/"))
    assert target.wants("s3:ObjectCreated:Put", encode_key("dt=2026/part-0.parquet"))
    assert not target.wants("s3:ObjectCreated:Put", encode_key("dt=2025/part-0.parquet"))
