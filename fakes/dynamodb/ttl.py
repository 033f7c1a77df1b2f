"""Time to Live: UpdateTimeToLive and DescribeTimeToLive, and expiry on the virtual clock.

Simplifications: the setting is ENABLED at once (AWS passes through
ENABLING for up to an hour), and an expired item is deleted at its TTL
instant on the virtual clock, where AWS deletes it "within a few days"
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html).
Expiry timers are background timers: they fire when the clock passes them.
Each deletion writes a REMOVE stream record whose ``userIdentity`` is the
DynamoDB service, as AWS documents.
"""

from __future__ import annotations

from typing import Any

from eventproof_fakes.dynamodb.operations.base import DynamoDBState
from eventproof_fakes.errors import validation_error
from eventproof_fakes.operations import operation


class TimeToLiveOperations(DynamoDBState):
    @operation
    def update_time_to_live(self, params: dict[str, Any]) -> dict[str, Any]:
        table = self.table(params["TableName"])
        specification = params["TimeToLiveSpecification"]
        enabled = specification["Enabled"]
        attribute = specification["AttributeName"]
        if enabled and table.ttl_attribute is not None:
            raise validation_error("TimeToLive is already enabled")
        if not enabled and table.ttl_attribute is None:
            raise validation_error("TimeToLive is already disabled")
        if enabled:
            table.ttl_attribute = attribute
            for item in list(table.items.values()):
                self.schedule_expiry(table, item)
        else:
            table.ttl_attribute = None
        return {"TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": attribute}}

    @operation
    def describe_time_to_live(self, params: dict[str, Any]) -> dict[str, Any]:
        table = self.table(params["TableName"])
        if table.ttl_attribute is None:
            return {"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}
        return {
            "TimeToLiveDescription": {
                "TimeToLiveStatus": "ENABLED",
                "AttributeName": table.ttl_attribute,
            }
        }
