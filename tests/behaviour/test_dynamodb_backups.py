"""DynamoDB on-demand backups and point-in-time recovery, on the fakes and on moto.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/BackupRestore.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

PITR_DOC = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html"


def table(aws: Any) -> Any:
    client = aws.client("dynamodb")
    client.create_table(
        TableName="Things",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    client.put_item(TableName="Things", Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    return client


def keys(client: Any, name: str) -> list[str]:
    return sorted(i["pk"]["S"] for i in client.scan(TableName=name)["Items"])


def test_a_backup_restores_the_items_it_saw(aws: Any) -> None:
    client = table(aws)
    arn = client.create_backup(TableName="Things", BackupName="first")["BackupDetails"]["BackupArn"]
    client.put_item(TableName="Things", Item={"pk": {"S": "b"}})
    restored = client.restore_table_from_backup(TargetTableName="Copy", BackupArn=arn)
    assert restored["TableDescription"]["TableName"] == "Copy"
    assert keys(client, "Copy") == ["a"]
    assert keys(client, "Things") == ["a", "b"]


def test_backups_are_described_and_listed(aws: Any) -> None:
    client = table(aws)
    details = client.create_backup(TableName="Things", BackupName="first")["BackupDetails"]
    assert details["BackupName"] == "first"
    assert details["BackupStatus"] in ("CREATING", "AVAILABLE")
    described = client.describe_backup(BackupArn=details["BackupArn"])["BackupDescription"]
    assert described["SourceTableDetails"]["TableName"] == "Things"
    summaries = client.list_backups(TableName="Things")["BackupSummaries"]
    assert [s["BackupName"] for s in summaries] == ["first"]


def test_a_deleted_backup_is_gone(aws: Any) -> None:
    client = table(aws)
    arn = client.create_backup(TableName="Things", BackupName="first")["BackupDetails"]["BackupArn"]
    client.delete_backup(BackupArn=arn)
    assert client.list_backups(TableName="Things")["BackupSummaries"] == []
    with pytest.raises(ClientError) as raised:
        client.describe_backup(BackupArn=arn)
    assert raised.value.response["Error"]["Code"] == "BackupNotFoundException"


def test_restoring_onto_an_existing_table_is_refused(aws: Any) -> None:
    client = table(aws)
    arn = client.create_backup(TableName="Things", BackupName="first")["BackupDetails"]["BackupArn"]
    with pytest.raises(ClientError) as raised:
        client.restore_table_from_backup(TargetTableName="Things", BackupArn=arn)
    assert raised.value.response["Error"]["Code"] == "TableAlreadyExistsException"


def test_point_in_time_recovery_is_off_until_enabled(aws: Any) -> None:
    client = table(aws)
    description = client.describe_continuous_backups(TableName="Things")["ContinuousBackupsDescription"]
    assert description["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "DISABLED"
    enabled = client.update_continuous_backups(
        TableName="Things", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )["ContinuousBackupsDescription"]
    assert enabled["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"


@pytest.mark.fakes_only  # PITR_DOC: recovery must be enabled; moto 5.2 restores anyway
def test_restoring_to_a_point_in_time_needs_recovery_enabled(aws: Any) -> None:
    client = table(aws)
    with pytest.raises(ClientError) as raised:
        client.restore_table_to_point_in_time(
            SourceTableName="Things", TargetTableName="Copy", UseLatestRestorableTime=True
        )
    assert raised.value.response["Error"]["Code"] == "PointInTimeRecoveryUnavailableException"


def test_restoring_to_the_latest_time_copies_the_current_items(aws: Any) -> None:
    client = table(aws)
    client.update_continuous_backups(
        TableName="Things", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    client.put_item(TableName="Things", Item={"pk": {"S": "b"}})
    client.restore_table_to_point_in_time(SourceTableName="Things", TargetTableName="Copy", UseLatestRestorableTime=True)
    assert keys(client, "Copy") == ["a", "b"]


@pytest.mark.fakes_only  # PITR_DOC: restore to any second in the window; needs the virtual clock
def test_restoring_to_an_earlier_time_undoes_later_writes(aws: Any) -> None:
    client = table(aws)
    client.update_continuous_backups(
        TableName="Things", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    aws.advance(60)
    client.put_item(TableName="Things", Item={"pk": {"S": "b"}})
    moment = aws.env.clock.now_datetime()
    aws.advance(60)
    client.delete_item(TableName="Things", Key={"pk": {"S": "a"}})
    client.put_item(TableName="Things", Item={"pk": {"S": "c"}})
    aws.advance(60)
    client.restore_table_to_point_in_time(SourceTableName="Things", TargetTableName="Then", RestoreDateTime=moment)
    assert keys(client, "Then") == ["a", "b"]
    assert keys(client, "Things") == ["b", "c"]


@pytest.mark.fakes_only  # PITR_DOC: outside the window is InvalidRestoreTimeException
def test_restoring_to_before_recovery_was_enabled_is_refused(aws: Any) -> None:
    client = table(aws)
    before = aws.env.clock.now_datetime() - timedelta(hours=1)
    client.update_continuous_backups(
        TableName="Things", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    with pytest.raises(ClientError) as raised:
        client.restore_table_to_point_in_time(SourceTableName="Things", TargetTableName="Then", RestoreDateTime=before)
    assert raised.value.response["Error"]["Code"] == "InvalidRestoreTimeException"
