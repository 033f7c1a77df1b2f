"""``FakeAWS``: one in-memory AWS account and region on a virtual clock."""

from __future__ import annotations

import contextlib
import importlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

import boto3
import botocore.session

from eventproof_fakes import snapshots
from eventproof_fakes.binding import ClientBinding
from eventproof_fakes.clock import VirtualClock
from eventproof_fakes.errors import (
    NotImplementedOperation,
    StepLimitExceeded,
    UnsupportedParameter,
    UnsupportedService,
)
from eventproof_fakes.faults import Faults
from eventproof_fakes.ids import IdGenerator
from eventproof_fakes.locking import DriverSeat, HandlerRuns
from eventproof_fakes.observe import DeliveryLog
from eventproof_fakes.operations import operation_table, refused_in, refused_parameters
from eventproof_fakes.patching import Patch, patched
from eventproof_fakes.records import check_limit

if TYPE_CHECKING:
    from pathlib import Path

    from eventproof_fakes.apigateway import APIGateway, APIGatewayV2
    from eventproof_fakes.cloudformation import CloudFormation
    from eventproof_fakes.dynamodb import DynamoDB, DynamoDBStreams
    from eventproof_fakes.events import EventBridge
    from eventproof_fakes.kinesis import Kinesis
    from eventproof_fakes.lambda_ import Lambda
    from eventproof_fakes.logs import CloudWatchLogs
    from eventproof_fakes.pipes import Pipes
    from eventproof_fakes.s3 import S3
    from eventproof_fakes.scheduler import Scheduler
    from eventproof_fakes.secretsmanager import SecretsManager
    from eventproof_fakes.ses import SES, SESv2
    from eventproof_fakes.snapshots import Snapshot
    from eventproof_fakes.sns import SNS
    from eventproof_fakes.sqs import SQS
    from eventproof_fakes.ssm import SSM
    from eventproof_fakes.sts import STS

# botocore service name -> (attribute on FakeAWS, "module:Class" of its backend).
# Streams are read through the DynamoDB backend, which owns the tables.
# A new service is one folder under fakes/ plus one line here and one typed
# property on ``FakeAWS``.
SERVICES: dict[str, tuple[str, str]] = {
    "dynamodb": ("dynamodb", "eventproof_fakes.dynamodb:DynamoDB"),
    "dynamodbstreams": ("dynamodbstreams", "eventproof_fakes.dynamodb:DynamoDBStreams"),
    "sqs": ("sqs", "eventproof_fakes.sqs:SQS"),
    "sns": ("sns", "eventproof_fakes.sns:SNS"),
    "lambda": ("lambda_", "eventproof_fakes.lambda_:Lambda"),
    "events": ("events", "eventproof_fakes.events:EventBridge"),
    "pipes": ("pipes", "eventproof_fakes.pipes:Pipes"),
    "logs": ("logs", "eventproof_fakes.logs:CloudWatchLogs"),
    "ssm": ("ssm", "eventproof_fakes.ssm:SSM"),
    "sts": ("sts", "eventproof_fakes.sts:STS"),
    "secretsmanager": ("secretsmanager", "eventproof_fakes.secretsmanager:SecretsManager"),
    "ses": ("ses", "eventproof_fakes.ses:SES"),
    "sesv2": ("sesv2", "eventproof_fakes.ses:SESv2"),
    "scheduler": ("scheduler", "eventproof_fakes.scheduler:Scheduler"),
    "s3": ("s3", "eventproof_fakes.s3:S3"),
    "apigateway": ("apigateway", "eventproof_fakes.apigateway:APIGateway"),
    "apigatewayv2": ("apigatewayv2", "eventproof_fakes.apigateway:APIGatewayV2"),
    "kinesis": ("kinesis", "eventproof_fakes.kinesis:Kinesis"),
    "cloudformation": ("cloudformation", "eventproof_fakes.cloudformation:CloudFormation"),
}

DUMMY_CREDENTIALS = {
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
    "aws_session_token": "testing",
}

_shared_session: boto3.session.Session | None = None
_shared_session_lock = threading.Lock()


def shared_session() -> boto3.session.Session:
    """One boto3 session per process: a fresh one costs ~100 ms, a client on it ~2 ms.

    The session holds botocore's model loader and nothing of any fake's state;
    each client gets its own event handlers, bound to one ``FakeAWS``.
    """
    global _shared_session
    with _shared_session_lock:
        if _shared_session is None:
            _shared_session = boto3.session.Session(**DUMMY_CREDENTIALS)
        return _shared_session


