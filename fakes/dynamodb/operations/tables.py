"""CreateTable, DescribeTable, DeleteTable, ListTables, UpdateTable.

Simplification: a table is usable at once. CreateTable answers with
``TableStatus: CREATING`` as AWS does, and DescribeTable already says
``ACTIVE`` (so boto3's ``table_exists`` waiter returns at its first poll).
"""

from __future__ import annotations

from typing import Any

from eventproof_fakes.dynamodb.index_updates import apply_index_updates
from eventproof_fakes.dynamodb.operations.base import DynamoDBState, check_table_name
from eventproof_fakes.dynamodb.streams import VIEW_TYPES, Stream
from eventproof_fakes.dynamodb.tables import Index, KeySchema, Table
from eventproof_fakes.dynamodb.tags import apply_tags
from eventproof_fakes.errors import AWSError, UnsupportedParameter, validation_error
from eventproof_fakes.limits import DYNAMODB_STREAM_RETENTION_SECONDS
from eventproof_fakes.operations import operation

_INVALID = "One or more parameter values were invalid: "


class TableOperations(DynamoDBState):
    @operation(
        refuses=(
            "SSESpecification",
            "TableClass",
            "WarmThroughput",
            "ResourcePolicy",
            "OnDemandThroughput",
            "GlobalTableSourceArn",
            "GlobalTableSettingsReplicationMode",
            "VectorIndexes",
        )
    )
    def create_table(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params["TableName"]
        check_table_name(name)
        if name in self.tables:
            raise AWSError("ResourceInUseException", f"Table already exists: {name}")
        definitions = params.get("AttributeDefinitions") or []
        types = {d["AttributeName"]: d["AttributeType"] for d in definitions}
        key = _key_schema(params.get("KeySchema") or [], types)
        billing_mode = params.get("BillingMode", "PROVISIONED")
        throughput = _throughput(billing_mode, params.get("ProvisionedThroughput"))
        env = self.env
        table = Table(
            name=name,
            arn=env.arn("dynamodb", f"table/{name}"),
            table_id=env.ids.uuid(),
            key=key,
            attribute_definitions=[dict(d) for d in definitions],
            created=env.clock.now_datetime(),
            billing_mode=billing_mode,
            throughput=throughput,
        )
        used = set(key.names)
        for spec in params.get("GlobalSecondaryIndexes", []):
            index = _index(table, spec, types, is_global=True, billing_mode=billing_mode)
            table.indexes[index.name] = index
            used |= set(index.schema.names)
        for spec in params.get("LocalSecondaryIndexes", []):
            index = _index(table, spec, types, is_global=False, billing_mode=billing_mode)
            if index.schema.hash_key != key.hash_key:
                raise validation_error(
                    f"{_INVALID}Index KeySchema does not have the same leading hash key as "
                    f"table KeySchema for index: {index.name}. index hash key: "
                    f"{index.schema.hash_key}, table hash key: {key.hash_key}"
                )
            table.indexes[index.name] = index
            used |= set(index.schema.names)
        if used != set(types):
            raise validation_error(
                f"{_INVALID}Number of attributes in KeySchema does not exactly match number of "
                "attributes defined in AttributeDefinitions"
            )
        self._set_stream(table, params.get("StreamSpecification"))
        if params.get("Tags"):
            apply_tags(table, params["Tags"])
        if params.get("DeletionProtectionEnabled"):
            table.description_extra["DeletionProtectionEnabled"] = True
        self.tables[name] = table
        description = table.describe()
        description["TableStatus"] = "CREATING"
        return {"TableDescription": description}

    @operation
    def describe_table(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"Table": self._named(params["TableName"]).describe()}

    @operation
    def delete_table(self, params: dict[str, Any]) -> dict[str, Any]:
        table = self._named(params["TableName"])
        if table.description_extra.get("DeletionProtectionEnabled"):
            raise validation_error(
                "Resource cannot be deleted as it is currently protected against deletion. "
                "Disable deletion protection first."
            )
        del self.tables[table.name]
        if table.stream is not None:
            table.stream.enabled = False
            self._forget_stream_later(table.stream.arn)
        description = table.describe()
        description["TableStatus"] = "DELETING"
        return {"TableDescription": description}

    @operation
    def list_tables(self, params: dict[str, Any]) -> dict[str, Any]:
        names = sorted(self.tables)
        start = params.get("ExclusiveStartTableName")
        if start is not None:
            names = [n for n in names if n > start]
        limit = params.get("Limit", 100)
        page = names[:limit]
        response: dict[str, Any] = {"TableNames": page}
        if len(names) > limit:
            response["LastEvaluatedTableName"] = page[-1]
        return response

    @operation(
        refuses=(
            "SSESpecification",
            "ReplicaUpdates",
            "TableClass",
            "MultiRegionConsistency",
            "GlobalTableWitnessUpdates",
            "OnDemandThroughput",
            "WarmThroughput",
            "GlobalTableSettingsReplicationMode",
            "DisassociationProtectionEnabled",
            "VectorIndexUpdates",
        )
    )
    def update_table(self, params: dict[str, Any]) -> dict[str, Any]:
        """Streams, billing mode, deletion protection and online index changes."""
        table = self._named(params["TableName"])
        if "StreamSpecification" in params:
            specification = params["StreamSpecification"]
            enabled = specification.get("StreamEnabled")
            if enabled and table.stream is not None and table.stream.enabled:
                raise validation_error("Table already has an enabled stream: " + table.arn)
            if not enabled:
                if table.stream is None or not table.stream.enabled:
                    raise validation_error("Table already has no enabled stream")
                table.stream.enabled = False
                self._forget_stream_later(table.stream.arn)
            else:
                self._set_stream(table, specification)
        if params.get("GlobalSecondaryIndexUpdates") is not None or params.get(
            "AttributeDefinitions"
        ):
            apply_index_updates(
                self.env,
                table,
                params.get("GlobalSecondaryIndexUpdates") or [],
                params.get("AttributeDefinitions"),
                lambda t, spec, types: _index(
                    t, spec, types, is_global=True, billing_mode=t.billing_mode
                ),
            )
        if params.get("DeletionProtectionEnabled") is not None:
            table.description_extra["DeletionProtectionEnabled"] = bool(
                params["DeletionProtectionEnabled"]
            )
        if "BillingMode" in params:
            table.billing_mode = params["BillingMode"]
            table.throughput = _throughput(table.billing_mode, params.get("ProvisionedThroughput"))
        elif "ProvisionedThroughput" in params:
            table.throughput = _throughput(table.billing_mode, params["ProvisionedThroughput"])
        return {"TableDescription": table.describe()}

    # --- helpers ------------------------------------------------------------
    def _forget_stream_later(self, stream_arn: str) -> None:
        """A disabled stream stays readable for its 24-hour retention, then goes (memory too)."""

        def forget() -> None:
            stream = self.streams.get(stream_arn)
            if stream is not None and not stream.enabled:
                del self.streams[stream_arn]
                self.expired_streams.add(stream_arn)

        self.env.clock.call_later(
            DYNAMODB_STREAM_RETENTION_SECONDS,
            forget,
            label=f"dynamodb stream retention {stream_arn}",
            background=True,
        )

    def _named(self, name: str) -> Table:
        lookup = name.rsplit("/", 1)[-1] if name.startswith("arn:") else name
        table = self.tables.get(lookup)
        if table is None:
            check_table_name(name)
            raise AWSError(
                "ResourceNotFoundException",
                f"Requested resource not found: Table: {name} not found",
            )
        return table

    def _set_stream(self, table: Table, specification: dict[str, Any] | None) -> None:
        if not specification or not specification.get("StreamEnabled"):
            if specification and specification.get("StreamViewType"):
                raise validation_error(
                    f"{_INVALID}StreamViewType cannot be specified when StreamEnabled is false"
                )
            return
        view_type = specification.get("StreamViewType")
        if view_type not in VIEW_TYPES:
            raise validation_error(
                f"{_INVALID}You must specify a StreamViewType when enabling a stream"
                if view_type is None
                else f"1 validation error detected: Value '{view_type}' at "
                "'streamSpecification.streamViewType' failed to satisfy constraint: Member must "
                f"satisfy enum value set: [{', '.join(VIEW_TYPES)}]"
            )
        env = self.env
        now = env.clock.now_datetime()
        label = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}"
        arn = f"{table.arn}/stream/{label}"
        if arn in self.streams:
            # Two streams of one table created in the same millisecond: keep labels unique.
            label = f"{label}{env.ids.hex(4)}"
            arn = f"{table.arn}/stream/{label}"
        stream = Stream(
            arn=arn,
            label=label,
            table_name=table.name,
            view_type=view_type,
            key_schema=table.key.describe(),
            created=now,
            shard_id=f"shardId-{env.clock.now_millis():020d}-{env.ids.hex(8)}",
            region=env.region,
        )
        table.stream = stream
        self.streams[arn] = stream


