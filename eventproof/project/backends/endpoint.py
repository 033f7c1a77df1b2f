"""``--backend endpoint``: the team's deployed stack at an AWS-compatible endpoint, used as it is.

The endpoint's resources belong to the team: eventproof reads the stack
(``cloudformation:DescribeStackResources`` of ``--stack``) and each
function's configuration (``lambda:GetFunctionConfiguration``: its
environment variables as deployed), and creates, empties or deletes nothing.
The handler runs in this process (``runtime.Function``: its code folder from
the local template, its deployed variables, ``AWS_ENDPOINT_URL`` pointing
its clients at the endpoint), invoked with the event its trigger would
deliver (an SQS record, an EventBridge event): sending into the team's queue
would hand the message to the deployed function instead.

What runs here: the catalog, ``accepts-valid`` (each generated message is
handled without error or batch item failure) and ``emits`` (every message
the handler sends is declared). What does not: the properties that compare
two runs' outcomes from an emptied account (``idempotent``, ``crash-safe``,
``order-insensitive``, ``rejects-invalid``): they are reported "skipped".
The handler's writes are real: point it at a test stack.
"""

from __future__ import annotations

import datetime
import functools
import json
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import boto3
import boto3.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from eventproof.errors import ConfigError, EventproofError
from eventproof.project.backends.base import Backend, InProcessBench, Unsupported
from eventproof.project.backends.envelopes import eventbridge_event, sqs_event, sqs_record
from eventproof.project.backends.runtime import CallWatch, Function, FunctionSpec, failure_of
from eventproof.properties.system import Delivery, Run, System, Via

if TYPE_CHECKING:
    from eventproof.project.config import HandlerConfig
    from eventproof.project.resolve import Project

__all__ = ["NEEDS_AN_EMPTY_ACCOUNT", "EndpointBackend", "EndpointBench", "EndpointError"]

NEEDS_AN_EMPTY_ACCOUNT = ("idempotent", "crash-safe", "order-insensitive", "rejects-invalid")
# Fail fast on an endpoint that does not answer: a usage error, not a hang.
_CONFIG = Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 1},
                 account_id_endpoint_mode="disabled")


class EndpointError(EventproofError):
    """The endpoint does not have, or does not answer for, what a handler needs."""

    area = "endpoint"


class EndpointBackend(Backend):
    """A stack deployed at ``endpoint_url``; one session (``profile``) shared by every call."""

    name = "endpoint"

    def __init__(self, endpoint_url: str, *, stack: str, region: str = "us-east-1",
                 profile: str | None = None) -> None:
        self.endpoint_url = endpoint_url
        self.stack = stack
        self.region = region
        self.profile = profile
        self.session: Any = None
        self.resources: dict[str, tuple[str, str]] = {}  # logical id -> (type, physical id)
        self._clients: dict[str, Any] = {}

    def describe(self) -> str:
        return f"endpoint {self.endpoint_url} (stack {self.stack}, {self.region})"

    def open(self) -> None:
        try:
            session = boto3.session.Session(profile_name=self.profile, region_name=self.region)
        except BotoCoreError as error:
            raise ConfigError(f"--profile {self.profile}: {error}") from None
        if session.get_credentials() is None:
            # A local emulator takes any key; real AWS would refuse these, as it should.
            session = boto3.session.Session(region_name=self.region, aws_access_key_id="testing",
                                            aws_secret_access_key="testing")
        self.session = session
        try:
            found = self.client("cloudformation").describe_stack_resources(StackName=self.stack)
        except ClientError as error:
            raise ConfigError(f"--stack {self.stack}: {self.endpoint_url} answers "
                              f"{error.response['Error'].get('Code')}: "
                              f"{error.response['Error'].get('Message')}") from None
        except (BotoCoreError, ValueError) as error:
            raise ConfigError(f"--endpoint-url {self.endpoint_url}: cannot reach it ({error})",
                              hint="is the endpoint running, and is the URL right?") from None
        self.resources = {r["LogicalResourceId"]: (r["ResourceType"], r.get("PhysicalResourceId", ""))
                          for r in found.get("StackResources", [])}

    def close(self) -> None:
        self._clients.clear()

    def client(self, service: str) -> Any:
        client = self._clients.get(service)
        if client is None:
            client = self._clients[service] = self.session.client(
                service, endpoint_url=self.endpoint_url, config=_CONFIG)
        return client

    def cannot_run(self, check: str) -> str | None:
        if check in NEEDS_AN_EMPTY_ACCOUNT:
            return (f"{check} compares runs that each start from an emptied account; the "
                    f"endpoint's resources are the team's, and eventproof never empties them "
                    "(run it with --backend fakes or moto)")
        return None

    def system(self, project: Project, handler: HandlerConfig) -> System:
        if project.config.template is None:
            raise Unsupported("the endpoint backend finds a handler's code through the template; "
                              "a project with a setup function runs on the fakes and moto")
        kind, physical = self.resources.get(handler.name, ("", ""))
        if kind != "AWS::Lambda::Function" or not physical:
            functions = sorted(k for k, (t, _) in self.resources.items() if t == "AWS::Lambda::Function")
            raise EndpointError(f"the stack {self.stack} at {self.endpoint_url} has no function "
                                f"{handler.name!r}", hint=f"its functions: {', '.join(functions) or 'none'}")
        try:
            found = self.client("lambda").get_function_configuration(FunctionName=physical)
        except (ClientError, BotoCoreError) as error:
            raise EndpointError(f"{handler.name}: cannot read the function {physical} at "
                                f"{self.endpoint_url}: {str(error).splitlines()[0]}") from None
        spec = FunctionSpec(
            name=physical, arn=found["FunctionArn"], handler=found["Handler"],
            folder=_code_folder(project, handler.name, self.region),
            environment=dict(found.get("Environment", {}).get("Variables", {})),
            timeout=float(found.get("Timeout", 3)), memory=int(found.get("MemorySize", 128)),
            region=self.region)
        return System(build=_no_build, name=physical, deployed=True, own_trigger=True,
                      timeout=int(spec.timeout),
                      bench=functools.partial(EndpointBench, backend=self, spec=spec,
                                              queue_arn=self._queue_arn(spec)))

    def _queue_arn(self, spec: FunctionSpec) -> str:
        """The function's SQS trigger as deployed, else a name saying where the record came from."""
        try:
            found = self.client("lambda").list_event_source_mappings(FunctionName=spec.name)
        except (ClientError, BotoCoreError):
            found = {}
        queues = [m["EventSourceArn"] for m in found.get("EventSourceMappings", [])
                  if m.get("EventSourceArn", "").startswith("arn:aws:sqs:")]
        if len(queues) == 1:
            return str(queues[0])
        account = spec.arn.split(":")[4]
        return f"arn:aws:sqs:{spec.region}:{account}:eventproof-endpoint-input"


