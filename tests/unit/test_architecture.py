"""The import rules of docs/architecture.md, checked on the source: imports point one way."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The engine's faces: they read configuration and call the core; the core never imports them.
FACES = ("eventproof.cli", "eventproof.plugin", "eventproof.steps")


def _imports(path: Path) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return found


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("fakes", ("eventproof", "reference_impl")),
        ("reference_impl", ("eventproof", "eventproof_fakes", "fakes")),
        ("eventproof", ("reference_impl",)),
    ],
)
def test_a_part_imports_none_of_the_parts_it_must_not_know(
    package: str, forbidden: tuple[str, ...]
) -> None:
    offending = [
        f"{_module(path)} imports {name}"
        for path in _sources(package)
        for name in _imports(path)
        if _under(name, forbidden)
    ]
    assert not offending, offending


def test_the_engines_core_never_imports_its_faces() -> None:
    offending = [
        f"{_module(path)} imports {name}"
        for path in _sources("eventproof")
        if not _under(_module(path), FACES) and _module(path) != "eventproof"
        for name in _imports(path)
        if _under(name, FACES)
    ]
    assert not offending, offending


def test_the_faces_listed_here_are_the_ones_docs_architecture_names() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for face in FACES:
        assert f"`{face.replace('.', '/')}" in text, face
