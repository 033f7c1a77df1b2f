"""A template function its contracts and its one trigger describe needs no handler entry.

Each test writes a small SAM project in a tmp folder: one function
``Consumer`` with the events under test, the resources those events name,
and contracts listing ``Consumer`` among their consumers or producers.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from eventproof.cli import run
from eventproof.errors import ConfigError
from eventproof.project import open_project

RESOURCES: dict[str, Any] = {
    "Orders": {"Type": "AWS::SQS::Queue"},
    "Refunds": {"Type": "AWS::SQS::Queue"},
    "Placed": {"Type": "AWS::SNS::Topic"},
    "Inbox": {"Type": "AWS::DynamoDB::Table", "Properties": {
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "orderId", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "orderId", "KeyType": "HASH"}],
        "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"}}},
    "Uploads": {"Type": "AWS::S3::Bucket"},
    "Feed": {"Type": "AWS::Kinesis::Stream", "Properties": {"ShardCount": 1}},
}
# One event of each kind a delivery finds, as SAM writes it.
EVENTS: dict[str, dict[str, Any]] = {
    "sqs": {"Type": "SQS", "Properties": {"Queue": {"Fn::GetAtt": ["Orders", "Arn"]}}},
    "eventbridge": {"Type": "EventBridgeRule", "Properties": {"Pattern": {"source": ["shop"]}}},
    "api": {"Type": "HttpApi", "Properties": {"Path": "/orders", "Method": "POST"}},
    "sns": {"Type": "SNS", "Properties": {"Topic": {"Ref": "Placed"}}},
    "stream": {"Type": "DynamoDB", "Properties": {
        "Stream": {"Fn::GetAtt": ["Inbox", "StreamArn"]}, "StartingPosition": "TRIM_HORIZON"}},
    "s3": {"Type": "S3", "Properties": {"Bucket": {"Ref": "Uploads"},
                                        "Events": "s3:ObjectCreated:*"}},
    "kinesis": {"Type": "Kinesis", "Properties": {
        "Stream": {"Fn::GetAtt": ["Feed", "Arn"]}, "StartingPosition": "TRIM_HORIZON"}},
}


def contract(name: str, *, consumers: tuple[str, ...] = (), producers: tuple[str, ...] = (),
             trigger: dict[str, Any] | None = None) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name, "kind": "event", "version": "1.0.0",
                                "summary": f"{name}, for inference.",
                                "producers": list(producers), "consumers": list(consumers)}
    if trigger:
        metadata["trigger"] = trigger
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": name,
            "x-eventproof": metadata, "type": "object",
            "required": ["orderId"], "properties": {"orderId": {"type": "string"}}}


def project(root: Path, events: dict[str, Any], contracts: list[dict[str, Any]],
            handlers: str = "") -> Path:
    """A SAM project: the function Consumer with ``events``, and ``contracts``."""
    (root / "src").mkdir(parents=True)
    (root / "src" / "app.py").write_text("def handler(event, context):\n    return None\n")
    function = {"Type": "AWS::Serverless::Function", "Properties": {
        "Runtime": "python3.12", "Handler": "app.handler", "CodeUri": "src/", "Events": events}}
    template = {"AWSTemplateFormatVersion": "2010-09-09",
                "Transform": "AWS::Serverless-2016-10-31",
                "Resources": {**RESOURCES, "Consumer": function}}
    (root / "template.yaml").write_text(json.dumps(template, indent=1))
    (root / "contracts").mkdir()
    for document in contracts:
        (root / "contracts" / f"{document['title']}.schema.json").write_text(json.dumps(document))
    (root / "eventproof.toml").write_text(f'template = "template.yaml"\n{handlers}')
    return root


def problem(root: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        open_project(root)
    return caught.value.render()


@pytest.mark.parametrize("via", sorted(EVENTS))
def test_a_function_with_one_trigger_and_one_contract_is_inferred_with_that_via(
        tmp_path: Path, via: str) -> None:
    root = project(tmp_path, {"Trigger": EVENTS[via]}, [
        contract("OrderPlaced", consumers=("Consumer",)),
        contract("OrderBooked", producers=("Consumer",)),
        contract("OrderShipped", consumers=("Shipping",))])
    handler = open_project(root).config.handlers["Consumer"]
    assert (handler.consumes, handler.via, handler.emits, handler.promises) == (
        "OrderPlaced", via, ("OrderBooked",), ("accepts-valid",))


def test_triggers_of_two_kinds_are_an_error_naming_the_function_and_both(tmp_path: Path) -> None:
    root = project(tmp_path, {"Queue": EVENTS["sqs"], "Http": EVENTS["api"]},
                   [contract("OrderPlaced", consumers=("Consumer",))])
    message = problem(root)
    assert "the template's function Consumer has triggers of 2 kinds" in message
    assert "sqs: SQS queue " in message and "api: route POST /orders of API " in message
    assert "[handlers.Consumer]" in message and str(root / "eventproof.toml") in message


def test_two_queues_are_an_error_naming_both(tmp_path: Path) -> None:
    refunds = {"Type": "SQS", "Properties": {"Queue": {"Fn::GetAtt": ["Refunds", "Arn"]}}}
    root = project(tmp_path, {"Orders": EVENTS["sqs"], "Refunds": refunds},
                   [contract("OrderPlaced", consumers=("Consumer",))])
    message = problem(root)
    assert "Consumer has 2 triggers of kind 'sqs' for contract OrderPlaced" in message
    assert "via='sqs' needs exactly one" in message
    assert message.count("sqs: SQS queue ") == 2
    assert "Orders" in message and "Refunds" in message


def test_two_contracts_listing_it_are_an_error_naming_both(tmp_path: Path) -> None:
    root = project(tmp_path, {"Queue": EVENTS["sqs"]}, [
        contract("OrderPlaced", consumers=("Consumer",)),
        contract("OrderCancelled", consumers=("Consumer",))])
    message = problem(root)
    assert "Consumer is listed among the consumers of 2 contracts" in message
    assert "OrderCancelled" in message and "OrderPlaced" in message


def test_the_contracts_api_route_chooses_among_several(tmp_path: Path) -> None:
    events = {"Create": EVENTS["api"],
              "Amend": {"Type": "HttpApi", "Properties": {"Path": "/orders/{orderId}",
                                                          "Method": "PUT"}}}
    ambiguous = project(tmp_path / "ambiguous", events,
                        [contract("OrderPlaced", consumers=("Consumer",))])
    message = problem(ambiguous)
    assert "Consumer has 2 triggers of kind 'api'" in message
    assert "POST /orders" in message and "PUT /orders/{orderId}" in message
    assert "x-eventproof.trigger.api" in message
    chosen = project(tmp_path / "chosen", events, [contract(
        "OrderPlaced", consumers=("Consumer",), trigger={"api": {"method": "PUT"}})])
    assert open_project(chosen).config.handlers["Consumer"].via == "api"


def test_a_schedule_is_no_trigger_of_its_own(tmp_path: Path) -> None:
    schedule = {"Type": "Schedule", "Properties": {"Schedule": "rate(5 minutes)"}}
    root = project(tmp_path, {"Queue": EVENTS["sqs"], "Warm": schedule},
                   [contract("OrderPlaced", consumers=("Consumer",))])
    assert open_project(root).config.handlers["Consumer"].via == "sqs"


def test_a_function_without_a_trigger_or_a_contract_is_not_inferred(tmp_path: Path) -> None:
    untriggered = project(tmp_path / "untriggered", {},
                          [contract("OrderPlaced", consumers=("Consumer",))])
    assert "Consumer" not in open_project(untriggered).config.handlers
    unlisted = project(tmp_path / "unlisted", {"Queue": EVENTS["sqs"]},
                       [contract("OrderPlaced", consumers=("Shipping",))])
    assert "Consumer" not in open_project(unlisted).config.handlers


def test_a_configured_entry_wins(tmp_path: Path) -> None:
    root = project(tmp_path, {"Queue": EVENTS["sqs"], "Http": EVENTS["api"]}, [
        contract("OrderPlaced", consumers=("Consumer",))],
        handlers='[handlers.Consumer]\nconsumes = "OrderPlaced"\nvia = "api"\n')
    assert open_project(root).config.handlers["Consumer"].via == "api"


def test_a_configured_via_the_template_does_not_give_is_an_error_at_open(tmp_path: Path) -> None:
    root = project(tmp_path, {"Http": EVENTS["api"]}, [contract("OrderPlaced")],
                   handlers='[handlers.Consumer]\nconsumes = "OrderPlaced"\nvia = "sqs"\n')
    message = problem(root)
    assert ("handlers.Consumer.via: 'sqs', but the template gives Consumer no trigger of that "
            "kind (its triggers: api: route POST /orders of API ") in message
    out, err = io.StringIO(), io.StringIO()
    assert run(["verify", "--config", str(root)], out, err) == 2
    assert "handlers.Consumer.via" in err.getvalue() and "Traceback" not in err.getvalue()


def test_a_configured_via_with_two_triggers_of_its_kind_is_an_error_at_open(tmp_path: Path) -> None:
    refunds = {"Type": "SQS", "Properties": {"Queue": {"Fn::GetAtt": ["Refunds", "Arn"]}}}
    root = project(tmp_path, {"Orders": EVENTS["sqs"], "Refunds": refunds}, [contract("OrderPlaced")],
                   handlers='[handlers.Consumer]\nconsumes = "OrderPlaced"\n')
    message = problem(root)
    assert ("handlers.Consumer.via: 'sqs', but the template gives Consumer 2 triggers of that "
            "kind") in message
    assert message.count("sqs: SQS queue ") == 2


def test_a_configured_async_handler_needs_no_trigger(tmp_path: Path) -> None:
    root = project(tmp_path, {"Queue": EVENTS["sqs"]}, [contract("OrderPlaced")],
                   handlers='[handlers.Consumer]\nconsumes = "OrderPlaced"\nvia = "async"\n')
    assert open_project(root).config.handlers["Consumer"].via == "async"
