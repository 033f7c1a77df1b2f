"""Event notifications: the configuration API, the records, delivery to SQS, SNS, Lambda, EventBridge.

https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html (EventBridge)
Each change to an object makes one record per matching configuration
(``{"Records": [record]}``, eventVersion 2.1, key URL-encoded as a form
value) and, when EventBridge is on, one "Object Created"/"Object Deleted"
event on the default bus (key not encoded). Putting a configuration sends
``s3:TestEvent`` to its SQS and SNS destinations.

Simplifications: deliveries are made inside the call that changed the
object (AWS delivers within seconds, at least once; duplicates come from
fault injection); destinations are checked to exist but their resource
policies (queue/topic policy, Lambda permission) are not evaluated. A
delivery to a destination removed since is kept in ``failed_deliveries``,
as AWS drops it without telling the writer.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from eventproof_fakes import observe
from eventproof_fakes.errors import AWSError
from eventproof_fakes.operations import operation
from eventproof_fakes.s3.common import iso_millis, unmodelled
from eventproof_fakes.s3.model import EMPTY_MD5, Bucket, ObjectVersion
from eventproof_fakes.s3.notification_config import (
    Target,
    encode_key,
    parse_configuration,
    unreachable,
)
from eventproof_fakes.s3.writing import Writing

SNS_SUBJECT = "Amazon S3 Notification"
SOURCE_IP = "127.0.0.1"
S3_PRINCIPAL = "s3.amazonaws.com"  # who acts when the lifecycle deletes
# notification-content-structure.html: 2.3 for Lifecycle and object tagging events
_VERSION_2_3 = ("LifecycleExpiration", "ObjectTagging")
_DETAIL_TYPES = {
    "ObjectCreated": "Object Created",
    "ObjectRemoved": "Object Deleted",
    "LifecycleExpiration": "Object Deleted",
}
_COMPACT = (",", ":")
_REASONS = {
    "ObjectCreated:Put": "PutObject",
    "ObjectCreated:Post": "POST Object",
    "ObjectCreated:Copy": "CopyObject",
    "ObjectCreated:CompleteMultipartUpload": "CompleteMultipartUpload",
}


class NotificationOperations(Writing):
    failed_deliveries: list[tuple[str, str, str]]
    _sequence: int

    # --- configuration --------------------------------------------------------
    @operation(refuses=unmodelled("PutBucketNotificationConfiguration", "Bucket",
                                  "NotificationConfiguration", "SkipDestinationValidation",
                                  "ExpectedBucketOwner"))
    def put_bucket_notification_configuration(self, params: dict[str, Any]) -> dict[str, Any]:
        self._check_owner(params)
        bucket = self._bucket(params["Bucket"])
        stored, targets = parse_configuration(params["NotificationConfiguration"],
                                              self.env.ids.uuid)
        if not params.get("SkipDestinationValidation"):
            failures = [(t.arn, reason) for t in targets if (reason := self._unreachable(t))]
            if failures:
                raise unreachable(failures)
        bucket.notification = stored
        bucket.targets = targets
        for arn, service in dict.fromkeys((t.arn, t.service) for t in targets):
            if service in ("sqs", "sns"):
                self._send_test_event(bucket, service, arn)
        return {}

    @operation(refuses=unmodelled("GetBucketNotificationConfiguration", "Bucket",
                                  "ExpectedBucketOwner"))
    def get_bucket_notification_configuration(self, params: dict[str, Any]) -> dict[str, Any]:
        self._check_owner(params)
        return json.loads(json.dumps(self._bucket(params["Bucket"]).notification))

    def _unreachable(self, target: Target) -> str | None:
        try:
            if target.service == "sqs":
                self.env.sqs.queue_arn(target.arn)
                if self.env.sqs.is_fifo(target.arn):
                    return "FIFO queues are not supported as S3 event notification destinations"
            elif target.service == "sns":
                self.env.sns.subscriptions(target.arn)
            else:
                self.env.lambda_.function(target.arn)
        except (AWSError, KeyError, LookupError):
            return {"sqs": "The destination queue does not exist",
                    "sns": "The destination topic does not exist",
                    "lambda": f"Not authorized to invoke function [{target.arn}]"}[target.service]
        return None

    # --- records --------------------------------------------------------------
    def _notify(self, bucket: Bucket, event: str, version: ObjectVersion) -> None:
        targets = bucket.targets
        eventbridge = "EventBridgeConfiguration" in bucket.notification
        if not targets and not eventbridge:
            return
        self._sequence += 1
        now = self.env.clock.now()
        sequencer = f"{int(now * 1000):012X}{self._sequence:06X}"
        request_id = self.env.ids.hex(16).upper()
        key = encode_key(version.key)
        for target in targets:
            if target.wants("s3:" + event, key):
                record = self._record(bucket, event, version, key, target, sequencer, request_id)
                self._deliver(bucket, target, {"Records": [record]})
        if eventbridge:
            self._to_eventbridge(bucket, event, version, sequencer, request_id)

    def _record(
        self, bucket: Bucket, event: str, version: ObjectVersion, key: str, target: Target,
        sequencer: str, request_id: str,
    ) -> dict[str, Any]:
        obj: dict[str, Any] = {"key": key}
        if event.startswith("ObjectCreated"):
            obj["size"] = version.size
        if event.startswith(("ObjectCreated", "ObjectTagging")):
            obj["eTag"] = version.etag.strip('"')
        if bucket.versioning is not None:
            obj["versionId"] = version.version_id
        obj["sequencer"] = sequencer
        by_s3 = event.startswith("LifecycleExpiration")
        return {
            "eventVersion": "2.3" if event.startswith(_VERSION_2_3) else "2.1",
            "eventSource": "aws:s3",
            "awsRegion": bucket.region,
            "eventTime": iso_millis(self.env.clock.now()),
            "eventName": event,
            "userIdentity": {"principalId": S3_PRINCIPAL if by_s3
                             else f"AWS:{self.owner_principal}"},
            "requestParameters": {"sourceIPAddress": S3_PRINCIPAL if by_s3 else SOURCE_IP},
            "responseElements": {
                "x-amz-request-id": request_id,
                "x-amz-id-2": self._host_id(),
            },
            "s3": {
                "s3SchemaVersion": "1.0",
                "configurationId": target.configuration_id,
                "bucket": {
                    "name": bucket.name,
                    "ownerIdentity": {"principalId": self.owner_principal},
                    "arn": bucket.arn,
                },
                "object": obj,
            },
        }

    def _host_id(self) -> str:
        """76 base64 characters, the length of AWS's x-amz-id-2 (seeded, like every id)."""
        return base64.b64encode(bytes.fromhex(self.env.ids.hex(114))).decode()

    def _deliver(self, bucket: Bucket, target: Target, message: dict[str, Any]) -> None:
        for _ in range(self.env.faults.hook.copies("s3:" + bucket.name)):
            self.env.deliveries.record(observe.S3_NOTIFICATION, target.arn, message,
                                       self.env.clock.now())
            self._send(bucket, target.service, target.arn, message)

    def _send(self, bucket: Bucket, service: str, arn: str, message: dict[str, Any]) -> None:
        try:
            if service == "sqs":
                self.env.sqs.send(arn, json.dumps(message, separators=_COMPACT))
            elif service == "sns":
                self.env.sns.publish_message(arn, json.dumps(message, separators=_COMPACT),
                                             subject=SNS_SUBJECT)
            else:
                self.env.lambda_.invoke_async(arn, message)
        except (AWSError, KeyError, LookupError) as error:
            self.failed_deliveries.append((bucket.name, arn, str(error)))

    def _send_test_event(self, bucket: Bucket, service: str, arn: str) -> None:
        message = {
            "Service": "Amazon S3",
            "Event": "s3:TestEvent",
            "Time": iso_millis(self.env.clock.now()),
            "Bucket": bucket.name,
            "RequestId": self.env.ids.hex(16).upper(),
            "HostId": self._host_id(),
        }
        self.env.deliveries.record(observe.S3_TEST_EVENT, arn, message, self.env.clock.now())
        self._send(bucket, service, arn, message)

    def _to_eventbridge(
        self, bucket: Bucket, event: str, version: ObjectVersion, sequencer: str,
        request_id: str,
    ) -> None:
        family = event.split(":", 1)[0]
        created = family == "ObjectCreated"
        by_s3 = family == "LifecycleExpiration"
        obj: dict[str, Any] = {"key": version.key}
        if created:
            obj["size"] = version.size
        obj["etag"] = version.etag.strip('"') if not version.delete_marker else EMPTY_MD5
        if bucket.versioning is not None:
            obj["version-id"] = version.version_id
        obj["sequencer"] = sequencer.lower()
        detail: dict[str, Any] = {
            "version": "0",
            "bucket": {"name": bucket.name},
            "object": obj,
            "request-id": request_id,
            "requester": S3_PRINCIPAL if by_s3 else self.env.account_id,
        }
        if not by_s3:
            detail["source-ip-address"] = SOURCE_IP
        if created:
            detail["reason"] = _REASONS[event]
        elif family != "ObjectTagging":
            detail["reason"] = "Lifecycle Expiration" if by_s3 else "DeleteObject"
            detail["deletion-type"] = (
                "Delete Marker Created" if event.endswith("DeleteMarkerCreated")
                else "Permanently Deleted"
            )
        detail_type = _DETAIL_TYPES.get(family) or (
            "Object Tags Added" if event == "ObjectTagging:Put" else "Object Tags Deleted"
        )
        envelope = {
            "version": "0",
            "id": self.env.ids.uuid(),
            "detail-type": detail_type,
            "source": "aws.s3",
            "account": self.env.account_id,
            "time": self.env.clock.iso_now(),
            "region": bucket.region,
            "resources": [bucket.arn],
            "detail": detail,
        }
        self.env.events.route("default", envelope)
