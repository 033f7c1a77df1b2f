"""``via="stream"``: the message written as a table item, read from the table's stream.

The handler receives the DynamoDB stream record of the write: the message is
its ``NewImage`` (DynamoDB JSON). The record's event name is the contract's
``x-eventproof.trigger.stream.event-name``:

- ``INSERT`` (the default): the item is put. A later message about the same
  entity (the table's key) is a ``MODIFY`` whose ``OldImage`` is the
  earlier one, as the table records it;
- ``MODIFY``: an item holding only the key is put first when the entity is
  new, then the message (the bench's own mapping filters on ``MODIFY``);
- ``REMOVE``: the item is put, then deleted: the message is the record's
  ``OldImage`` (the bench's own mapping filters on ``REMOVE``).

The bench's own table is keyed by the contract's ``x-eventproof.key`` (else
its first ``*Id`` field), top-level fields only. Copies are the mapping
handing its batch again (channel ``stream:<table>``); a failure is retried
twice by the bench's mapping (a template's mapping retries as configured).
Writing the same item again later records no change, so ``late_by`` does not
apply. The input table is left out of the observed outcome. A message that
cannot be an item of the table (no key, a key of the wrong type, not an
object) is ``Undeliverable``: ``assert_rejects_invalid`` skips such examples.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.types import TypeSerializer
from botocore.exceptions import ClientError

from eventproof.errors import ConfigError
from eventproof.properties.deliveries.common import inferred_keys
from eventproof.properties.deliveries.registry import DeliveryKind, Undeliverable, register_delivery
from eventproof.properties.triggers import Deployed, Found, Trigger, event_sources, the_one

if TYPE_CHECKING:
    from eventproof.properties.system import Bench, Delivery

INPUT_TABLE = "eventproof-input"
EVENT_NAMES = ("INSERT", "MODIFY", "REMOVE")
_SERIALIZE = TypeSerializer()


def wire(bench: Bench, delivery: Delivery, messages: Sequence[Any]) -> Trigger:
    sample = messages[0] if messages else None
    keys = inferred_keys(delivery, sample) if sample is not None else delivery.keys
    if sample is not None and not keys:
        raise ConfigError(f"{bench.system.name}: via='stream' writes each message as an item, "
                          "and the contract names no key field",
                          hint="declare x-eventproof.key (e.g. [\"/orderId\"]) on the contract")
    names = [pointer.lstrip("/") for pointer in keys] or ["id"]
    if any("/" in name for name in names) or len(names) > 2:
        raise ConfigError(f"{bench.system.name}: via='stream' needs one or two top-level key "
                          f"fields for its table, the contract's key is {list(keys)}")
    types = [_key_type(sample.get(name) if isinstance(sample, dict) else None) for name in names]
    dynamodb = bench.client("dynamodb")
    table = dynamodb.create_table(
        TableName=INPUT_TABLE, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": t} for n, t in zip(names, types, strict=True)],
        KeySchema=[{"AttributeName": n, "KeyType": k} for n, k in zip(names, ("HASH", "RANGE"), strict=False)],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )["TableDescription"]
    mapping: dict[str, Any] = {
        "EventSourceArn": table["LatestStreamArn"], "FunctionName": bench.system.name,
        "StartingPosition": "TRIM_HORIZON", "BatchSize": 1, "MaximumRetryAttempts": 2}
    event_name = _event_name(delivery)
    if event_name != "INSERT":
        mapping["FilterCriteria"] = {"Filters": [{"Pattern": json.dumps({"eventName": [event_name]})}]}
    bench.client("lambda").create_event_source_mapping(**mapping)
    return Trigger(f"stream:{INPUT_TABLE}", {"table": INPUT_TABLE, "keys": names}, table=INPUT_TABLE)


def _key_type(value: Any) -> str:
    return "N" if isinstance(value, int | float | Decimal) and not isinstance(value, bool) else "S"


def find(deployed: Deployed, delivery: Delivery) -> list[Found]:
    dynamodb, found = deployed.client("dynamodb"), []
    for arn in event_sources(deployed, "dynamodb"):
        table = arn.split(":table/", 1)[1].split("/stream/", 1)[0]
        schema = dynamodb.describe_table(TableName=table)["Table"]["KeySchema"]
        found.append(Found(f"the stream of DynamoDB table {table}", Trigger(
            f"stream:{table}", {"table": table, "keys": [k["AttributeName"] for k in schema]},
            table=table)))
    return found


def own(bench: Bench, delivery: Delivery) -> Trigger:
    return the_one(bench.system.name, "stream", find(Deployed.of(bench), delivery),
                   "DynamoDB stream event source",
                   "give the function one DynamoDB event in the template")


def _event_name(delivery: Delivery) -> str:
    return str(delivery.option("stream", "event-name") or "INSERT")


def send(bench: Bench, delivery: Delivery, trigger: Trigger, message: Any) -> None:
    table, keys = trigger.address["table"], trigger.address["keys"]
    if not isinstance(message, dict) or any(name not in message for name in keys):
        raise Undeliverable(f"via='stream': the message is not an item of table {table}: it needs "
                            f"the key field(s) {', '.join(keys)}")
    try:
        item = {name: _SERIALIZE.serialize(value)
                for name, value in json.loads(json.dumps(message), parse_float=Decimal).items()}
    except (TypeError, ValueError, ArithmeticError) as error:  # e.g. a number DynamoDB cannot hold
        raise Undeliverable(f"via='stream': the message is no DynamoDB item: {error}") from None
    key = {name: item[name] for name in keys}
    dynamodb = bench.client("dynamodb")
    event_name = _event_name(delivery)
    try:
        if event_name == "MODIFY" and "Item" not in dynamodb.get_item(TableName=table, Key=key):
            dynamodb.put_item(TableName=table, Item=key)
        dynamodb.put_item(TableName=table, Item=item)
        if event_name == "REMOVE":
            dynamodb.delete_item(TableName=table, Key=key)
    except ClientError as error:
        if error.response["Error"]["Code"] != "ValidationException":
            raise
        raise Undeliverable(f"via='stream': table {table} refuses the message as an item: "
                            f"{error.response['Error']['Message']}") from None


register_delivery(DeliveryKind(
    name="stream", summary="a DynamoDB table's stream; the message is the record's NewImage "
                           "(event name from the contract)",
    wire=wire, own=own, find=find, send=send, redelivery="the stream mapping's retries",
    later_copies=False, wire_reads_messages=True,
    reordering="the items were written in another order (a stream keeps each item's changes in order)"))
