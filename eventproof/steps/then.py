"""Steps that check outcomes: responses, published events, contracts, tables, queues, destinations."""

from __future__ import annotations

import json
from typing import Any

from pytest_bdd import parsers, then

from eventproof.steps.world import Observed, World

_NUMBERS = {"no": 0, "one": 1, "exactly one": 1, "two": 2, "three": 3}


def _count(text: str) -> int:
    text = text.strip()
    if text.isdigit():
        return int(text)
    if text.startswith("exactly "):
        return _count(text[len("exactly ") :])
    if text in _NUMBERS:
        return _NUMBERS[text]
    raise ValueError(f"not a count: {text!r}")


def _contract(world: World, name: str) -> Any:
    if world.catalog is None:
        raise world.fail('no contracts are loaded: start with Given the contracts in "contracts/"')
    try:
        return world.catalog[name]
    except KeyError:
        raise world.fail(f"there is no contract named {name!r} in the catalog") from None


@then(parsers.parse("the response status is {status:d}"))
def the_response_status_is(eventproof_world: World, status: int) -> None:
    """The last synchronous answer's ``statusCode``."""
    response = eventproof_world.response
    actual = response.get("statusCode") if isinstance(response, dict) else None
    if actual != status:
        raise eventproof_world.fail(f"expected status {status}, the response was {response!r}")


@then(parsers.parse('the response conforms to the "{name}" contract'))
def the_response_conforms_to(eventproof_world: World, name: str) -> None:
    """The last synchronous answer is a valid ``name`` message (all violations are listed)."""
    violations = _contract(eventproof_world, name).violations(eventproof_world.response)
    if violations:
        lines = "; ".join(str(v) for v in violations)
        raise eventproof_world.fail(f"the response breaks {name}: {lines}")


@then(parsers.parse('the message breaks its contract at "{pointer}"'))
def the_message_breaks_its_contract_at(eventproof_world: World, pointer: str) -> None:
    """The current message is invalid, and one violation is reported at ``pointer`` (a JSON pointer)."""
    world = eventproof_world
    violations = _contract(world, world.message_name or "").violations(world.message)
    pointers = [getattr(v, "pointer", None) for v in violations]
    if pointer not in pointers:
        raise world.fail(f"expected a violation at {pointer!r}; {world.message_name} reported {pointers or 'none'}")


@then(parsers.re(r'(?P<count>no|exactly one|one|two|three|exactly \d+|\d+) "(?P<kind>[^"]+)" events? (?:is|are) published'))
def events_are_published(eventproof_world: World, count: str, kind: str) -> None:
    """Count the events of one type seen on every observed bus and topic."""
    seen = [o for o in eventproof_world.collect() if o.type == kind]
    if len(seen) != _count(count):
        types = [o.type for o in eventproof_world.observed]
        raise eventproof_world.fail(f"expected {count} {kind!r} events, saw {len(seen)} (all seen: {types})")


@then("every published event conforms to its contract")
def every_published_event_conforms(eventproof_world: World) -> None:
    """Each event seen on an observed bus or topic is valid against the contract named by its type."""
    world = eventproof_world
    observed = world.collect()
    if not observed:
        raise world.fail("no event was published, so there is nothing to check")
    for event in observed:
        _check(world, event)


def _check(world: World, event: Observed) -> None:
    if event.type is None:
        raise world.fail(f"a message on {event.channel} has no type to find its contract by: {event.body!r}")
    violations = _contract(world, event.type).violations(event.body)
    if violations:
        lines = "; ".join(str(v) for v in violations)
        raise world.fail(f"a published {event.type} on {event.channel} breaks its contract: {lines}")


@then(parsers.re(r'the "(?P<table>[^"]+)" table holds (?P<count>no|one|two|three|\d+) items?'))
def the_table_holds(eventproof_world: World, table: str, count: str) -> None:
    """Count the table's items (a full scan)."""
    items = eventproof_world.session.client("dynamodb").scan(TableName=eventproof_world.physical(table), Select="COUNT")["Count"]
    if items != _count(count):
        raise eventproof_world.fail(f"expected {count} items in {table}, found {items}")


@then(parsers.parse('the "{table}" item "{key}" has "{attribute}" equal to "{value}"'))
def the_item_has(eventproof_world: World, table: str, key: str, attribute: str, value: str) -> None:
    """Items with that (string) partition key; one of them has the attribute, compared as text."""
    client = eventproof_world.session.client("dynamodb")
    table = eventproof_world.physical(table)
    key_name = client.describe_table(TableName=table)["Table"]["KeySchema"][0]["AttributeName"]
    items = client.query(
        TableName=table,
        KeyConditionExpression="#key = :key",
        ExpressionAttributeNames={"#key": key_name},
        ExpressionAttributeValues={":key": {"S": key}},
        ConsistentRead=True,
    )["Items"]
    if not items:
        raise eventproof_world.fail(f"{table} has no item {key_name}={key!r}")
    values = [str(next(iter(item.get(attribute, {"NULL": None}).values()))) for item in items]
    if value not in values:
        raise eventproof_world.fail(f"{table}[{key!r}].{attribute} is {values}, expected {value!r}")


@then(parsers.re(r'the "(?P<queue>[^"]+)" queue holds (?P<count>no|one|two|three|\d+) messages?'))
def the_queue_holds(eventproof_world: World, queue: str, count: str) -> None:
    """Visible plus in-flight messages (SQS's approximate counts are exact on the fakes)."""
    world = eventproof_world
    world.settle()
    attributes = world.session.client("sqs").get_queue_attributes(
        QueueUrl=world.queue_url(queue),
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    held = int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])
    if held != _count(count):
        raise world.fail(f"expected {count} messages on {queue}, found {held}")


