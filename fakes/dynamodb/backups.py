"""On-demand backups and point-in-time recovery, on the virtual clock.

A backup is a copy of a table's schema, indexes and items at the moment of
CreateBackup (AVAILABLE at once). Point-in-time recovery, once enabled,
records every write with its virtual time; RestoreTableToPointInTime
rebuilds the table as it was at the requested instant. As on AWS a restore
creates a new table and carries neither the stream, TTL nor tags of the
source (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Restore.Tutorial.html).
Simplification: the latest restorable time is "now" (AWS lags by about five
minutes).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from eventproof_fakes.dynamodb.attributes import Item, copy_item, item_size
from eventproof_fakes.dynamodb.operations.base import DynamoDBState
from eventproof_fakes.dynamodb.tables import Index, Table
from eventproof_fakes.errors import AWSError, validation_error
from eventproof_fakes.operations import operation

__all__ = ["Backup", "BackupOperations", "RecoveryLog"]

_OVERRIDES = (
    "BillingModeOverride",
    "GlobalSecondaryIndexOverride",
    "LocalSecondaryIndexOverride",
    "ProvisionedThroughputOverride",
    "OnDemandThroughputOverride",
    "SSESpecificationOverride",
    "VectorIndexOverride",
)
_DEFAULT_RECOVERY_DAYS = 35


@dataclass
class Backup:
    arn: str
    name: str
    created: datetime
    source: Table  # a detached copy: schema, indexes and items at backup time

    def details(self) -> dict[str, Any]:
        return {
            "BackupArn": self.arn,
            "BackupName": self.name,
            "BackupSizeBytes": sum(item_size(i) for i in self.source.items.values()),
            "BackupStatus": "AVAILABLE",
            "BackupType": "USER",
            "BackupCreationDateTime": self.created,
        }


@dataclass
class RecoveryLog:
    """What point-in-time recovery needs: the items when it was enabled, then every write."""

    enabled_at: float
    days: int
    base: dict[Any, Item]
    writes: list[tuple[float, Any, Item | None]] = field(default_factory=list)

    def items_at(self, when: float) -> dict[Any, Item]:
        items = {key: copy_item(item) for key, item in self.base.items()}
        for at, key, item in self.writes:
            if at > when:
                break
            if item is None:
                items.pop(key, None)
            else:
                items[key] = copy_item(item)
        return items


class BackupOperations(DynamoDBState):
    # --- on-demand backups ---------------------------------------------------
    @operation
    def create_backup(self, params: dict[str, Any]) -> dict[str, Any]:
        table = self.table(params["TableName"])
        now = self.env.clock.now_datetime()
        arn = f"{table.arn}/backup/{self.env.clock.now_millis():017d}-{self.env.ids.hex(8)}"
        backup = Backup(arn, params["BackupName"], now, _detached(table, table.items))
        self.backups[arn] = backup
        return {"BackupDetails": backup.details()}

    @operation
    def describe_backup(self, params: dict[str, Any]) -> dict[str, Any]:
        backup = self._backup(params["BackupArn"])
        source = backup.source
        return {
            "BackupDescription": {
                "BackupDetails": backup.details(),
                "SourceTableDetails": {
                    "TableName": source.name,
                    "TableId": source.table_id,
                    "TableArn": source.arn,
                    "KeySchema": source.key.describe(),
                    "TableCreationDateTime": source.created,
                    "ItemCount": len(source.items),
                    "BillingMode": source.billing_mode,
                    "ProvisionedThroughput": dict(source.throughput),
                },
                "SourceTableFeatureDetails": {},
            }
        }

    @operation(refuses=("BackupType", "TimeRangeLowerBound", "TimeRangeUpperBound"))
    def list_backups(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params.get("TableName")
        summaries = [
            {
                "TableName": b.source.name,
                "TableId": b.source.table_id,
                "TableArn": b.source.arn,
                **b.details(),
            }
            for b in sorted(self.backups.values(), key=lambda b: (b.created, b.arn))
            if name in (None, b.source.name)
        ]
        start = params.get("ExclusiveStartBackupArn")
        if start is not None:
            arns = [s["BackupArn"] for s in summaries]
            summaries = summaries[arns.index(start) + 1 :] if start in arns else []
        limit = params.get("Limit") or len(summaries) or 1
        response: dict[str, Any] = {"BackupSummaries": summaries[:limit]}
        if len(summaries) > limit:
            response["LastEvaluatedBackupArn"] = summaries[limit - 1]["BackupArn"]
        return response

    @operation
    def delete_backup(self, params: dict[str, Any]) -> dict[str, Any]:
        backup = self._backup(params["BackupArn"])
        description = self.describe_backup({"BackupArn": backup.arn})["BackupDescription"]
        del self.backups[backup.arn]
        description["BackupDetails"]["BackupStatus"] = "DELETED"
        return {"BackupDescription": description}

    @operation(refuses=_OVERRIDES)
    def restore_table_from_backup(self, params: dict[str, Any]) -> dict[str, Any]:
        backup = self._backup(params["BackupArn"])
        table = self._restore(params["TargetTableName"], backup.source, backup.source.items)
        return self._restored(table, {"SourceBackupArn": backup.arn, "SourceTableArn": backup.source.arn,
                                      "RestoreDateTime": backup.created})

    def _backup(self, arn: str) -> Backup:
        backup = self.backups.get(arn)
        if backup is None:
            raise AWSError("BackupNotFoundException", f"Backup not found: {arn}")
        return backup

    # --- point-in-time recovery ------------------------------------------------
    @operation
    def update_continuous_backups(self, params: dict[str, Any]) -> dict[str, Any]:
        table = self.table(params["TableName"])
        specification = params["PointInTimeRecoverySpecification"]
        enabled = specification["PointInTimeRecoveryEnabled"]
        days = specification.get("RecoveryPeriodInDays") or _DEFAULT_RECOVERY_DAYS
        if not 1 <= days <= _DEFAULT_RECOVERY_DAYS:
            raise validation_error("RecoveryPeriodInDays must be between 1 and 35")
        if enabled and table.recovery is None:
            table.recovery = RecoveryLog(
                self.env.clock.now(), days, {k: copy_item(v) for k, v in table.items.items()}
            )
        elif enabled and table.recovery is not None:
            table.recovery.days = days
        elif not enabled:
            table.recovery = None
        return {"ContinuousBackupsDescription": self._continuous(table)}

    @operation
    def describe_continuous_backups(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ContinuousBackupsDescription": self._continuous(self.table(params["TableName"]))}

    @operation(refuses=_OVERRIDES)
    def restore_table_to_point_in_time(self, params: dict[str, Any]) -> dict[str, Any]:
        source_name = params.get("SourceTableName") or params.get("SourceTableArn")
        if source_name is None:
            raise validation_error("Either SourceTableArn or SourceTableName must be specified")
        table = self.table(source_name)
        log = table.recovery
        if log is None:
            raise AWSError(
                "PointInTimeRecoveryUnavailableException",
                f"Point in time recovery is not enabled for table '{table.name}'",
            )
        earliest, latest = self._window(log)
        if params.get("UseLatestRestorableTime"):
            if params.get("RestoreDateTime") is not None:
                raise validation_error(
                    "Only one of RestoreDateTime or UseLatestRestorableTime can be specified"
                )
            when = latest
        elif params.get("RestoreDateTime") is not None:
            when = params["RestoreDateTime"].timestamp()
        else:
            raise validation_error("Either RestoreDateTime or UseLatestRestorableTime must be set")
        if not earliest <= when <= latest:
            raise AWSError(
                "InvalidRestoreTimeException",
                f"RestoreDateTime must be between {_iso(earliest)} and {_iso(latest)}",
            )
        restored = self._restore(params["TargetTableName"], table, log.items_at(when))
        moment = datetime.fromtimestamp(when, tz=self.env.clock.now_datetime().tzinfo)
        return self._restored(restored, {"SourceTableArn": table.arn, "RestoreDateTime": moment})

    def record_write(self, table: Table, key: Any, new: Item | None) -> None:
        """Called by ``commit`` for every write while point-in-time recovery is on."""
        log = table.recovery
        if log is not None:
            log.writes.append((self.env.clock.now(), key, copy_item(new) if new is not None else None))

    def _window(self, log: RecoveryLog) -> tuple[float, float]:
        now = self.env.clock.now()
        return max(log.enabled_at, now - log.days * 86400), now

    def _continuous(self, table: Table) -> dict[str, Any]:
        log = table.recovery
        recovery: dict[str, Any] = {"PointInTimeRecoveryStatus": "ENABLED" if log else "DISABLED"}
        if log is not None:
            earliest, latest = self._window(log)
            zone = self.env.clock.now_datetime().tzinfo
            recovery["RecoveryPeriodInDays"] = log.days
            recovery["EarliestRestorableDateTime"] = datetime.fromtimestamp(earliest, tz=zone)
            recovery["LatestRestorableDateTime"] = datetime.fromtimestamp(latest, tz=zone)
        return {"ContinuousBackupsStatus": "ENABLED", "PointInTimeRecoveryDescription": recovery}

    # --- restoring ---------------------------------------------------------------
    def _restore(self, name: str, source: Table, items: dict[Any, Item]) -> Table:
        if name in self.tables:
            raise AWSError("TableAlreadyExistsException", f"Table already exists: {name}")
        env = self.env
        table = _detached(source, items)
        table.name = name
        table.arn = env.arn("dynamodb", f"table/{name}")
        table.table_id = env.ids.uuid()
        table.created = env.clock.now_datetime()
        for index in table.indexes.values():
            index.description["IndexArn"] = f"{table.arn}/index/{index.name}"
        self.tables[name] = table
        return table

    @staticmethod
    def _restored(table: Table, summary: dict[str, Any]) -> dict[str, Any]:
        description = table.describe()
        description["RestoreSummary"] = {**summary, "RestoreInProgress": False}
        return {"TableDescription": description}


def _detached(table: Table, items: dict[Any, Item]) -> Table:
    """A copy of ``table`` with ``items``: no stream, TTL, tags, protection or recovery log."""
    indexes = {
        name: Index(i.name, i.schema, dict(i.projection), i.is_global, copy.deepcopy(i.description))
        for name, i in table.indexes.items()
    }
    return Table(
        name=table.name,
        arn=table.arn,
        table_id=table.table_id,
        key=table.key,
        attribute_definitions=[dict(d) for d in table.attribute_definitions],
        created=table.created,
        billing_mode=table.billing_mode,
        throughput=dict(table.throughput),
        indexes=indexes,
        items={key: copy_item(item) for key, item in items.items()},
    )


def _iso(when: float) -> str:
    return (datetime(1970, 1, 1) + timedelta(seconds=when)).isoformat() + "Z"
