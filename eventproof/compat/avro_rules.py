"""Avro schema resolution, as the specification states it, as compatibility rules.

https://avro.apache.org/docs/1.11.1/specification/#schema-resolution: the
reader's schema reads data written with the writer's schema when

- both are the same primitive, or the writer's promotes to the reader's
  (int to long, float or double; long to float or double; float to double;
  string to bytes and bytes to string);
- both are records of the same name (or the reader aliases the writer's
  name); fields match by name or by the reader field's aliases; a writer
  field the reader lacks is skipped; a reader field the writer lacks needs a
  default;
- both are enums of the same name; a writer symbol the reader lacks needs
  the reader's enum default;
- both are fixed of the same name and size; arrays whose items, maps whose
  values resolve;
- a writer union: every branch resolves against the reader; a reader union:
  the writer's schema resolves against one of its branches.

One deliberate departure: bytes promote to string only when they are UTF-8,
which a schema cannot promise, so ``bytes-read-as-string`` is reported
(fastavro's reader fails on such bytes; the cross-check shows it).

Decimals: messages travel in their JSON form, where a decimal is a number
that must fit its schema's scale and precision. fastavro decodes with the
writer's scale, so the reader receives the writer's number; it breaks the
reader's contract when it has more decimal places than the reader's scale
(``decimal-scale-narrowed``) or more integer digits than the reader's
precision minus scale (``decimal-precision-narrowed``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eventproof.compat.findings import Incompatibility

__all__ = ["avro_incompatibilities", "inline_named_types"]

PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})
PROMOTIONS = {
    "int": frozenset({"long", "float", "double"}),
    "long": frozenset({"float", "double"}),
    "float": frozenset({"double"}),
    "string": frozenset({"bytes"}),
    "bytes": frozenset({"string"}),
}
NAMED = frozenset({"record", "error", "enum", "fixed"})


def avro_incompatibilities(
    writer: Any,
    reader: Any,
    *,
    writer_names: Mapping[str, Any] | None = None,
    reader_names: Mapping[str, Any] | None = None,
) -> list[Incompatibility]:
    """Every way ``reader`` cannot resolve data written with ``writer`` ([] when it can)."""
    return _Resolver(writer_names or {}, reader_names or {}).compare(writer, reader, "")


class _Resolver:
    def __init__(self, writer_names: Mapping[str, Any], reader_names: Mapping[str, Any]) -> None:
        self._writer_names = dict(writer_names)
        self._reader_names = dict(reader_names)
        self._seen: set[tuple[str, str]] = set()

    def _deref(self, schema: Any, names: dict[str, Any]) -> Any:
        if isinstance(schema, Mapping) and schema.get("type") in NAMED and "name" in schema:
            names.setdefault(_full_name(schema), schema)
        if isinstance(schema, str) and schema not in PRIMITIVES:
            return names.get(schema, schema)
        if isinstance(schema, Mapping) and isinstance(schema.get("type"), str | list | Mapping) and not (
            schema.get("type") in NAMED or schema.get("type") in ("array", "map")
        ):
            inner = schema["type"]
            if isinstance(inner, str | list) and "logicalType" not in schema:
                return self._deref(inner, names)
        return schema

    def compare(self, writer: Any, reader: Any, path: str) -> list[Incompatibility]:
        writer = self._deref(writer, self._writer_names)
        reader = self._deref(reader, self._reader_names)
        if isinstance(writer, list):
            found: list[Incompatibility] = []
            for index, branch in enumerate(writer):
                if not self._resolves(branch, reader):
                    found.append(Incompatibility(
                        f"{path}/{index}", "writer-union-branch-unreadable",
                        f"the writer's union branch {_describe(branch)} matches nothing the "
                        f"reader has ({_describe(reader)})"))
                else:
                    found += self.compare(branch, self._branch_for(branch, reader), f"{path}/{index}")
            return found
        if isinstance(reader, list):
            branch = self._branch_for(writer, reader)
            if branch is None:
                return [Incompatibility(
                    path, "no-matching-reader-branch",
                    f"the writer's {_describe(writer)} matches no branch of the reader's union "
                    f"{_describe(reader)}")]
            return self.compare(writer, branch, path)
        writer_type, reader_type = _type_of(writer), _type_of(reader)
        if writer_type != reader_type:
            if writer_type == "bytes" and reader_type == "string":
                return [Incompatibility(
                    f"{path}/type", "bytes-read-as-string",
                    "the specification promotes bytes to string, but bytes that are not UTF-8 "
                    "cannot be read as a string (fastavro fails on them)")]
            if reader_type in PROMOTIONS.get(writer_type, ()):
                return []
            return [Incompatibility(
                f"{path}/type", "type-changed",
                f"the writer's {writer_type} cannot be read as {reader_type}")]
        if writer_type in NAMED or writer_type in ("array", "map"):
            return getattr(self, f"_{'record' if writer_type == 'error' else writer_type}")(
                writer, reader, path)
        return _logical(writer, reader, path)

    def _branch_for(self, writer: Any, reader: Any) -> Any:
        """The first reader branch the writer's schema resolves against (spec order)."""
        branches = reader if isinstance(reader, list) else [reader]
        writer = self._deref(writer, self._writer_names)
        resolved = [self._deref(b, self._reader_names) for b in branches]
        for branch in resolved:  # exact type (and name) first, then promotions
            if _type_of(branch) == _type_of(writer) and _same_name(writer, branch):
                return branch
        for branch in resolved:
            if _type_of(branch) in PROMOTIONS.get(_type_of(writer), ()):
                return branch
        return None

    def _resolves(self, writer: Any, reader: Any) -> bool:
        return self._branch_for(writer, reader) is not None

    def _record(self, writer: Mapping[str, Any], reader: Mapping[str, Any], path: str) -> list[Incompatibility]:
        if not _same_name(writer, reader):
            return [Incompatibility(f"{path}/name", "name-changed",
                                    f"record {reader.get('name')!r} does not read record "
                                    f"{writer.get('name')!r} (no alias names it)")]
        key = (_full_name(writer), _full_name(reader))
        if key in self._seen:
            return []
        self._seen.add(key)
        writer_fields = {field["name"]: field for field in writer.get("fields", [])}
        found: list[Incompatibility] = []
        for field in reader.get("fields", []):
            name = field["name"]
            source = writer_fields.get(name) or next(
                (writer_fields[a] for a in field.get("aliases", []) if a in writer_fields), None)
            here = f"{path}/fields/{name}"
            if source is None:
                if "default" not in field:
                    found.append(Incompatibility(
                        here, "reader-field-without-default",
                        f"the reader's field {name!r} is not in the writer's record and has no default"))
                continue
            found += self.compare(source["type"], field["type"], f"{here}/type")
        return found

    def _enum(self, writer: Mapping[str, Any], reader: Mapping[str, Any], path: str) -> list[Incompatibility]:
        if not _same_name(writer, reader):
            return [Incompatibility(f"{path}/name", "name-changed",
                                    f"enum {reader.get('name')!r} does not read enum {writer.get('name')!r}")]
        missing = [s for s in writer.get("symbols", []) if s not in reader.get("symbols", [])]
        if missing and "default" not in reader:
            return [Incompatibility(
                f"{path}/symbols", "enum-symbol-unknown-to-reader",
                f"the reader's enum lacks {', '.join(map(repr, missing))} and has no default")]
        return []

    def _fixed(self, writer: Mapping[str, Any], reader: Mapping[str, Any], path: str) -> list[Incompatibility]:
        if not _same_name(writer, reader):
            return [Incompatibility(f"{path}/name", "name-changed",
                                    f"fixed {reader.get('name')!r} does not read fixed {writer.get('name')!r}")]
        if writer.get("size") != reader.get("size"):
            return [Incompatibility(f"{path}/size", "fixed-size-changed",
                                    f"size {writer.get('size')} cannot be read as size {reader.get('size')}")]
        return _logical(writer, reader, path)

    def _array(self, writer: Mapping[str, Any], reader: Mapping[str, Any], path: str) -> list[Incompatibility]:
        return self.compare(writer["items"], reader["items"], f"{path}/items")

    def _map(self, writer: Mapping[str, Any], reader: Mapping[str, Any], path: str) -> list[Incompatibility]:
        return self.compare(writer["values"], reader["values"], f"{path}/values")