def _no_build(aws: Any) -> None:
    raise Unsupported("an endpoint system is deployed already: it is not built on the fakes")


def _code_folder(project: Project, logical_id: str, region: str) -> Path:
    from eventproof_fakes.cloudformation import read_template
    from eventproof_fakes.cloudformation.backend import _sam_session
    from eventproof_fakes.cloudformation.provisioner import _code_folder as folder_of

    path = project.config.template
    assert path is not None
    template = read_template(path.read_text(), source=str(path), base_dir=path.parent,
                             parameters=dict(project.config.parameters), session=_sam_session(region))
    resource = template.resources.get(logical_id) or {}
    folder = folder_of(template, (resource.get("Properties") or {}).get("Code") or {},
                       resource.get("Metadata") or {})
    if folder is None:
        raise Unsupported(f"{logical_id}: its code is not a folder on disk in {path}")
    return folder


class EndpointBench(InProcessBench):
    """Invokes the function in this process with each message, as its trigger would deliver it."""

    backend: EndpointBackend

    def __init__(self, system: System, *, backend: EndpointBackend, spec: FunctionSpec,
                 queue_arn: str) -> None:
        super().__init__(backend)
        self.system = system
        self.spec = spec
        self.queue_arn = queue_arn  # what the SQS records name as their source

    def run(self, messages: Sequence[Any], *, via: Via | Delivery, copies: int = 1,
            crash: tuple[int, Literal["before", "after"]] | None = None,
            later: Sequence[float] = ()) -> Run:
        if copies > 1 or crash is not None or later:
            raise Unsupported("duplicates, crashes and late copies are injected on the fakes or "
                              "moto, not into the team's endpoint")
        delivery = via if isinstance(via, Delivery) else Delivery(via)
        if delivery.via not in ("sqs", "eventbridge"):
            raise Unsupported(f"via={delivery.via!r} is not delivered on the endpoint backend")
        watch = CallWatch(observers=list(self.watchers))
        calls: list[str] = []
        watch.observers.append(lambda call: calls.append(f"{call.service}.{call.operation}")
                               if call.invocation is not None else None)
        credentials = self.backend.session.get_credentials().get_frozen_credentials()
        environment: dict[str, str | None] = {
            "AWS_ENDPOINT_URL": self.backend.endpoint_url, "AWS_ACCESS_KEY_ID": credentials.access_key,
            "AWS_SECRET_ACCESS_KEY": credentials.secret_key, "AWS_SESSION_TOKEN": credentials.token}
        function = Function(self.spec, watch, extra_environment=environment)
        invocations = []
        with watch.patch():
            for message in messages:
                invocations.append(function.invoke(self._event(delivery, json.dumps(message))))
        failures = [failure_of(i, batch_item_failures=True) for i in invocations]
        return Run({"tables": {}, "queues": {}, "events": {}}, calls, "no faults injected",
                   [i.payload for i in invocations], handled=failures.count(None),
                   failures=[f for f in failures if f is not None])

    def _event(self, delivery: Delivery, body: str) -> dict[str, Any]:
        spec, account = self.spec, self.spec.arn.split(":")[4]
        if delivery.via == "eventbridge":
            return eventbridge_event({"Source": delivery.source, "DetailType": delivery.detail_type,
                                      "Detail": body}, event_id=None, account=account, region=spec.region)
        now = str(int(datetime.datetime.now(datetime.UTC).timestamp() * 1000))
        message = {"MessageId": str(uuid.uuid4()), "ReceiptHandle": f"eventproof-{uuid.uuid4()}",
                   "Body": body, "Attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": now,
                                                "SenderId": account,
                                                "ApproximateFirstReceiveTimestamp": now}}
        return sqs_event([sqs_record(message, self.queue_arn, spec.region)])

