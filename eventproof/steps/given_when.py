"""Steps that set the scene and act: contracts, messages, sending, invoking, time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pytest_bdd import given, parsers, when

from eventproof.caching import BoundedCache
from eventproof.steps.world import World
from eventproof_fakes.errors import FaultError

_UNIT_SECONDS = {"second": 1, "seconds": 1, "minute": 60, "minutes": 60, "hour": 3600, "hours": 3600}


@given(parsers.parse('the contracts in "{path}"'))
def the_contracts_in(eventproof_world: World, path: str) -> None:
    """Load the contract catalog from ``path`` (relative to where pytest runs); later steps check against it."""
    eventproof_world.catalog = _load_catalog(path)


# A few catalogs (a suite may alternate between folders); each holds compiled validators.
_catalogs: BoundedCache[tuple[Path, tuple[tuple[str, int, int], ...]], Any] = BoundedCache(4)


def _load_catalog(path: str) -> Any:
    """A catalog per folder and file state: loading takes ~1 s, scenarios use the same one many times."""
    from eventproof.catalog import Catalog

    folder = Path(path).resolve()
    state = tuple(
        sorted((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in folder.rglob("*") if f.is_file())
    )
    key = (folder, state)
    return _catalogs.get_or_make(key, lambda: Catalog.load(path))


@given(parsers.re(r'the system is deployed from the template "(?P<path>[^"]+)"(?: with (?P<parameters>.+))?'))
def the_system_is_deployed_from_the_template(eventproof_world: World, path: str, parameters: str | None) -> None:
    """Create everything the SAM/CloudFormation template describes (``path`` relative to where pytest
    runs); its functions run their own code with their own environment. Parameters: ``with Stage=test, Variant=pipes``.
    On moto the functions run in process, each with its own code folder and environment."""
    eventproof_world.deploy_template(path, _parameters(eventproof_world, parameters or ""))


def _parameters(world: World, text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, equals, value = part.partition("=")
        if not equals or not name.strip():
            raise world.fail(f"template parameter {part!r} is not NAME=VALUE")
        found[name.strip()] = value.strip()
    return found


@given(parsers.re(r'an? "(?P<name>[^"]+)" (?P<kind>command|event|request|message|payload) with:'))
def a_message_with(eventproof_world: World, name: str, kind: str, docstring: str) -> None:
    """The message the next steps send: the docstring is its JSON; ``name`` is its contract."""
    try:
        eventproof_world.message = json.loads(docstring)
    except json.JSONDecodeError as error:
        raise eventproof_world.fail(f"the docstring is not JSON: {error}") from None
    eventproof_world.message_name = name


@given(parsers.re(r'the "(?P<name>[^"]+)" (?:command|event|request|message|payload) with "(?P<field>[^"]+)" set to (?P<value>.+)'))
def the_message_with_a_field_set_to(eventproof_world: World, name: str, field: str, value: str) -> None:
    """Change one top-level field of the current message; ``value`` is JSON (``"x"``, ``5``, ``[]``)."""
    if not isinstance(eventproof_world.message, dict):
        raise eventproof_world.fail("there is no message to change: give one first with 'a \"Name\" command with:'")
    try:
        eventproof_world.message[field] = json.loads(value)
    except json.JSONDecodeError:
        raise eventproof_world.fail(f"{value!r} is not a JSON value (quote strings)") from None


@when(parsers.parse('it is sent to the "{queue}" queue'))
def it_is_sent_to_the_queue(eventproof_world: World, queue: str) -> None:
    """Send the message as an SQS message body (JSON)."""
    world = eventproof_world
    sqs, url, body = world.session.client("sqs"), world.queue_url(queue), json.dumps(world.message)

    def send() -> None:
        sqs.send_message(QueueUrl=url, MessageBody=body)

    send()
    world.repeat_last = send


@when(parsers.parse('the "{function}" function is invoked with it'))
def the_function_is_invoked_with_it(eventproof_world: World, function: str) -> None:
    """Invoke synchronously (RequestResponse) with the message; keep the answer as the response."""
    world = eventproof_world

    def invoke() -> None:
        world.response = world.invoke(function, world.message)

    invoke()
    world.repeat_last = invoke


@when(parsers.parse('the "{function}" function is invoked asynchronously'))
@when(parsers.parse('the "{function}" function is invoked asynchronously with it'))
def the_function_is_invoked_asynchronously(eventproof_world: World, function: str) -> None:
    """Invoke with ``InvocationType='Event'``: Lambda queues it; nothing runs until the system settles."""
    world = eventproof_world

    def invoke() -> None:
        world.response = {"StatusCode": world.invoke_async(function, world.message)}

    invoke()
    world.repeat_last = invoke


@when(parsers.parse("it is delivered {times:d} times"))
@when(parsers.parse("it is delivered {times:d} more times"))
def it_is_delivered_times(eventproof_world: World, times: int) -> None:
    """Repeat the last send or invocation: with "N times" N in all, with "N more times" N again."""
    world = eventproof_world
    if world.repeat_last is None:
        raise world.fail("nothing was sent or invoked yet, so there is nothing to deliver again")
    already = 1 if "more" not in (world.step.text if world.step else "") else 0
    for _ in range(times - already):
        world.repeat_last()


@when(parsers.parse('the "{queue}" queue is consumed by the "{function}" function'))
def the_queue_is_consumed_by(eventproof_world: World, queue: str, function: str) -> None:
    """Let the function's SQS event source mapping run. On moto (no mappings run there) the
    step polls the queue itself, calls the in-process handler with Lambda's SQS event, and
    deletes what it processed, honouring ``batchItemFailures``."""
    world = eventproof_world
    if world.aws is not None:
        world.settle()
        return
    sqs, url = world.session.client("sqs"), world.queue_url(queue)
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"]).get("Messages", []):
        records = [_sqs_record(message, arn, world.session.region_name) for message in messages]
        result = world.handlers[function]({"Records": records}, None) or {}
        failed = {failure["itemIdentifier"] for failure in result.get("batchItemFailures", [])}
        for message in messages:
            if message["MessageId"] not in failed:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        if failed:
            break


def _sqs_record(message: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    return {
        "messageId": message["MessageId"], "receiptHandle": message["ReceiptHandle"], "body": message["Body"],
        "attributes": message.get("Attributes", {}), "messageAttributes": message.get("MessageAttributes", {}),
        "md5OfBody": message["MD5OfBody"], "eventSource": "aws:sqs", "eventSourceARN": queue_arn, "awsRegion": region,
    }


@when("the system settles")
@given("the system settles")
def the_system_settles(eventproof_world: World) -> None:
    """Run every pending delivery, retry and timer on the virtual clock (a no-op on moto)."""
    eventproof_world.settle()


@when(parsers.parse("the virtual clock advances {amount:d} {unit}"))
@given(parsers.parse("the virtual clock advances {amount:d} {unit}"))
def the_virtual_clock_advances(eventproof_world: World, amount: int, unit: str) -> None:
    """Move virtual time forward (``seconds``, ``minutes`` or ``hours``), firing what falls due."""
    aws = eventproof_world.require_fakes("only the fakes have a virtual clock")
    if unit not in _UNIT_SECONDS:
        raise eventproof_world.fail(f"unknown unit {unit!r}; use seconds, minutes or hours")
    aws.clock.advance(amount * _UNIT_SECONDS[unit])


@given(parsers.re(r'the "(?P<function>[^"]+)" function crashes right (?P<when>after|before) its (?P<nth>\d+)(?:st|nd|rd|th) AWS call'))
def the_function_crashes_at_a_call(eventproof_world: World, function: str, when: str, nth: str) -> None:
    """Kill the handler at its Nth AWS call, once: "after" means the call took effect, "before" that it did not."""
    aws = eventproof_world.require_fakes("fault injection")
    try:
        aws.faults.crash(eventproof_world.physical(function), at_call=int(nth), when=when)
    except FaultError as error:
        raise eventproof_world.fail(str(error)) from None


@given(parsers.parse('the "{function}" function is throttled'))
def the_function_is_throttled(eventproof_world: World, function: str) -> None:
    """Every attempt to run the function is throttled (as if its concurrency were exhausted)."""
    aws = eventproof_world.require_fakes("fault injection")
    try:
        aws.faults.throttle(eventproof_world.physical(function), times=1_000_000)
    except FaultError as error:
        raise eventproof_world.fail(str(error)) from None


@given(parsers.re(r'every delivery on "(?P<channel>[^"]+)" is duplicated'))
def every_delivery_is_duplicated(eventproof_world: World, channel: str) -> None:
    """Deliver each message on the channel twice (e.g. ``sqs:payments``, ``lambda:order``, ``stream:Books``)."""
    aws = eventproof_world.require_fakes("fault injection")
    try:
        aws.faults.duplicate(channel, times=2)
    except FaultError as error:
        raise eventproof_world.fail(str(error)) from None
