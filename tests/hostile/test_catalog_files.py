"""Hostile catalog files: YAML examples, $id hijacks, symbolic links, unknown keys."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from eventproof.catalog.files import YAML_ALIAS_BUDGET
from tests.hostile.helpers import METADATA, cli, contract, write


def _check(catalog: Path) -> tuple[int, str, str]:
    return cli("contracts", "check", catalog)


@pytest.mark.timeout(20)
@pytest.mark.parametrize(("character", "code_point"), [
    ("\x00", "U+0000"), ("\x7f", "U+007F"), ("\ufffe", "U+FFFE"), ("\x1b", "U+001B"),
])
def test_control_character_in_examples(tmp_path: Path, character: str, code_point: str) -> None:
    catalog = contract(tmp_path / "c", {})
    bad = write(catalog / "A.examples.yaml",
                f"valid:\n  - name: x\n    message: 'a{character}'\n".encode())
    code, out, err = _check(catalog)
    assert (code, out) == (2, "")
    assert f"the YAML holds the character {code_point}" in err
    assert f"{bad}, line 3, column 16" in err
    assert "Traceback" not in err


def _laughs(levels: int) -> str:
    lines = ["valid:", "  - name: lol", "    message:",
             '      a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghijk"[:levels]:
        lines.append(f"      {name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines) + "\n"


@pytest.mark.timeout(20)
@pytest.mark.parametrize("levels", [8, 9])
def test_billion_laughs_refused_before_expansion(tmp_path: Path, levels: int) -> None:
    catalog = contract(tmp_path / "c", {})
    bad = write(catalog / "A.examples.yaml", _laughs(levels))
    assert len(_laughs(8)) < 600
    code, out, err = _check(catalog)
    assert (code, out) == (2, "")
    assert f"YAML aliases expand to more than {YAML_ALIAS_BUDGET:,} extra nodes" in err
    assert str(bad) in err


@pytest.mark.timeout(20)
def test_aliases_within_the_budget_are_read(tmp_path: Path) -> None:
    catalog = contract(tmp_path / "c", {"type": "object"})
    write(catalog / "A.examples.yaml", _laughs(2))
    code, out, err = _check(catalog)
    assert (code, err) == (0, ""), out


@pytest.mark.timeout(20)
def test_recursive_alias_refused(tmp_path: Path) -> None:
    catalog = contract(tmp_path / "c", {})
    write(catalog / "A.examples.yaml", "valid:\n  - name: x\n    message: &a [1, *a]\n")
    code, _, err = _check(catalog)
    assert code == 2
    assert "alias" in err and "Traceback" not in err


@pytest.mark.timeout(20)
def test_id_hijack_names_both_files(tmp_path: Path) -> None:
    root = tmp_path / "c"
    target = contract(root, {"type": "string"}, name="B") / "B.schema.json"
    write(root / "sub" / "A.schema.json", {
        "x-eventproof": METADATA, "type": "object",
        "properties": {"b": {"$ref": "../B.schema.json"}},
        "$defs": {"evil": {"$id": "../B.schema.json", "type": "object"}},
    })
    code, out, err = _check(root)
    assert (code, out) == (2, "")
    assert f"two schemas claim the URI {target.resolve().as_uri()}" in err
    assert str(target) in err and str(root / "sub" / "A.schema.json") in err
    assert "at /$defs/evil/$id" in err


@pytest.mark.timeout(20)
def test_two_ids_claiming_one_uri(tmp_path: Path) -> None:
    root = contract(tmp_path / "c", {"$id": "https://example.com/x.json"})
    contract(root, {"$defs": {"x": {"$id": "https://example.com/x.json"}}}, name="B")
    code, _, err = _check(root)
    assert code == 2
    assert "two schemas claim the URI https://example.com/x.json" in err
    assert "A.schema.json" in err and "B.schema.json (at /$defs/x)" in err


@pytest.mark.timeout(20)
@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlink_out_of_the_catalog_is_refused(tmp_path: Path) -> None:
    outside = contract(tmp_path / "elsewhere", {"type": "object"}, name="B") / "B.schema.json"
    root = contract(tmp_path / "c", {})
    (root / "B.schema.json").symlink_to(outside)
    code, out, err = _check(root)
    assert (code, out) == (2, "")
    assert f"{root / 'B.schema.json'} is a symbolic link to {outside.resolve()}" in err
    assert "outside the contracts folder" in err


@pytest.mark.timeout(20)
@pytest.mark.parametrize(("entries", "key", "line"), [
    ("invalid:\n  - name: x\n    message: {}\n    violaton: /a\n", "violaton", 4),
    ("valid:\n  - name: x\n    message: {}\n    violation: /a\n", "violation", 4),
    ("valid:\n  - name: x\n    mesage: {}\n    message: {}\n", "mesage", 3),
])
def test_unknown_key_in_an_example_entry(tmp_path: Path, entries: str, key: str,
                                         line: int) -> None:
    catalog = contract(tmp_path / "c", {"required": ["a"]})
    bad = write(catalog / "A.examples.yaml", entries)
    code, out, err = _check(catalog)
    assert (code, out) == (2, "")
    assert f"has the key '{key}'" in err
    assert f"{bad}, line {line}" in err
