"""Example messages beside each contract, and the check that they hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from eventproof.catalog.contract import Contract, Example
from eventproof.catalog.files import read_yaml
from eventproof.errors import EventproofError, ExampleError, Violation, short_repr

__all__ = ["ExampleResult", "check_example", "read_examples"]


_ENTRY_KEYS = {"valid": ("name", "message"), "invalid": ("name", "message", "violation")}


def read_examples(path: Path) -> list[Example]:
    """Read ``<Name>.examples.yaml``: ``valid`` and ``invalid`` lists of {name, message}."""
    document = read_yaml(path, error=ExampleError)
    data = document.data
    if data is None:
        return []
    if not isinstance(data, dict) or set(data) - {"valid", "invalid"}:
        raise ExampleError(
            "an examples file holds a mapping with only the keys 'valid' and 'invalid'",
            file=path,
            line=document.line_of(),
            hint="see contracts/README.md, section Examples",
        )
    examples: list[Example] = []
    for label in ("valid", "invalid"):
        entries = data.get(label) or []
        if not isinstance(entries, list):
            raise ExampleError(f"'{label}' must be a list of examples", file=path,
                               line=document.line_of(label))
        for position, entry in enumerate(entries):
            line = document.line_of(label, position)
            if not isinstance(entry, dict) or "message" not in entry:
                raise ExampleError(
                    f"{label} example #{position + 1} needs a 'message' (and a 'name')",
                    file=path, line=line,
                )
            allowed = _ENTRY_KEYS[label]
            unknown = [key for key in entry if key not in allowed]
            if unknown:
                key = unknown[0]
                raise ExampleError(
                    f"{label} example #{position + 1} has the key {short_repr(key, 40)}; an "
                    f"entry of '{label}' holds only {', '.join(allowed)}",
                    file=path,
                    line=document.line_of(label, position, key) if isinstance(key, str) else line,
                    hint="a misspelt key would silently disable its check; see "
                    "contracts/README.md, section Examples",
                )
            violation = entry.get("violation")
            if violation is not None and not (isinstance(violation, str) and
                                              (violation == "" or violation.startswith("/"))):
                raise ExampleError(
                    f"'violation' must be a JSON pointer such as /items, found {violation!r}",
                    file=path, line=document.line_of(label, position, "violation"),
                )
            examples.append(Example(
                name=str(entry.get("name", f"{label} example #{position + 1}")),
                message=entry["message"],
                valid=label == "valid",
                file=path,
                line=line,
                violation=violation,
            ))
    return examples


@dataclass(frozen=True)
class ExampleResult:
    """Whether one example behaved as labelled; ``problem`` says why not."""

    contract: str
    example: Example
    ok: bool
    violations: list[Violation] = field(default_factory=list)
    problem: str = ""

    def render(self) -> str:
        where = f"{self.example.file}" + (f", line {self.example.line}" if self.example.line else "")
        return f"{self.contract}: example {self.example.name!r} ({where}): {self.problem}"


def _reported_at(violations: list[Violation], pointer: str) -> bool:
    return any(v.pointer == pointer or v.pointer.startswith(pointer + "/") for v in violations)


def check_example(contract: Contract, example: Example) -> ExampleResult:
    def result(ok: bool, violations: list[Violation], problem: str = "") -> ExampleResult:
        return ExampleResult(contract.name, example, ok, violations, problem)

    try:
        violations = contract.violations(example.message)
    except EventproofError as exc:
        return result(False, [], exc.headline)
    if example.valid:
        if violations:
            return result(False, violations, "a valid example is rejected: " + violations[0].render())
        return result(True, [])
    if not violations:
        return result(False, [], "an invalid example is accepted")
    if example.violation is not None and not _reported_at(violations, example.violation):
        found = ", ".join(v.pointer or "/" for v in violations)
        return result(False, violations,
                      f"expected a violation at {example.violation or '/'}, reported at {found}")
    return result(True, violations)
