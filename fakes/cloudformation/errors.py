"""What can go wrong with a template, and the report of what the fakes do not model."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["NotModelled", "Report", "StrictModeError", "TemplateError"]


class TemplateError(Exception):
    """A template that cannot be deployed: the file, the line (when known) and what was expected."""

    def __init__(
        self, source: str, line: int | None, message: str, *, logical_id: str | None = None
    ) -> None:
        self.source = source
        self.line = line
        self.message = message
        self.logical_id = logical_id
        super().__init__(self.describe())

    def describe(self) -> str:
        place = f"{self.source}:{self.line}" if self.line else self.source
        where = f" (resource {self.logical_id})" if self.logical_id else ""
        return f"{place}: {self.message}{where}"


@dataclass(frozen=True)
class NotModelled:
    """One thing of the template the fakes do not model: a resource type, a property, an intrinsic."""

    logical_id: str
    line: int | None
    what: str
    detail: str

    def describe(self, source: str = "") -> str:
        place = f"{source}:{self.line}" if source and self.line else (f"line {self.line}" if self.line else source)
        return f"{place}: {self.logical_id}: {self.what}: {self.detail}"


@dataclass
class Report:
    """Everything a deployment did not model, in template order; never empty by accident."""

    source: str = "<template>"
    entries: list[NotModelled] = field(default_factory=list)

    def add(self, logical_id: str, line: int | None, what: str, detail: str) -> None:
        self.entries.append(NotModelled(logical_id, line, what, detail))

    def __bool__(self) -> bool:
        return bool(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def lines(self) -> list[str]:
        return [entry.describe(self.source) for entry in self.entries]


class StrictModeError(TemplateError):
    """``strict=True`` and the template uses something the fakes do not model."""

    def __init__(self, report: Report) -> None:
        self.report = report
        first = report.entries[0]
        super().__init__(
            report.source,
            first.line,
            f"{len(report)} thing(s) not modelled (strict mode): " + "; ".join(
                f"{e.logical_id}: {e.what} ({e.detail})" + (f" at line {e.line}" if e.line else "")
                for e in report.entries
            ),
        )
