"""``eventproof verify --backend moto|endpoint`` on the sample team project, and bad backend options.

moto: the template deployed on moto in this process, the functions run by
eventproof through their real triggers. endpoint: a moto server started
here on 127.0.0.1, the team's stack created on it by this test with moto's
own CloudFormation (tests/cli/data/payments_stack.yaml).
"""

from __future__ import annotations

import io
import json
import socket
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from eventproof.catalog import Catalog
from eventproof.cli import run

pytestmark = pytest.mark.timeout(600)

ROOT = Path(__file__).resolve().parents[2]
PAYMENTS = ROOT / "examples" / "payments"
STACK = "payments-deployed"


def verify(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return run(["verify", *(str(a) for a in argv)], out, err), out.getvalue(), err.getvalue()


def statuses(report: Path) -> dict[tuple[str, str], str]:
    return {(r["handler"], r["check"]): r["status"] for r in json.loads(report.read_text())["results"]}


# --- moto -------------------------------------------------------------------------------
def test_the_sample_project_verifies_green_on_moto(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    code, out, err = verify("--config", PAYMENTS, "--examples", "3", "--backend", "moto",
                            "--report", f"json:{report}")
    assert "Traceback" not in err
    assert code == 0, out
    not_passed = {row: status for row, status in statuses(report).items() if status != "passed"}
    # moto runs no handler: eventproof drives queues, rules and async invokes, not API routes
    assert not_passed and all(handler == "RequestPaymentFunction" and status == "skipped"
                              for (handler, _), status in not_passed.items()), not_passed
    assert f"({len(not_passed)} skipped on moto)" in out
    document = json.loads(report.read_text())
    assert document["backend"] == "moto"
    assert Catalog.load(ROOT / "contracts" / "eventproof")["VerificationReport"].violations(document) == []
    assert statuses(report)[("ReceiptsFunction", "idempotent")] == "passed"


def test_the_wrong_handler_is_caught_on_moto() -> None:
    code, out, err = verify("--config", PAYMENTS, "--examples", "3", "--backend", "moto",
                            "--parameter", "Broken=true", "--only", "PaymentsFunction")
    assert code == 1, (out, err)
    assert "FAILED PaymentsFunction / idempotent" in out
    assert "the message is delivered 2 times via sqs" in out
    assert '"paymentId": "pay-' in out
    # The double charge itself: a second ledger entry and a second PaymentSettled.
    assert '"detail-type": "PaymentSettled"' in out and '"entryId": "<generated uuid>"' in out


# --- endpoint ---------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    session = boto3.session.Session(region_name="us-east-1", aws_access_key_id="testing",
                                    aws_secret_access_key="testing")
    cloudformation = session.client("cloudformation", endpoint_url=url)
    cloudformation.create_stack(StackName=STACK, TemplateBody=(
        Path(__file__).parent / "data" / "payments_stack.yaml").read_text())
    try:
        yield url
    finally:
        server.stop()


def _client(url: str, service: str) -> object:
    return boto3.session.Session(region_name="us-east-1", aws_access_key_id="testing",
                                 aws_secret_access_key="testing").client(service, endpoint_url=url)


def _resource(url: str, logical_id: str) -> str:
    found = _client(url, "cloudformation").describe_stack_resources(  # type: ignore[attr-defined]
        StackName=STACK, LogicalResourceId=logical_id)
    return str(found["StackResources"][0]["PhysicalResourceId"])


def test_the_sample_project_runs_what_it_can_against_a_deployed_stack(endpoint: str, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    code, out, err = verify("--config", PAYMENTS, "--examples", "3", "--backend", "endpoint",
                            "--endpoint-url", endpoint, "--stack", STACK, "--report", f"json:{report}")
    assert "Traceback" not in err
    assert code == 0, out
    checks = statuses(report)
    assert checks[("PaymentsFunction", "accepts-valid")] == "passed"
    assert checks[("PaymentsFunction", "emits")] == "passed"
    assert checks[("ReceiptsFunction", "accepts-valid")] == "passed"
    # Never silently green: what needs an emptied account is listed as skipped, with why.
    assert checks[("PaymentsFunction", "idempotent")] == "skipped"
    assert checks[("PaymentsFunction", "rejects-invalid")] == "skipped"
    assert "skipped PaymentsFunction / idempotent" in out and "emptied account" in out
    assert f"{sum(status == 'skipped' for status in checks.values())} skipped on endpoint" in out
    # The handlers ran against the endpoint's own tables (their deployed variables).
    dynamodb = _client(endpoint, "dynamodb")
    for table in ("LedgerTable", "ReceiptsTable"):
        assert dynamodb.scan(TableName=_resource(endpoint, table))["Count"] >= 1  # type: ignore[attr-defined]


def test_a_handler_failing_on_the_endpoint_fails_its_check(endpoint: str) -> None:
    lam = _client(endpoint, "lambda")
    function = _resource(endpoint, "PaymentsFunction")
    deployed = lam.get_function_configuration(FunctionName=function)["Environment"]  # type: ignore[attr-defined]
    broken = {**deployed["Variables"], "PAYMENTS_TABLE": "no-such-table"}
    lam.update_function_configuration(FunctionName=function, Environment={"Variables": broken})  # type: ignore[attr-defined]
    try:
        code, out, _ = verify("--config", PAYMENTS, "--examples", "2", "--backend", "endpoint",
                              "--endpoint-url", endpoint, "--stack", STACK, "--only", "PaymentsFunction")
    finally:
        lam.update_function_configuration(FunctionName=function, Environment=deployed)  # type: ignore[attr-defined]
    assert code == 1, out
    assert "FAILED PaymentsFunction / accepts-valid" in out
    assert "ResourceNotFoundException" in out or "no-such-table" in out or "BatchProcessingError" in out


def test_a_stack_the_endpoint_does_not_have_is_a_usage_error(endpoint: str) -> None:
    code, out, err = verify("--config", PAYMENTS, "--backend", "endpoint", "--endpoint-url", endpoint,
                            "--stack", "no-such-stack")
    assert code == 2, (out, err)
    assert "--stack no-such-stack" in err and "Traceback" not in err


# --- bad options ------------------------------------------------------------------------
@pytest.mark.parametrize(("argv", "expected"), [
    (["--backend", "endpoint"], "--backend endpoint needs --endpoint-url"),
    (["--backend", "endpoint", "--endpoint-url", "http://127.0.0.1:9"], "--backend endpoint needs --stack"),
    (["--backend", "nowhere"], "invalid choice: 'nowhere'"),
    (["--backend", "moto", "--endpoint-url", "http://127.0.0.1:9"], "only apply to --backend endpoint"),
    (["--endpoint-url", "http://127.0.0.1:9"], "only apply to --backend endpoint"),
])
def test_bad_backend_options_are_usage_errors(argv: list[str], expected: str) -> None:
    code, out, err = verify("--config", PAYMENTS, *argv)
    assert code == 2, (out, err)
    assert expected in err and "Traceback" not in err


def test_an_unreachable_endpoint_is_a_usage_error() -> None:
    code, out, err = verify("--config", PAYMENTS, "--backend", "endpoint",
                            "--endpoint-url", f"http://127.0.0.1:{_free_port()}", "--stack", STACK)
    assert code == 2, (out, err)
    assert "cannot reach it" in err and "Traceback" not in err
