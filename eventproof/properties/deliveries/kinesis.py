"""``via="kinesis"``: the message as a record on a Kinesis stream, read by an event source mapping.

The record's data is the message as JSON (the handler base64-decodes
``kinesis.data``); its partition key is the message's entity key (the
contract's ``x-eventproof.key``, else its first ``*Id`` field), else the
message's digest, so messages about one entity share a shard as producers
arrange. Copies are the mapping handing its batch again (channel
``kinesis:<stream>``); a failure is retried twice by the bench's mapping
(a template's mapping retries as configured); a copy sent later is a
producer's retry (a new record).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from eventproof.properties.deliveries.common import body, digest, entity_key
from eventproof.properties.deliveries.registry import DeliveryKind, register_delivery
from eventproof.properties.triggers import Deployed, Found, Trigger, event_sources, the_one

if TYPE_CHECKING:
    from eventproof.properties.system import Bench, Delivery

INPUT_STREAM = "eventproof-input"


def wire(bench: Bench, delivery: Delivery, messages: Sequence[Any]) -> Trigger:
    kinesis = bench.client("kinesis")
    kinesis.create_stream(StreamName=INPUT_STREAM, ShardCount=1)
    arn = kinesis.describe_stream_summary(StreamName=INPUT_STREAM)["StreamDescriptionSummary"]["StreamARN"]
    bench.client("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName=bench.system.name, StartingPosition="TRIM_HORIZON",
        BatchSize=1, MaximumRetryAttempts=2)
    return Trigger(f"kinesis:{INPUT_STREAM}", {"stream": INPUT_STREAM})


def find(deployed: Deployed, delivery: Delivery) -> list[Found]:
    streams = [arn.split(":stream/", 1)[1] for arn in event_sources(deployed, "kinesis")]
    return [Found(f"Kinesis stream {stream}", Trigger(f"kinesis:{stream}", {"stream": stream}))
            for stream in streams]


def own(bench: Bench, delivery: Delivery) -> Trigger:
    return the_one(bench.system.name, "kinesis", find(Deployed.of(bench), delivery),
                   "Kinesis event source", "give the function one Kinesis event in the template")


def send(bench: Bench, delivery: Delivery, trigger: Trigger, message: Any) -> None:
    bench.client("kinesis").put_record(
        StreamName=trigger.address["stream"], Data=body(message).encode("utf-8"),
        PartitionKey=(entity_key(delivery, message) or digest(message))[:256])


register_delivery(DeliveryKind(
    name="kinesis", summary="a record on a Kinesis stream; the message is the record's data, "
                            "partitioned by the contract's key",
    wire=wire, own=own, find=find, send=send, redelivery="the stream mapping's retries",
    reordering="the producers wrote them in another order (a shard keeps the order records were written in)"))
