"""``--backend moto``: the template deployed on moto in this process, the functions run by eventproof.

moto keeps tables, queues and buses like AWS but needs Docker to run a
Python function, so every run of a property:

1. empties moto (``mock_aws``'s reset) and deploys the project's template
   on it with the CloudFormation ``Provisioner`` through boto3 (moto's own
   CloudFormation lacks most of these resource types);
2. takes over the functions' triggers (``drive.take_over``) and loads each
   function as Lambda would (``runtime.Function``: its code folder, the
   environment variables moto stored, import-time clients bound to moto);
3. sends the messages into the handler's real trigger (its queue, or its
   rule's bus), with the run's duplicates and crash;
4. drives the queues and rules until nothing is left to deliver and
   observes the outcome through boto3 (tables scanned, queues drained,
   events the ``PutEvents`` calls published).

A project with a ``setup`` function instead of a template: the function
creates its resources on moto, and the handler gets the input the fakes'
bench wires (``inputs``). Cannot run here: a copy delivered later
(``later``: the clock stands still during a run), and what ``take_over``
cannot drive; each is ``Unsupported``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import boto3
import boto3.session
import time_machine
from botocore.config import Config
from botocore.exceptions import ClientError

from eventproof.project.backends.base import Backend, InProcessBench, Unsupported
from eventproof.project.backends.drive import Driver, Route, SqsMapping, take_over
from eventproof.project.backends.inputs import SetupSystem, wire_input
from eventproof.project.backends.runtime import Call, CallWatch, Function, FunctionSpec, failure_of
from eventproof.properties.deliveries.eventbridge import is_input
from eventproof.properties.system import (
    INPUT_DLQ,
    Delivery,
    Run,
    System,
    Via,
)
from eventproof_fakes.clock import DEFAULT_EPOCH

if TYPE_CHECKING:
    from eventproof.project.config import HandlerConfig
    from eventproof.project.resolve import Project
    from eventproof_fakes.cloudformation import Template

__all__ = ["MotoBackend", "MotoBench"]

ACCOUNT = "123456789012"  # moto's default account
_CONFIG = Config(account_id_endpoint_mode="disabled")
DRIVEN = ("sqs", "eventbridge", "async")  # the deliveries this bench drives itself


@dataclass(frozen=True)
class _Deployable:
    template: Template
    stack_name: str
    parameters: dict[str, str]


class MotoBackend(Backend):
    """moto's ``mock_aws`` for the length of the verification, one boto3 session shared."""

    name = "moto"

    def __init__(self, region: str = "us-east-1") -> None:
        self.region = region
        self._mock: Any = None
        self.session: Any = None
        self._clients: dict[str, Any] = {}
        self._templates: dict[tuple[str, str], _Deployable] = {}

    def open(self) -> None:
        from moto import mock_aws

        self._mock = mock_aws()
        self._mock.start()
        # One session for eventproof's calls and the handlers' default session (~100 ms each).
        self.session = boto3.session.Session(region_name=self.region, aws_access_key_id="testing",
                                             aws_secret_access_key="testing")

    def close(self) -> None:
        if self._mock is not None:
            self._mock.stop()
            self._mock = None
            self._clients.clear()

    def describe(self) -> str:
        return f"moto (in process, {self.region})"

    def client(self, service: str) -> Any:
        client = self._clients.get(service)
        if client is None:
            # moto 5.2 with current botocore answers DynamoDB (Streams) calls only with
            # the account id left out of the endpoint.
            client = self._clients[service] = self.session.client(service, config=_CONFIG)
        return client

    def reset(self) -> None:
        self._mock.reset()

    def system(self, project: Project, handler: HandlerConfig) -> System:
        config = project.config
        if config.template is None:
            return self._setup_system(project, handler)
        deployable = self._deployable(config.template, dict(config.parameters))
        return System(build=_no_build, name=project.functions[handler.name], deployed=True,
                      own_trigger=True, timeout=project.timeouts[handler.name],
                      bench=functools.partial(MotoBench, backend=self, deployable=deployable))

    def _setup_system(self, project: Project, handler: HandlerConfig) -> System:
        from eventproof.project.resolve import _import

        config = project.config
        setup = _import(config, config.setup or "", "setup")
        module, _, attribute = handler.name.partition(":")
        name = f"{module.replace('.', '-')}-{attribute}"  # as the fakes name it
        spec = FunctionSpec(name=name, arn=f"arn:aws:lambda:{self.region}:{ACCOUNT}:function:{name}",
                            handler=f"{module}.{attribute}", folder=config.root, environment={},
                            timeout=30, region=self.region)
        return System(build=_no_build, name=name, deployed=True, seed=0,
                      bench=functools.partial(MotoBench, backend=self, setup=SetupSystem(setup, spec)))

    def _deployable(self, path: Path, parameters: dict[str, str]) -> _Deployable:
        from eventproof_fakes.cloudformation import read_template
        from eventproof_fakes.cloudformation.backend import _sam_session, _stack_name

        key = (str(path), repr(sorted(parameters.items())))
        if key not in self._templates:
            template = read_template(path.read_text(), source=str(path), base_dir=path.parent,
                                     parameters=parameters, session=_sam_session(self.region))
            # The stack name the fakes give it, so physical names read the same on both.
            self._templates[key] = _Deployable(template, _stack_name(path), parameters)
        return self._templates[key]


