"""Building hostile catalogs and messages, and running the CLI on them in-process."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from eventproof.cli import run

METADATA = {"name": "A", "kind": "event", "version": "1", "summary": "hostile input"}


def write(path: Path, content: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        # json.dumps writes float("inf") as Infinity, which is not JSON: write it as the
        # number literal 1e400 (which Python reads back as infinity).
        path.write_text(content if isinstance(content, str)
                        else json.dumps(content).replace(": Infinity", ": 1e400"))
    return path


def contract(root: Path, schema: dict[str, Any], name: str = "A") -> Path:
    """A catalog folder holding one JSON Schema contract named ``name``."""
    write(root / f"{name}.schema.json", {"x-eventproof": dict(METADATA, name=name), **schema})
    return root


def cli(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


def validate(catalog: Path, message: str | bytes, *extra: str, name: str = "A") -> tuple[int, str, str]:
    """``eventproof validate`` on one message file written beside the catalog."""
    file = write(catalog.parent / "message.json", message)
    return cli("validate", "--contracts", catalog, name, file, *extra)
