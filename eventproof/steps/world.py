"""What one scenario's steps share: the backend, the contracts, the message, what was observed.

A ``World`` is the ``eventproof_world`` fixture: one per scenario, on a fresh
backend. A deployed template (``deploy_template``) makes its logical ids
usable wherever a step names a queue, function or table
(``"PaymentRequests"`` for the queue the template calls so).

The backend is the in-memory fakes unless ``EVENTPROOF_BACKEND=moto``. On
moto, which cannot run Python handlers, an invocation step calls the
function's in-process handler (registered with ``deploy_function`` or
``local_handler``) instead; steps that need what only the fakes model
(asynchronous invocation, delivery, faults, the virtual clock) skip the
scenario on moto with the reason.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest

from eventproof.errors import EventproofError

BACKEND_VARIABLE = "EVENTPROOF_BACKEND"
BACKENDS = ("fakes", "moto")
OBSERVER_PREFIX = "eventproof-observer-"

Handler = Callable[[Any, Any], Any]


class StepFailed(EventproofError, AssertionError):
    """A step's expectation does not hold; the message names the feature file, line and step."""

    area = "step failed"


@dataclass
class StepLocation:
    feature_file: str
    line: int
    text: str
    scenario: str

    def describe(self) -> str:
        return f'{self.feature_file}, line {self.line}, scenario "{self.scenario}": {self.text}'


@dataclass
class Observed:
    """A message seen on a bus or topic by the observer queue eventproof attached to it."""

    channel: str
    type: str | None
    body: Any