def _logical(writer: Any, reader: Any, path: str) -> list[Incompatibility]:
    if not (isinstance(writer, Mapping) and isinstance(reader, Mapping)):
        return []
    if writer.get("logicalType") == reader.get("logicalType") == "decimal":
        w_scale, r_scale = writer.get("scale", 0), reader.get("scale", 0)
        found: list[Incompatibility] = []
        if r_scale < w_scale:
            found.append(Incompatibility(f"{path}/scale", "decimal-scale-narrowed",
                                         f"the writer sends {w_scale} decimal places; the reader "
                                         f"holds {r_scale}"))
        if reader.get("precision", 0) - r_scale < writer.get("precision", 0) - w_scale:
            found.append(Incompatibility(f"{path}/precision", "decimal-precision-narrowed",
                                         f"the writer sends {writer.get('precision', 0) - w_scale} "
                                         f"integer digits; the reader holds "
                                         f"{reader.get('precision', 0) - r_scale}"))
        return found
    return []


def _type_of(schema: Any) -> str:
    if isinstance(schema, str):
        return schema if schema in PRIMITIVES else "reference"
    if isinstance(schema, list):
        return "union"
    kind = schema.get("type")
    return kind if isinstance(kind, str) else _type_of(kind)


def _full_name(schema: Mapping[str, Any]) -> str:
    name = str(schema.get("name", ""))
    namespace = schema.get("namespace")
    return name if "." in name or not namespace else f"{namespace}.{name}"


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _same_name(writer: Any, reader: Any) -> bool:
    """Named types match by unqualified name, or by a reader alias (spec: Schema Resolution)."""
    if not (isinstance(writer, Mapping) and isinstance(reader, Mapping)) or "name" not in writer:
        return True
    written = _short(_full_name(writer))
    return written == _short(_full_name(reader)) or written in {
        _short(alias) for alias in reader.get("aliases", [])}


