from __future__ import annotations

from pathlib import Path

import pytest

from eventproof import Catalog
from eventproof.errors import (
    ContractLoadError,
    DuplicateContractError,
    ExampleError,
    RefError,
    SchemaError,
    UnknownContractError,
)
from tests.unit.catalog_helpers import (
    ORDER_ID,
    ORDER_SCHEMA,
    write_avro,
    write_contract,
    write_examples,
    write_json_schema,
)

REPOSITORY_CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"


def test_a_catalog_finds_contracts_in_nested_folders_and_gives_their_metadata(tmp_path: Path) -> None:
    write_contract(tmp_path, "PlaceOrder", ORDER_SCHEMA, folder="shop/orders")
    write_avro(tmp_path, "OrderShipped", {"type": "record", "name": "OrderShipped",
                                          "fields": [{"name": "orderId", "type": "string"}]})
    catalog = Catalog.load(tmp_path)
    assert len(catalog) == 2
    assert [c.name for c in catalog] == ["OrderShipped", "PlaceOrder"]
    place = catalog["PlaceOrder"]
    assert (place.kind, place.version, place.format) == ("command", "1.0.0", "jsonschema")
    assert place.summary == "The PlaceOrder message."
    assert place.path.name == "PlaceOrder.schema.json"
    assert catalog["OrderShipped"].format == "avro"
    assert catalog.get("Nope") is None


def test_an_unknown_name_suggests_close_names(tmp_path: Path) -> None:
    write_contract(tmp_path, "PlaceOrder", ORDER_SCHEMA)
    with pytest.raises(UnknownContractError) as caught:
        Catalog.load(tmp_path)["PlaceOrdr"]
    assert caught.value.suggestions == ["PlaceOrder"]
    assert "did you mean PlaceOrder?" in caught.value.render()


def test_a_ref_between_files_resolves_by_relative_path(tmp_path: Path) -> None:
    write_json_schema(tmp_path, "Money", {"type": "object", "required": ["amount"],
                                          "properties": {"amount": {"type": "number"}}},
                      folder="common")
    write_contract(tmp_path, "Pay", {"type": "object",
                                     "properties": {"price": {"$ref": "../common/Money.schema.json"}}},
                   folder="payments")
    pay = Catalog.load(tmp_path)["Pay"]
    assert pay.is_valid({"price": {"amount": 3}})
    assert [v.pointer for v in pay.violations({"price": {}})] == ["/price/amount"]
    assert pay.resolver().lookup("../common/Money.schema.json").contents["type"] == "object"


def test_a_ref_to_a_missing_file_names_the_file_and_pointer(tmp_path: Path) -> None:
    path = write_contract(tmp_path, "Pay", {"properties": {"price": {"$ref": "Missing.schema.json"}}})
    with pytest.raises(RefError) as caught:
        Catalog.load(tmp_path)
    assert caught.value.file == str(path)
    assert caught.value.pointer == "/properties/price/$ref"
    assert "points to nothing" in caught.value.headline


def test_a_remote_ref_is_refused_without_fetching(tmp_path: Path) -> None:
    write_contract(tmp_path, "Pay", {"properties": {"p": {"$ref": "https://example.com/money.json"}}})
    with pytest.raises(RefError, match="remote \\$ref"):
        Catalog.load(tmp_path)


