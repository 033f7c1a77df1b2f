"""Feature files read with the official Gherkin parser (the one pytest-bdd brings).

A feature's description is its narrative: paragraphs, and indented blocks
that start with a Mermaid diagram keyword (``flowchart``, ``sequenceDiagram``,
...), which the site draws. A file the parser refuses is a ``ConfigError``
naming the file and the line.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from eventproof.errors import ConfigError

__all__ = ["Block", "Feature", "Scenario", "Step", "read_features"]

MERMAID_STARTS = ("flowchart", "graph", "sequenceDiagram", "stateDiagram", "stateDiagram-v2",
                  "classDiagram", "erDiagram", "journey", "gantt", "timeline")


@dataclass(frozen=True)
class Step:
    keyword: str
    text: str
    line: int
    doc: str = ""
    table: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Scenario:
    name: str
    keyword: str
    line: int
    tags: tuple[str, ...]
    steps: tuple[Step, ...]
    description: str = ""
    rule: str = ""
    examples: tuple[tuple[tuple[str, ...], ...], ...] = ()  # each Examples table, header first


@dataclass(frozen=True)
class Block:
    kind: str  # "text" or "mermaid"
    text: str


@dataclass
class Feature:
    name: str
    path: Path
    relative: str
    tags: tuple[str, ...]
    narrative: list[Block] = field(default_factory=list)
    background: tuple[Step, ...] = ()
    scenarios: list[Scenario] = field(default_factory=list)

    @property
    def diagrams(self) -> list[str]:
        return [b.text for b in self.narrative if b.kind == "mermaid"]


def read_features(folder: Path | None) -> list[Feature]:
    """Every ``*.feature`` under ``folder``, in path order (none without a folder)."""
    if folder is None:
        return []
    if not folder.is_dir():
        raise ConfigError(f"features: no such folder {folder}")
    return [_read(path, folder) for path in sorted(folder.rglob("*.feature"))]


def _read(path: Path, folder: Path) -> Feature:
    from gherkin.errors import CompositeParserException, ParserException
    from gherkin.parser import Parser

    try:
        document = Parser().parse(path.read_text(encoding="utf-8"))
    except (CompositeParserException, ParserException) as error:
        raise ConfigError(f"{path}: not a Gherkin feature: {error}", file=path) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read {path}: {error}", file=path) from None
    raw: dict[str, Any] | None = cast(dict[str, Any] | None, document.get("feature"))
    relative = path.relative_to(folder).as_posix()
    if raw is None:
        return Feature(name=relative, path=path, relative=relative, tags=())
    feature = Feature(name=raw.get("name") or relative, path=path, relative=relative,
                      tags=_tags(raw), narrative=narrative(raw.get("description", "")))
    _children(feature, raw.get("children", []), rule="")
    return feature


def _children(feature: Feature, children: list[dict[str, Any]], rule: str) -> None:
    for child in children:
        if "background" in child and not rule:
            feature.background = _steps(child["background"])
        elif "scenario" in child:
            feature.scenarios.append(_scenario(child["scenario"], rule))
        elif "rule" in child:
            _children(feature, child["rule"].get("children", []), child["rule"].get("name", ""))


def _scenario(raw: dict[str, Any], rule: str) -> Scenario:
    tables = tuple(
        tuple(tuple(cell["value"] for cell in row["cells"])
              for row in ([example["tableHeader"]] if example.get("tableHeader") else [])
              + example.get("tableBody", []))
        for example in raw.get("examples", []))
    return Scenario(name=raw.get("name", ""), keyword=raw.get("keyword", "Scenario"),
                    line=raw["location"]["line"], tags=_tags(raw), steps=_steps(raw),
                    description=textwrap.dedent(raw.get("description", "")).strip(), rule=rule,
                    examples=tables)


def _steps(raw: dict[str, Any]) -> tuple[Step, ...]:
    return tuple(
        Step(keyword=step["keyword"].strip(), text=step["text"], line=step["location"]["line"],
             doc=(step.get("docString") or {}).get("content", ""),
             table=tuple(tuple(cell["value"] for cell in row["cells"])
                         for row in (step.get("dataTable") or {}).get("rows", [])))
        for step in raw.get("steps", []))


def _tags(raw: dict[str, Any]) -> tuple[str, ...]:
    return tuple(tag["name"] for tag in raw.get("tags", []))


def narrative(description: str) -> list[Block]:
    """Paragraphs, and the indented Mermaid blocks between them."""
    lines = textwrap.dedent(description).splitlines()
    blocks: list[Block] = []
    paragraph: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            paragraph.append(line)
            continue
        if paragraph:
            text = textwrap.dedent("\n".join(paragraph))
            first = text.split(None, 1)[0] if text.strip() else ""
            indented = paragraph[0][:1].isspace()
            if indented and first in MERMAID_STARTS:
                blocks.append(Block("mermaid", text.strip("\n")))
            else:
                blocks.append(Block("text", " ".join(part.strip() for part in paragraph)))
            paragraph = []
    return blocks