def _describe(schema: Any) -> str:
    if isinstance(schema, list):
        return "[" + ", ".join(_describe(s) for s in schema) + "]"
    if isinstance(schema, Mapping):
        return str(schema.get("name") or schema.get("logicalType") or schema.get("type"))
    return str(schema)


def inline_named_types(schema: Any, names: Mapping[str, Any]) -> Any:
    """``schema`` with every reference to a named type replaced by its definition, once.

    fastavro needs a self-contained schema per version when two versions
    define the same names differently.
    """
    defined: set[str] = set()

    def walk(node: Any, namespace: str | None) -> Any:
        if isinstance(node, str):
            if node in PRIMITIVES:
                return node
            full = node if "." in node or not namespace else f"{namespace}.{node}"
            target = names.get(full, names.get(node))
            if target is None or full in defined or node in defined:
                return node
            return walk(target, namespace)
        if isinstance(node, list):
            return [walk(item, namespace) for item in node]
        if not isinstance(node, Mapping):
            return node
        out = {k: v for k, v in node.items() if not str(k).startswith("__")}
        if out.get("type") in NAMED and "name" in out:
            full = _full_name(out)
            defined.add(full)
            namespace = full.rsplit(".", 1)[0] if "." in full else namespace
        if "fields" in out:
            out["fields"] = [{**f, "type": walk(f["type"], namespace)} for f in out["fields"]]
        for key in ("items", "values"):
            if key in out:
                out[key] = walk(out[key], namespace)
        if isinstance(out.get("type"), list | Mapping) or (
            isinstance(out.get("type"), str) and out["type"] not in PRIMITIVES | NAMED | {"array", "map"}
        ):
            out["type"] = walk(out["type"], namespace)
        return out

    return walk(schema, None)
