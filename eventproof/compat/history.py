"""Earlier versions of a catalog, read through git: at a ref, or along the history."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from eventproof.catalog import Catalog
from eventproof.errors import ConfigError

__all__ = ["catalog_at", "commits_touching", "repository_root"]


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=120)
    except FileNotFoundError:
        raise ConfigError("git is not installed: `eventproof compat --against` reads history through git",
                          file=cwd) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ConfigError(f"git {' '.join(args[:2])} failed: {message[-1] if message else done.returncode}",
                          file=cwd)
    return done.stdout


def repository_root(path: Path) -> Path:
    """The top of the git work tree holding ``path``; a ConfigError if there is none."""
    folder = path if path.is_dir() else path.parent
    return Path(_git(["rev-parse", "--show-toplevel"], folder).decode().strip())


def resolve_ref(ref: str, root: Path) -> str:
    """The commit ``ref`` names (a clear error for a ref that does not exist)."""
    try:
        return _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root).decode().strip()
    except ConfigError:
        raise ConfigError(f"no such git ref: {ref!r}", file=root,
                          hint="give a branch, tag or commit, e.g. origin/main or HEAD~1") from None


def commits_touching(directory: Path, limit: int) -> list[str]:
    """The commits that changed ``directory``, newest first, at most ``limit``."""
    root = repository_root(directory)
    relative = directory.resolve().relative_to(root)
    out = _git(["log", f"--max-count={limit}", "--format=%H", "--", str(relative) or "."], root)
    return out.decode().split()


@contextmanager
def catalog_at(commit: str, directory: Path) -> Iterator[Catalog | None]:
    """The catalog ``directory`` held at ``commit`` (None when the folder did not exist then)."""
    root = repository_root(directory)
    relative = directory.resolve().relative_to(root)
    listing = _git(["ls-tree", "-d", "--name-only", commit, "--", str(relative)], root)
    if relative != Path(".") and not listing.strip():
        yield None
        return
    archive = _git(["archive", "--format=tar", commit, "--", str(relative)], root)
    with tempfile.TemporaryDirectory(prefix="eventproof-compat-") as scratch, \
            tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(scratch, filter="data")
        yield Catalog.load(Path(scratch) / relative)
