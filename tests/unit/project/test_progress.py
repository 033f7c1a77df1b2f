"""What verify shows while it runs: plain lines in logs, a rich bar on a terminal."""

from __future__ import annotations

import io

from rich.console import Console

from eventproof.project import CheckResult
from eventproof.project.parallel import Job
from eventproof.project.progress import PlainProgress, RichProgress, progress_for

JOBS = [Job("P::catalog", "check", "P", "catalog"), Job("f.feature", "feature", "f.feature", "")]


def test_plain_progress_prints_one_line_per_finished_unit() -> None:
    stream = io.StringIO()
    progress = progress_for(stream)
    assert isinstance(progress, PlainProgress)
    progress.planned(JOBS)
    progress.finished(JOBS[0], [CheckResult("P", "catalog", "passed", 0.1)], 0.12)
    progress.finished(JOBS[1], [CheckResult("f.feature", "s1", "passed", 1, kind="scenario"),
                                CheckResult("f.feature", "s2", "failed", 1, kind="scenario")], 2.0)
    assert stream.getvalue().splitlines() == [
        "  [1/2] P / catalog: passed (0.1 s)", "  [2/2] f.feature: 2 scenarios, 1 not passed (2.0 s)"]


def test_rich_progress_prints_what_finished_above_its_bar() -> None:
    stream = io.StringIO()
    with RichProgress(Console(file=stream, force_terminal=True, color_system=None, width=100)) as progress:
        progress.planned(JOBS)
        progress.started(JOBS[0])
        progress.finished(JOBS[0], [CheckResult("P", "catalog", "failed", 0.1)], 0.1)
    assert "P / catalog" in stream.getvalue() and "failed" in stream.getvalue()
