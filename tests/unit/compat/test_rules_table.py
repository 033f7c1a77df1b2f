"""Every case of the table: the right verdict in every mode, each finding backed by a witness.

A structural verdict and the generated evidence must agree: an
incompatibility the rules report has a witness message (the writer accepts
it, the reader does not), and evidence the rules did not predict is a
finding of its own (``generated-message-rejected``, ``fastavro-resolution-failed``)
that fails these tests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eventproof.catalog import Catalog
from eventproof.compat import Direction, Mode, Version, compare_versions
from eventproof.compat.compare import check_direction
from tests.unit.compat.cases import ALL_CASES, Case

EVIDENCE_ONLY = {"generated-message-rejected", "fastavro-resolution-failed"}


def write_contract(folder: Path, case: Case, schema: Any, version: str, side: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    metadata = {"name": "Order", "kind": "event", "version": version, "summary": "an order event"}
    for name, pair in (case.shared or {}).items():
        (folder / name).write_text(json.dumps(pair[side]))
    if case.format == "avro":
        path = folder / "Order.avsc"
        path.write_text(json.dumps({**schema, "x-eventproof": metadata}))
    else:
        path = folder / "Order.schema.json"
        path.write_text(json.dumps({**schema, "x-eventproof": metadata}))
    return path


def versions(tmp_path: Path, case: Case) -> tuple[Version, Version]:
    write_contract(tmp_path / "old", case, case.old, "1", 0)
    write_contract(tmp_path / "new", case, case.new, "2", 1)
    old = Catalog.load(tmp_path / "old")["Order"]
    new = Catalog.load(tmp_path / "new")["Order"]
    return Version(old, "old"), Version(new, "new")


@pytest.mark.parametrize("case", ALL_CASES, ids=[f"{c.format}: {c.id}" for c in ALL_CASES])
def test_each_direction_has_the_expected_verdict_and_evidence(tmp_path: Path, case: Case) -> None:
    old, new = versions(tmp_path, case)
    for direction, letter in ((Direction.BACKWARD, "B"), (Direction.FORWARD, "F")):
        writer, reader = (old, new) if direction is Direction.BACKWARD else (new, old)
        result = check_direction(writer, reader, direction, examples=15)
        rendered = [f.render() for f in result.findings]
        assert (not result.compatible) == (letter in case.broken), (direction, rendered)
        assert not [f for f in result.findings if f.rule in EVIDENCE_ONLY], (
            "the evidence found what no rule predicts", rendered)
        for finding in result.findings:
            assert finding.witness is not None, f"no witness for {finding.render()}"


@pytest.mark.parametrize("case", ALL_CASES[::9], ids=[f"{c.format}: {c.id}" for c in ALL_CASES[::9]])
@pytest.mark.parametrize("mode", list(Mode))
def test_every_mode_follows_from_the_directions(tmp_path: Path, case: Case, mode: Mode) -> None:
    old, new = versions(tmp_path, case)
    comparison = compare_versions([old, new], mode=mode, examples=5)
    expected = not any(
        {Direction.BACKWARD: "B", Direction.FORWARD: "F"}[d] in case.broken for d in mode.directions)
    assert comparison.compatible is expected
    assert comparison.choice.reason == "given on the command line"
