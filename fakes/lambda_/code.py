"""Deployment packages: a local folder as a zip, and a zip back to a folder of code.

``package(folder)`` builds the same bytes for the same files every time
(sorted entries, fixed timestamps and permissions, no ``__pycache__``) and
remembers which folder they came from. When such bytes reach
``CreateFunction``, the fake runs the ORIGINAL folder, so tracebacks,
breakpoints and coverage point at the team's own files. Any other zip is
extracted into a temporary directory of its own, removed with the function.

Simplified: the remembered folder is read when the function first runs, so
an edit to it between packaging and that first run is seen.
"""

from __future__ import annotations

import base64
import hashlib
import io
import tempfile
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from eventproof_fakes.lambda_.errors import invalid_parameter

__all__ = ["FunctionCode", "package"]

# The fixed timestamp of every entry: the earliest a zip can hold.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_SKIPPED_DIRECTORIES = {"__pycache__", ".git", ".aws-sam", ".pytest_cache", ".mypy_cache"}

# sha256 of a package's bytes -> the folder ``package`` built it from.
_packaged: dict[str, Path] = {}
_packaged_lock = threading.Lock()
# (folder, its files with a digest of their bytes) -> the package built from them; oldest go first.
_zips: dict[tuple[Path, tuple[tuple[Path, bytes], ...]], bytes] = {}
_ZIPS_KEPT = 32


def package(folder: Path | str) -> bytes:
    """A deterministic zip of ``folder`` (its contents at the root), for ``Code={"ZipFile": ...}``."""
    root = Path(folder).resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"cannot package {root}: not a directory")
    contents = [(path, path.read_bytes()) for path in sorted(_files(root))]
    # The same files with the same bytes zip to the same package: a template deployed per
    # test (each function zipping its folder) pays the compression once.
    state = (root, tuple((path, hashlib.sha1(data, usedforsecurity=False).digest())
                         for path, data in contents))
    with _packaged_lock:
        known = _zips.get(state)
    if known is not None:
        return known
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in contents:
            entry = zipfile.ZipInfo(path.relative_to(root).as_posix(), date_time=_ZIP_EPOCH)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    data = buffer.getvalue()
    with _packaged_lock:
        _packaged[hashlib.sha256(data).hexdigest()] = root
        _zips[state] = data
        while len(_zips) > _ZIPS_KEPT:
            del _zips[next(iter(_zips))]
    return data


def _files(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        relative = path.relative_to(root).parts
        if any(part in _SKIPPED_DIRECTORIES for part in relative):
            continue
        if path.is_file() and path.suffix != ".pyc":
            found.append(path)
    return found


@dataclass
class FunctionCode:
    """One function's code: where it lives on disk, and what ``GetFunction`` reports of it."""

    folder: Path
    sha256: str  # base64, as ``CodeSha256``
    size: int
    original: bool  # True: ``folder`` is the team's own folder, not an extracted copy
    _scratch: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    @classmethod
    def from_zip(cls, data: bytes) -> FunctionCode:
        """The folder of a zip: the packaged original, or a fresh extraction; AWS's error if it is no zip."""
        digest = hashlib.sha256(data)
        sha256 = base64.b64encode(digest.digest()).decode()
        with _packaged_lock:
            original = _packaged.get(digest.hexdigest())
        if original is not None and original.is_dir():
            return cls(original, sha256, len(data), True)
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError):
            raise invalid_parameter(
                "Could not unzip uploaded file. Please check your file, then try to upload again."
            ) from None
        scratch = tempfile.TemporaryDirectory(prefix="eventproof-lambda-")
        with archive:
            # ZipFile.extractall drops ".." and absolute parts: no entry escapes the folder.
            archive.extractall(scratch.name)
        return cls(Path(scratch.name), sha256, len(data), False, scratch)

    def release(self) -> None:
        """Remove an extracted copy (never the team's folder)."""
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None
