"""Per-function module namespaces: two functions' ``app.py`` are two modules.

In Lambda each function has its own process, with its code folder first on
``sys.path``. Here every function shares the test's process, so each code
folder gets a ``CodeNamespace``: the modules its folder provides (its
top-level ``*.py`` files and packages) live in the namespace, and are put
into ``sys.modules`` only while that function runs (its init or one
invocation). A meta-path finder resolves those names from the function's
own folder, so ``from utils import x`` finds the function's ``utils.py``
and not another function's, nor a module of the same name the test process
imported. Everything else (the standard library, boto3, whatever the test
process has installed) comes from the process, as Lambda's runtime
provides its own libraries.

The modules keep their plain names (``app``, ``utils``) and their real
files, so tracebacks and coverage point at the team's code.

Simplified: while a function runs, its modules are visible to every thread
of the process under their plain names. A file in the folder named like a
standard-library module (``json.py``) does not replace it (Lambda's runtime
has imported most of them before the function's code runs), nor do
``boto3``, ``botocore`` and ``s3transfer`` found in a folder (the process's
copies are the ones bound to the fakes).
"""

from __future__ import annotations

import contextlib
import importlib.machinery
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

__all__ = ["CodeNamespace", "top_level_names"]

# Always the process's own copies: their clients must bind to the fakes.
_NEVER_FROM_CODE = frozenset({"boto3", "botocore", "s3transfer"})
_SUFFIXES = sorted(importlib.machinery.all_suffixes(), key=len, reverse=True)


def top_level_names(folder: Path) -> frozenset[str]:
    """The module names a folder provides at its top: ``app.py`` -> app, ``pkg/`` -> pkg."""
    names: set[str] = set()
    if not folder.is_dir():  # removed since it was deployed: the handler's import fails
        return frozenset()
    for entry in folder.iterdir():
        name = entry.name
        if entry.is_dir():
            if name.isidentifier():
                names.add(name)
            continue
        for suffix in _SUFFIXES:
            if name.endswith(suffix):
                stem = name[: -len(suffix)].split(".")[0]
                if stem.isidentifier() and stem != "__init__":
                    names.add(stem)
                break
    return frozenset(names - _NEVER_FROM_CODE - sys.stdlib_module_names)


class _FolderFinder:
    """Finds the namespace's top-level names in its folder, and notes every module of it imported."""

    def __init__(self, namespace: CodeNamespace) -> None:
        self._namespace = namespace

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        namespace = self._namespace
        if fullname.partition(".")[0] not in namespace.names:
            return None
        namespace.loaded_names.add(fullname)
        if path is not None:
            return None  # a submodule: its package's __path__ already points into the folder
        return importlib.machinery.PathFinder.find_spec(fullname, [namespace.location])

    def invalidate_caches(self) -> None:
        return None


class CodeNamespace:
    """The private modules of one code folder, swapped into ``sys.modules`` while it runs."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.location = str(folder)
        self.names = top_level_names(folder)
        self.loaded_names: set[str] = set()
        self._modules: dict[str, ModuleType] = {}
        self._finder = _FolderFinder(self)
        self._hidden: dict[str, ModuleType] = {}

    def enter(self) -> None:
        """Make this folder's modules the ones ``import`` sees."""
        modules = sys.modules
        hidden = self._hidden
        for name in self.names:
            if name in modules:
                # The process (or a leak) has a module of this name: hide it and its submodules.
                prefix = name + "."
                for key in [k for k in modules if k == name or k.startswith(prefix)]:
                    hidden[key] = modules.pop(key)
        modules.update(self._modules)
        sys.meta_path.insert(0, self._finder)

    def leave(self) -> None:
        """Take this folder's modules back out of ``sys.modules``; restore what was hidden."""
        with contextlib.suppress(ValueError):  # the code may have removed it itself
            sys.meta_path.remove(self._finder)
        modules = sys.modules
        own = self._modules
        for name in self.loaded_names:
            module = modules.pop(name, None)
            if module is not None:
                own[name] = module
        if self._hidden:
            modules.update(self._hidden)
            self._hidden = {}

    def module(self, name: str) -> ModuleType | None:
        """A module of this namespace already loaded (``app``), if any."""
        return self._modules.get(name)
