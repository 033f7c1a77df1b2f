"""Read an AsyncAPI 2.6 or 3.0 document as catalog contracts.

Each message becomes a contract: its name is the message's ``name`` (2.x:
``messageId`` first), else its key under ``components/messages`` (3.0: or
under its channel's ``messages``). Its payload is an AsyncAPI Schema Object
(JSON Schema draft-07 plus ``discriminator``, ``externalDocs``, ``deprecated``,
``x-`` keys), bundled into one self-contained draft-07 schema, or Avro when the
schema format says ``application/vnd.apache.avro``. Message ``examples`` with a
``payload`` become valid examples (header-only examples carry nothing to check).

Producers and consumers come from operations, named by the extension
``x-eventproof-handler`` (2.x: ``x-eventproof-handlers``, handler -> the names
of the messages it sends or receives on that channel) if the
operation has it (``eventproof export`` writes it), else by their id (3.0: the operation's key; 2.x: ``operationId``, else
the document's ``info.title``).
The two versions say it differently:

- 3.0: ``action: send`` means the application sends the message (a producer),
  ``receive`` that it receives it (a consumer).
- 2.x: the verbs are from the point of view of *other* applications: ``publish``
  means others may publish to the channel, so the application described
  *receives* (a consumer); ``subscribe`` means others may subscribe, so the
  application *sends* (a producer).

Channel bindings give the trigger metadata: ``sqs.queue.name`` -> ``{"sqs":
{"queue"}}`` (plus ``message-group-id`` from the extension
``x-message-group-id``), ``sns.name`` -> ``{"sns": {"topic"}}``, and, as
AsyncAPI has no EventBridge binding, the extension ``x-eventbridge: {source,
detail-type}`` -> ``{"eventbridge": {...}}``. A message may carry an
``x-eventproof`` object with ``kind`` (default ``event``), ``version``
(default ``info.version``), ``compatibility``, ``constraints``, ``key`` and
``trigger`` (what no binding carries: a stream's event name, an API route,
SNS message attributes; merged with the bindings').
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventproof.catalog.contract import Contract, ContractMetadata, Example, parse_metadata
from eventproof.catalog.sources.asyncapi_spec import check_asyncapi
from eventproof.catalog.sources.build import attach_examples, avro_contract, json_schema_contract
from eventproof.catalog.sources.documents import DRAFT7, Documents, bundle_schema, escape
from eventproof.errors import SchemaError

__all__ = ["AVRO_FORMAT", "DRAFT2020_FORMATS", "HANDLERS_KEY", "HANDLER_KEY", "is_asyncapi", "read_asyncapi"]

AVRO_FORMAT = "application/vnd.apache.avro"
_JSON_FORMATS = ("application/vnd.aai.asyncapi", "application/schema+json;version=draft-07",
                 "application/schema+yaml;version=draft-07")
DRAFT2020 = "https://json-schema.org/draft/2020-12/schema"
DRAFT2020_FORMATS = ("application/schema+json;version=2020-12",
                     "application/schema+yaml;version=2020-12")
HANDLER_KEY = "x-eventproof-handler"
HANDLERS_KEY = "x-eventproof-handlers"  # 2.x: one operation per verb holds every handler
_METADATA_OVERRIDES = ("kind", "version", "compatibility", "constraints", "key", "trigger")


def is_asyncapi(document: Any) -> bool:
    return isinstance(document, dict) and "asyncapi" in document


@dataclass
class _Message:
    node: dict[str, Any]
    file: Path
    pointer: str
    key: str | None  # its key in a messages map, if it has one
    producers: list[str] = field(default_factory=list)
    consumers: list[str] = field(default_factory=list)
    trigger: dict[str, dict[str, str]] = field(default_factory=dict)


def read_asyncapi(path: Path, documents: Documents | None = None) -> list[Contract]:
    """Validate the document against the official schema, then read its messages."""
    from eventproof.catalog.files import read_yaml

    documents = documents or Documents()
    documents.load(path)  # $refs into this document resolve against this parse
    if path.suffix in (".yaml", ".yml"):
        parsed = read_yaml(path)
        document, line_of = parsed.data, parsed.line_of
    else:
        document, line_of = documents.load(path), None
    if not isinstance(document, dict):
        raise SchemaError("an AsyncAPI document is an object", file=path)
    version = check_asyncapi(document, path, line_of=line_of)
    reader = _Reader(documents, path, document, version, line_of)
    return reader.contracts()


class _Reader:
    def __init__(self, documents: Documents, path: Path, document: dict[str, Any], version: str,
                 line_of: Callable[..., int | None] | None = None):
        self.line_of = line_of
        self.documents = documents
        self.path = path
        self.document = document
        self.v3 = version.startswith("3.")
        self.messages: dict[tuple[Path, str], _Message] = {}
        self.channels: dict[tuple[Path, str], tuple[list[_Message], dict[str, dict[str, str]]]] = {}
        self.named_avro: dict[str, Any] = {}

    def _message(self, node: Any, where: str, key: str | None) -> _Message:
        target, file, pointer = self.documents.follow(node, self.path, where)
        found = self.messages.get((file, pointer))
        if found is None:
            if pointer.startswith("/components/messages/") and file == self.path.resolve():
                key = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
            merged = self._with_traits(target, file, pointer)
            found = self.messages[(file, pointer)] = _Message(merged, file, pointer, key)
        return found

    def _with_traits(self, message: Any, file: Path, pointer: str) -> Any:
        """Apply message traits, key by key (a shallow merge: payloads and examples are data
        that a deep merge patch would change): 2.x merges each trait into the message (the
        trait wins), 3.0 lets the message win over its traits."""
        traits = message.get("traits") if isinstance(message, dict) else None
        if not traits:
            return message
        merged: dict[str, Any] = {} if self.v3 else dict(message)
        for index, trait in enumerate(traits):
            body, _, _ = self.documents.follow(trait, file, f"{pointer}/traits/{index}")
            if isinstance(body, dict):
                merged.update(body)
        if self.v3:
            merged.update(message)
        merged.pop("traits", None)
        return merged

    def contracts(self) -> list[Contract]:
        components = self.document.get("components", {}).get("messages", {})
        for key, node in components.items():
            self._message(node, f"/components/messages/{escape(key)}", key)
        if self.v3:
            self._read_v3()
        else:
            self._read_v2()
        return [self._contract(message) for message in self.messages.values()]

    def _read_v2(self) -> None:
        title = str(self.document["info"]["title"])
        for channel_name, node in self.document.get("channels", {}).items():
            channel, _, where = self.documents.follow(node, self.path, f"/channels/{escape(channel_name)}")
            trigger = self._trigger(channel.get("bindings", {}), f"{where}/bindings")
            for verb, role in (("publish", "consumers"), ("subscribe", "producers")):
                operation = channel.get(verb)
                if operation is None:
                    continue
                # {handler: [message names]}: which handler sends/receives which message
                by_handler = operation.get(HANDLERS_KEY)
                handler = str(operation.get(HANDLER_KEY) or operation.get("operationId") or title)
                message = operation.get("message")
                alternatives = message.get("oneOf") if isinstance(message, dict) else None
                nodes = ([(m, f"{where}/{verb}/message/oneOf/{i}") for i, m in enumerate(alternatives)]
                         if isinstance(alternatives, list) else [(message, f"{where}/{verb}/message")])
                for node, place in nodes:
                    if node is None:
                        continue
                    found = self._message(node, place, None)
                    if not isinstance(by_handler, dict):
                        self._bind(found, role, handler, trigger, place)
                        continue
                    name = found.key or found.node.get("messageId") or found.node.get("name")
                    for listed, names in by_handler.items():
                        if isinstance(names, list) and name in names:
                            self._bind(found, role, str(listed), trigger, place)

    def _channel(self, node: Any, base: Path, where: str) -> tuple[list[_Message], dict[str, dict[str, str]]]:
        channel, file, pointer = self.documents.follow(node, base, where)
        if (file, pointer) not in self.channels:
            trigger = self._trigger(channel.get("bindings", {}), f"{pointer}/bindings")
            messages = [self._message(message, f"{pointer}/messages/{escape(key)}", key)
                        for key, message in (channel.get("messages") or {}).items()]
            # A message a channel carries arrives the channel's way, whoever sends it.
            for message in messages:
                self._route(message, trigger, pointer)
            self.channels[(file, pointer)] = (messages, trigger)
        return self.channels[(file, pointer)]

    def _read_v3(self) -> None:
        for channel_name, node in self.document.get("channels", {}).items():
            self._channel(node, self.path, f"/channels/{escape(channel_name)}")
        for name, node in self.document.get("operations", {}).items():
            operation, file, pointer = self.documents.follow(node, self.path, f"/operations/{escape(name)}")
            handler = str(operation.get(HANDLER_KEY) or name)
            sends = operation["action"] == "send"
            self._operate(operation, file, pointer, "producers" if sends else "consumers", handler)
            if operation.get("reply") is not None:
                # The reply flows back: a receiver sends it, a sender receives it.
                reply, reply_file, reply_pointer = self.documents.follow(
                    operation["reply"], file, f"{pointer}/reply")
                if "channel" not in reply:
                    reply = {**reply, "channel": operation["channel"]}
                self._operate(reply, reply_file, reply_pointer,
                              "consumers" if sends else "producers", handler)

    def _operate(self, operation: dict[str, Any], file: Path, pointer: str, role: str,
                 handler: str) -> None:
        carried, trigger = self._channel(operation["channel"], file, f"{pointer}/channel")
        listed = operation.get("messages")
        chosen = ([self._message(m, f"{pointer}/messages/{i}", None) for i, m in enumerate(listed)]
                  if listed else carried)
        for message in chosen:
            self._bind(message, role, handler, trigger, pointer)

    def _bind(self, message: _Message, role: str, handler: str,
              trigger: Mapping[str, dict[str, str]], place: str) -> None:
        names = getattr(message, role)
        if handler not in names:
            names.append(handler)
        self._route(message, trigger, place)

    def _route(self, message: _Message, trigger: Mapping[str, dict[str, str]], place: str) -> None:
        for channel, details in trigger.items():
            known = message.trigger.get(channel)
            if known is not None and known != details:
                raise SchemaError(
                    f"message {message.key or message.pointer!r} is bound to two different "
                    f"{channel} channels ({known} and {details}); eventproof's trigger "
                    "metadata holds one per channel kind", file=self.path, pointer=place)
            message.trigger[channel] = details

    def _trigger(self, bindings: Any, where: str) -> dict[str, dict[str, str]]:
        bindings, _, where = self.documents.follow(bindings, self.path, where)
        trigger: dict[str, dict[str, str]] = {}
        sqs = bindings.get("sqs")
        if isinstance(sqs, dict) and isinstance(sqs.get("queue"), dict):
            queue = {"queue": str(sqs["queue"]["name"])}
            group = sqs["queue"].get("x-message-group-id")
            if group is not None:
                queue["message-group-id"] = str(group)
            trigger["sqs"] = queue
        sns = bindings.get("sns")
        if isinstance(sns, dict) and sns.get("name") is not None:
            trigger["sns"] = {"topic": str(sns["name"])}
        eventbridge = bindings.get("x-eventbridge")
        if eventbridge is not None:
            if not (isinstance(eventbridge, dict) and isinstance(eventbridge.get("source"), str)
                    and isinstance(eventbridge.get("detail-type"), str)):
                raise SchemaError("x-eventbridge: expected {source: string, detail-type: string}",
                                  file=self.path, pointer=f"{where}/x-eventbridge")
            trigger["eventbridge"] = {"source": eventbridge["source"],
                                      "detail-type": eventbridge["detail-type"]}
        return trigger

    def _metadata(self, message: _Message) -> ContractMetadata:
        node = message.node
        name = node.get("messageId") if not self.v3 else None
        name = name or node.get("name") or message.key
        if not isinstance(name, str) or not name:
            raise SchemaError("a message needs a name: give it 'name' (2.x: or 'messageId') or "
                              "define it under components/messages", file=self.documents.shown(message.file),
                              pointer=message.pointer or "/")
        overrides = node.get("x-eventproof", {})
        if not isinstance(overrides, dict) or set(overrides) - set(_METADATA_OVERRIDES):
            raise SchemaError("x-eventproof on an AsyncAPI message holds only "
                              + ", ".join(_METADATA_OVERRIDES), file=self.documents.shown(message.file),
                              pointer=f"{message.pointer}/x-eventproof")
        summary = node.get("summary") or node.get("title") or node.get("description") or (
            f"{name}, from the AsyncAPI document {self.path.name}")
        raw = {"name": name, "kind": "event", "version": str(self.document["info"]["version"]),
               "summary": summary, "producers": message.producers,
               "consumers": message.consumers, **overrides}
        try:
            metadata = parse_metadata(raw, message.file)
        except SchemaError as error:
            # parse_metadata points into an x-eventproof object at the root of a schema
            # file; here that object sits on the message.
            raise SchemaError(error.headline, file=self.documents.shown(message.file),
                              pointer=message.pointer + (error.pointer or ""),
                              hint="see contracts/README.md, section AsyncAPI") from None
        # The channel's bindings, with what no binding carries (x-eventproof.trigger: a stream's
        # event name, an API route, SNS message attributes).
        trigger = {kind: {**metadata.trigger.get(kind, {}), **message.trigger.get(kind, {})}
                   for kind in (*metadata.trigger, *message.trigger)}
        return ContractMetadata(**{**metadata.__dict__, "trigger": trigger})

    def _contract(self, message: _Message) -> Contract:
        metadata = self._metadata(message)
        payload = message.node.get("payload")
        place = f"{message.pointer}/payload"
        if payload is None:
            raise SchemaError(f"message {metadata.name!r} has no payload schema",
                              file=self.documents.shown(message.file), pointer=message.pointer or "/")
        schema_format = message.node.get("schemaFormat")
        format_place = f"{message.pointer}/schemaFormat"
        file = message.file
        if self.v3:
            payload, file, place = self.documents.follow(payload, file, place)
            if isinstance(payload, dict) and "schemaFormat" in payload and "schema" in payload:
                format_place = f"{place}/schemaFormat"
                schema_format, payload, place = payload["schemaFormat"], payload["schema"], f"{place}/schema"
        contract: Contract
        if isinstance(schema_format, str) and schema_format.startswith(AVRO_FORMAT):
            avro, file, where = self.documents.follow(payload, file, place)
            contract = avro_contract(metadata, avro, self.documents.shown(file), where, self.named_avro)
            contract.path = self.path
        elif str(schema_format).startswith(DRAFT2020_FORMATS):
            # Not AsyncAPI's own dialect, but what ``eventproof export`` writes for a
            # draft 2020-12 contract: read it back as 2020-12.
            schema = bundle_schema(self.documents, payload, file, place, definitions="$defs")
            schema["$schema"] = DRAFT2020
            contract = json_schema_contract(metadata, schema, self.path, place)
        elif schema_format is None or str(schema_format).startswith(_JSON_FORMATS):
            schema = bundle_schema(self.documents, payload, file, place)
            schema["$schema"] = DRAFT7
            contract = json_schema_contract(metadata, schema, self.path, place)
        else:
            raise SchemaError(f"unsupported schemaFormat {schema_format!r}", file=self.documents.shown(file),
                              pointer=format_place,
                              hint="eventproof reads AsyncAPI / JSON Schema draft-07 and Avro payloads")
        return attach_examples(contract, self._examples(message, metadata.name))

    def _line(self, pointer: str) -> int | None:
        assert self.line_of is not None
        steps = [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]
        return self.line_of(*(int(s) if s.isdigit() else s for s in steps))

    def _examples(self, message: _Message, name: str) -> list[Example]:
        examples: list[Example] = []
        for index, example in enumerate(message.node.get("examples") or []):
            if isinstance(example, dict) and "payload" in example:
                place = f"{message.pointer}/examples/{index}"
                in_document = message.file == self.path.resolve() and self.line_of is not None
                examples.append(Example(
                    name=str(example.get("name") or example.get("summary")
                             or f"{name} example #{index + 1}"),
                    message=example["payload"], valid=True,
                    file=self.path if in_document else self.documents.shown(message.file),
                    line=self._line(place) if in_document else None))
        return examples

