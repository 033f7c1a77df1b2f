"""What ``eventproof verify`` shows while it runs: a rich progress bar on a terminal, plain
lines otherwise (CI logs, pipes), one per finished unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TextIO

from eventproof.project.parallel import Job

__all__ = ["PlainProgress", "RichProgress", "progress_for"]


def _verdict(results: list[Any]) -> str:
    statuses = [r.status for r in results]
    if len(statuses) == 1:
        return str(statuses[0])
    failing = sum(s in ("failed", "vacuous", "error") for s in statuses)
    return f"{len(statuses)} scenarios, {failing} not passed" if failing else f"{len(statuses)} scenarios passed"


class PlainProgress:
    """``[3/12] PaymentsFunction / idempotent: passed (2.1 s)`` per finished unit."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.total, self.done = stream, 0, 0

    def planned(self, jobs: Sequence[Job]) -> None:
        self.total = len(jobs)

    def started(self, job: Job) -> None:
        pass

    def finished(self, job: Job, results: list[Any], seconds: float) -> None:
        self.done += 1
        self.stream.write(f"  [{self.done}/{self.total}] {job.label}: {_verdict(results)} "
                          f"({seconds:.1f} s)\n")
        self.stream.flush()


class RichProgress:
    """A live bar (units done of all) with what is running; the finished lines scroll above it."""

    def __init__(self, console: Any) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.console = console
        self.bar = Progress(TextColumn("[bold]verify[/]"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TextColumn("{task.description}"),
                            # No refresh thread: -n forks workers while the bar is up.
                            console=console, transient=True, auto_refresh=False)
        self.task = self.bar.add_task("", total=None)
        self.running: list[str] = []

    def planned(self, jobs: Sequence[Job]) -> None:
        self.bar.update(self.task, total=len(jobs))

    def __enter__(self) -> RichProgress:
        self.bar.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.bar.stop()

    def started(self, job: Job) -> None:
        self.running.append(job.label)
        self._describe()

    def finished(self, job: Job, results: list[Any], seconds: float) -> None:
        from rich.markup import escape

        if job.label in self.running:
            self.running.remove(job.label)
        verdict = _verdict(results)
        colour = "green" if all(r.status in ("passed", "skipped") for r in results) else "red"
        self.bar.console.print(f"  {escape(job.label)}: [{colour}]{escape(verdict)}[/] ({seconds:.1f} s)")
        self.bar.advance(self.task)
        self._describe()

    def _describe(self) -> None:
        shown = ", ".join(self.running[:2]) + (" ..." if len(self.running) > 2 else "")
        self.bar.update(self.task, description=shown)
        self.bar.refresh()


def progress_for(stream: Any) -> PlainProgress | RichProgress:
    """Rich on a terminal, plain lines elsewhere."""
    isatty = getattr(stream, "isatty", None)
    if isatty is not None and isatty():
        from rich.console import Console

        return RichProgress(Console(file=stream))
    return PlainProgress(stream)
