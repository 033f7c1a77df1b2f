"""The catalog as one AsyncAPI 3.0 document that the official schema accepts.

Each contract is a message under ``components/messages`` (its kind, version
and compatibility in the message's ``x-eventproof``; its valid examples as
message examples; invalid examples have no place in AsyncAPI and are not
written). Its payload is self-contained: JSON Schema draft-07 as an AsyncAPI
Schema Object, draft 2020-12 as a multi-format schema
(``application/schema+json;version=2020-12``), Avro as
``application/vnd.apache.avro;version=1.9.0`` with its named types written
out. A recursive reference points into the message's own payload.

Channels come from the trigger metadata (one per SQS queue, SNS topic and
EventBridge source/detail-type; a contract without a trigger gets a channel
of its own), operations from producers (``send``) and consumers
(``receive``), one per handler, action and channel, with the handler's name in
``x-eventproof-handler``. ``eventproof.catalog`` reads the result back to the
same contracts.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from eventproof.catalog import AvroContract, Catalog, Contract, JsonSchemaContract
from eventproof.catalog.sources.asyncapi import AVRO_FORMAT, DRAFT2020_FORMATS, HANDLER_KEY
from eventproof.catalog.sources.asyncapi_spec import check_asyncapi
from eventproof.export.bundle import DATA_KEYWORDS, bundle_json_schema, definitions_key, inline_avro

__all__ = ["to_asyncapi"]

_UNSAFE = re.compile(r"[^\w.\-]")


def _key(text: str) -> str:
    return _UNSAFE.sub("_", text)


def to_asyncapi(catalog: Catalog, *, title: str = "eventproof catalog",
                version: str = "1.0.0") -> dict[str, Any]:
    """The AsyncAPI 3.0 document; raises SchemaError if the official schema refuses it."""
    messages: dict[str, Any] = {}
    channels: dict[str, dict[str, Any]] = {}
    operations: dict[str, dict[str, Any]] = {}
    for contract in catalog:
        messages[contract.name] = _message(contract)
        for channel_key, channel in _channels_of(contract):
            known = channels.setdefault(channel_key, channel)
            known.setdefault("messages", {})[contract.name] = {
                "$ref": f"#/components/messages/{contract.name}"}
            for role, action in (("producers", "send"), ("consumers", "receive")):
                for handler in getattr(contract, role):
                    key = f"{_key(handler)}.{action}.{channel_key}"
                    operation = operations.setdefault(key, {
                        "action": action, "channel": {"$ref": f"#/channels/{channel_key}"},
                        "messages": [], HANDLER_KEY: handler})
                    operation["messages"].append(
                        {"$ref": f"#/channels/{channel_key}/messages/{contract.name}"})
    document: dict[str, Any] = {
        "asyncapi": "3.0.0",
        "info": {"title": title, "version": version,
                 "description": "Written by eventproof export asyncapi from the contract catalog."},
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }
    check_asyncapi(document, Path("<exported AsyncAPI document>"))
    return document


def _channels_of(contract: Contract) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    trigger = contract.metadata.trigger
    if "sqs" in trigger:
        queue = dict(trigger["sqs"])
        binding: dict[str, Any] = {"name": queue["queue"], "fifoQueue": queue["queue"].endswith(".fifo")}
        if "message-group-id" in queue:
            binding["x-message-group-id"] = queue["message-group-id"]
        found.append((_key(f"sqs-{queue['queue']}"),
                      {"address": queue["queue"], "bindings": {"sqs": {"queue": binding}}}))
    if "sns" in trigger:
        topic = trigger["sns"]["topic"]
        found.append((_key(f"sns-{topic}"), {"address": topic, "bindings": {"sns": {"name": topic}}}))
    if "eventbridge" in trigger:
        rule = dict(trigger["eventbridge"])
        found.append((_key(f"eventbridge-{rule['source']}-{rule['detail-type']}"),
                      {"address": rule["source"], "bindings": {"x-eventbridge": rule}}))
    unknown = sorted(set(trigger) - {"sqs", "sns", "eventbridge"})
    if unknown:
        from eventproof.errors import SchemaError

        raise SchemaError(f"contract {contract.name}: no AsyncAPI binding for trigger "
                          f"{unknown[0]!r}", file=contract.path)
    return found or [(_key(contract.name), {"address": None})]


def _message(contract: Contract) -> dict[str, Any]:
    message: dict[str, Any] = {
        "name": contract.name,
        "summary": contract.summary,
        "contentType": "application/json",
        "x-eventproof": {"kind": contract.kind, "version": contract.version,
                         **({"compatibility": contract.compatibility} if contract.compatibility else {})},
        "payload": _payload(contract),
    }
    examples = [{"name": e.name, "payload": e.message} for e in contract.examples if e.valid]
    if examples:
        message["examples"] = examples
    return message


def _payload(contract: Contract) -> dict[str, Any]:
    here = f"#/components/messages/{contract.name}/payload"
    if isinstance(contract, AvroContract):
        schema = {k: v for k, v in inline_avro(contract).items() if k != "x-eventproof"}
        return {"schemaFormat": f"{AVRO_FORMAT};version=1.9.0", "schema": schema}
    if not isinstance(contract, JsonSchemaContract):
        raise TypeError(f"no AsyncAPI payload for {type(contract).__name__}")
    bundled = bundle_json_schema(contract, inline=True)
    bundled = {k: v for k, v in bundled.items() if k not in ("$schema", "$id", "x-eventproof")}
    if definitions_key(contract.schema) == "definitions":
        return _rebase(bundled, here)  # draft-07: AsyncAPI's own Schema Object
    return {"schemaFormat": DRAFT2020_FORMATS[0], "schema": _rebase(bundled, f"{here}/schema")}


def _rebase(node: Any, base: str) -> Any:
    """Make the schema's own ``#...`` references point to where it sits in the document."""
    if isinstance(node, list):
        return [_rebase(item, base) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: v if k in DATA_KEYWORDS else _rebase(v, base) for k, v in node.items()}
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#"):
        out["$ref"] = base + ref[1:]
    return out
