"""Plain schema files: no silent "0 contracts", warnings, declarations and --plain."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from eventproof.catalog import Catalog
from eventproof.cli import run
from tests.unit.catalog_helpers import write_avro, write_contract, write_examples, write_json_schema

THING = {"title": "Thing", "type": "object", "required": ["id"],
         "properties": {"id": {"type": "string"}, "price": {"$ref": "money.schema.json"}}}
MONEY = {"type": "object", "required": ["cents"], "properties": {"cents": {"type": "integer"}}}
GADGET = {"type": "record", "name": "Gadget", "namespace": "shop",
          "fields": [{"name": "serial", "type": "string"}]}


def cli(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return run([str(a) for a in argv], out, err), out.getvalue(), err.getvalue()


def plain_folder(root: Path) -> Path:
    write_json_schema(root, "Thing", THING)
    write_json_schema(root, "money", MONEY)
    write_avro(root, "Gadget", GADGET, contract=False)
    return root


def test_a_folder_of_plain_schemas_fails_instead_of_passing_as_zero_contracts(tmp_path: Path) -> None:
    code, _, err = cli("contracts", "check", plain_folder(tmp_path), "--config", tmp_path / "none.toml")
    assert code == 2 and "no configuration file" in err  # an explicit --config must exist
    code, _, err = cli("contracts", "check", plain_folder(tmp_path))
    assert code == 1
    assert "FAILED: no contract found" in err and "--plain KIND" in err


def test_schema_files_neither_contracts_nor_referenced_are_warned_about(tmp_path: Path) -> None:
    write_contract(tmp_path, "PlaceOrder", {"type": "object", "properties": {
        "total": {"$ref": "money.schema.json"}}})
    write_json_schema(tmp_path, "money", MONEY)
    write_json_schema(tmp_path, "Orphan", {"type": "string"})
    write_avro(tmp_path, "Gadget", GADGET, contract=False)
    code, _, err = cli("contracts", "check", tmp_path)
    assert code == 0
    warned = sorted(line.split(": ")[1].rsplit("/", 1)[-1] for line in err.splitlines())
    assert warned == ["Gadget.avsc", "Orphan.schema.json"]  # money is referenced: no warning


def test_an_avro_type_used_by_a_contract_is_not_warned_about(tmp_path: Path) -> None:
    write_avro(tmp_path, "Gadget", GADGET, contract=False)
    write_avro(tmp_path, "Box", {"type": "record", "name": "Box", "fields": [
        {"name": "content", "type": "shop.Gadget"}]})
    assert Catalog.load(tmp_path).warnings == []


def test_plain_kind_makes_unreferenced_plain_files_contracts_named_by_title(tmp_path: Path) -> None:
    plain_folder(tmp_path)
    write_examples(tmp_path, "Thing", [{"id": "t-1", "price": {"cents": 5}}], [{"id": 3}])
    catalog = Catalog.load(tmp_path, plain_kind="event")
    assert catalog.names() == ["Gadget", "Thing"]  # money.schema.json is Thing's definition
    assert {c.kind for c in catalog} == {"event"}
    assert catalog.warnings == []
    assert all(r.ok for r in catalog.check_examples()) and len(catalog.check_examples()) == 2
    code, out, _ = cli("contracts", "check", tmp_path, "--plain", "event")
    assert code == 0 and "2 contracts, 2 examples, 0 failed" in out


def test_plain_with_an_unknown_kind_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = cli("contracts", "check", plain_folder(tmp_path), "--plain", "message")
    assert code == 2 and "kind must be one of" in err


def write_pyproject(root: Path, table: str) -> Path:
    path = root / "pyproject.toml"
    path.write_text("[tool.eventproof.contracts]\n" + table)
    return path


def test_pyproject_declares_plain_files_as_contracts(tmp_path: Path) -> None:
    plain_folder(tmp_path / "schemas")
    config = write_pyproject(tmp_path, 'OrderThing = { file = "schemas/Thing.schema.json", kind = "command" }\n'
                                       'Gadget = { file = "schemas/Gadget.avsc", kind = "event", version = "2.1" }\n')
    code, out, err = cli("contracts", "list", tmp_path / "schemas", "--config", config)
    assert code == 0, err
    rows = [line.split()[:4] for line in out.splitlines()[1:-1]]
    assert rows == [["Gadget", "event", "avro", "2.1"], ["OrderThing", "command", "jsonschema", "1"]]


@pytest.mark.parametrize(("table", "words"), [
    ('X = { file = "schemas/Thing.schema.json", kind = "thing" }\n', "kind must be one of"),
    ('X = { file = "schemas/Nope.schema.json", kind = "event" }\n', "no such file"),
    ('X = "schemas/Thing.schema.json"\n', "expected { file"),
    ('X = { file = "schemas/Thing.schema.json", kind = "event", owner = "me" }\n', "unknown key 'owner'"),
])
def test_a_wrong_declaration_is_a_configuration_error(tmp_path: Path, table: str, words: str) -> None:
    plain_folder(tmp_path / "schemas")
    config = write_pyproject(tmp_path, table)
    code, _, err = cli("contracts", "check", tmp_path / "schemas", "--config", config)
    assert code == 2
    assert err.startswith("configuration error: ") and words in err and "pyproject.toml" in err


def test_declarations_of_files_outside_the_folder_are_about_another_catalog(tmp_path: Path) -> None:
    plain_folder(tmp_path / "schemas")
    write_contract(tmp_path / "other", "PlaceOrder", {"type": "object"})
    config = write_pyproject(tmp_path, 'T = { file = "schemas/Thing.schema.json", kind = "event" }\n')
    code, out, _ = cli("contracts", "list", tmp_path / "other", "--config", config)
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[1:-1]] == ["PlaceOrder"]


def test_plain_names_an_avro_record_by_its_own_name_not_its_full_name(tmp_path: Path) -> None:
    write_avro(tmp_path, "widget", {"type": "record", "name": "shop.parts.Widget",
                                    "fields": [{"name": "id", "type": "string"}]}, contract=False)
    assert Catalog.load(tmp_path, plain_kind="event").names() == ["Widget"]
