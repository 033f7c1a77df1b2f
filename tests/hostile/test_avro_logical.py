"""Avro logical types: attributes checked against the specification at load time, no hang."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventproof import Catalog
from eventproof.strategies import from_contract
from tests.hostile.helpers import METADATA, cli, write


def avro_catalog(root: Path, amount: Any) -> Path:
    write(root / "A.avsc", {
        "type": "record", "name": "A", "namespace": "hostile",
        "x-eventproof": METADATA,
        "fields": [{"name": "amount", "type": amount}],
    })
    return root


@pytest.mark.timeout(20)
def test_huge_precision_validates_without_computing_the_power(tmp_path: Path) -> None:
    catalog = avro_catalog(tmp_path / "c", {"type": "bytes", "logicalType": "decimal",
                                            "precision": 100_000_000, "scale": 2})
    write(tmp_path / "ok.json", '{"amount": 123456789012345678901234567890.5}')
    write(tmp_path / "bad.json", '{"amount": 0.125}')
    code, out, err = cli("validate", "--contracts", catalog, "A", tmp_path / "ok.json",
                         tmp_path / "bad.json")
    assert (code, err) == (1, "")
    assert "ok.json: conforms to A" in out
    assert "bad.json: /amount: expected decimal" in out


@pytest.mark.timeout(20)
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_huge_precision_strategy_draws(tmp_path_factory: pytest.TempPathFactory,
                                       data: st.DataObject) -> None:
    root = avro_catalog(tmp_path_factory.mktemp("c"), {
        "type": "bytes", "logicalType": "decimal", "precision": 100_000_000})
    contract = Catalog.load(root)["A"]
    assert contract.violations(data.draw(from_contract(contract))) == []


_BAD: list[tuple[str, Any, str, str]] = [
    ("precision missing", {"type": "bytes", "logicalType": "decimal"},
     "/fields/0/type/precision", "precision is a positive integer, found None"),
    ("precision null", {"type": "bytes", "logicalType": "decimal", "precision": None},
     "/fields/0/type/precision", "precision is a positive integer, found None"),
    ("precision text", {"type": "bytes", "logicalType": "decimal", "precision": "5"},
     "/fields/0/type/precision", "found '5'"),
    ("precision float", {"type": "bytes", "logicalType": "decimal", "precision": 5.5},
     "/fields/0/type/precision", "found 5.5"),
    ("precision zero", {"type": "bytes", "logicalType": "decimal", "precision": 0},
     "/fields/0/type/precision", "found 0"),
    ("precision true", {"type": "bytes", "logicalType": "decimal", "precision": True},
     "/fields/0/type/precision", "found True"),
    ("scale above precision", {"type": "bytes", "logicalType": "decimal", "precision": 4,
                               "scale": 5},
     "/fields/0/type/scale", "from 0 to its precision (4), found 5"),
    ("negative scale", {"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": -1},
     "/fields/0/type/scale", "found -1"),
    ("fixed too small", {"type": "fixed", "name": "Money", "size": 2, "logicalType": "decimal",
                         "precision": 10},
     "/fields/0/type/precision", "at most 4 digits of precision in a fixed of 2 bytes"),
    ("decimal on string", {"type": "string", "logicalType": "decimal", "precision": 4},
     "/fields/0/type/type", "annotates bytes or fixed, found 'string'"),
    ("date on string", {"type": "string", "logicalType": "date"},
     "/fields/0/type/type", "annotates int, found 'string'"),
    ("duration of 8 bytes", {"type": "fixed", "name": "D", "size": 8, "logicalType": "duration"},
     "/fields/0/type/size", "has size 12, found 8"),
    ("in a union", ["null", {"type": "bytes", "logicalType": "decimal"}],
     "/fields/0/type/1/precision", "positive integer"),
    ("in an array", {"type": "array", "items": {"type": "bytes", "logicalType": "decimal",
                                                "precision": 2, "scale": 3}},
     "/fields/0/type/items/scale", "found 3"),
    ("fixed size negative", {"type": "fixed", "name": "F", "size": -1},
     "/fields/0/type/size", "non-negative integer, found -1"),
]


@pytest.mark.timeout(20)
@pytest.mark.parametrize(("amount", "pointer", "text"),
                         [case[1:] for case in _BAD], ids=[case[0] for case in _BAD])
def test_logical_attributes_are_checked_at_load_time(
    tmp_path: Path, amount: Any, pointer: str, text: str
) -> None:
    catalog = avro_catalog(tmp_path / "c", amount)
    code, out, err = cli("contracts", "check", catalog)
    assert code == 2, out + err
    assert "Traceback" not in err
    assert f"{catalog / 'A.avsc'}; at {pointer}" in err, err
    assert text in err, err
    assert "not a valid Avro schema" in err


def test_valid_fixed_decimal_loads(tmp_path: Path) -> None:
    catalog = avro_catalog(tmp_path / "c", {"type": "fixed", "name": "Money", "size": 2,
                                            "logicalType": "decimal", "precision": 4, "scale": 2})
    contract = Catalog.load(catalog)["A"]
    assert contract.violations({"amount": 12.34}) == []
    assert [v.pointer for v in contract.violations({"amount": 123.4})] == ["/amount"]
    assert json.dumps(contract.schema)  # the raw schema is untouched
