"""Consumer expectations: what schema compatibility cannot see."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventproof.catalog import Catalog
from eventproof.compat.expectations import check_expectation, load_expectation
from eventproof.errors import ConfigError

STATUS = {"type": "string", "enum": ["NEW", "PAID"]}


def catalog(tmp_path: Path, properties: dict, required: list[str], examples: str = "") -> Catalog:
    folder = tmp_path / "contracts"
    folder.mkdir(exist_ok=True)
    schema = {"type": "object", "properties": properties, "required": required,
              "x-eventproof": {"name": "Order", "kind": "event", "version": "1", "summary": "s"}}
    (folder / "Order.schema.json").write_text(json.dumps(schema))
    if examples:
        (folder / "Order.examples.yaml").write_text(examples)
    return Catalog.load(folder)


def expectation(tmp_path: Path, text: str) -> object:
    path = tmp_path / "billing.expects.yaml"
    path.write_text(text)
    return load_expectation(path)


def test_a_read_field_that_becomes_optional_breaks_the_consumer(tmp_path: Path) -> None:
    exp = expectation(tmp_path, "consumer: billing\ncontract: Order\nreads: [/id, /status]\n")
    strict = catalog(tmp_path, {"id": {"type": "string"}, "status": STATUS}, ["id", "status"])
    assert check_expectation(exp, strict["Order"], [{"id": "1", "status": "NEW"}]) == []
    loose = catalog(tmp_path, {"id": {"type": "string"}, "status": STATUS}, ["id"])
    [problem] = check_expectation(exp, loose["Order"], [{"id": "1"}])
    assert (problem.pointer, problem.rule, problem.message) == ("/status", "read-field-optional", {"id": "1"})


def test_an_enum_value_the_consumer_does_not_handle(tmp_path: Path) -> None:
    exp = expectation(tmp_path, "consumer: billing\ncontract: Order\nhandles:\n  /status: [NEW, PAID]\n")
    grown = catalog(tmp_path, {"status": {"enum": ["NEW", "PAID", "REFUNDED"]}}, ["status"])
    [problem] = check_expectation(exp, grown["Order"], [])
    assert problem.rule == "value-not-handled" and "'REFUNDED'" in problem.detail


def test_an_example_the_contract_no_longer_accepts(tmp_path: Path) -> None:
    exp = expectation(tmp_path, "consumer: billing\ncontract: Order\nexamples:\n"
                                "  - name: old style\n    message: {id: 7}\n    outcome: {billed: true}\n")
    [problem] = check_expectation(exp, catalog(tmp_path, {"id": {"type": "string"}}, ["id"])["Order"], [])
    assert problem.rule == "example-rejected" and "old style" in problem.detail


def test_a_deleted_contract_breaks_every_expectation_on_it(tmp_path: Path) -> None:
    exp = expectation(tmp_path, "consumer: billing\ncontract: Order\n")
    assert [p.rule for p in check_expectation(exp, None, [])] == ["contract-gone"]


@pytest.mark.parametrize(("text", "key"), [
    ("- a list\n", ""),
    ("consumer: billing\n", "/contract"),
    ("consumer: billing\ncontract: Order\nreds: [/id]\n", "/reds"),
    ("consumer: billing\ncontract: Order\nreads: [id]\n", "/reads"),
    ("consumer: billing\ncontract: Order\nvalues: {/x: {type: 5}}\n", "/values/x"),
    ("consumer: billing\ncontract: Order\nhandles: {/x: NEW}\n", "/handles"),
    ("consumer: billing\ncontract: Order\nexamples: [{mesage: {}}]\n", "/examples"),
    ("consumer: [unclosed\n", ""),
])
def test_a_malformed_expectation_names_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError) as raised:
        expectation(tmp_path, text)
    assert str(raised.value.file) == str(tmp_path / "billing.expects.yaml")
    if key:
        assert raised.value.pointer == key
