from __future__ import annotations

import json

import pytest

from eventproof.envelopes import unwrap
from eventproof.errors import EnvelopeError

ORDER = {"orderId": "0f6f1a9e-3b5c-4d7e-9f10-111213141516"}
SNS_ENVELOPE = {"Type": "Notification", "MessageId": "m", "TopicArn": "arn:aws:sns:us-east-1:123456789012:t",
                "Message": json.dumps(ORDER)}


def test_an_eventbridge_event_gives_its_detail() -> None:
    event = {"version": "0", "detail-type": "OrderPlaced", "source": "shop", "detail": ORDER}
    assert unwrap(event, "eventbridge") == [ORDER]


def test_an_sqs_event_gives_each_records_body_parsed() -> None:
    event = {"Records": [{"body": json.dumps(ORDER)}, {"body": "[1]"}]}
    assert unwrap(event, "sqs") == [ORDER, [1]]
    assert unwrap({"body": "{}"}, "sqs") == [{}]


def test_sns_gives_the_message_of_a_lambda_record_or_of_the_envelope_sqs_receives() -> None:
    assert unwrap({"Records": [{"EventSource": "aws:sns", "Sns": SNS_ENVELOPE}]}, "sns") == [ORDER]
    assert unwrap(SNS_ENVELOPE, "sns") == [ORDER]
    assert unwrap({"body": json.dumps(SNS_ENVELOPE)}, "sqs,sns") == [ORDER]


def test_a_destination_record_gives_the_payload_asked_for() -> None:
    record = {"requestContext": {"condition": "Success"}, "requestPayload": ORDER,
              "responsePayload": {"status": "ok"}}
    assert unwrap(record, "destination-request") == [ORDER]
    assert unwrap(record, "destination-response") == [{"status": "ok"}]
    with pytest.raises(EnvelopeError, match="say which"):
        unwrap(record, "destination")


def test_a_dynamodb_stream_record_gives_its_new_image_as_plain_json() -> None:
    record = {"eventName": "INSERT", "dynamodb": {"NewImage": {
        "id": {"S": "b1"}, "price": {"N": "39.90"}, "copies": {"N": "3"}, "tags": {"SS": ["b", "a"]},
        "cover": {"B": "Zm9vYmFy"}, "meta": {"M": {"ok": {"BOOL": True}, "none": {"NULL": True}}},
        "list": {"L": [{"N": "1"}, {"S": "x"}]}}}}
    [image] = unwrap({"Records": [record]}, "dynamodb-stream")
    assert image == {"id": "b1", "price": 39.9, "copies": 3, "tags": ["a", "b"], "cover": "Zm9vYmFy",
                     "meta": {"ok": True, "none": None}, "list": [1, "x"]}
    assert type(image["copies"]) is int


def test_a_remove_record_has_no_new_image_but_has_an_old_one() -> None:
    record = {"eventName": "REMOVE", "dynamodb": {"OldImage": {"id": {"S": "b1"}}}}
    with pytest.raises(EnvelopeError, match="REMOVE stream record has no NewImage"):
        unwrap(record, "dynamodb-stream")
    assert unwrap(record, "dynamodb-stream-old") == [{"id": "b1"}]


@pytest.mark.parametrize("kind", ["eventbridge", "sqs", "sns", "destination-request", "dynamodb-stream"])
def test_a_message_outside_its_envelope_is_an_envelope_error_naming_what_was_expected(kind: str) -> None:
    with pytest.raises(EnvelopeError) as caught:
        unwrap(ORDER, kind)
    assert "expected" in caught.value.headline and kind in caught.value.headline


def test_a_body_that_is_not_json_names_its_pointer() -> None:
    with pytest.raises(EnvelopeError) as caught:
        unwrap({"Records": [{"body": "{}"}, {"body": "{oops"}]}, "sqs")
    assert caught.value.pointer == "/Records/1/body"