def test_a_ref_cycle_is_reported_but_a_recursive_tree_is_fine(tmp_path: Path) -> None:
    write_contract(tmp_path, "Tree", {"$defs": {"node": {"type": "object", "properties": {
        "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}},
        "$ref": "#/$defs/node"})
    tree = Catalog.load(tmp_path)["Tree"]
    assert tree.is_valid({"children": [{"children": []}]})
    assert not tree.is_valid({"children": [{"children": 3}]})
    write_contract(tmp_path, "Loop", {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}},
                                      "$ref": "#/$defs/a"})
    with pytest.raises(RefError, match="cyclic"):
        Catalog.load(tmp_path)


def test_an_invalid_json_schema_is_reported_with_its_pointer(tmp_path: Path) -> None:
    write_contract(tmp_path, "Bad", {"type": "object", "properties": {"n": {"type": "integr"}}})
    with pytest.raises(SchemaError) as caught:
        Catalog.load(tmp_path)
    assert caught.value.pointer == "/properties/n/type"


def test_bad_metadata_names_the_key(tmp_path: Path) -> None:
    write_json_schema(tmp_path, "Bad", {"x-eventproof": {"name": "Bad", "kind": "thing",
                                                         "version": "1", "summary": "s"}})
    with pytest.raises(SchemaError) as caught:
        Catalog.load(tmp_path)
    assert caught.value.pointer == "/x-eventproof/kind"


def test_two_contracts_with_one_name_name_both_files(tmp_path: Path) -> None:
    first = write_contract(tmp_path, "Same", {"type": "object"}, folder="a")
    second = write_contract(tmp_path, "Same", {"type": "object"}, folder="b")
    with pytest.raises(DuplicateContractError) as caught:
        Catalog.load(tmp_path)
    assert str(first) in caught.value.headline and str(second) in caught.value.headline


def test_avro_named_types_are_shared_across_files(tmp_path: Path) -> None:
    write_avro(tmp_path, "Money", {"type": "record", "name": "Money", "namespace": "shop.common",
                                   "fields": [{"name": "cents", "type": "long"}]},
               folder="z_common", contract=False)
    write_avro(tmp_path, "Pay", {"type": "record", "name": "Pay", "namespace": "shop",
                                 "fields": [{"name": "price", "type": "shop.common.Money"}]})
    pay = Catalog.load(tmp_path)["Pay"]
    assert "shop.common.Money" in pay.named_types
    assert pay.is_valid({"price": {"cents": 5}})


def test_an_unknown_avro_type_is_a_ref_error(tmp_path: Path) -> None:
    path = write_avro(tmp_path, "Pay", {"type": "record", "name": "Pay",
                                        "fields": [{"name": "price", "type": "shop.Nope"}]})
    with pytest.raises(RefError) as caught:
        Catalog.load(tmp_path)
    assert caught.value.file == str(path) and "shop.Nope" in caught.value.headline


def test_an_invalid_avro_schema_is_a_schema_error(tmp_path: Path) -> None:
    write_avro(tmp_path, "Pay", {"type": "record", "name": "Pay", "fields": [{"type": "int"}]})
    with pytest.raises(SchemaError, match="not a valid Avro schema"):
        Catalog.load(tmp_path)


def test_examples_are_checked_against_their_labels(tmp_path: Path) -> None:
    write_contract(tmp_path, "PlaceOrder", ORDER_SCHEMA)
    good = {"orderId": ORDER_ID, "items": [{"sku": "ABC-1234", "quantity": 1}]}
    write_examples(tmp_path, "PlaceOrder", [good, {"orderId": "not-a-uuid", "items": good["items"]}],
                   [{"name": "no items", "message": {"orderId": ORDER_ID, "items": []},
                     "violation": "/items"},
                    {"name": "wrong place", "message": {"orderId": 3, "items": good["items"]},
                     "violation": "/items"}])
    results = Catalog.load(tmp_path).check_examples()
    assert [r.ok for r in results] == [True, False, True, False]
    assert "valid example is rejected" in results[1].problem
    assert "expected a violation at /items" in results[3].problem


def test_an_examples_file_without_its_contract_is_an_error(tmp_path: Path) -> None:
    write_examples(tmp_path, "Orphan", [{}], [])
    with pytest.raises(ExampleError, match="no contract beside it"):
        Catalog.load(tmp_path)


def test_a_missing_folder_is_a_load_error(tmp_path: Path) -> None:
    with pytest.raises(ContractLoadError, match="no such contracts folder"):
        Catalog.load(tmp_path / "nowhere")


def test_the_repository_contracts_load_and_their_examples_hold() -> None:
    catalog = Catalog.load(REPOSITORY_CONTRACTS)
    failures = [r.render() for r in catalog.check_examples() if not r.ok]
    assert failures == []
    for contract in catalog:
        valid = sum(e.valid for e in contract.examples)
        assert valid >= 2 and len(contract.examples) - valid >= 2, contract.name
