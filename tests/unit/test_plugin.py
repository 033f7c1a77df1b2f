"""The pytest plugin, run by pytester on a copy of the sample team project."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
PAYMENTS = ROOT / "examples" / "payments"

TESTS = '''
import json

import boto3


def test_fake_aws_binds_boto3(fake_aws):
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    assert fake_aws.client("sqs").list_queues()["QueueUrls"] == [url]


def test_each_test_gets_a_fresh_account(fake_aws):
    assert boto3.client("sqs").list_queues().get("QueueUrls", []) == []


def test_the_catalog_is_the_projects(eventproof_catalog):
    assert sorted(eventproof_catalog.names()) == ["PaymentRequest", "PaymentRequested", "PaymentSettled"]


def test_the_stack_is_deployed_and_runs(eventproof_stack):
    stack = eventproof_stack.cloudformation.stack()
    sqs = boto3.client("sqs")
    sqs.send_message(QueueUrl=stack.outputs["PaymentRequestsUrl"], MessageBody=json.dumps(
        {"paymentId": "pay-0001", "account": "acc-1", "amount": 5, "currency": "EUR"}))
    eventproof_stack.run_until_idle()
    table = boto3.resource("dynamodb").Table(stack.outputs["ReceiptsTableName"])
    assert [item["paymentId"] for item in table.scan()["Items"]] == ["pay-0001"]


def test_examples_option_sets_the_hypothesis_profile(request):
    from hypothesis import settings

    assert settings.default.max_examples == request.config.getoption("--eventproof-examples")
'''


@pytest.fixture()
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    # The subprocess imports this checkout's eventproof (PYTHONPATH=. would be the temp folder).
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    for entry in PAYMENTS.iterdir():
        if entry.name in ("__pycache__", ".hypothesis"):
            continue
        target = pytester.path / entry.name
        (shutil.copytree if entry.is_dir() else shutil.copy)(entry, target)
    return pytester


def test_the_fixtures_work_on_a_team_project(project: pytest.Pytester) -> None:
    project.makepyfile(test_payments=TESTS)
    result = project.runpytest_subprocess("-p", "no:cacheprovider", "--eventproof-examples", "7")
    result.assert_outcomes(passed=5)


BACKEND_TESTS = '''
from eventproof.project import verify


def test_the_backend_is_the_one_chosen(eventproof_backend, eventproof_project):
    assert eventproof_backend.name == "moto"
    verification = verify(eventproof_project, examples=2, only="ReceiptsFunction",
                          backend=eventproof_backend)
    assert verification.backend == "moto"
    assert [r.status for r in verification.results] == ["passed"] * 4, verification.results
'''


@pytest.mark.timeout(300)
def test_the_backend_option_selects_where_handlers_run(project: pytest.Pytester) -> None:
    project.makepyfile(test_backend=BACKEND_TESTS)
    result = project.runpytest_subprocess("-p", "no:cacheprovider", "--eventproof-backend", "moto")
    result.assert_outcomes(passed=1)


def test_a_bad_backend_option_fails_readably(project: pytest.Pytester) -> None:
    project.makepyfile(test_backend=BACKEND_TESTS)
    result = project.runpytest_subprocess("-p", "no:cacheprovider", "--eventproof-backend", "endpoint")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*--backend endpoint needs --endpoint-url*"])
    assert "Traceback" not in result.stdout.str()


def test_the_options_are_listed_under_their_heading(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess("--help")
    result.stdout.fnmatch_lines(["eventproof*", "*--eventproof-config=PATH*",
                                 "*--eventproof-examples=N*", "*--eventproof-backend=NAME*"])


def test_a_broken_configuration_fails_the_tests_that_need_it_readably(
        project: pytest.Pytester) -> None:
    pyproject = project.path / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('via = "sqs"', 'via = "kafka"'))
    project.makepyfile(test_it="def test_it(eventproof_catalog):\n    pass\n")
    result = project.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*handlers.PaymentsFunction.via: expected one of*"])
    assert "Traceback" not in result.stdout.str()


def test_a_team_with_its_own_fakes_package_keeps_it(project: pytest.Pytester) -> None:
    """eventproof's fakes import as ``eventproof_fakes``: a team's ``fakes`` is its own."""
    project.mkpydir("fakes").joinpath("__init__.py").write_text('TEAM = "ours"\n')
    project.makepyfile(test_team='''
import boto3

import fakes  # the team's own package


def test_both(fake_aws):
    assert fakes.TEAM == "ours"
    assert boto3.client("sqs").create_queue(QueueName="q")["QueueUrl"]
    assert type(fake_aws).__module__.startswith("eventproof_fakes.")
''')
    result = project.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