def _no_build(aws: Any) -> None:
    raise Unsupported("a moto system is built by its bench, not on the fakes")


class MotoBench(InProcessBench):
    """One property's runs of ``system`` on moto: what ``eventproof.properties.Bench`` is on the fakes."""

    backend: MotoBackend

    def __init__(self, system: System, backend: MotoBackend, *, deployable: _Deployable | None = None,
                 setup: SetupSystem | None = None) -> None:
        super().__init__(backend)
        self.system = system
        self.deployable = deployable
        self.setup = setup
        self._specs: dict[str, FunctionSpec] | None = None
        self._bus = "default"

    def run(self, messages: Sequence[Any], *, via: Via | Delivery, copies: int = 1,
            crash: tuple[int, Literal["before", "after"]] | None = None,
            later: Sequence[float] = ()) -> Run:
        """Deploy on an emptied moto, deliver through the handler's trigger, drive, observe."""
        if later:
            raise Unsupported("a copy delivered seconds later needs the fakes' virtual clock "
                              "(on moto the clock stands still during a run)")
        delivery = via if isinstance(via, Delivery) else Delivery(via)
        if delivery.via not in DRIVEN:
            raise Unsupported(f"via={delivery.via!r}: eventproof drives only "
                              f"{', '.join(DRIVEN)} deliveries on moto (moto runs no handler)")
        self.backend.reset()
        # The wall clock stands still at the fakes' epoch for the run, as the fakes' virtual
        # clock does: times a handler writes (Powertools' expirations) read the same every run.
        with time_machine.travel(DEFAULT_EPOCH, tick=False) as traveller:
            return self._run(messages, delivery, copies, crash, traveller.shift)

    def _run(self, messages: Sequence[Any], delivery: Delivery, copies: int,
             crash: tuple[int, Literal["before", "after"]] | None,
             advance: Callable[[float], None]) -> Run:
        backend, system = self.backend, self.system
        watch = CallWatch(observers=list(self.watchers))
        calls: list[str] = []

        def count(call: Call) -> None:
            if call.invocation is not None and call.invocation.function_name == system.name:
                calls.append(f"{call.service}.{call.operation}")

        watch.observers.append(count)
        with watch.patch():
            with watch.internal():
                specs, mappings, routes = self._deploy(delivery)
                if system.name not in specs:
                    raise Unsupported(f"the deployment on moto has no function {system.name!r}")
                functions = {name: Function(spec, watch) for name, spec in specs.items()}
            driver = Driver(backend.client, functions, mappings, routes, watch, _matches, ACCOUNT,
                            backend.region, copies=copies, advance=advance)
            watch.after = driver.after_call
            input_queue, dead_letters = self._trigger(driver, delivery)
            if crash is not None:
                watch.arm_crash(system.name, crash[0], crash[1])
            for message in messages:
                self._send(driver, delivery, message, input_queue)
            driver.run_until_idle()
            outcome = driver.observe(input_queues=(input_queue,) if input_queue else ())
        if dead_letters is not None:
            outcome["queues"][INPUT_DLQ] = outcome["queues"].pop(dead_letters, [])
        outcome["events"] = {bus: kept for bus, events in outcome["events"].items()
                             if (kept := [e for e in events if not is_input(e, delivery)])}
        own = [i for i in driver.invocations if i.function_name == system.name]
        failures = [failure_of(i) for i in own]
        faults = [f"duplicate: each delivery on {driver.trigger_channel} made {copies} times"] if copies > 1 else []
        if watch.crash is not None and watch.crash.fired:
            faults.append(watch.crash.fired)
        return Run(outcome, calls, "\n".join(faults) or "no faults injected",
                   [i.payload for i in own], handled=failures.count(None),
                   failures=[f for f in failures if f is not None])

    def _deploy(self, delivery: Delivery) -> tuple[dict[str, FunctionSpec], list[SqsMapping], list[Route]]:
        """The system on the emptied moto: the template with its triggers taken over, or the
        setup function's resources and the input the bench wires for the handler."""
        backend = self.backend
        if self.setup is not None:
            self.setup.setup(backend.session)
            mappings, routes = wire_input(backend.client, self.setup.spec, delivery)
            return {self.setup.spec.name: self.setup.spec}, mappings, routes
        assert self.deployable is not None
        deployment = _provisioner(backend).deploy(
            self.deployable.template, stack_name=self.deployable.stack_name,
            parameters=self.deployable.parameters)
        specs = self._function_specs(deployment, self.deployable.template)
        return (specs, *take_over(backend.client, specs))

    def _function_specs(self, deployment: Any, template: Template) -> dict[str, FunctionSpec]:
        """Every deployed function as moto stored it (read once: every run deploys the same)."""
        if self._specs is None:
            lam = self.backend.client("lambda")
            specs = {}
            for built in deployment.resources.values():
                if built.type != "AWS::Lambda::Function":
                    continue
                metadata = template.resources.get(built.logical_id, {}).get("Metadata") or {}
                folder = _code_folder(template, built.properties.get("Code"), metadata)
                if folder is None:
                    raise Unsupported(f"{built.logical_id}: its code is not a folder on disk")
                found = lam.get_function_configuration(FunctionName=built.physical_id)
                retries = _retries(lam, built.logical_id, built.physical_id)
                specs[built.physical_id] = FunctionSpec(
                    name=built.physical_id, arn=found["FunctionArn"], handler=found["Handler"],
                    folder=folder, environment=dict(found.get("Environment", {}).get("Variables", {})),
                    timeout=float(found.get("Timeout", 3)), memory=int(found.get("MemorySize", 128)),
                    region=self.backend.region, async_attempts=1 + retries)
                if found.get("DeadLetterConfig", {}).get("TargetArn"):
                    raise Unsupported(f"{built.logical_id}: its DeadLetterConfig is not driven here")
            self._specs = specs
        return self._specs

    def _trigger(self, driver: Driver, delivery: Delivery) -> tuple[str | None, str | None]:
        """(input queue, its dead-letter queue) of the handler's own trigger; arms the duplicate channel."""
        name = self.system.name
        if delivery.via == "sqs":
            mine = [m for m in driver.mappings if m.function == name]
            if len(mine) != 1:
                raise Unsupported(f"{name}: via='sqs' needs exactly one SQS event source, found {len(mine)}")
            queue = mine[0].queue_arn.rsplit(":", 1)[-1]
            driver.trigger_channel = f"sqs:{queue}"
            with driver.watch.internal():
                attributes = self.backend.client("sqs").get_queue_attributes(
                    QueueUrl=mine[0].queue_url, AttributeNames=["RedrivePolicy"])["Attributes"]
            policy = attributes.get("RedrivePolicy")
            dead = json.loads(policy)["deadLetterTargetArn"].rsplit(":", 1)[-1] if policy else None
            return queue, dead
        if delivery.via == "eventbridge":
            rules = [r for r in driver.routes if r.function == name]
            if len(rules) != 1:
                raise Unsupported(f"{name}: via='eventbridge' needs exactly one rule targeting it, "
                                  f"found {len(rules)}")
            driver.trigger_channel = f"events:{rules[0].rule_arn}"
            self._bus = rules[0].bus
            return None, None
        driver.trigger_channel = f"lambda:{name}"  # async: invoked directly, as Lambda's Invoke
        return None, None

    def _send(self, driver: Driver, delivery: Delivery, message: Any, input_queue: str | None) -> None:
        body = json.dumps(message)
        if delivery.via == "sqs":
            mapping = next(m for m in driver.mappings if m.function == self.system.name)
            self.backend.client("sqs").send_message(QueueUrl=mapping.queue_url, MessageBody=body)
        elif delivery.via == "async":
            driver.invoke_async(self.system.name, message)
        else:
            self.backend.client("events").put_events(Entries=[{
                "EventBusName": self._bus, "Source": delivery.source,
                "DetailType": delivery.detail_type, "Detail": body}])


