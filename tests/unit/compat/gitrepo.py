"""Temporary git repositories with a history of contract versions, for the git-aware gate."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.email", "dev@example.com")
        self.git("config", "user.name", "dev")

    def git(self, *args: str) -> str:
        return subprocess.run(["git", *args], cwd=self.root, check=True, capture_output=True,
                              text=True).stdout

    def write(self, relative: str, content: Any) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content if isinstance(content, str) else json.dumps(content, indent=1))

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)


def contract(name: str, kind: str, version: str, schema: dict[str, Any], **meta: Any) -> dict[str, Any]:
    return {**schema, "x-eventproof": {"name": name, "kind": kind, "version": version,
                                       "summary": f"{name} v{version}", **meta}}
