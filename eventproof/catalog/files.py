"""Reading the catalog's files: JSON and YAML, with line and column on every error."""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from pathlib import Path
from typing import Any

import yaml
import yaml.reader

from eventproof.errors import ContractLoadError, EventproofError, MessageError, short_repr

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


class _Refused(ValueError):
    """JSON text Python could read but a contract check must not guess about."""

    def __init__(self, problem: str, token: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.token = token  # text to look for, to say where
        self.position: int | None = None


_INT_DIGITS = 4300  # Python's limit for int(str) (sys.get_int_max_str_digits default)


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not JSON (RFC 8259 has no NaN or Infinity)", name)


def _integer(text: str) -> int:
    digits = len(text) - text.startswith("-")
    if digits > _INT_DIGITS:
        raise _Refused(f"an integer of {digits} digits (more than the {_INT_DIGITS:,} Python reads)",
                       text[:40])
    return int(text)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(
                    f"duplicate key {short_repr(key, 60)} in one object (JSON parsers differ on "
                    "which value wins, so a contract check will not pick one)",
                    json.dumps(key) + ":")
            seen.add(key)
    return result


def _locate_object(s_and_end: tuple[str, int], *args: Any) -> Any:
    # Only on the error path: the pure-Python scanner, to learn where the failing object starts.
    try:
        return json.decoder.JSONObject(s_and_end, *args)  # type: ignore[attr-defined]
    except _Refused as exc:
        if exc.position is None:
            exc.position = s_and_end[1]
        raise


def _where(text: str, exc: _Refused) -> tuple[int | None, int | None]:
    """Line and column of what ``exc`` refuses, as near as the text shows."""
    position = None
    if exc.token is not None and exc.token.endswith(":"):  # a duplicate key, inside its object
        decoder = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_constant)
        decoder.parse_object = _locate_object  # type: ignore[attr-defined]
        decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
        try:
            decoder.decode(text)
        except _Refused as located:
            if located.position is not None:
                key = exc.token[:-1]
                first = _find_token(text, key, located.position)
                second = _find_token(text, key, first + len(key)) if first >= 0 else -1
                position = second if second >= 0 else located.position
        except (ValueError, RecursionError):
            pass
    elif exc.token is not None:
        found = _find_token(text, exc.token, 0)
        position = found if found >= 0 else None
    if position is None:
        return None, None
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


def _find_token(text: str, token: str, start: int) -> int:
    """The first ``token`` at or after ``start`` that is not inside a JSON string."""
    pattern = re.compile(r'"(?:[^"\\]|\\.)*"(?=\s*:)|"(?:[^"\\]|\\.)*"|[^"]+', re.S)
    for match in pattern.finditer(text, start):
        piece = match.group()
        if piece.startswith('"'):
            if piece == token and match.start() >= start:
                return match.start()
            continue
        index = piece.find(token)
        if index >= 0:
            return match.start() + index
    return -1


def parse_json(text: str, path: Path, *, error: type[EventproofError] = ContractLoadError) -> Any:
    """Parse JSON text; malformed or too deeply nested input names file, line and column.

    Refused as well, with their place: NaN and Infinity (not JSON), integers
    longer than Python reads, and duplicate keys in one object.
    """
    try:
        return json.loads(text, parse_constant=_constant, parse_int=_integer,
                          object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise error(
            f"malformed JSON: {exc.msg}", file=path, line=exc.lineno, column=exc.colno
        ) from None
    except _Refused as exc:
        line, column = _where(text, exc)
        raise error(f"refused JSON: {exc.problem}", file=path, line=line, column=column) from None
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


# Aliases may add at most this many nodes once expanded: a "billion laughs"
# file of 582 bytes expands to 10**9, and is refused before anything is built.
YAML_ALIAS_BUDGET = 10_000


def read_yaml(path: Path, *, error: type[EventproofError] = ContractLoadError) -> YamlDocument:
    text = read_text(path, error=error)
    loader: _JsonishLoader | None = None
    try:
        # The reader checks the characters as the loader is built: inside the try.
        loader = _JsonishLoader(text)
        root = loader.get_single_node()
        if root is not None:
            _check_aliases(root, path, error)
        data = loader.construct_document(root) if root is not None else None
    except yaml.reader.ReaderError as exc:
        line, column = _text_position(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise error(
            f"the YAML holds the character U+{code:04X}, which YAML does not allow in a file",
            file=path, line=line, column=column,
            hint="write control characters inside a double-quoted string as escapes, e.g. \"\\x00\"",
        ) from None
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
        raise error(f"malformed YAML: {short_repr(str(exc), 200)}", file=path) from None
    except RecursionError:
        raise error("YAML nested too deeply to read", file=path) from None
    finally:
        if loader is not None:
            loader.dispose()
    return YamlDocument(data, root)


def _text_position(text: str, position: int) -> tuple[int, int]:
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


def _check_aliases(root: yaml.Node, path: Path, error: type[EventproofError]) -> None:
    """Refuse a document whose aliases expand past ``YAML_ALIAS_BUDGET`` nodes, or loop.

    Composing keeps each anchored node once and aliases point to it, so the
    expanded size is counted here over the node graph (each node once, with
    memory) before the constructor builds anything.
    """
    expanded: dict[int, int] = {}
    distinct = 0
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            expanded[key] = 1 + sum(expanded[id(child)] for child in _children(node))
            if expanded[key] - distinct > YAML_ALIAS_BUDGET:
                raise error(
                    f"YAML aliases expand to more than {YAML_ALIAS_BUDGET:,} extra nodes "
                    "(an alias bomb?); refused before expanding",
                    file=path, line=node.start_mark.line + 1,
                    hint="write the example out, or use fewer aliases",
                )
            continue
        if key in expanded:
            continue
        if key in on_path:
            raise error("a YAML alias refers to a node that contains it (a recursive structure)",
                        file=path, line=node.start_mark.line + 1)
        on_path.add(key)
        distinct += 1
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in expanded)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def read_message(path: Path) -> Any:
    """Read one JSON message file for validation; every failure is a MessageError."""
    return read_json(path, error=MessageError)
