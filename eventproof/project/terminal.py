"""The terminal report with ``rich``: a coloured table handler x check, then the stories.

Used when the output is a terminal; ``reports.as_text`` is the plain form
(pipes, CI logs, tests).
"""

from __future__ import annotations

from typing import Any

from eventproof.project.verify import Verification

__all__ = ["print_rich"]

_STYLE = {"passed": "[green]passed[/]", "failed": "[bold red]FAILED[/]",
          "vacuous": "[yellow]VACUOUS[/]", "error": "[bold magenta]ERROR[/]",
          "skipped": "[dim]skipped[/]"}


def print_rich(verification: Verification, console: Any) -> None:
    """Print the report on a ``rich.console.Console``."""
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table

    checks = list(dict.fromkeys(r.check for r in verification.results))
    table = Table(title="eventproof verify", title_justify="left")
    table.add_column("handler", style="bold", no_wrap=True)
    for check in checks:
        table.add_column(check)
    cells = {(r.handler, r.check): r.status for r in verification.results}
    for handler in dict.fromkeys(r.handler for r in verification.results):
        table.add_row(escape(handler), *(_STYLE.get(cells.get((handler, c), ""), "-") for c in checks))
    console.print(table)
    for result in verification.results:
        if not result.holds:
            console.print(Panel(escape(result.story), title=f"{_STYLE[result.status]} "
                                f"{escape(result.handler)} / {result.check}: {escape(result.summary)}",
                                title_align="left"))
        for note in result.notes:
            console.print(f"[yellow]note[/] {escape(result.handler)} / {result.check}: {escape(note)}")
    counts = ", ".join(f"{n} {s}" for s, n in verification.counts().items() if n)
    verdict = "[green]everything holds[/]" if verification.ok else "[bold red]NOT everything holds[/]"
    skipped = verification.counts().get("skipped")
    if verification.ok and skipped:
        verdict = f"[green]everything that ran holds[/] ({skipped} skipped on {verification.backend})"
    console.print(f"{len(verification.results)} checks: {counts or 'none'} -- {verdict}")
