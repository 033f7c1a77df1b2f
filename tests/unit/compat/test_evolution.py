"""A six-version evolution of one event, committed step by step and gated with --against HEAD~1.

Each step's verdict in every mode is the one Confluent's mode definitions
give for the change; the meaning-only step (seconds become milliseconds)
passes every schema mode and is caught by the consumer's expectation.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eventproof.compat import Mode
from eventproof.compat.gate import gate
from tests.unit.compat.gitrepo import Repo, contract

S = {"type": "string"}
I = {"type": "integer"}  # noqa: E741


def parcel(version: str, properties: dict, required: list[str], shipped_at: str) -> dict:
    schema = {"type": "object", "additionalProperties": False, "required": required,
              "properties": {"parcelId": S, "shippedAt": {"type": "integer", "description": shipped_at},
                             **properties}}
    return contract("ParcelShipped", "event", version, schema, consumers=["billing"])


SECONDS, MILLIS = "epoch seconds", "epoch milliseconds"
VERSIONS = [
    ("v1: first version", parcel("1", {}, ["parcelId", "shippedAt"], SECONDS), 1700000000),
    ("v2: optional field added", parcel("2", {"weightGrams": I}, ["parcelId", "shippedAt"], SECONDS), 1700000000),
    ("v3: new required field", parcel("3", {"weightGrams": I, "carrier": S},
                                      ["parcelId", "shippedAt", "carrier"], SECONDS), 1700000000),
    ("v4: required field removed", parcel("4", {"weightGrams": I, "carrier": S},
                                          ["parcelId", "shippedAt"], SECONDS), 1700000000),
    ("v5: meaning only (milliseconds)", parcel("5", {"weightGrams": I, "carrier": S},
                                               ["parcelId", "shippedAt"], MILLIS), 1700000000000),
    ("v6: type widened", parcel("6", {"weightGrams": {"type": "number"}, "carrier": S},
                                ["parcelId", "shippedAt"], MILLIS), 1700000000000),
]
# Each step against the one before: which directions break (B: new cannot read old, F: old cannot read new).
STEP_BREAKS = {1: "F", 2: "BF", 3: "F", 4: "", 5: "F"}
EXPECTATION = """\
consumer: billing
contract: ParcelShipped
reads: [/parcelId, /shippedAt]
values:
  /shippedAt: {type: integer, maximum: 4102444800}   # epoch seconds, before 2100
"""


def build(tmp_path: Path, upto: int) -> Repo:
    repo = Repo(tmp_path)
    repo.write("billing/ParcelShipped.expects.yaml", EXPECTATION)
    for message, schema, shipped_at in VERSIONS[: upto + 1]:
        repo.write("contracts/ParcelShipped.schema.json", schema)
        repo.write("contracts/ParcelShipped.examples.yaml",
                   f"valid:\n  - name: a parcel\n    message: {{parcelId: p-1, shippedAt: {shipped_at}}}\n"
                   "invalid:\n  - name: no id\n    message: {shippedAt: 1}\n")
        repo.commit(message)
    return repo


@pytest.mark.parametrize("step", sorted(STEP_BREAKS))
@pytest.mark.parametrize("mode", [Mode.NONE, Mode.BACKWARD, Mode.FORWARD, Mode.FULL])
def test_each_step_against_the_one_before(tmp_path: Path, step: int, mode: Mode) -> None:
    repo = build(tmp_path, step)
    report = gate(repo.root / "contracts", "HEAD~1", mode=mode, examples=10)
    [comparison] = report.comparisons
    broken = STEP_BREAKS[step]
    expected = not any({"backward": "B", "forward": "F"}[d.value] in broken for d in mode.directions)
    assert comparison.compatible is expected, [f.render() for r in comparison.results for f in r.findings]


def test_the_meaning_only_change_passes_every_schema_mode_and_breaks_the_consumer(tmp_path: Path) -> None:
    repo = build(tmp_path, 4)
    for mode in (m for m in Mode if not m.transitive):  # transitive modes also see v3's break
        report = gate(repo.root / "contracts", "HEAD~1", mode=mode, examples=10)
        assert all(c.compatible for c in report.comparisons), mode
    rows = {row.version_label: row for row in report.expectations}
    assert rows["HEAD~1"].ok
    broken = rows["working tree"]
    assert [p.rule for p in broken.problems] == ["value-unexpected"]
    assert broken.problems[0].pointer == "/shippedAt"
    assert not report.compatible


def test_transitive_modes_compare_with_every_earlier_version(tmp_path: Path) -> None:
    repo = build(tmp_path, 3)  # v4: carrier optional again, as in v1 and v2
    plain = gate(repo.root / "contracts", "HEAD~1", mode=Mode.BACKWARD, examples=10)
    transitive = gate(repo.root / "contracts", "HEAD~1", mode=Mode.BACKWARD_TRANSITIVE, examples=10)
    assert plain.comparisons[0].compatible and transitive.comparisons[0].compatible
    assert len(transitive.comparisons[0].results) == 3  # against v3 (the ref), v2 and v1
    forward = gate(repo.root / "contracts", "HEAD~1", mode=Mode.FORWARD_TRANSITIVE, examples=10)
    failing = [r.reader_version for r in forward.comparisons[0].results if not r.compatible]
    assert len(failing) == 3  # v1 and v2 reject carrier (closed), v3 requires it