@dataclass
class World:
    """What one scenario's steps share (the ``eventproof_world`` fixture, fresh per scenario).

    | attribute | what it holds |
    | --- | --- |
    | `backend` | `"fakes"` or `"moto"` |
    | `session` | the boto3 session bound to the backend (make clients from it) |
    | `aws` | the `FakeAWS` on the fakes (clock, faults, invocations, deliveries); `None` on moto |
    | `catalog` | the contracts loaded by `Given the contracts in ...` or the deploy step |
    | `message`, `message_name` | the message the next steps send, and its contract's name |
    | `response` | the last synchronous answer (an invocation's result) |
    | `repeat_last` | how to send or invoke again (`When it is delivered N times`) |
    | `handlers` | in-process handlers by function name (used where the backend cannot run code) |
    | `observers`, `observed` | observer queues by channel, and what they caught (`collect()`) |
    | `resources` | a deployed template's logical id -> physical id |
    | `step` | where the running step is (feature file, line, text, scenario) |
    | `notes` | free room for a team's own steps |
    """

    backend: str
    session: boto3.session.Session
    aws: Any = None  # the FakeAWS, on the fakes
    catalog: Any = None
    message: Any = None
    message_name: str | None = None
    response: Any = None
    repeat_last: Callable[[], None] | None = None
    handlers: dict[str, Handler] = field(default_factory=dict)
    observers: dict[str, str] = field(default_factory=dict)  # channel -> observer queue URL
    observed: list[Observed] = field(default_factory=list)
    step: StepLocation | None = None
    stack: Any = None  # the stack of the last template deployed (``deploy_template``), on the fakes
    notes: dict[str, Any] = field(default_factory=dict)  # for pattern-specific steps
    resources: dict[str, str] = field(default_factory=dict)  # a deployed template: logical -> physical id

    # --- templates ----------------------------------------------------------------
    def deploy_template(self, template: str | os.PathLike[str],
                        parameters: dict[str, str] | None = None) -> Any:
        """Create the system a SAM/CloudFormation template describes, as the fakes' CloudFormation does.

        Its functions run their own code folder with their own environment, so the
        scenario exercises what the team deploys (no ``deploy_function`` needed); on
        moto, the resources are created through moto's clients and the functions
        run in process (``eventproof.steps.templates``). The template's logical ids
        then name its resources in steps (``physical``).
        Returns the stack (``stack.outputs``, ``stack.physical_id(logical_id)``).
        """
        from pathlib import Path

        from eventproof_fakes.cloudformation.errors import StrictModeError, TemplateError

        path, values = Path(template), dict(parameters or {})
        if not path.is_file():
            raise self.fail(f"no template file {path.resolve()}")
        try:
            if self.aws is None:  # moto: the same provisioning, the functions in process
                from eventproof.steps.templates import deploy_on_moto

                self.stack = deploy_on_moto(self, path, values)
            else:
                self.stack = self.aws.cloudformation.deploy(path, parameters=values)
        except (TemplateError, StrictModeError) as error:
            raise self.fail(f"the template does not deploy: {error}") from None
        self.resources.update({logical: str(built.physical_id)
                               for logical, built in self.stack.resources.items()})
        return self.stack

    def physical(self, name: str) -> str:
        """The name AWS knows: a deployed template's logical id becomes its physical id."""
        physical = self.resources.get(name, name)
        # A queue's physical id is its URL; steps want its name.
        return physical.rsplit("/", 1)[-1] if physical.startswith(("http://", "https://")) else physical

    # --- failures -----------------------------------------------------------------
    def fail(self, message: str) -> StepFailed:
        """A ``StepFailed`` naming the feature file, line and step: ``raise world.fail(...)``."""
        where = self.step
        return StepFailed(
            message,
            file=where.feature_file if where else None,
            line=where.line if where else None,
            hint=f"step: {where.text} (scenario \"{where.scenario}\")" if where else None,
        )

    def require_fakes(self, why: str) -> Any:
        """The ``FakeAWS``; on another backend the scenario is skipped, saying ``why``."""
        if self.aws is None:
            pytest.skip(f"needs eventproof's fakes: {why}")
        return self.aws

    # --- functions ----------------------------------------------------------------
    def deploy_function(self, name: str, handler: Handler) -> None:
        """Make ``handler`` function ``name``: a Lambda function on the fakes, in-process on moto."""
        self.handlers[name] = handler
        if self.aws is not None:
            self.aws.lambda_.register(name, handler)

    def local_handler(self, name: str, handler: Handler) -> None:
        """The in-process handler a step calls on backends that cannot run functions."""
        self.handlers[name] = handler

    def invoke(self, name: str, payload: Any) -> Any:
        """Invoke synchronously; returns the parsed result (an error result on failure)."""
        if name not in self.handlers:
            name = self.physical(name)
        if self.aws is None:
            if name not in self.handlers:
                raise self.fail(f"function {name!r} has no in-process handler to call on {self.backend}")
            return self.handlers[name](json.loads(json.dumps(payload)), None)
        answer = self.session.client("lambda").invoke(FunctionName=name, Payload=json.dumps(payload))
        return json.loads(answer["Payload"].read() or b"null")

    def invoke_async(self, name: str, payload: Any) -> int:
        """Invoke with ``InvocationType='Event'`` (fakes only); returns the status code (202)."""
        self.require_fakes("asynchronous invocation runs handlers")
        answer = self.session.client("lambda").invoke(
            FunctionName=self.physical(name), InvocationType="Event", Payload=json.dumps(payload)
        )
        return int(answer["StatusCode"])

    def now(self) -> float:
        """The time handlers should see: virtual on the fakes, the wall clock elsewhere."""
        if self.aws is not None:
            return float(self.aws.clock.now())
        import time

        return time.time()

    def settle(self) -> None:
        """Run every pending delivery, retry and timer (fakes; nothing to do on moto)."""
        if self.aws is not None:
            self.aws.run_until_idle()

    # --- observation --------------------------------------------------------------
    def observe_bus(self, bus: str) -> None:
        """Copy every event on ``bus`` to an observer queue (a real rule: works on any backend)."""
        events = self.session.client("events")
        url, arn = self._observer_queue(f"bus-{bus}")
        rule = f"{OBSERVER_PREFIX}{bus}"[:64]
        events.put_rule(Name=rule, EventBusName=bus, EventPattern=json.dumps({"account": [{"exists": True}]}))
        events.put_targets(Rule=rule, EventBusName=bus, Targets=[{"Id": "observer", "Arn": arn}])
        self.observers[f"bus:{bus}"] = url

    def observe_topic(self, topic_arn: str) -> None:
        """Subscribe an observer queue to the topic (messages are typed by their ``type`` attribute)."""
        url, arn = self._observer_queue(f"topic-{topic_arn.rsplit(':', 1)[-1]}")
        self.session.client("sns").subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn)
        self.observers[f"topic:{topic_arn.rsplit(':', 1)[-1]}"] = url

    def _observer_queue(self, suffix: str) -> tuple[str, str]:
        sqs = self.session.client("sqs")
        url = sqs.create_queue(QueueName=f"{OBSERVER_PREFIX}{suffix}"[:80])["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return url, arn

    def collect(self) -> list[Observed]:
        """Drain the observer queues into ``observed``; returns everything seen so far."""
        self.settle()
        sqs = self.session.client("sqs")
        for channel, url in self.observers.items():
            while True:
                messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
                if not messages:
                    break
                for message in messages:
                    self.observed.append(_observed(channel, json.loads(message["Body"])))
                    sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return self.observed

    def queue_url(self, name: str) -> str:
        """The queue's URL, by its name or a deployed template's logical id."""
        return str(self.session.client("sqs").get_queue_url(QueueName=self.physical(name))["QueueUrl"])


def _observed(channel: str, body: Any) -> Observed:
    if channel.startswith("bus:"):
        return Observed(channel, body.get("detail-type"), body.get("detail"))
    # An SNS envelope: the message type travels as the "type" message attribute.
    attributes = body.get("MessageAttributes") or {}
    kind = (attributes.get("type") or {}).get("Value")
    try:
        message = json.loads(body["Message"])
    except (TypeError, ValueError):
        message = body.get("Message")
    if kind is None and isinstance(message, dict) and {"requestContext", "responsePayload"} <= set(message):
        # Lambda sent an execution record to this topic (a destination): name it by its AWS contract.
        success = message["requestContext"].get("condition") == "Success"
        kind = "LambdaDestinationOnSuccess" if success else "LambdaDestinationOnFailure"
    return Observed(channel, kind, message)


def selected_backend() -> str:
    backend = os.environ.get(BACKEND_VARIABLE, "fakes")
    if backend not in BACKENDS:
        raise EventproofError(
            f"{BACKEND_VARIABLE}={backend!r} is not a backend", hint=f"use one of {', '.join(BACKENDS)}"
        )
    return backend


@contextlib.contextmanager
def open_world(backend: str | None = None, seed: int = 0) -> Iterator[World]:
    backend = backend or selected_backend()
    if backend == "moto":
        from moto import mock_aws

        credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
        with mock_aws():
            yield World(backend, boto3.session.Session(region_name="us-east-1", **credentials))
        return
    from eventproof_fakes import FakeAWS

    aws = FakeAWS(seed=seed)
    with aws.patch_boto3():
        yield World(backend, FakeAWS.session(), aws=aws)
