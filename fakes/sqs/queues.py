"""Queue lifecycle operations: CreateQueue, GetQueueUrl, ListQueues, attributes, purge."""

from __future__ import annotations

import base64
import json
import re
from typing import TYPE_CHECKING, Any

from eventproof_fakes import limits
from eventproof_fakes.operations import operation
from eventproof_fakes.sqs import attributes as queue_attributes
from eventproof_fakes.sqs.errors import (
    invalid_attribute_value,
    invalid_parameter,
    missing_parameter,
    purge_in_progress,
    queue_already_exists,
    queue_does_not_exist,
    unknown_attribute,
)
from eventproof_fakes.sqs.queue import Queue

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

_QUEUE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
_FIFO_QUEUE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,75}\.fifo$")
_PURGE_INTERVAL = 60  # seconds; PurgeQueue API reference


class QueueAdmin:
    """The queue operations of the SQS fake; messages live in ``MessageOperations``."""

    env: FakeAWS
    _queues: dict[str, Queue]

    # --- lookup -------------------------------------------------------------
    def _queue(self, reference: str) -> Queue:
        """A queue by URL, ARN or name."""
        queue = self._queues.get(reference)
        if queue is None:
            name = reference.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
            queue = self._queues.get(name)
            if queue is None or reference not in (name, queue.url, queue.arn):
                raise queue_does_not_exist()
        return queue

    def _queue_by_arn(self, arn: str) -> Queue | None:
        queue = self._queues.get(arn.rsplit(":", 1)[-1])
        return queue if queue is not None and queue.arn == arn else None

    def _url(self, name: str) -> str:
        return f"https://sqs.{self.env.region}.amazonaws.com/{self.env.account_id}/{name}"

    # --- operations ---------------------------------------------------------
    @operation
    def create_queue(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params["QueueName"]
        requested = dict(params.get("Attributes") or {})
        fifo = requested.get("FifoQueue", "false").lower() == "true"
        pattern = _FIFO_QUEUE_NAME if fifo else _QUEUE_NAME
        if not pattern.match(name):
            if fifo:
                raise invalid_parameter(
                    "The name of a FIFO queue can only include alphanumeric characters, hyphens, "
                    "or underscores, must end with .fifo suffix and be 1 to 80 in length."
                )
            raise invalid_parameter(
                "Can only include alphanumeric characters, hyphens, or underscores. "
                "1 to 80 in length"
            )
        checked = queue_attributes.validate(requested, fifo=fifo, creating=True)
        if checked.get("RedrivePolicy"):
            self._check_dead_letter_target(checked["RedrivePolicy"], fifo)
        existing = self._queues.get(name)
        if existing is not None:
            for key, value in checked.items():
                if existing.attributes.get(key) != value:
                    raise queue_already_exists(key)
            return {"QueueUrl": existing.url}
        queue = Queue.create(self.env, name, self._url(name), fifo, checked)
        queue.tags.update(params.get("tags") or {})
        self._queues[name] = queue
        return {"QueueUrl": queue.url}

    def _check_dead_letter_target(self, policy: str, fifo: bool) -> None:
        target = json.loads(policy)["deadLetterTargetArn"]
        dead_letter_queue = self._queue_by_arn(target)
        if dead_letter_queue is None:
            raise invalid_attribute_value(
                "RedrivePolicy", f"Dead letter target does not exist: {target}"
            )
        if dead_letter_queue.fifo != fifo:
            raise invalid_attribute_value(
                "RedrivePolicy",
                "Dead-letter queue must be same type of queue as the source.",
            )

    @operation
    def get_queue_url(self, params: dict[str, Any]) -> dict[str, Any]:
        queue = self._queues.get(params["QueueName"])
        owner = params.get("QueueOwnerAWSAccountId")
        if queue is None or owner not in (None, self.env.account_id):
            raise queue_does_not_exist()
        return {"QueueUrl": queue.url}

    @operation
    def delete_queue(self, params: dict[str, Any]) -> dict[str, Any]:
        queue = self._queue(params["QueueUrl"])
        del self._queues[queue.name]
        return {}

    @operation
    def list_queues(self, params: dict[str, Any]) -> dict[str, Any]:
        prefix = params.get("QueueNamePrefix", "")
        urls = sorted(q.url for q in self._queues.values() if q.name.startswith(prefix))
        start = 0
        if params.get("NextToken"):
            try:
                after = base64.b64decode(params["NextToken"], validate=True).decode()
            except ValueError:  # binascii.Error and UnicodeDecodeError are ValueErrors
                raise invalid_parameter("Invalid NextToken value.") from None
            start = next((i + 1 for i, url in enumerate(urls) if url == after), len(urls))
        urls = urls[start:]
        response: dict[str, Any] = {}
        limit = params.get("MaxResults")
        if limit is not None:
            if not 1 <= limit <= 1000:
                raise invalid_parameter(
                    f"Value {limit} for parameter MaxResults is invalid. "
                    "Reason: MaxResults must be an integer between 1 and 1000."
                )
            if len(urls) > limit:
                urls = urls[:limit]
                response["NextToken"] = base64.b64encode(urls[-1].encode()).decode()
        else:
            # Without MaxResults AWS answers at most 1,000 URLs and no NextToken.
            urls = urls[: limits.SQS_MAX_LIST_QUEUES]
        if urls:
            response["QueueUrls"] = urls
        return response

    @operation
    def get_queue_attributes(self, params: dict[str, Any]) -> dict[str, Any]:
        queue = self._queue(params["QueueUrl"])
        names = params.get("AttributeNames") or []
        everything = self._all_attributes(queue)
        if "All" in names:
            return {"Attributes": everything}
        selected: dict[str, str] = {}
        for name in names:
            if name not in queue_attributes.ALL_NAMES or (
                name in queue_attributes.FIFO_ONLY and not queue.fifo
            ):
                raise unknown_attribute(name)
            if name in everything:
                selected[name] = everything[name]
        return {"Attributes": selected} if selected else {}

    def _all_attributes(self, queue: Queue) -> dict[str, str]:
        values = dict(queue.attributes)
        if not values.get("RedrivePolicy"):
            values.pop("RedrivePolicy", None)
        values.update(queue.counts(self.env.clock.now()))
        values["CreatedTimestamp"] = str(int(queue.created_at))
        values["LastModifiedTimestamp"] = str(int(queue.last_modified_at))
        values["QueueArn"] = queue.arn
        return dict(sorted(values.items()))

    @operation
    def set_queue_attributes(self, params: dict[str, Any]) -> dict[str, Any]:
        queue = self._queue(params["QueueUrl"])
        checked = queue_attributes.validate(
            params.get("Attributes") or {}, fifo=queue.fifo, creating=False
        )
        if checked.get("RedrivePolicy"):
            self._check_dead_letter_target(checked["RedrivePolicy"], queue.fifo)
        queue.attributes.update(checked)
        queue.last_modified_at = self.env.clock.now()
        return {}

    @operation
    def purge_queue(self, params: dict[str, Any]) -> dict[str, Any]:
        queue = self._queue(params["QueueUrl"])
        now = self.env.clock.now()
        if queue.last_purge_at is not None and now - queue.last_purge_at < _PURGE_INTERVAL:
            raise purge_in_progress(queue.name)
        queue.last_purge_at = now
        queue.purge()
        return {}

    @operation
    def tag_queue(self, params: dict[str, Any]) -> dict[str, Any]:
        queue = self._queue(params["QueueUrl"])
        tags = params["Tags"]
        if not tags:
            raise missing_parameter("Tags")
        if len(tags) > limits.SQS_MAX_QUEUE_TAGS:
            raise invalid_parameter(f"Too many tags added for queue {queue.name}.")
        queue.tags.update(tags)
        return {}

    @operation
    def untag_queue(self, params: dict[str, Any]) -> dict[str, Any]:
        tags = self._queue(params["QueueUrl"]).tags
        for key in params["TagKeys"]:
            tags.pop(key, None)
        return {}

    @operation
    def list_queue_tags(self, params: dict[str, Any]) -> dict[str, Any]:
        tags = self._queue(params["QueueUrl"]).tags
        return {"Tags": dict(tags)} if tags else {}
