"""Deploying one template on the fakes (their CloudFormation) or on moto (the provisioner with moto's clients)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from eventproof_fakes import FakeAWS
from eventproof_fakes.cloudformation import Provisioner, Report, read_template

REGION = "us-east-1"
STACK = "cases"
_moto_session: boto3.session.Session | None = None


@dataclass
class Deployed:
    """A deployed template, read back only through boto3 (plus outputs and the report)."""

    backend: str
    outputs: dict[str, str]
    physical: dict[str, str]
    report: Report
    not_built: dict[str, str]
    _client: Any
    env: FakeAWS | None = None

    def client(self, service: str) -> Any:
        return self._client(service)

    def reported(self, logical_id: str) -> list[str]:
        return [f"{e.what}: {e.detail}" for e in self.report.entries if e.logical_id == logical_id]


def moto_session() -> boto3.session.Session:
    global _moto_session
    if _moto_session is None:
        _moto_session = boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
        )
    return _moto_session


def moto_client(service: str) -> Any:
    config = Config(account_id_endpoint_mode="disabled") if service.startswith("dynamodb") else None
    return moto_session().client(service, region_name=REGION, config=config)


def deploy_on_fakes(path: Path, **options: Any) -> Deployed:
    env = FakeAWS(region=REGION)
    stack = env.cloudformation.deploy(path, stack_name=STACK, **options)
    return Deployed(
        "fakes", stack.outputs, {k: b.physical_id for k, b in stack.resources.items()},
        stack.report, stack.not_built, env.client, env,
    )


def deploy_on_moto(path: Path, *, parameters: dict[str, Any] | None = None,
                   imports: dict[str, Any] | None = None, strict: bool = False) -> Deployed:
    """Call inside ``mock_aws()``: the same provisioner, with moto's clients."""
    template = read_template(
        path.read_text(), source=str(path), base_dir=path.parent, parameters=parameters or {},
        session=moto_session(),
    )
    provisioner = Provisioner(moto_client, region=REGION)
    deployment = provisioner.deploy(
        template, stack_name=STACK, parameters=parameters, imports=imports, strict=strict
    )
    return Deployed(
        "moto", {k: v["OutputValue"] for k, v in deployment.outputs.items()},
        {k: b.physical_id for k, b in deployment.resources.items()},
        deployment.report, deployment.not_built, moto_client,
    )


@contextmanager
def deployed(backend: str, path: Path, **options: Any) -> Iterator[Deployed]:
    if backend == "fakes":
        yield deploy_on_fakes(path, **options)
        return
    from moto import mock_aws

    with mock_aws():
        yield deploy_on_moto(path, **options)


HANDLER = '''\
import os


def lambda_handler(event, context):
    return {"function": os.environ.get("AWS_LAMBDA_FUNCTION_NAME"), "event": event}
'''


def write_template(folder: Path, text: str) -> Path:
    """The template and a ``src/app.py`` handler beside it (CodeUri: src/)."""
    (folder / "src").mkdir(exist_ok=True)
    (folder / "src" / "app.py").write_text(HANDLER)
    path = folder / "template.yaml"
    path.write_text(text)
    return path


def queue_attributes(d: Deployed, logical_id: str) -> dict[str, str]:
    sqs = d.client("sqs")
    return dict(sqs.get_queue_attributes(QueueUrl=d.physical[logical_id], AttributeNames=["All"])["Attributes"])


def mappings_of(d: Deployed, function_logical_id: str) -> list[dict[str, Any]]:
    name = d.physical[function_logical_id]
    return list(d.client("lambda").list_event_source_mappings(FunctionName=name)["EventSourceMappings"])
