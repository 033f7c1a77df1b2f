"""AddPermission and RemovePermission: statements in the queue's ``Policy`` attribute.

Each permission is one statement whose ``Sid`` is its label, granting the
listed accounts the listed actions on the queue, as AWS writes it
(https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_AddPermission.html).
"""

from __future__ import annotations

import json
from typing import Any

from eventproof_fakes.operations import operation
from eventproof_fakes.sqs.errors import invalid_parameter_value, missing_parameter
from eventproof_fakes.sqs.queue import Queue

__all__ = ["PermissionOperations"]

_ACTIONS = frozenset(
    {
        "*",
        "ChangeMessageVisibility",
        "DeleteMessage",
        "GetQueueAttributes",
        "GetQueueUrl",
        "ListDeadLetterSourceQueues",
        "PurgeQueue",
        "ReceiveMessage",
        "SendMessage",
    }
)


class PermissionOperations:
    def _queue(self, url: str) -> Queue:
        raise NotImplementedError

    @operation
    def add_permission(self, params: dict[str, Any]) -> dict[str, Any]:
        queue = self._queue(params["QueueUrl"])
        label = params["Label"]
        accounts, actions = params["AWSAccountIds"], params["Actions"]
        if not accounts:
            raise missing_parameter("AWSAccountIds")
        if not actions:
            raise missing_parameter("Actions")
        for action in actions:
            if action not in _ACTIONS:
                raise invalid_parameter_value("Actions", action, "Only the queue owner is allowed to invoke this action.")
        policy = _policy(queue)
        if any(statement.get("Sid") == label for statement in policy["Statement"]):
            raise invalid_parameter_value("Label", label, "Already exists.")
        principals = [f"arn:aws:iam::{account}:root" for account in accounts]
        policy["Statement"].append(
            {
                "Sid": label,
                "Effect": "Allow",
                "Principal": {"AWS": principals[0] if len(principals) == 1 else principals},
                "Action": [f"SQS:{a}" for a in actions] if len(actions) > 1 else f"SQS:{actions[0]}",
                "Resource": queue.arn,
            }
        )
        queue.attributes["Policy"] = json.dumps(policy, separators=(",", ":"))
        return {}

    @operation
    def remove_permission(self, params: dict[str, Any]) -> dict[str, Any]:
        queue = self._queue(params["QueueUrl"])
        label = params["Label"]
        policy = _policy(queue)
        kept = [s for s in policy["Statement"] if s.get("Sid") != label]
        if len(kept) == len(policy["Statement"]):
            raise invalid_parameter_value("Label", label, "can't find label on existing policy.")
        if kept:
            queue.attributes["Policy"] = json.dumps({**policy, "Statement": kept}, separators=(",", ":"))
        else:
            queue.attributes.pop("Policy", None)
        return {}


def _policy(queue: Queue) -> dict[str, Any]:
    raw = queue.attributes.get("Policy")
    if raw:
        try:
            policy = json.loads(raw)
        except ValueError:
            policy = None
        if not isinstance(policy, dict):
            raise invalid_parameter_value("Policy", raw, "The queue's policy is not a JSON object.")
        if isinstance(policy.get("Statement"), dict):
            policy["Statement"] = [policy["Statement"]]
        policy.setdefault("Statement", [])
        return dict(policy)
    return {"Version": "2012-10-17", "Id": f"{queue.arn}/SQSDefaultPolicy", "Statement": []}