def _retries(lam: Any, logical_id: str, name: str) -> int:
    """The function's MaximumRetryAttempts for asynchronous invocations; destinations are not driven."""
    try:
        config = lam.get_function_event_invoke_config(FunctionName=name)
    except ClientError:
        return 2  # none configured: Lambda's default
    if config.get("DestinationConfig", {}).get("OnSuccess") or config.get(
            "DestinationConfig", {}).get("OnFailure"):
        raise Unsupported(f"{logical_id}: the destinations of its EventInvokeConfig are not driven here")
    return int(config.get("MaximumRetryAttempts", 2))


def _matches(pattern: str, event: dict[str, Any]) -> bool:
    """moto's own event pattern matcher (its TestEventPattern is not implemented)."""
    from moto.events.models import EventPattern

    return bool(EventPattern.load(pattern).matches_event(event))  # type: ignore[arg-type]


def _provisioner(backend: MotoBackend) -> Any:
    from eventproof_fakes.cloudformation import Provisioner

    return Provisioner(backend.client, region=backend.region, account_id=ACCOUNT)


def _code_folder(template: Template, code: Any, metadata: dict[str, Any]) -> Path | None:
    from eventproof_fakes.cloudformation.provisioner import _code_folder as folder_of

    return folder_of(template, code, metadata)

