"""The JSON report says when the run ended and on which commit: ``date`` and ``commit``."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from eventproof.catalog import Catalog
from eventproof.project import CheckResult, Verification
from eventproof.project.reports import as_json, git_head

ROOT = Path(__file__).resolve().parents[3]
CONTRACT = Catalog.load(ROOT / "contracts" / "eventproof")["VerificationReport"]


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                          cwd=root, check=True, capture_output=True, text=True, timeout=60)
    return done.stdout.strip()


def _verification(project: Path, finished: datetime | None = None) -> Verification:
    return Verification(str(project / "eventproof.toml"), seed=0, examples=5, finished=finished,
                        results=[CheckResult("PaymentsFunction", "accepts-valid", "passed", 0.5)])


def test_a_project_in_git_records_the_run_end_and_its_head(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    (tmp_path / "eventproof.toml").write_text('contracts = "contracts"\n')
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "first")
    head = _git(tmp_path, "rev-parse", "HEAD")
    ended = datetime(2026, 12, 3, 13, 40, 7, 900_000, tzinfo=UTC)
    report = json.loads(json.dumps(as_json(_verification(tmp_path, ended))))
    assert report["date"] == "2026-12-03T13:40:07Z"
    assert report["commit"] == head and len(head) == 40
    assert CONTRACT.violations(report) == []


def test_outside_git_there_is_no_commit_and_no_error(tmp_path: Path) -> None:
    report = as_json(_verification(tmp_path))
    assert "commit" not in report
    assert CONTRACT.violations(json.loads(json.dumps(report))) == []
    # Without a recorded end (a Verification built by hand), the report's own time stands in.
    written = datetime.strptime(report["date"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - written).total_seconds()) < 60


def test_a_repository_without_a_commit_or_without_git_gives_none(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _git(tmp_path, "init", "-q")
    assert git_head(tmp_path) is None  # HEAD names no commit yet
    assert git_head(tmp_path / "no-such-folder") is None
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))  # git cannot be found
    assert git_head(ROOT) is None


def test_a_local_time_is_written_in_utc(tmp_path: Path) -> None:
    from datetime import timedelta, timezone

    ended = datetime(2026, 12, 3, 14, 40, 7, tzinfo=timezone(timedelta(hours=1)))
    assert as_json(_verification(tmp_path, ended))["date"] == "2026-12-03T13:40:07Z"