@then(parsers.re(r'the "(?P<queue>[^"]+)" queue holds (?P<count>no|one|two|three|\d+) "(?P<name>[^"]+)" messages?'))
def the_queue_holds_messages_of(eventproof_world: World, queue: str, count: str, name: str) -> None:
    """Peek at the queue (without hiding its messages): that many, each a valid ``name`` message."""
    world = eventproof_world
    world.settle()
    sqs = world.session.client("sqs")
    messages = sqs.receive_message(
        QueueUrl=world.queue_url(queue), MaxNumberOfMessages=10, VisibilityTimeout=0
    ).get("Messages", [])
    if len(messages) != _count(count):
        raise world.fail(f"expected {count} {name} messages on {queue}, found {len(messages)}")
    contract = _contract(world, name)
    for message in messages:
        body, kind = _unwrapped(json.loads(message["Body"]))
        if kind is not None and kind != name:
            raise world.fail(f"a message on {queue} is a {kind}, not a {name}")
        violations = contract.violations(body)
        if violations:
            raise world.fail(f"a message on {queue} breaks {name}: {'; '.join(str(v) for v in violations)}")


def _unwrapped(body: Any) -> tuple[Any, str | None]:
    """A queue body as its message: an EventBridge event's detail, an SNS envelope's Message, or itself."""
    if isinstance(body, dict) and "detail-type" in body and "detail" in body:
        return body["detail"], body["detail-type"]
    if isinstance(body, dict) and body.get("Type") == "Notification" and "Message" in body:
        kind = ((body.get("MessageAttributes") or {}).get("type") or {}).get("Value")
        return json.loads(body["Message"]), kind
    return body, None


@then(parsers.re(r'the "(?P<function>[^"]+)" function (?:ran|was invoked) (?P<count>once|twice|never|\d+ times)'))
def the_function_ran(eventproof_world: World, function: str, count: str) -> None:
    """Count handler runs (retries included) as Lambda made them."""
    aws = eventproof_world.require_fakes("counting invocations")
    words = {"once": 1, "twice": 2, "never": 0}
    expected = words[count] if count in words else int(count.split()[0])
    runs = len(aws.invocations(eventproof_world.physical(function)))
    if runs != expected:
        raise eventproof_world.fail(f"{function} ran {runs} times, expected {expected}")


@then(parsers.re(r'the "(?P<function>[^"]+)" function received (?P<count>no|one|two|three|\d+) records?'))
def the_function_received_records(eventproof_world: World, function: str, count: str) -> None:
    """Count the records (SQS messages, stream records) in all the function's batch events."""
    aws = eventproof_world.require_fakes("counting invocations")
    received = sum(len((i.event or {}).get("Records", [])) for i in aws.invocations(eventproof_world.physical(function)) if isinstance(i.event, dict))
    if received != _count(count):
        raise eventproof_world.fail(f"{function} received {received} records, expected {count}")


@then(parsers.re(r'every payload the "(?P<function>[^"]+)" function received conforms to one of (?P<names>.+)'))
def every_payload_conforms_to_one_of(eventproof_world: World, function: str, names: str) -> None:
    """Each event the function was invoked with is valid against at least one of the named contracts."""
    world = eventproof_world
    aws = world.require_fakes("reading what functions received")
    contracts = [_contract(world, name.strip().strip('"')) for name in names.split(",")]
    invocations = aws.invocations(world.physical(function))
    if not invocations:
        raise world.fail(f"{function} was never invoked")
    for invocation in invocations:
        # A pipe hands a Lambda target its batch as an array: each element is one payload.
        payloads = invocation.event if isinstance(invocation.event, list) else [invocation.event]
        for payload in payloads:
            if all(contract.violations(payload) for contract in contracts):
                raise world.fail(f"{function} received a payload no contract of {names} accepts: {payload!r}")


@then(parsers.re(
    r'the (?P<side>OnSuccess|OnFailure) destination(?: of "(?P<function>[^"]+)")? receives an? "(?P<condition>[^"]+)" record'
))
def the_destination_receives(eventproof_world: World, side: str, function: str | None, condition: str) -> None:
    """Exactly one execution record with that ``condition`` (from ``function``, if named) reached a
    destination, and it has AWS's shape (the ``LambdaDestinationOnSuccess/OnFailure`` contracts)."""
    world = eventproof_world
    aws = world.require_fakes("execution records")
    from eventproof_fakes import observe

    world.settle()
    records = [d.payload for d in aws.deliveries if d.kind == observe.DESTINATION_RECORD]
    if function:
        records = [r for r in records if r["requestContext"]["functionArn"].split(":")[6] == function]
    matching = [r for r in records if r["requestContext"]["condition"] == condition]
    if len(matching) != 1:
        conditions = [r["requestContext"]["condition"] for r in records]
        raise world.fail(f"expected one {condition!r} record at the {side} destination; records: {conditions}")
    contract = f"LambdaDestination{side}"
    if world.catalog is not None and contract in _names(world):
        violations = world.catalog[contract].violations(matching[0])
        if violations:
            raise world.fail(f"the {condition} record breaks {contract}: {violations}")
    world.notes["record"] = matching[0]


def _names(world: World) -> set[str]:
    return {contract.name for contract in world.catalog}
