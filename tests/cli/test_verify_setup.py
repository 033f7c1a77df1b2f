"""``eventproof verify`` for a team without a template: a setup function and import-path handlers."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from eventproof.cli import run

CONTRACT = Path(__file__).resolve().parents[2] / "examples/payments/contracts/PaymentRequested.schema.json"

SETUP = '''
def build(session):
    session.client("dynamodb").create_table(
        TableName="payments", BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "paymentId", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "paymentId", "KeyType": "HASH"}])
'''

HANDLERS = '''
import json

import boto3


def settle(event, context):
    table = boto3.resource("dynamodb").Table("payments")
    request = json.loads(event["Records"][0]["body"]) if "Records" in event else event
    table.update_item(Key={"paymentId": request["paymentId"]},
                      UpdateExpression="ADD settled :one", ExpressionAttributeValues={":one": 1})
'''


def project(tmp_path: Path, handler_update: str) -> Path:
    (tmp_path / "contracts").mkdir(parents=True)
    shutil.copy(CONTRACT, tmp_path / "contracts")
    (tmp_path / "system_setup.py").write_text(SETUP)
    (tmp_path / "team_handlers.py").write_text(HANDLERS.replace("ADD settled :one", handler_update))
    (tmp_path / "eventproof.toml").write_text(
        'setup = "system_setup:build"\n\n[handlers."team_handlers:settle"]\n'
        'consumes = "PaymentRequested"\nvia = "sqs"\npromises = ["accepts-valid", "idempotent"]\n')
    return tmp_path


def verify(root: Path, backend: str = "fakes") -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["verify", "--config", str(root), "--examples", "5", "--backend", backend], out, err)
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue()


def test_an_idempotent_handler_built_by_a_setup_function_passes(tmp_path: Path) -> None:
    code, out = verify(project(tmp_path, "SET settled = :one"))
    assert code == 0, out
    assert "team_handlers:settle" in out and "everything holds" in out


def test_a_counting_handler_built_by_a_setup_function_is_not_idempotent(tmp_path: Path) -> None:
    code, out = verify(project(tmp_path, "ADD settled :one"))
    assert code == 1
    assert "FAILED team_handlers:settle / idempotent" in out


@pytest.mark.timeout(300)
@pytest.mark.parametrize("via", ["sqs", "async"])
def test_a_setup_project_verifies_on_moto_too(tmp_path: Path, via: str) -> None:
    good = project(tmp_path / "good", "SET settled = :one")
    counting = project(tmp_path / "counting", "ADD settled :one")
    for root in (good, counting):
        config = root / "eventproof.toml"
        config.write_text(config.read_text().replace('via = "sqs"', f'via = "{via}"'))
    code, out = verify(good, "moto")
    assert code == 0, out
    assert "team_handlers:settle" in out and "everything holds" in out
    code, out = verify(counting, "moto")
    assert code == 1, out
    assert "FAILED team_handlers:settle / idempotent" in out


def test_a_handler_module_the_project_does_not_have_is_a_configuration_error(tmp_path: Path) -> None:
    root = project(tmp_path, "SET settled = :one")
    config = root / "eventproof.toml"
    config.write_text(config.read_text().replace("team_handlers:settle", "missing_module:settle"))
    out, err = io.StringIO(), io.StringIO()
    assert run(["verify", "--config", str(root)], out, err) == 2
    assert 'handlers.missing_module:settle: no module \'missing_module\'' in err.getvalue()
    assert str(config) in err.getvalue() and "Traceback" not in err.getvalue()
