"""The catalog as one AsyncAPI 3.0 (or 2.6) document that the official schema accepts.

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
``x-eventproof-handler``. In 2.6 a channel holds one ``subscribe`` (the
handlers that send) and one ``publish`` (those that receive), with
``x-eventproof-handlers`` mapping each handler to its messages, and payload formats go in the message's
``schemaFormat``. ``eventproof.catalog`` reads the result back to the same
contracts.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from eventproof.catalog import AvroContract, Catalog, Contract, JsonSchemaContract
from eventproof.catalog.refinements import constraints_as_metadata
from eventproof.catalog.sources.asyncapi import (
    AVRO_FORMAT,
    DRAFT2020_FORMATS,
    HANDLER_KEY,
    HANDLERS_KEY,
)
from eventproof.catalog.sources.asyncapi_spec import check_asyncapi
from eventproof.export.bundle import DATA_KEYWORDS, bundle_json_schema, definitions_key, inline_avro

__all__ = ["VERSIONS", "to_asyncapi"]

VERSIONS = ("3.0", "2.6")

_UNSAFE = re.compile(r"[^\w.\-]")


def _key(text: str) -> str:
    return _UNSAFE.sub("_", text)


def to_asyncapi(catalog: Catalog, *, title: str = "eventproof catalog", version: str = "1.0.0",
                asyncapi: str = "3.0") -> dict[str, Any]:
    """The AsyncAPI document (``asyncapi``: "3.0" or "2.6"); raises SchemaError if the
    official schema of that version refuses it."""
    if asyncapi not in VERSIONS:
        raise ValueError(f"AsyncAPI {asyncapi!r}: eventproof writes {', '.join(VERSIONS)}")
    v3 = asyncapi == "3.0"
    messages: dict[str, Any] = {}
    channels: dict[str, dict[str, Any]] = {}
    operations: dict[str, dict[str, Any]] = {}
    for contract in catalog:
        messages[contract.name] = _message(contract, v3)
        for channel_key, channel in _channels_of(contract):
            known = channels.setdefault(channel_key, channel if v3 else {
                k: v for k, v in channel.items() if k != "address"})
            if v3:
                known.setdefault("messages", {})[contract.name] = {
                    "$ref": f"#/components/messages/{contract.name}"}
            for role, action in (("producers", "send"), ("consumers", "receive")):
                for handler in getattr(contract, role):
                    if v3:
                        _operation_v3(operations, handler, action, channel_key, contract.name)
                    else:
                        _operation_v2(known, handler, action, contract.name)
    info = {"title": title, "version": version,
            "description": "Written by eventproof export asyncapi from the contract catalog."}
    document: dict[str, Any] = {"asyncapi": "3.0.0" if v3 else "2.6.0", "info": info,
                                "channels": channels}
    if v3:
        document["operations"] = operations
    document["components"] = {"messages": messages}
    check_asyncapi(document, Path("<exported AsyncAPI document>"))
    return document


def _operation_v3(operations: dict[str, Any], handler: str, action: str, channel_key: str,
                  name: str) -> None:
    key = f"{_key(handler)}.{action}.{channel_key}"
    operation = operations.setdefault(key, {
        "action": action, "channel": {"$ref": f"#/channels/{channel_key}"},
        "messages": [], HANDLER_KEY: handler})
    operation["messages"].append({"$ref": f"#/channels/{channel_key}/messages/{name}"})


def _operation_v2(channel: dict[str, Any], handler: str, action: str, name: str) -> None:
    # 2.x speaks for the other applications: the application sends on 'subscribe'
    # and receives on 'publish'. One operation per verb, so it maps each handler to its messages.
    verb = "subscribe" if action == "send" else "publish"
    operation = channel.setdefault(verb, {HANDLERS_KEY: {}, "message": {"oneOf": []}})
    operation[HANDLERS_KEY].setdefault(handler, []).append(name)
    reference = {"$ref": f"#/components/messages/{name}"}
    if reference not in operation["message"]["oneOf"]:
        operation["message"]["oneOf"].append(reference)


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
    if "topic" in trigger.get("sns", {}):
        topic = trigger["sns"]["topic"]
        found.append((_key(f"sns-{topic}"), {"address": topic, "bindings": {"sns": {"name": topic}}}))
    if "eventbridge" in trigger:
        rule = dict(trigger["eventbridge"])
        found.append((_key(f"eventbridge-{rule['source']}-{rule['detail-type']}"),
                      {"address": rule["source"], "bindings": {"x-eventbridge": rule}}))
    # Triggers AsyncAPI has no binding for (stream, api, SNS message attributes) travel on the
    # message's x-eventproof.trigger (see _unbound).
    return found or [(_key(contract.name), {"address": None})]


def _refinements(contract: Contract) -> dict[str, Any]:
    """Kind, version and what the schema cannot say, as the message's ``x-eventproof``."""
    metadata = contract.metadata
    extension: dict[str, Any] = {"kind": contract.kind, "version": contract.version}
    if metadata.compatibility:
        extension["compatibility"] = metadata.compatibility
    if metadata.constraints:
        extension["constraints"] = constraints_as_metadata(metadata.constraints)
    if metadata.key:
        extension["key"] = list(metadata.key)
    if unbound := _unbound(contract):
        extension["trigger"] = unbound
    return extension


def _unbound(contract: Contract) -> dict[str, Any]:
    """The trigger metadata no channel binding carries."""
    bound = {"sqs": ("queue", "message-group-id"), "sns": ("topic",),
             "eventbridge": ("source", "detail-type")}
    unbound: dict[str, Any] = {}
    for kind, fields in contract.metadata.trigger.items():
        rest = {k: v for k, v in fields.items() if k not in bound.get(kind, ())}
        if rest:
            unbound[kind] = rest
    return unbound


def _message(contract: Contract, v3: bool) -> dict[str, Any]:
    message: dict[str, Any] = {
        "name": contract.name,
        "summary": contract.summary,
        "contentType": "application/json",
        "x-eventproof": _refinements(contract),
    }
    schema_format, payload = _payload(contract, f"#/components/messages/{contract.name}/payload", v3)
    if v3:
        message["payload"] = {"schemaFormat": schema_format, "schema": payload} if schema_format else payload
    else:
        message["messageId"] = contract.name
        if schema_format:
            message["schemaFormat"] = schema_format
        message["payload"] = payload
    examples = [{"name": e.name, "payload": e.message} for e in contract.examples if e.valid]
    if examples:
        message["examples"] = examples
    return message


def _payload(contract: Contract, here: str, v3: bool) -> tuple[str | None, Any]:
    """The schema format (None: AsyncAPI's own Schema Object) and the payload schema."""
    if isinstance(contract, AvroContract):
        schema = {k: v for k, v in inline_avro(contract).items() if k != "x-eventproof"}
        return f"{AVRO_FORMAT};version=1.9.0", schema
    if not isinstance(contract, JsonSchemaContract):
        raise TypeError(f"no AsyncAPI payload for {type(contract).__name__}")
    bundled = bundle_json_schema(contract, inline=True)
    bundled = {k: v for k, v in bundled.items() if k not in ("$schema", "$id", "x-eventproof")}
    if definitions_key(contract.schema) == "definitions":
        return None, _rebase(bundled, here)  # draft-07: AsyncAPI's own Schema Object
    return DRAFT2020_FORMATS[0], _rebase(bundled, f"{here}/schema" if v3 else here)


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