class Pump(Protocol):
    """Pending work the environment drives: pollers of event source mappings, pipes."""

    def pump(self) -> bool:
        """Do one unit of ready work; False when nothing is ready now."""

    def next_wakeup(self) -> float | None:
        """The virtual time at which work becomes ready, if any is waiting."""


class FakeAWS:
    """One account in one region: a virtual clock and one backend per service.

    Nothing is shared between two instances; ids, receipt handles and
    sequence numbers come from ``seed``.

    Threads: every AWS call through a bound client is atomic (``lock``, one
    re-entrant lock per environment), and ``run_until_idle`` may be called
    from several threads: one drives at a time, the others wait for it and
    then drive what is left. A handler runs with the lock released, so the
    threads it starts can call the fakes (see ``eventproof_fakes.locking``).

    Long runs: ``max_records`` keeps only the newest N deliveries,
    invocations and injected faults (``record=False``: none); each of those
    logs counts what it dropped (``eventproof_fakes.records``).
    """

    def __init__(
        self,
        region: str = "us-east-1",
        account_id: str = "123456789012",
        seed: int = 0,
        *,
        record: bool = True,
        max_records: int | None = None,
    ) -> None:
        self.region = region
        self.account_id = account_id
        self.seed = seed
        if not record and max_records not in (None, 0):
            raise ValueError("record=False keeps no records: leave max_records unset")
        self.max_records = check_limit(0 if not record else max_records)
        # Thread safety (issue 12): one re-entrant lock around every operation and every
        # step of run_until_idle; ``drivers`` lets one thread at a time drive the pumps.
        self.lock = threading.RLock()
        self.drivers = DriverSeat(self.lock)
        self.handler_runs = HandlerRuns(self.lock)
        self._binding = ClientBinding(self)
        self.reset()

    def reset(self) -> None:
        """Forget every resource, message, timer, fault and id: as fresh as a new instance.

        Clients already bound to this environment stay bound and see the
        empty account. Creating a botocore client costs ~20 ms, so code that
        runs many short scenarios (property checks) resets one environment
        instead of building a new one, with its clients, per scenario.
        """
        self.clock = VirtualClock()
        self.ids = IdGenerator(self.seed)
        self.faults = Faults(self)
        # Every AWS-shaped record a fake hands a consumer (see eventproof_fakes.observe).
        self.deliveries = DeliveryLog(self.max_records)
        self._backends: dict[str, Any] = {}
        self._handlers: dict[
            tuple[str, str], tuple[Callable[[dict[str, Any]], dict[str, Any]], frozenset[str]]
        ] = {}
        self._pumps: list[Pump] = []
        # A KeyboardInterrupt a handler raised: recorded as its failed invocation, then raised
        # by run_until_idle once the trigger has put the message back where AWS leaves it.
        self.interrupted: BaseException | None = None

    def snapshot(self) -> Snapshot:
        """This environment's state now, to ``restore`` any number of times (``eventproof_fakes.snapshots``).

        Far cheaper to restore than to provision again: a test provisions once,
        snapshots, and restores before each scenario.
        """
        return snapshots.take(self)

    def restore(self, snapshot: Snapshot) -> None:
        """Back to exactly the state of ``snapshot``: resources, messages, clock, ids, pumps."""
        snapshots.restore(self, snapshot)

    # --- services -----------------------------------------------------------
    def backend(self, service: str) -> Any:
        """The backend of a botocore service name; ``UnsupportedService`` if none is modelled."""
        backend = self._backends.get(service)
        if backend is None:
            if service not in SERVICES:
                raise UnsupportedService(service, sorted(SERVICES))
            _, target = SERVICES[service]
            module_name, class_name = target.split(":")
            backend = getattr(importlib.import_module(module_name), class_name)(self)
            self._backends[service] = backend
        return backend

    @property
    def dynamodb(self) -> DynamoDB:
        return self.backend("dynamodb")

    @property
    def dynamodbstreams(self) -> DynamoDBStreams:
        return self.backend("dynamodbstreams")

    @property
    def sqs(self) -> SQS:
        return self.backend("sqs")

    @property
    def sns(self) -> SNS:
        return self.backend("sns")

    @property
    def lambda_(self) -> Lambda:
        return self.backend("lambda")

    @property
    def events(self) -> EventBridge:
        return self.backend("events")

    @property
    def pipes(self) -> Pipes:
        return self.backend("pipes")

    @property
    def logs(self) -> CloudWatchLogs:
        """CloudWatch Logs; ``aws.logs("fn")`` lists Lambda function fn's log messages."""
        return self.backend("logs")

    @property
    def ssm(self) -> SSM:
        return self.backend("ssm")

    @property
    def sts(self) -> STS:
        return self.backend("sts")

    @property
    def secretsmanager(self) -> SecretsManager:
        return self.backend("secretsmanager")

    @property
    def ses(self) -> SES:
        return self.backend("ses")

    @property
    def sesv2(self) -> SESv2:
        return self.backend("sesv2")

    @property
    def scheduler(self) -> Scheduler:
        return self.backend("scheduler")

    @property
    def s3(self) -> S3:
        return self.backend("s3")

    @property
    def apigateway(self) -> APIGateway:
        return self.backend("apigateway")

    @property
    def apigatewayv2(self) -> APIGatewayV2:
        return self.backend("apigatewayv2")

    @property
    def kinesis(self) -> Kinesis:
        return self.backend("kinesis")

    @property
    def cloudformation(self) -> CloudFormation:
        return self.backend("cloudformation")

    @classmethod
    def from_template(
        cls,
        path: str | Path,
        *,
        parameters: dict[str, Any] | None = None,
        imports: dict[str, Any] | None = None,
        stack_name: str | None = None,
        strict: bool = False,
        **options: Any,
    ) -> FakeAWS:
        """A new environment with the template's stack created (``aws.cloudformation.stack(name)``).

        ``options`` go to ``FakeAWS(...)`` (region, account_id, seed).
        """
        env = cls(**options)
        env.cloudformation.deploy(
            path, stack_name=stack_name, parameters=parameters, imports=imports, strict=strict
        )
        return env

    def dispatch(self, service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Answer one AWS call: only operations registered with ``@operation`` are reachable.

        Atomic: it runs under ``lock`` (a handler it runs, Invoke's, releases it).
        """
        with self.lock:
            return self.dispatch_locked(service, operation, params)

    def dispatch_locked(
        self, service: str, operation: str, params: dict[str, Any]
    ) -> dict[str, Any]:
        """``dispatch`` for a caller already holding ``lock`` (the boto3 binding)."""
        key = (service, operation)
        entry = self._handlers.get(key)
        if entry is None:
            backend = self.backend(service)
            table = operation_table(type(backend))
            method = table.method(operation)
            if method is None:
                raise NotImplementedOperation(service, operation)
            entry = self._handlers[key] = (
                method.__get__(backend),
                refused_parameters(service, operation, table),
            )
        handler, refused = entry
        if refused:
            name = refused_in(params, refused)
            if name is not None:
                raise UnsupportedParameter(service, operation, name)
        return handler(params)

    def invocations(self, function_name: str) -> list[Any]:
        """Every invocation of a fake Lambda function: event, result or error, attempt."""
        return self.backend("lambda").invocations(function_name)

    def arn(self, service: str, resource: str) -> str:
        return f"arn:aws:{service}:{self.region}:{self.account_id}:{resource}"

    # --- boto3 --------------------------------------------------------------
    @staticmethod
    def session() -> boto3.session.Session:
        """The process's shared boto3 session (dummy credentials), for code that needs one.

        A new ``Session`` costs ~100 ms; this one holds no state of any
        environment. Bind its clients with ``bind`` (or inside ``patch_boto3``).
        """
        return shared_session()

    def client(self, service: str, **kwargs: Any) -> Any:
        """A real botocore client whose calls are answered by this environment."""
        kwargs.setdefault("region_name", self.region)
        client = shared_session().client(service, **kwargs)
        self._binding.attach(client)
        return client

    def resource(self, service: str, **kwargs: Any) -> Any:
        """A real boto3 resource (e.g. ``resource("dynamodb").Table("Orders")``)."""
        kwargs.setdefault("region_name", self.region)
        resource = shared_session().resource(service, **kwargs)
        self._binding.attach(resource.meta.client)
        return resource

    def bind(self, client: Any) -> Any:
        """Bind a client made elsewhere (e.g. by a team's own session) to this environment."""
        self._binding.attach(client)
        return client

    def patch_boto3(self) -> Patch[FakeAWS]:
        """Bind every boto3/botocore client created inside the block to this environment.

        Like moto's ``mock_aws``: it covers ``boto3.client``, ``boto3.resource``,
        clients of any ``boto3.session.Session`` and code that creates clients
        at import time inside the block. Credentials default to dummy ones
        and the region to this environment's, so nothing looks for real
        credentials. Everything is restored on exit, also on error. Patches
        nest last in, first out (``eventproof_fakes.patching``): closing one while a
        patch opened inside it is still open raises ``PatchOrderError``.
        """
        env = self

        def binding(original: Callable[..., Any]) -> Callable[..., Any]:
            # A plain function, so that botocore binds the session as ``self``.
            def create_client(session: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
                if (
                    not args
                    and kwargs.get("region_name") is None
                    and not session.get_config_variable("region")
                ):
                    kwargs["region_name"] = env.region
                if kwargs.get("aws_access_key_id") is None and session._credentials is None:
                    for key, value in DUMMY_CREDENTIALS.items():
                        kwargs.setdefault(key, value)
                client = original(session, service_name, *args, **kwargs)
                env._binding.attach(client)
                return client

            return create_client

        return patched(
            f"FakeAWS.patch_boto3 (environment {id(self):#x})",
            (botocore.session.Session, "create_client", binding),
            (boto3, "DEFAULT_SESSION", lambda _: None),
            result=self,
        )

    # --- driving deliveries -------------------------------------------------
    def add_pump(self, pump: Pump) -> None:
        self._pumps.append(pump)

    def remove_pump(self, pump: Pump) -> None:
        with contextlib.suppress(ValueError):
            self._pumps.remove(pump)

    def run_until_idle(self, max_steps: int = 10_000) -> int:
        """Drive every pending delivery, retry and timer until nothing is left.

        Ready work runs first: due timers, then the pumps. A pump that moved
        a batch is asked again (due timers still run first) until it has
        nothing more; a pump that found nothing is not asked again until
        something has happened since (a timer, another pump's work, the
        clock moving). When nothing is ready the clock jumps to the next
        foreground timer or pump wake-up. Returns the number of steps.
        Raises ``StepLimitExceeded`` (with what is still pending) rather than
        stopping silently. Inside handlers the process's wall clock follows the
        virtual clock (``eventproof_fakes.wall_time``), entered once per run, not per handler.

        Threads: one thread drives at a time, holding ``lock`` except while a
        handler runs; another thread's call waits for that run to end, then
        drives whatever is pending by then (``eventproof_fakes.locking.DriverSeat``).
        """
        with self.drivers:
            clock = self.clock
            wall_time = clock.wall
            wall_time.hold()
            try:
                return self._drive(clock, max_steps)
            finally:
                wall_time.release()

    def _drive(self, clock: VirtualClock, max_steps: int) -> int:
        steps = 0
        idle: set[int] = set()  # ids of the pumps that found no work since the last change
        while True:
            if clock.run_due():
                idle.clear()
                steps = self._step(steps, max_steps)
                continue
            busy = None
            for pump in list(self._pumps):
                if id(pump) in idle:
                    continue
                if pump.pump():
                    busy = pump
                    break
                idle.add(id(pump))
            if busy is not None:
                idle.clear()
                steps = self._step(steps, max_steps)
                while True:
                    if clock.run_due():
                        steps = self._step(steps, max_steps)
                        break
                    if not busy.pump():
                        idle.add(id(busy))
                        break
                    steps = self._step(steps, max_steps)
                continue
            wakeups = [w for w in (p.next_wakeup() for p in self._pumps) if w is not None]
            due = clock.next_due()
            if due is not None:
                wakeups.append(due)
            if not wakeups:
                return steps
            if self.handler_runs.wait_for_other_threads():
                # Time moves only when no other thread's handler runs (eventproof_fakes.locking);
                # what those handlers did may be ready now.
                idle.clear()
                continue
            clock.advance_to(max(min(wakeups), clock.now()))
            idle.clear()
            steps = self._step(steps, max_steps)

    def _step(self, steps: int, max_steps: int) -> int:
        if self.interrupted is not None:
            interrupt, self.interrupted = self.interrupted, None
            raise interrupt
        steps += 1
        if steps >= max_steps:
            pending = [t.label for t in self.clock.pending() if not t.background]
            raise StepLimitExceeded(
                f"run_until_idle stopped after {max_steps} steps with work pending: "
                f"timers {pending[:10]}, pumps {len(self._pumps)}"
            )
        return steps