def _key_schema(elements: list[dict[str, str]], types: dict[str, str]) -> KeySchema:
    hashes = [e["AttributeName"] for e in elements if e["KeyType"] == "HASH"]
    ranges = [e["AttributeName"] for e in elements if e["KeyType"] == "RANGE"]
    if len(hashes) != 1 or len(ranges) > 1 or len(elements) != len(hashes) + len(ranges):
        raise validation_error(
            f"{_INVALID}Invalid KeySchema: exactly one HASH key and at most one RANGE key"
        )
    missing = [n for n in hashes + ranges if n not in types]
    if missing:
        raise validation_error(
            f"{_INVALID}Some index key attributes are not defined in AttributeDefinitions. "
            f"Keys: [{', '.join(missing)}], AttributeDefinitions: [{', '.join(types)}]"
        )
    range_key = ranges[0] if ranges else None
    return KeySchema(
        hashes[0], types[hashes[0]], range_key, types[range_key] if range_key else None
    )


def _throughput(billing_mode: str, given: dict[str, int] | None) -> dict[str, int]:
    if billing_mode == "PAY_PER_REQUEST":
        if given:
            raise validation_error(
                f"{_INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified "
                "when BillingMode is PAY_PER_REQUEST"
            )
        return {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0}
    if not given:
        raise validation_error(
            f"{_INVALID}ReadCapacityUnits and WriteCapacityUnits must both be specified when "
            "BillingMode is PROVISIONED"
        )
    return {
        "ReadCapacityUnits": given["ReadCapacityUnits"],
        "WriteCapacityUnits": given["WriteCapacityUnits"],
    }


