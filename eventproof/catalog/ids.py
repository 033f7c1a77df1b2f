"""Every URI a catalog's JSON Schemas claim (files and ``$id``s) is claimed once.

``referencing`` registers each ``$id`` it crawls under its URI, the last
one winning: a schema could declare ``"$id": "../B.schema.json"`` inside its
``$defs`` and replace ``B.schema.json`` for every ``$ref`` in the catalog.
So every claim is collected first, and two claims on one URI are a load
error naming both places.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

from eventproof.errors import SchemaError

__all__ = ["check_unique_ids"]

# Values under these keys are data, not schemas: an "$id" there claims nothing.
_DATA_KEYS = frozenset({"enum", "const", "default", "examples"})


def _escape(key: str) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def check_unique_ids(schemas: dict[Path, Any], uris: dict[Path, str]) -> None:
    """Raise SchemaError if two resources (files or ``$id``s) claim one URI."""
    claims: dict[str, tuple[Path, str]] = {uris[path]: (path, "") for path in schemas}
    for path, root in schemas.items():
        stack: list[tuple[Any, str, str]] = [(root, "", uris[path])]
        while stack:
            node, pointer, base = stack.pop()
            if isinstance(node, list):
                stack.extend((item, f"{pointer}/{index}", base) for index, item in enumerate(node))
                continue
            if not isinstance(node, dict):
                continue
            declared = node.get("$id")
            if isinstance(declared, str) and not declared.startswith("#"):
                base = urldefrag(urljoin(base, declared)).url
                first = claims.setdefault(base, (path, pointer))
                if first != (path, pointer) and not (first == (path, "") and pointer == ""):
                    raise SchemaError(
                        f"two schemas claim the URI {base}: {_place(*first)} and "
                        f"{_place(path, pointer)}",
                        file=path,
                        pointer=f"{pointer}/$id",
                        hint="each $id must be unique in the catalog and must not name "
                        "another schema file",
                    )
            stack.extend(
                (value, f"{pointer}/{_escape(key)}", base) for key, value in node.items()
                if key not in _DATA_KEYS and not str(key).startswith("x-")
            )


def _place(path: Path, pointer: str) -> str:
    return f"{path}" + (f" (at {pointer})" if pointer else "")
