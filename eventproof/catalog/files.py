"""Reading the catalog's files: JSON and YAML, with line and column on every error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from eventproof.errors import ContractLoadError, EventproofError, MessageError

__all__ = ["YamlDocument", "parse_json", "read_json", "read_message", "read_text", "read_yaml"]


def read_text(path: Path, *, error: type[EventproofError] = ContractLoadError) -> str:
    """Read a UTF-8 file, turning OS and decoding failures into an error that names it."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"no such file: {path}", file=path) from None
    except IsADirectoryError:
        raise error(f"expected a file but found a directory: {path}", file=path) from None
    except UnicodeDecodeError as exc:
        raise error(
            f"the file is not UTF-8 text (byte {exc.start} cannot be decoded)", file=path
        ) from None
    except OSError as exc:
        raise error(f"cannot read the file: {exc.strerror}", file=path) from None


def parse_json(text: str, path: Path, *, error: type[EventproofError] = ContractLoadError) -> Any:
    """Parse JSON text; malformed or too deeply nested input names file, line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(
            f"malformed JSON: {exc.msg}", file=path, line=exc.lineno, column=exc.colno
        ) from None
    except RecursionError:
        raise error(
            "JSON nested too deeply to read (more levels than Python's recursion limit)",
            file=path,
        ) from None


def read_json(path: Path, *, error: type[EventproofError] = ContractLoadError) -> Any:
    return parse_json(read_text(path, error=error), path, error=error)


class _JsonishLoader(yaml.SafeLoader):
    """YAML as a JSON superset: timestamps stay strings, as they would in a JSON message."""


_JsonishLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlDocument:
    """A parsed YAML document that remembers the line of each node, for error messages."""

    def __init__(self, data: Any, root: yaml.Node | None) -> None:
        self.data = data
        self._root = root

    def line_of(self, *path: str | int) -> int | None:
        """1-based line of the node at ``path`` (mapping keys / sequence indexes)."""
        node = self._root
        for step in path:
            if isinstance(node, yaml.MappingNode) and isinstance(step, str):
                node = next((v for k, v in node.value if k.value == step), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                node = node.value[step] if 0 <= step < len(node.value) else None
            else:
                node = None
            if node is None:
                return None
        return node.start_mark.line + 1 if node is not None else None


def read_yaml(path: Path, *, error: type[EventproofError] = ContractLoadError) -> YamlDocument:
    text = read_text(path, error=error)
    loader = _JsonishLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed YAML"
        raise error(
            f"malformed YAML: {problem}",
            file=path,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise error(f"malformed YAML: {exc}", file=path) from None
    except RecursionError:
        raise error("YAML nested too deeply to read", file=path) from None
    finally:
        loader.dispose()
    return YamlDocument(data, root)


def read_message(path: Path) -> Any:
    """Read one JSON message file for validation; every failure is a MessageError."""
    return read_json(path, error=MessageError)
