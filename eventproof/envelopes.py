"""Take a message out of the AWS envelope it travels in.

Kinds (chain them with commas, outermost first: ``sqs,sns`` reads an SNS
envelope out of an SQS record's body):

- ``eventbridge``: an EventBridge event; the message is its ``detail``.
- ``sqs``: an SQS record, or a Lambda SQS event ``{"Records": [...]}``;
  the message is each record's ``body``, a JSON string.
- ``sns``: an SNS record as Lambda receives it (``Sns.Message``), an SNS
  Lambda event, or the SNS JSON envelope an SQS subscriber receives
  (``Message``); the message is a JSON string.
- ``destination-request`` / ``destination-response``: a Lambda destination
  execution record; the message is its ``requestPayload`` or its
  ``responsePayload``.
- ``dynamodb-stream`` / ``dynamodb-stream-old``: a DynamoDB stream record or
  event; the message is ``dynamodb.NewImage`` (or ``OldImage``) converted from
  AttributeValue form to plain JSON (numbers become int or float, sets lists,
  binary base64 strings).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from decimal import Decimal, DecimalException
from typing import Any

from boto3.dynamodb.types import Binary, TypeDeserializer

from eventproof.errors import EnvelopeError, short_repr

__all__ = ["ENVELOPE_KINDS", "unwrap"]

Unwrapper = Callable[[Any], list[Any]]


def _fail(kind: str, expected: str, where: str = "") -> EnvelopeError:
    return EnvelopeError(
        f"not {_ARTICLES.get(kind, 'a')} {kind} envelope: expected {expected}",
        pointer=where or None,
        hint=f"envelope kinds: {', '.join(ENVELOPE_KINDS)}",
    )


def _records(envelope: Any, kind: str, one: Callable[[Any, str], Any], is_record: Callable[[Any], bool]) -> list[Any]:
    if isinstance(envelope, dict) and "Records" in envelope and not is_record(envelope):
        records = envelope["Records"]
        if not isinstance(records, list):
            raise _fail(kind, "'Records' to be a list of records", "/Records")
        return [one(record, f"/Records/{index}") for index, record in enumerate(records)]
    return [one(envelope, "")]


def _json_string(value: Any, kind: str, field: str, where: str) -> Any:
    if not isinstance(value, str):
        raise _fail(kind, f"{field} to be a string holding JSON", where)
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise EnvelopeError(
            f"the {kind} {field} is not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno} "
            f"of the {field})",
            pointer=where,
        ) from None
    except RecursionError:
        raise EnvelopeError(f"the {kind} {field} nests too deeply to read", pointer=where) from None


def _eventbridge(envelope: Any) -> list[Any]:
    if not isinstance(envelope, dict) or "detail" not in envelope or "detail-type" not in envelope:
        raise _fail("eventbridge", "an event object with 'detail-type' and 'detail'")
    return [envelope["detail"]]


def _sqs(envelope: Any) -> list[Any]:
    def is_record(value: Any) -> bool:
        return isinstance(value, dict) and "body" in value

    def one(record: Any, where: str) -> Any:
        if not is_record(record):
            raise _fail("sqs", "a record with a 'body' (or an event with 'Records')", where)
        return _json_string(record["body"], "sqs", "body", where + "/body")

    return _records(envelope, "sqs", one, is_record)


def _sns(envelope: Any) -> list[Any]:
    def is_record(value: Any) -> bool:
        return isinstance(value, dict) and ("Sns" in value or "Message" in value)

    def one(record: Any, where: str) -> Any:
        if isinstance(record, dict) and isinstance(record.get("Sns"), dict):
            inner, where = record["Sns"], where + "/Sns"
        else:
            inner = record
        if not isinstance(inner, dict) or "Message" not in inner or "TopicArn" not in inner:
            raise _fail("sns", "an SNS record ('Sns.Message') or SNS envelope "
                        "('Type', 'TopicArn', 'Message')", where)
        return _json_string(inner["Message"], "sns", "Message", where + "/Message")

    return _records(envelope, "sns", one, is_record)


def _destination(part: str) -> Unwrapper:
    field = f"{part}Payload"

    def unwrap_destination(envelope: Any) -> list[Any]:
        if not isinstance(envelope, dict) or "requestContext" not in envelope or field not in envelope:
            raise _fail(f"destination-{part}", "a Lambda destination execution record with "
                        f"'requestContext' and '{field}'")
        return [envelope[field]]

    return unwrap_destination


_deserializer = TypeDeserializer()

# "DynamoDB supports nested attributes up to 32 levels deep."
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
DYNAMODB_MAX_DEPTH = 32


def _check_depth(image: Any, where: str) -> None:
    """Refuse an image nested deeper than DynamoDB allows, before any recursive conversion."""
    if not isinstance(image, dict):
        raise _fail("dynamodb-stream", "the image to be an object of AttributeValues", where)
    stack: list[tuple[Any, int]] = [(value, 1) for value in image.values()]
    while stack:
        value, depth = stack.pop()
        if not isinstance(value, dict):
            continue
        children: list[Any] = []
        if isinstance(value.get("M"), dict):
            children = list(value["M"].values())
        elif isinstance(value.get("L"), list):
            children = value["L"]
        if children and depth > DYNAMODB_MAX_DEPTH:
            raise EnvelopeError(
                f"the image nests deeper than the {DYNAMODB_MAX_DEPTH} levels DynamoDB allows",
                pointer=where)
        stack.extend((child, depth + 1) for child in children)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((_plain(item) for item in value), key=repr)
    if isinstance(value, Binary):
        return base64.b64encode(value.value).decode("ascii")
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _binary_as_bytes(value: Any) -> Any:
    # Stream records in JSON carry binary attributes base64-encoded, while
    # TypeDeserializer wants the bytes boto3 would have decoded.
    if not isinstance(value, dict):
        return value
    if isinstance(value.get("B"), str):
        return {"B": base64.b64decode(value["B"])}
    if isinstance(value.get("BS"), list):
        return {"BS": [base64.b64decode(item) for item in value["BS"]]}
    if isinstance(value.get("M"), dict):
        return {"M": {key: _binary_as_bytes(item) for key, item in value["M"].items()}}
    if isinstance(value.get("L"), list):
        return {"L": [_binary_as_bytes(item) for item in value["L"]]}
    return value


def _dynamodb(image: str) -> Unwrapper:
    kind = "dynamodb-stream" if image == "NewImage" else "dynamodb-stream-old"

    def is_record(value: Any) -> bool:
        return isinstance(value, dict) and "dynamodb" in value

    def one(record: Any, where: str) -> Any:
        if not is_record(record) or not isinstance(record["dynamodb"], dict):
            raise _fail(kind, "a stream record with a 'dynamodb' object", where)
        data = record["dynamodb"]
        if image not in data:
            event = record.get("eventName", "this")
            raise EnvelopeError(
                f"the {event} stream record has no {image} (the stream view type or the "
                "event kind leaves it out)",
                pointer=f"{where}/dynamodb",
                hint="use dynamodb-stream-old for OldImage" if image == "NewImage" else None,
            )
        _check_depth(data[image], f"{where}/dynamodb/{image}")
        try:
            converted = {key: _deserializer.deserialize(_binary_as_bytes(value))
                         for key, value in data[image].items()}
        except (TypeError, AttributeError, KeyError, ValueError, binascii.Error) as exc:
            raise EnvelopeError(f"{image} is not in DynamoDB AttributeValue form: "
                                f"{short_repr(str(exc), 200)}",
                                pointer=f"{where}/dynamodb/{image}") from None
        except DecimalException:
            raise EnvelopeError(
                f"{image} holds a number DynamoDB cannot store (at most 38 digits, magnitude "
                "from 1E-130 to 9.9999999999999999999999999999999999999E+125)",
                pointer=f"{where}/dynamodb/{image}") from None
        return _plain(converted)

    return lambda envelope: _records(envelope, kind, one, is_record)


_UNWRAPPERS: dict[str, Unwrapper] = {
    "eventbridge": _eventbridge,
    "sqs": _sqs,
    "sns": _sns,
    "destination-request": _destination("request"),
    "destination-response": _destination("response"),
    "dynamodb-stream": _dynamodb("NewImage"),
    "dynamodb-stream-old": _dynamodb("OldImage"),
}
_ARTICLES = {"eventbridge": "an", "sqs": "an", "sns": "an"}
ENVELOPE_KINDS = tuple(_UNWRAPPERS)


def unwrap(envelope: Any, kind: str) -> list[Any]:
    """The messages inside ``envelope`` (several for a ``{"Records": [...]}`` event)."""
    messages = [envelope]
    for step in (part.strip() for part in kind.split(",")):
        if step == "destination":
            raise EnvelopeError("say which payload of the destination record: "
                                "destination-request or destination-response")
        unwrapper = _UNWRAPPERS.get(step)
        if unwrapper is None:
            raise EnvelopeError(f"unknown envelope kind {step!r}",
                                hint=f"envelope kinds: {', '.join(ENVELOPE_KINDS)}")
        messages = [inner for message in messages for inner in unwrapper(message)]
    return messages
