"""TagResource, UntagResource, ListTagsOfResource and DescribeLimits / DescribeEndpoints.

Tags belong to a table (by ARN) and go with it when it is deleted. AWS's
limits: 50 tags per resource; keys up to 128 characters, values up to 256.
"""

from __future__ import annotations

from typing import Any

from eventproof_fakes.dynamodb.operations.base import DynamoDBState
from eventproof_fakes.errors import AWSError, validation_error
from eventproof_fakes.operations import operation

__all__ = ["TagOperations", "apply_tags"]

_MAX_TAGS = 50


def apply_tags(table: Any, tags: list[dict[str, str]]) -> None:
    merged = dict(table.tags)
    for tag in tags:
        if not tag["Key"] or len(tag["Key"]) > 128 or len(tag["Value"]) > 256:
            raise validation_error(
                "One or more parameter values were invalid: tag key or value is invalid"
            )
        merged[tag["Key"]] = tag["Value"]
    if len(merged) > _MAX_TAGS:
        raise validation_error(
            "One or more parameter values were invalid: The number of tags exceeds the "
            f"limit of {_MAX_TAGS}"
        )
    table.tags = merged



class TagOperations(DynamoDBState):
    def _tagged_table(self, arn: str) -> Any:
        name = arn.split(":table/", 1)[1] if ":table/" in arn else None
        table = self.tables.get(name) if name and "/" not in name else None
        if table is None or table.arn != arn:
            raise AWSError(
                "ResourceNotFoundException",
                f"Requested resource not found: ResourceArn: {arn} not found",
            )
        return table

    @operation
    def tag_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        apply_tags(self._tagged_table(params["ResourceArn"]), params["Tags"])
        return {}

    @operation
    def untag_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        table = self._tagged_table(params["ResourceArn"])
        for key in params["TagKeys"]:
            table.tags.pop(key, None)
        return {}

    @operation
    def list_tags_of_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("NextToken") is not None:
            raise validation_error("Invalid NextToken")  # every listing fits one page
        tags = self._tagged_table(params["ResourceArn"]).tags
        return {"Tags": [{"Key": key, "Value": value} for key, value in sorted(tags.items())]}

    # --- account ------------------------------------------------------------
    @operation
    def describe_limits(self, params: dict[str, Any]) -> dict[str, Any]:
        """AWS's default per-account and per-table provisioned-capacity quotas."""
        return {
            "AccountMaxReadCapacityUnits": 80000,
            "AccountMaxWriteCapacityUnits": 80000,
            "TableMaxReadCapacityUnits": 40000,
            "TableMaxWriteCapacityUnits": 40000,
        }

    @operation
    def describe_endpoints(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "Endpoints": [
                {
                    "Address": f"dynamodb.{self.env.region}.amazonaws.com",
                    "CachePeriodInMinutes": 1440,
                }
            ]
        }
