"""One self-contained schema per contract: ``$ref``s and Avro named types brought inside.

``bundle_json_schema`` follows every ``$ref`` through the contract's own
registry (so a reference to ``../common/Money.schema.json`` works as it does
in validation). With ``inline=True`` each reference is replaced by what it
points to; only a recursive one (a tree type) cannot be, and stays a
``$ref`` into the schema's ``$defs`` / ``definitions``. ``inline_avro`` does
the same for Avro: a named type another file defines is written out at its
first use.
"""

from __future__ import annotations

from typing import Any

from referencing._core import Resolver

from eventproof.catalog import AvroContract, JsonSchemaContract

__all__ = ["DATA_KEYWORDS", "bundle_json_schema", "definitions_key", "inline_avro"]

DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples", "example"})
_DRAFT7 = "http://json-schema.org/draft-07/schema"
_AVRO_PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})
_AVRO_KEYWORD_TYPES = _AVRO_PRIMITIVES | {"record", "error", "enum", "fixed", "array", "map"}


def definitions_key(schema: dict[str, Any]) -> str:
    return "definitions" if str(schema.get("$schema", "")).rstrip("#") == _DRAFT7 else "$defs"


def bundle_json_schema(contract: JsonSchemaContract, *, inline: bool) -> dict[str, Any]:
    root = contract.schema
    key = definitions_key(root)
    draft7 = key == "definitions"
    names: dict[int, str] = {id(root): ""}
    collected: dict[str, Any] = {}
    # Inlined, the root's own definitions are dropped: their names are free again.
    taken = set(root.get(key, {})) if isinstance(root.get(key), dict) and not inline else set()
    expanding: list[int] = [id(root)]

    def name_for(ref: str) -> str:
        stem = ref.rstrip("/").rsplit("/", 1)[-1].split(".")[0].lstrip("#") or "schema"
        name, counter = stem, 2
        while name in taken:
            name, counter = f"{stem}{counter}", counter + 1
        taken.add(name)
        return name

    def reference(target: Any, resolver: Resolver[Any], ref: str) -> str:
        if id(target) not in names:
            names[id(target)] = name_for(ref)
            expanding.append(id(target))
            collected[names[id(target)]] = _strip(copy(target, resolver))
            expanding.pop()
        name = names[id(target)]
        return f"#/{key}/{name}" if name else "#"

    def copy(node: Any, resolver: Resolver[Any]) -> Any:
        if isinstance(node, list):
            return [copy(item, resolver) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            resolved = resolver.lookup(ref)
            target, target_resolver = resolved.contents, resolved.resolver
            if inline and id(target) not in expanding and isinstance(target, dict):
                expanding.append(id(target))
                body = _strip(copy(target, target_resolver))
                expanding.pop()
                rest = {k: copy(v, resolver) if k not in DATA_KEYWORDS else v
                        for k, v in node.items() if k != "$ref"}
                if draft7 or not rest:
                    return body  # draft-07 ignores the keywords beside a $ref
                rest["allOf"] = [*rest.get("allOf", []), body]
                return rest
            out = {k: copy(v, resolver) if k not in DATA_KEYWORDS else v for k, v in node.items()}
            out["$ref"] = reference(target, target_resolver, ref)
            return out
        return {k: copy(v, resolver) if k not in DATA_KEYWORDS else v for k, v in node.items()}

    bundled: dict[str, Any] = copy(root, contract.resolver())
    if inline:
        # What the root's own $defs held is inlined where used; keep only what recursion needs.
        bundled.pop(key, None)
    if collected:
        bundled[key] = {**bundled.get(key, {}), **collected}
    return bundled


def _strip(schema: Any) -> Any:
    # A referenced file's own header does not belong inside another schema.
    if isinstance(schema, dict):
        return {k: v for k, v in schema.items() if k not in ("$schema", "$id", "x-eventproof")}
    return schema


def inline_avro(contract: AvroContract) -> dict[str, Any]:
    """The contract's Avro record with every named type it uses from elsewhere written out."""
    defined: set[str] = set()

    def full(name: str, namespace: str | None) -> str:
        return name if "." in name or not namespace else f"{namespace}.{name}"

    def walk(node: Any, namespace: str | None) -> Any:
        if isinstance(node, str):
            if node in _AVRO_PRIMITIVES:
                return node
            name = node if node in contract.named_types else full(node, namespace)
            if name in defined or name not in contract.named_types:
                return node
            parsed = contract.named_types[name]
            return walk({k: v for k, v in parsed.items()
                         if not k.startswith("__") and k != "x-eventproof"}, None)
        if isinstance(node, list):
            return [walk(item, namespace) for item in node]
        if not isinstance(node, dict):
            return node
        here = namespace
        if node.get("type") in ("record", "error", "enum", "fixed") and isinstance(node.get("name"), str):
            here = node.get("namespace", namespace)
            qualified = full(node["name"], here)
            defined.add(qualified)
            here = qualified.rsplit(".", 1)[0] if "." in qualified else here
        out = dict(node)
        if here != namespace or "." in str(node.get("name", "")):
            # fastavro's parsed form names types in full; a name is written short, beside its
            # namespace (what AsyncAPI's Avro schema and most tools expect).
            qualified = full(str(node["name"]), node.get("namespace", namespace))
            if "." in qualified:
                out["namespace"], out["name"] = qualified.rsplit(".", 1)
        if "fields" in node:
            out["fields"] = [{**f, "type": walk(f["type"], here)} for f in node["fields"]]
        for key in ("items", "values"):
            if key in node:
                out[key] = walk(node[key], here)
        if isinstance(node.get("type"), dict | list) or node.get("type") not in _AVRO_KEYWORD_TYPES:
            out["type"] = walk(node["type"], here)
        return out

    return walk(contract.schema, None)
