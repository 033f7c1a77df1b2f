from __future__ import annotations

import json

import pytest

from eventproof_fakes.pipes.input_template import (
    InputTemplate,
    InvalidInputTemplate,
    PipeVariables,
    evaluate_path,
)

VARIABLES = PipeVariables(
    pipe_arn="arn:aws:pipes:us-east-1:123456789012:pipe/books",
    pipe_name="books",
    source_arn="arn:aws:sqs:us-east-1:123456789012:in",
    target_arn="arn:aws:lambda:us-east-1:123456789012:function:BookAdded",
    ingestion_time="2026-01-01T00:00:00Z",
)

SQS_EVENT = {
    "messageId": "m-1",
    "body": json.dumps({"name": "Team Topologies", "tags": ["ddd", "teams"], "price": 30}),
    "attributes": {"SenderId": "AIDAEXAMPLE", "ApproximateReceiveCount": "1"},
}

STREAM_EVENT = {
    "eventName": "INSERT",
    "dynamodb": {
        "NewImage": {
            "eventType": {"S": "BookAdded"},
            "payload": {"M": {"name": {"S": "Accelerate"}}},
        }
    },
}


def render(template: str, event: object) -> object:
    return InputTemplate(template).render(event, VARIABLES)


def test_a_static_string_template_stays_text() -> None:
    assert render("Hello, sender", SQS_EVENT) == "Hello, sender"


def test_a_dynamic_string_template_substitutes_values_as_text() -> None:
    assert render("Hello, <$.attributes.SenderId>", SQS_EVENT) == "Hello, AIDAEXAMPLE"
    assert render("tags: <$.body.tags>", SQS_EVENT) == 'tags: ["ddd", "teams"]'


def test_a_template_that_is_one_path_renders_to_the_value_itself() -> None:
    assert render("<$.attributes.SenderId>", SQS_EVENT) == "AIDAEXAMPLE"
    assert render("<$.dynamodb.NewImage>", STREAM_EVENT) == STREAM_EVENT["dynamodb"]["NewImage"]


def test_outside_quotes_a_variable_is_substituted_as_its_json_value() -> None:
    rendered = render('{"tags": <$.body.tags>, "price": <$.body.price>, "n": <$.body.name>}', SQS_EVENT)
    assert rendered == {"tags": ["ddd", "teams"], "price": 30, "n": "Team Topologies"}


def test_inside_quotes_a_variable_is_substituted_as_text() -> None:
    rendered = render('{"summary": "<$.body.name> costs <$.body.price>", "t": "<$.body.tags>"}', SQS_EVENT)
    assert rendered == {"summary": "Team Topologies costs 30", "t": '["ddd", "teams"]'}


def test_quotes_and_backslashes_in_substituted_text_are_escaped_into_valid_json() -> None:
    event = {"body": json.dumps({"title": 'The "Phoenix" \\ Project'})}
    assert render('{"t": "Read <$.body.title>"}', event) == {"t": 'Read The "Phoenix" \\ Project'}


def test_the_sqs_body_is_parsed_implicitly_when_a_path_reaches_into_it() -> None:
    assert render("<$.body.name>", SQS_EVENT) == "Team Topologies"
    assert render("<$.body>", SQS_EVENT) == SQS_EVENT["body"]


def test_a_dynamodb_stream_record_is_transformed_by_attribute_paths() -> None:
    rendered = render(
        '{"type": <$.dynamodb.NewImage.eventType.S>, "name": "<$.dynamodb.NewImage.payload.M.name.S>"}',
        STREAM_EVENT,
    )
    assert rendered == {"type": "BookAdded", "name": "Accelerate"}


def test_array_indices_and_wildcards_select_elements() -> None:
    event = {"items": [{"id": 1}, {"id": 2}, {"id": 3}]}
    assert render("<$.items[1].id>", event) == 2
    assert render('{"ids": <$.items[*].id>}', event) == {"ids": [1, 2, 3]}


def test_reserved_variables_name_the_pipe_and_its_resources() -> None:
    rendered = render(
        '{"arn": <aws.pipes.pipe-arn>, "name": "<aws.pipes.pipe-name>", '
        '"source": <aws.pipes.source-arn>, "target": <aws.pipes.target-arn>, '
        '"enrichment": <aws.pipes.enrichment-arn>, "at": <aws.pipes.event.ingestion-time>}',
        SQS_EVENT,
    )
    assert rendered == {
        "arn": VARIABLES.pipe_arn,
        "name": "books",
        "source": VARIABLES.source_arn,
        "target": VARIABLES.target_arn,
        "enrichment": "",
        "at": "2026-01-01T00:00:00Z",
    }


def test_the_event_variable_is_the_event_as_text_and_the_json_variable_decodes_the_body() -> None:
    rendered = render('{"raw": <aws.pipes.event>, "decoded": <aws.pipes.event.json>}', SQS_EVENT)
    assert isinstance(rendered, dict)
    assert json.loads(rendered["raw"]) == SQS_EVENT
    assert rendered["decoded"]["body"] == json.loads(SQS_EVENT["body"])
    assert rendered["decoded"]["messageId"] == "m-1"


def test_a_missing_path_renders_as_null_outside_quotes_and_nothing_inside() -> None:
    assert render('{"a": <$.nothing.here>, "b": "x<$.nope>y"}', SQS_EVENT) == {"a": None, "b": "xy"}


def test_angle_brackets_that_are_not_placeholders_stay_as_text() -> None:
    assert render("a < b and <$.body.price> > 3", SQS_EVENT) == "a < b and 30 > 3"


def test_an_unknown_reserved_variable_is_rejected_naming_it_and_the_valid_ones() -> None:
    with pytest.raises(InvalidInputTemplate, match=r"<aws\.pipes\.pipe-id>.*expected one of"):
        InputTemplate('{"x": <aws.pipes.pipe-id>}')


def test_the_unescaped_json_variable_cannot_sit_inside_a_string() -> None:
    with pytest.raises(InvalidInputTemplate, match="can only be a JSON field's value"):
        InputTemplate('{"x": "<aws.pipes.event.json>"}')


def test_unsupported_path_syntax_is_rejected_with_its_position() -> None:
    with pytest.raises(InvalidInputTemplate, match=r"unsupported JSON path '\$\.a\[\?\(@\.x\)\]'"):
        InputTemplate("<$.a[?(@.x)]>")


def test_evaluate_path_of_the_root_is_the_whole_event() -> None:
    assert evaluate_path("$", SQS_EVENT) == SQS_EVENT
    assert evaluate_path("$.attributes.*", {"attributes": {"a": 1, "b": 2}}) == [1, 2]
