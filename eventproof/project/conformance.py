"""Conformance of what a handler emits: every message it sends has a declared contract.

For contract-valid input drawn by hypothesis, every message the handler
under test sends (``events.PutEvents`` entries, ``sqs.SendMessage`` and
``SendMessageBatch`` bodies, ``sns.Publish`` messages; seen on the fakes'
call observer or the bench's on another backend, so only this handler's calls count) is checked against the
handler's ``emits`` contracts: the contract named like an event's
``DetailType``, else any of them. A message no declared contract admits (or
that is not JSON) is a failure whose story shows the input and the message.
HTTP responses are not judged yet.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from hypothesis import given

from eventproof.properties import Counterexample, PropertyFailed, System
from eventproof.properties.preamble import prepare
from eventproof.properties.system import open_bench
from eventproof.strategies import from_contract

if TYPE_CHECKING:
    from eventproof.catalog import Catalog, Contract
    from eventproof.project.config import HandlerConfig
    from eventproof_fakes.fault_hook import ObservedCall

__all__ = ["PROPERTY_NAME", "assert_emits_conform", "sent_messages"]

PROPERTY_NAME = "conformance of emitted messages"


def sent_messages(call: ObservedCall) -> list[tuple[str, str | None, str]]:
    """(where, detail-type or None, JSON text) of each message an AWS call sends."""
    params, operation = call.params, f"{call.service}.{call.operation}"
    if operation == "events.PutEvents":
        return [(f"event on bus {e.get('EventBusName', 'default')}", e.get("DetailType"),
                 e.get("Detail", "")) for e in params.get("Entries", [])]
    if operation == "sqs.SendMessage":
        return [(f"message to {params.get('QueueUrl')}", None, params.get("MessageBody", ""))]
    if operation == "sqs.SendMessageBatch":
        return [(f"message to {params.get('QueueUrl')}", None, e.get("MessageBody", ""))
                for e in params.get("Entries", [])]
    if operation == "sns.Publish":
        return [(f"message to {params.get('TopicArn') or params.get('TargetArn')}", None,
                 params.get("Message", ""))]
    return []


def assert_emits_conform(system: System, handler: HandlerConfig, catalog: Catalog,
                         max_examples: int) -> None:
    sent: list[tuple[str, str | None, str]] = []

    def record(call: ObservedCall) -> None:
        if call.invocation is not None and call.invocation.function_name == system.name:
            sent.extend(sent_messages(call))

    check = prepare(system, handler.consumes, via=handler.via,
                    projection=None, catalog=catalog, setup=None, max_examples=max_examples)
    emits = [catalog[name] for name in handler.emits]

    @check.settings
    @given(message=from_contract(check.contract))
    def conforms(message: Any) -> None:
        sent.clear()
        bench.run([message], via=check.delivery)
        for where, detail_type, body in list(sent):
            problem = _problem(body, detail_type, emits)
            if problem is None:
                continue
            raise PropertyFailed(Counterexample(
                property_name=PROPERTY_NAME, target=system.name, messages=[message],
                schedule=[f"one contract-valid message delivered via {handler.via}",
                          f"the handler sends an {where}"],
                fault="none", expected={"declared": list(handler.emits)},
                actual={"detail-type": detail_type, "body": body} if detail_type else {"body": body},
                expected_label="a declared contract", actual_label="sent", notes=[problem]))

    with open_bench(system) as bench:
        bench.watch(record)  # every run's calls, on whichever backend the bench runs
        conforms()


def _problem(body: str, detail_type: str | None, emits: list[Contract]) -> str | None:
    try:
        message = json.loads(body)
    except (TypeError, ValueError):
        return "the message is not JSON, so no contract can admit it"
    named = [c for c in emits if c.name == detail_type]
    if named:
        violations = named[0].violations(message)
        if not violations:
            return None
        return f"the message breaks its contract {named[0].name}: " + "; ".join(
            str(v) for v in violations[:3])
    if any(c.is_valid(message) for c in emits):
        return None
    declared = ", ".join(c.name for c in emits) or "none"
    kind = f"detail-type {detail_type!r}; " if detail_type else ""
    return (f"no declared contract admits this message ({kind}the handler's emits: {declared}): "
            "declare it in emits or stop sending it")
