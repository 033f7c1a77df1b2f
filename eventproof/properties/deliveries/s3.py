"""``via="s3"``: the message put as a JSON object in a bucket that notifies the function.

The handler receives S3's event notification (bucket and key; it reads the
object with ``GetObject``, as S3 handlers do). The object's key is the
message's digest (the same for equal messages, whatever the run or order),
inside the prefix and suffix of the notification's filter when the
function's own bucket has one, ``.json`` otherwise. S3 invokes Lambda
asynchronously: copies are S3 notifying again (channel ``s3:<bucket>``),
a failure is retried as any asynchronous invoke.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from eventproof.properties.deliveries.common import body, digest, function_arn
from eventproof.properties.deliveries.registry import DeliveryKind, register_delivery
from eventproof.properties.triggers import Deployed, Found, Trigger, the_one

if TYPE_CHECKING:
    from eventproof.properties.system import Bench, Delivery

INPUT_BUCKET = "eventproof-input"


def wire(bench: Bench, delivery: Delivery, messages: Sequence[Any]) -> Trigger:
    s3 = bench.client("s3")
    s3.create_bucket(Bucket=INPUT_BUCKET)
    s3.put_bucket_notification_configuration(Bucket=INPUT_BUCKET, NotificationConfiguration={
        "LambdaFunctionConfigurations": [{"LambdaFunctionArn": function_arn(bench),
                                          "Events": ["s3:ObjectCreated:*"]}]})
    return Trigger(f"s3:{INPUT_BUCKET}", {"bucket": INPUT_BUCKET, "prefix": "", "suffix": ".json"})


def find(deployed: Deployed, delivery: Delivery) -> list[Found]:
    """The buckets notifying the function of created objects (one entry per notification)."""
    s3, found = deployed.client("s3"), []
    for bucket in s3.list_buckets().get("Buckets", []):
        name = bucket["Name"]
        config = s3.get_bucket_notification_configuration(Bucket=name)
        for notification in config.get("LambdaFunctionConfigurations", []):
            if notification["LambdaFunctionArn"] != deployed.arn or not any(
                    e.startswith(("s3:ObjectCreated:", "s3:*")) for e in notification["Events"]):
                continue
            rules = {r["Name"].lower(): r["Value"]
                     for r in notification.get("Filter", {}).get("Key", {}).get("FilterRules", [])}
            found.append(Found(f"S3 bucket {name} (created objects)", Trigger(
                f"s3:{name}", {"bucket": name, "prefix": rules.get("prefix", ""),
                               "suffix": rules.get("suffix", ".json")})))
    return found


def own(bench: Bench, delivery: Delivery) -> Trigger:
    return the_one(bench.system.name, "s3", find(Deployed.of(bench), delivery),
                   "bucket notifying it of created objects",
                   "give the function one S3 event (s3:ObjectCreated:*) in the template")


def send(bench: Bench, delivery: Delivery, trigger: Trigger, message: Any) -> None:
    address = trigger.address
    bench.client("s3").put_object(
        Bucket=address["bucket"], Key=f"{address['prefix']}{digest(message)}{address['suffix']}",
        Body=body(message).encode("utf-8"), ContentType="application/json")


register_delivery(DeliveryKind(
    name="s3", summary="an object created in a bucket that notifies the function; the message "
                       "is the object's content",
    wire=wire, own=own, find=find, send=send, redelivery="Lambda's asynchronous retries of S3's invoke"))
