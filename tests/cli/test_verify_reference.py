"""``eventproof verify`` on the reference implementation: each pattern's own configuration, all green.

Each pattern folder holds an ``eventproof.toml`` as a team's service would: its
``template.yaml``, the repository's contracts, and per consumer the contract
it consumes, what it emits, its trigger and its promises. The handlers run
from their templates on the fakes, fed through their real triggers.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from eventproof.cli import run

PATTERNS = Path(__file__).resolve().parents[2] / "reference_impl"

# pattern -> (handler, check) rows the run must hold, besides the catalog of every contract
EXPECTED = {
    "async_controller": {("EmailHelperFunction", "accepts-valid"), ("EmailHelperFunction", "emits")},
    "command_bus": {("PaymentProcessorFunction", check)
                    for check in ("accepts-valid", "idempotent", "rejects-invalid", "emits")},
    "command_dispatch": {("DispatcherFunction", "rejects-invalid"), ("DispatcherFunction", "emits")},
    "outbox": {(handler, check) for handler in ("BookAddedFunction", "BookRemovedFunction")
               for check in ("accepts-valid", "idempotent", "emits")},
}


@pytest.mark.parametrize("pattern", sorted(EXPECTED))
def test_verify_holds_on_the_reference_pattern(pattern: str, tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    report = tmp_path / "report.json"
    code = run(["verify", "--config", str(PATTERNS / pattern / "eventproof.toml"), "--examples", "3",
                "--report", f"json:{report}"], out, err)
    assert "Traceback" not in err.getvalue()
    assert code == 0, out.getvalue() + err.getvalue()
    results = json.loads(report.read_text())["results"]
    passed = {(r["handler"], r["check"]) for r in results if r["status"] == "passed"}
    assert EXPECTED[pattern] <= passed
    assert len(passed) == len(results)
