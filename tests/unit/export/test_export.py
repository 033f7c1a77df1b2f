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
    document = to_asyncapi(Catalog.load(REPOSITORY_CONTRACTS))
    errors = list(official_validator().iter_errors(document))
    assert errors == []
    assert document["asyncapi"] == "3.0.0" and len(document["components"]["messages"]) == 32


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
    assert (code, err) == (0, "") and "32 contracts written" in out
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
    found = {path.name: list(refs(json.loads(path.read_text()))) for path in tmp_path.glob("*.schema.json")}
    assert len(found) == 23  # and 9 Avro contracts
    # only a recursive type keeps a reference, into the file itself
    assert {name: sorted(set(r)) for name, r in found.items() if r} == {
        "DynamoDBStreamRecord.schema.json": ["#/$defs/attributeValue", "#/$defs/item"]}
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
    assert code == 1 and "20 contracts written" in out and "12 not exported" in out
    assert "not exported: RefundOrder: contract RefundOrder is avro" in err
    assert "'if' has no equivalent" in err
    before = Catalog.load(REPOSITORY_CONTRACTS)
    after = Catalog.load(tmp_path)
    assert len(after) == 20
    for contract in after:
        original = before[contract.name]
        assert summary(contract)[:-1] == summary(original)[:-1]
        assert contract.metadata.trigger == {"eventbridge": {"source": "com.example.shop",
                                                             "detail-type": contract.name}}
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