def _index(
    table: Table, spec: dict[str, Any], types: dict[str, str], *, is_global: bool, billing_mode: str
) -> Index:
    schema = _key_schema(spec["KeySchema"], types)
    name = spec["IndexName"]
    for unmodelled in ("OnDemandThroughput", "WarmThroughput"):
        if spec.get(unmodelled) is not None:
            raise UnsupportedParameter(
                "dynamodb", "CreateTable", f"GlobalSecondaryIndexes.{unmodelled}"
            )
    description: dict[str, Any] = {
        "IndexName": name,
        "KeySchema": schema.describe(),
        "Projection": dict(spec["Projection"]),
        "IndexSizeBytes": 0,
        "ItemCount": 0,
        "IndexArn": f"{table.arn}/index/{name}",
    }
    if is_global:
        description["IndexStatus"] = "ACTIVE"
        given = spec.get("ProvisionedThroughput")
        if billing_mode == "PAY_PER_REQUEST" and given:
            raise validation_error(
                f"{_INVALID}ProvisionedThroughput should not be specified for index: {name} "
                "when BillingMode is PAY_PER_REQUEST"
            )
        description["ProvisionedThroughput"] = {
            "NumberOfDecreasesToday": 0,
            **_throughput(billing_mode, given),
        }
    return Index(name, schema, dict(spec["Projection"]), is_global, description)
