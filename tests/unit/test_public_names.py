"""Every package's ``__all__`` lists exactly its public names, and each of them exists."""

from __future__ import annotations

import importlib
import pkgutil
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _packages() -> list[str]:
    names = []
    for top in ("eventproof", "eventproof_fakes"):
        names.append(top)
        module = importlib.import_module(top)
        for info in pkgutil.walk_packages(module.__path__, prefix=f"{top}."):
            if info.ispkg:
                names.append(info.name)
    return sorted(names)


PACKAGES = _packages()


def _public_names(module: types.ModuleType) -> set[str]:
    """Names the package binds itself: not private, not its submodules, not ``annotations``."""
    public = set()
    for name, value in vars(module).items():
        if name.startswith("_") or name == "annotations":
            continue
        if isinstance(value, types.ModuleType):
            continue  # a submodule (or a module imported for internal use)
        if getattr(value, "__module__", None) == "typing":
            continue  # Any, Protocol, cast: annotations, not API
        public.add(name)
    return public


def test_every_package_is_checked() -> None:
    assert {"eventproof", "eventproof_fakes", "eventproof.catalog", "eventproof_fakes.sqs"} <= set(PACKAGES)


@pytest.mark.parametrize("name", PACKAGES)
def test_all_lists_exactly_the_public_names(name: str) -> None:
    module = importlib.import_module(name)
    declared = getattr(module, "__all__", None)
    assert declared is not None, f"{name} has no __all__"
    assert len(declared) == len(set(declared)), f"{name}.__all__ repeats a name"
    missing = [entry for entry in declared if not hasattr(module, entry)]
    assert not missing, f"{name}.__all__ names what it does not define: {missing}"
    unlisted = _public_names(module) - set(declared) - {"__version__"}
    assert not unlisted, f"{name} binds public names missing from __all__: {sorted(unlisted)}"
