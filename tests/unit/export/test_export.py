"""Export to AsyncAPI 3.0, registry format and bundled JSON Schema: validated, and read back."""

from __future__ import annotations

import io
import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from eventproof.catalog import Catalog, Contract
from eventproof.cli import run
from eventproof.export import bundle_json_schema, to_asyncapi, to_registry
from tests.unit.catalog.sources.test_asyncapi import EXPECTED as ASYNCAPI_DOCUMENTS
from tests.unit.catalog.sources.test_asyncapi import VALID as ASYNCAPI_DIR
from tests.unit.catalog.sources.test_registry import EXPECTED as REGISTRY_EXPORTS
from tests.unit.catalog.sources.test_registry import EXPORTS as REGISTRY_DIR
from tests.unit.catalog_helpers import write_contract

REPOSITORY_CONTRACTS = Path(__file__).resolve().parents[3] / "contracts"


def cli(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return run([str(a) for a in argv], out, err), out.getvalue(), err.getvalue()


def refs(node: Any) -> Any:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def official_validator(version: str = "3.0") -> jsonschema.Draft7Validator:
    # Independent of the exporter's own check: the shipped copy of @asyncapi/specs.
    text = resources.files("eventproof.catalog.sources").joinpath(
        "specs", f"asyncapi-{version}.0.json").read_text(encoding="utf-8")
    return jsonschema.Draft7Validator(json.loads(text))


def summary(contract: Contract) -> tuple[Any, ...]:
    return (contract.name, contract.kind, contract.version, contract.summary, contract.format,
            contract.producers, contract.consumers, contract.compatibility,
            {k: dict(v) for k, v in contract.metadata.trigger.items()})


def assert_same_catalog(before: Catalog, after: Catalog, *, invalid_examples: bool = True) -> None:
    assert [summary(c) for c in after] == [summary(c) for c in before]
    for contract in before:
        again = after[contract.name]
        kept = [e for e in contract.examples if e.valid or invalid_examples]
        assert [(e.name, e.message, e.valid) for e in again.examples] == [
            (e.name, e.message, e.valid) for e in kept]
        for example in contract.examples:  # the same verdict on every example, valid or not
            assert again.is_valid(example.message) == example.valid, (contract.name, example.name)


def test_the_reference_catalog_as_asyncapi_3_validates_against_the_official_schema(tmp_path: Path) -> None:
    catalog = Catalog.load(REPOSITORY_CONTRACTS)
    document = to_asyncapi(catalog)
    errors = list(official_validator().iter_errors(document))
    assert errors == []
    assert document["asyncapi"] == "3.0.0"
    assert sorted(document["components"]["messages"]) == catalog.names()


@pytest.mark.parametrize("version", ["3.0", "2.6"])
def test_the_reference_catalog_round_trips_through_asyncapi(version: str, tmp_path: Path) -> None:
    catalog = Catalog.load(REPOSITORY_CONTRACTS)
    path = tmp_path / "catalog.asyncapi.json"
    exported = to_asyncapi(catalog, asyncapi=version)
    assert list(official_validator(version).iter_errors(exported)) == []
    path.write_text(json.dumps(exported))
    # AsyncAPI has no place for invalid examples: only the valid ones travel
    assert_same_catalog(catalog, Catalog.load(path), invalid_examples=False)


@pytest.mark.parametrize("version", ["3.0", "2.6"])
def test_triggers_without_an_asyncapi_binding_round_trip_on_the_message(version: str,
                                                                       tmp_path: Path) -> None:
    catalog = Catalog.load(Path(__file__).resolve().parents[2] / "properties" / "delivery_contracts")
    assert catalog["Deposit"].metadata.trigger["sns"] == {"message-attributes": {"kind": "deposit"}}
    exported = to_asyncapi(catalog, asyncapi=version)
    assert list(official_validator(version).iter_errors(exported)) == []
    path = tmp_path / "deliveries.asyncapi.json"
    path.write_text(json.dumps(exported))
    assert_same_catalog(catalog, Catalog.load(path), invalid_examples=False)


@pytest.mark.parametrize("version", ["3.0", "2.6"])
@pytest.mark.parametrize("document", sorted(ASYNCAPI_DOCUMENTS))
def test_an_asyncapi_document_reads_exports_and_reads_back_the_same(document: str, version: str,
                                                                    tmp_path: Path) -> None:
    catalog = Catalog.load(ASYNCAPI_DIR / document)
    exported = to_asyncapi(catalog, asyncapi=version)
    assert list(official_validator(version).iter_errors(exported)) == []
    path = tmp_path / "again.yaml"
    path.write_text(yaml.safe_dump(exported, sort_keys=False))
    assert_same_catalog(catalog, Catalog.load(path))


def test_in_2_6_the_handlers_of_one_verb_share_the_channel_operation() -> None:
    catalog = Catalog.load(ASYNCAPI_DIR / "v3_sns.yaml")
    channel = to_asyncapi(catalog, asyncapi="2.6")["channels"]["sns-user-events-topic"]
    # the application sends on 'subscribe' and receives on 'publish' (2.x verbs)
    assert channel["subscribe"]["x-eventproof-handlers"] == {"announceSignUp": ["UserSignedUp"]}
    assert channel["publish"]["x-eventproof-handlers"] == {
        "sendWelcomeMail": ["UserSignedUp"], "grantStarterCredit": ["UserSignedUp"]}


def test_a_handler_on_two_channels_keeps_its_name(tmp_path: Path) -> None:
    catalog = Catalog.load(ASYNCAPI_DIR / "v2_oneof_messages.yaml")
    operations = to_asyncapi(catalog)["operations"]
    handlers = sorted(op["x-eventproof-handler"] for op in operations.values())
    assert handlers == ["mirrorCart", "publishCartChange"]
    assert all(op["action"] in ("send", "receive") for op in operations.values())


def test_cli_export_asyncapi_writes_yaml_or_json(tmp_path: Path) -> None:
    code, out, err = cli("export", "asyncapi", REPOSITORY_CONTRACTS, "--output", tmp_path / "c.yaml")
    count = len(Catalog.load(REPOSITORY_CONTRACTS))
    assert (code, err) == (0, "") and f"{count} contracts written" in out
    assert yaml.safe_load((tmp_path / "c.yaml").read_text())["asyncapi"] == "3.0.0"
    code, out, _ = cli("export", "asyncapi", ASYNCAPI_DIR / "v3_sns.yaml")
    assert code == 0 and json.loads(out)["components"]["messages"]["UserSignedUp"]["name"] == "UserSignedUp"
    code, out, _ = cli("export", "asyncapi", REPOSITORY_CONTRACTS, "--version", "2.6")
    assert code == 0 and json.loads(out)["asyncapi"] == "2.6.0"
    code, _, err = cli("export", "asyncapi", REPOSITORY_CONTRACTS, "--version", "2.5")
    assert code == 2 and "invalid choice" in err


def test_jsonschema_export_inlines_every_ref_and_reads_back(tmp_path: Path) -> None:
    code, _, err = cli("export", "jsonschema", REPOSITORY_CONTRACTS, "--output", tmp_path)
    assert (code, err) == (0, "")
    catalog = Catalog.load(REPOSITORY_CONTRACTS)
    found = {path.name: (json.loads(path.read_text()), list(refs(json.loads(path.read_text()))))
             for path in tmp_path.glob("*.schema.json")}
    assert len(found) == sum(c.format == "jsonschema" for c in catalog)
    assert len(list(tmp_path.glob("*.avsc"))) == sum(c.format == "avro" for c in catalog)
    # only a recursive type keeps a reference, into the file's own $defs
    for name, (schema, found_refs) in found.items():
        for ref in found_refs:
            assert ref.startswith("#/$defs/") and ref.split("/")[-1] in schema["$defs"], (name, ref)
    assert sorted(set(found["DynamoDBStreamRecord.schema.json"][1])) == [
        "#/$defs/attributeValue", "#/$defs/item"]
    assert_same_catalog(Catalog.load(REPOSITORY_CONTRACTS), Catalog.load(tmp_path))


def test_bundling_keeps_recursion_as_a_local_reference() -> None:
    record = Catalog.load(REPOSITORY_CONTRACTS)["DynamoDBStreamRecord"]
    bundled = bundle_json_schema(record, inline=True)
    assert "$defs" in bundled
    assert "../" not in json.dumps(bundled)


@pytest.mark.parametrize("fmt", ["openapi3", "jsonschema-draft4"])
@pytest.mark.parametrize("export", sorted(REGISTRY_EXPORTS))
def test_a_registry_export_reads_exports_and_reads_back_the_same(export: str, fmt: str,
                                                                 tmp_path: Path) -> None:
    (contract,) = Catalog.load(REGISTRY_DIR / export)
    path = tmp_path / "again.json"
    path.write_text(json.dumps(to_registry(contract, fmt)))
    (again,) = Catalog.load(path)
    assert summary(again) == summary(contract)
    _, _, _, _, good, bad, _ = REGISTRY_EXPORTS[export]
    assert again.is_valid(good) and not again.is_valid(bad)


@pytest.mark.parametrize("fmt", ["openapi3", "jsonschema-draft4"])
def test_the_reference_catalog_to_registry_format_and_back(fmt: str, tmp_path: Path) -> None:
    code, out, err = cli("export", "eventbridge-registry", REPOSITORY_CONTRACTS, "--output", tmp_path,
                         "--format", fmt, "--source", "com.example.shop")
    # Avro contracts, and JSON Schema with if/then/else, have no registry form: named, exit 1
    before = Catalog.load(REPOSITORY_CONTRACTS)
    after = Catalog.load(tmp_path)
    refused = err.splitlines()
    assert code == 1 and f"{len(after)} contracts written" in out and f"{len(refused)} not exported" in out
    assert len(after) + len(refused) == len(before)
    assert "not exported: RefundOrder: contract RefundOrder is avro" in err
    assert "not exported: SnsEnvelope: contract SnsEnvelope: 'if' has no equivalent" in err
    assert sum(c.format == "avro" for c in before) == sum("is avro" in line for line in refused)
    for contract in after:
        original = before[contract.name]
        assert summary(contract)[:-1] == summary(original)[:-1]
        # --source names the events of contracts that do not declare their own (BookAdded does).
        declared = dict(original.metadata.trigger.get("eventbridge") or {})
        assert contract.metadata.trigger == {"eventbridge": declared or {
            "source": "com.example.shop", "detail-type": contract.name}}
        for example in original.examples:
            assert contract.is_valid(example.message) == example.valid, (contract.name, example.name)


def test_registry_export_needs_an_eventbridge_trigger_or_a_source(tmp_path: Path) -> None:
    code, out, err = cli("export", "eventbridge-registry", ASYNCAPI_DIR / "v3_sns.yaml",
                         "--output", tmp_path)
    assert code == 1 and "no eventbridge trigger" in err and "give --source" not in out
    code, _, err = cli("export", "eventbridge-registry", ASYNCAPI_DIR / "v3_eventbridge.yaml",
                       "--output", tmp_path)
    assert (code, err) == (0, "")
    exported = json.loads((tmp_path / "InvoiceIssued.json").read_text())
    event = exported["components"]["schemas"]["AWSEvent"]
    assert (event["x-amazon-events-source"], event["x-amazon-events-detail-type"]) == (
        "com.shop.billing", "InvoiceIssued")


@pytest.mark.parametrize("fmt", ["openapi3", "jsonschema-draft4"])
def test_null_in_a_type_list_survives_the_registry_dialects(fmt: str, tmp_path: Path) -> None:
    write_contract(tmp_path / "in", "Headers", {
        "type": "object",
        "properties": {"nullable": {"type": "string"}, "id": {"type": ["integer", "null"]}},
        "additionalProperties": {"type": ["string", "object", "null"]}}, kind="event")
    (contract,) = Catalog.load(tmp_path / "in")
    (tmp_path / "out.json").write_text(json.dumps(to_registry(contract, fmt, source="com.x")))
    (again,) = Catalog.load(tmp_path / "out.json")
    for message, valid in [({"a": None, "b": "x", "c": {}}, True), ({"a": 1}, False),
                           ({"nullable": "yes", "id": None}, True), ({"nullable": None}, False),
                           ({"id": "7"}, False)]:
        assert again.is_valid(message) == contract.is_valid(message) == valid, message
