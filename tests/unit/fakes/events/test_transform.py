"""Input transformation, compared with what AWS delivered (events_test_events_inputs snapshot)."""

from __future__ import annotations

import json

import pytest

from eventproof_fakes.events.transform import fill_template, json_path, render_input

EVENT = {
    "version": "0",
    "id": "e-1",
    "detail-type": "core.update-account-command",
    "source": "core.update-account-command",
    "account": "111111111111",
    "time": "2026-01-01T00:00:00Z",
    "region": "us-east-1",
    "resources": [],
    "detail": {
        "command": "update-account",
        "payload": {"acc_id": "0a787ecb-4015", "sf_id": "baz"},
        "listsingle": ["HIGH"],
        "listmulti": ["ACTIVE", "INACTIVE"],
        "valid": True,
    },
}
PATHS = {
    "userId": "$.detail.payload.acc_id",
    "payload": "$.detail.payload",
    "listsingle": "$.detail.listsingle",
    "listmulti": "$.detail.listmulti",
    "systemstring": "$.detail.nothing",
    "valid": "$.detail.valid",
}


def transform(template: str) -> str:
    target = {
        "Id": "t",
        "Arn": "arn",
        "InputTransformer": {"InputPathsMap": PATHS, "InputTemplate": template},
    }
    return render_input(target, EVENT, "r", "arn:aws:events:us-east-1:111111111111:rule/r")


@pytest.mark.parametrize(
    ("template", "recorded_body"),
    [
        ('"Command is <valid>!"', '"Command is true!"'),
        ('"<listsingle> single list item"', '"[HIGH] single list item"'),
        ('"<listmulti> multiple list items"', '"[ACTIVE,INACTIVE] multiple list items"'),
        (
            '"Payload of <payload> with path users-service/users/<userId> and <userId>"',
            '"Payload of {acc_id:0a787ecb-4015,sf_id:baz} with path users-service/users/0a787ecb-4015 and 0a787ecb-4015"',
        ),
        ('"<systemstring> system account id"', '" system account id"'),
    ],
)
def test_string_templates_match_the_recorded_bodies(template: str, recorded_body: str) -> None:
    assert transform(template) == recorded_body


@pytest.mark.parametrize(
    ("template", "recorded"),
    [
        ('{"id" : <userId>}', {"id": "0a787ecb-4015"}),
        ('{"id" : "<userId>"}', {"id": "0a787ecb-4015"}),
        ('{"singlelistitem": <listsingle>}', {"singlelistitem": ["HIGH"]}),
        (
            '{"method": "PUT", "path": "users-service/users/<userId>", "bod": <payload>}',
            {
                "method": "PUT",
                "path": "users-service/users/0a787ecb-4015",
                "bod": {"acc_id": "0a787ecb-4015", "sf_id": "baz"},
            },
        ),
        (
            '{"method": "PUT", "path": "users-service/users/<userId>", "bod": [<userId>, "hardcoded"]}',
            {
                "method": "PUT",
                "path": "users-service/users/0a787ecb-4015",
                "bod": ["0a787ecb-4015", "hardcoded"],
            },
        ),
        (
            '{"multi_replacement": "users/<userId>/second/<userId>"}',
            {"multi_replacement": "users/0a787ecb-4015/second/0a787ecb-4015"},
        ),
    ],
)
def test_json_templates_match_the_recorded_bodies(template: str, recorded: object) -> None:
    assert json.loads(transform(template)) == recorded


def test_predefined_variables() -> None:
    body = transform(
        '"<aws.events.rule-arn> <aws.events.rule-name> <aws.events.event.ingestion-time>"'
    )
    assert body == '"arn:aws:events:us-east-1:111111111111:rule/r r 2026-01-01T00:00:00Z"'
    original = json.loads(transform('{"e": <aws.events.event>}'))["e"]
    assert "detail" not in original and original["detailType"] == EVENT["detail-type"]


def test_json_path_subset() -> None:
    assert json_path(EVENT, "$.detail.listmulti[1]") == "INACTIVE"
    assert json_path(EVENT, "$['detail']['command']") == "update-account"
    assert json_path(EVENT, "$") == EVENT


def test_a_quote_escaped_inside_a_string_does_not_end_it() -> None:
    assert fill_template('"say \\"<x>\\""', {"x": "hi"}) == '"say \\"hi\\""'
