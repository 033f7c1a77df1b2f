"""DynamoDB tables: keys, indexes, billing, streams and time to live."""

from __future__ import annotations

from typing import Any

from eventproof_fakes.cloudformation.resources.base import Built, ResourceContext, ResourceType

__all__ = ["Table"]


class Table(ResourceType):
    type_name = "AWS::DynamoDB::Table"
    documented = frozenset({
        "AttributeDefinitions", "BillingMode", "ContributorInsightsSpecification",
        "DeletionProtectionEnabled", "GlobalSecondaryIndexes", "ImportSourceSpecification",
        "KeySchema", "KinesisStreamSpecification", "LocalSecondaryIndexes", "OnDemandThroughput",
        "PointInTimeRecoverySpecification", "ProvisionedThroughput", "ResourcePolicy",
        "SSESpecification", "StreamSpecification", "TableClass", "TableName", "Tags",
        "TimeToLiveSpecification", "WarmThroughput",
    })
    not_modelled = {
        "ContributorInsightsSpecification": "CloudWatch Contributor Insights is not modelled",
        "DeletionProtectionEnabled": "deletion protection is not modelled",
        "ImportSourceSpecification": "importing a table from S3 is not modelled",
        "KinesisStreamSpecification": "Kinesis Data Streams for DynamoDB is not modelled",
        "OnDemandThroughput": "on-demand throughput limits are not modelled",
        "PointInTimeRecoverySpecification": "backups and point-in-time recovery are not modelled",
        "ResourcePolicy": "resource policies are not modelled (permissions are not enforced)",
        "SSESpecification": "encryption at rest is not modelled",
        "TableClass": "table classes are not modelled",
        "Tags": "the fake DynamoDB does not store tags",
        "WarmThroughput": "warm throughput is not modelled",
    }
    required = ("KeySchema",)

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        name = props.get("TableName") or ctx.name(255)
        request: dict[str, Any] = {
            "TableName": name,
            "KeySchema": props["KeySchema"],
            "AttributeDefinitions": props.get("AttributeDefinitions", []),
            "BillingMode": props.get("BillingMode", "PROVISIONED"),
        }
        if "ProvisionedThroughput" in props:
            request["ProvisionedThroughput"] = _throughput(props["ProvisionedThroughput"])
        for key in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
            for spec in props.get(key, []):
                for extra in sorted(set(spec) - {"IndexName", "KeySchema", "Projection", "ProvisionedThroughput"}):
                    ctx.not_modelled(f"{key}[{spec.get('IndexName')}].{extra}", "index settings beyond keys, projection and throughput are not modelled")
            if key in props:
                request[key] = [_index(spec) for spec in props[key]]
        stream = props.get("StreamSpecification")
        if stream:
            if "ResourcePolicy" in stream:
                ctx.not_modelled("StreamSpecification.ResourcePolicy", "stream resource policies are not modelled")
            request["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream["StreamViewType"]}
        dynamodb = ctx.client("dynamodb")
        table = dynamodb.create_table(**request)["TableDescription"]
        built = self.built(ctx, name, name, Arn=table["TableArn"])
        if "LatestStreamArn" in table:
            built.attributes["StreamArn"] = table["LatestStreamArn"]
            built.wired_to.append(f"stream {request['StreamSpecification']['StreamViewType']}")
        ttl = props.get("TimeToLiveSpecification")
        if ttl and str(ttl.get("Enabled", False)).lower() == "true":
            dynamodb.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]},
            )
            built.wired_to.append(f"TTL on {ttl['AttributeName']}")
        indexes = [i["IndexName"] for key in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes") for i in props.get(key, [])]
        if indexes:
            built.wired_to.append(f"indexes {', '.join(indexes)}")
        built.undo.append(("dynamodb", "delete_table", {"TableName": name}))
        return built


def _throughput(value: dict[str, Any]) -> dict[str, int]:
    return {key: int(value[key]) for key in ("ReadCapacityUnits", "WriteCapacityUnits") if key in value}


def _index(spec: dict[str, Any]) -> dict[str, Any]:
    index: dict[str, Any] = {key: spec[key] for key in ("IndexName", "KeySchema", "Projection") if key in spec}
    if "ProvisionedThroughput" in spec:
        index["ProvisionedThroughput"] = _throughput(spec["ProvisionedThroughput"])
    return index
