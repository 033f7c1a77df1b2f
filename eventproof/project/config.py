"""A team's ``[tool.eventproof]`` configuration, read and checked strictly.

Where it lives: ``eventproof.toml`` (its keys at the top level) or the
``[tool.eventproof]`` table of ``pyproject.toml``; the first found walking up
from the current folder. Keys::

    contracts = "contracts"            # the contracts folder (or a table of plain files,
                                       # see eventproof.catalog.sources.plain)
    features = "features"              # the feature files' folder
    template = "template.yaml"         # a SAM/CloudFormation template ...
    parameters = { Stage = "test" }    # ... and its parameters
    setup = "tests.system:build"       # or a function(session) creating the resources

    [tool.eventproof.handlers.PaymentsFunction]   # a logical id (or module:function with setup)
    consumes = "PaymentRequested"
    emits = ["PaymentSettled"]
    via = "sqs"                                    # sqs, async, eventbridge, api, sns,
                                                   # stream, s3 or kinesis
    promises = ["idempotent", "crash-safe"]

Every mistake is a ``ConfigError`` naming the file and the key. Checks that
need the catalog or the template are in ``eventproof.project.resolve``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventproof.errors import ConfigError

__all__ = [
    "PROMISES",
    "VIAS",
    "HandlerConfig",
    "ProjectConfig",
    "find_config",
    "load_config",
]

PROMISES = ("accepts-valid", "idempotent", "crash-safe", "order-insensitive", "rejects-invalid")
# The built-in deliveries (eventproof.properties.deliveries); a registered one is accepted too.
VIAS = ("sqs", "async", "eventbridge", "api", "sns", "stream", "s3", "kinesis")
_TOP_KEYS = ("contracts", "features", "template", "parameters", "setup", "handlers", "serve")
_HANDLER_KEYS = ("consumes", "emits", "via", "promises")


@dataclass(frozen=True)
class HandlerConfig:
    """One handler under verification: a template logical id, or ``module:function``."""

    name: str
    consumes: str
    emits: tuple[str, ...] = ()
    via: str = "sqs"
    promises: tuple[str, ...] = ("accepts-valid",)


@dataclass(frozen=True)
class ProjectConfig:
    """The configuration of one project; paths are absolute."""

    file: Path
    root: Path
    contracts: Path
    plain_contracts: bool = False  # ``contracts`` is a table of plain files (pyproject.toml only)
    features: Path | None = None
    template: Path | None = None
    parameters: dict[str, str] = field(default_factory=dict)
    setup: str | None = None
    handlers: dict[str, HandlerConfig] = field(default_factory=dict)

    def table(self, key: str = "") -> str:
        """How a key is written in this file, for error messages."""
        prefix = "" if self.file.name == "eventproof.toml" else "tool.eventproof"
        return ".".join(part for part in (prefix, key) if part) or "(top level)"


def find_config(start: Path | None = None) -> Path:
    """``eventproof.toml``, or a ``pyproject.toml`` with ``[tool.eventproof]``, here or above."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "eventproof.toml").is_file():
            return folder / "eventproof.toml"
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "eventproof" in _read(pyproject).get("tool", {}):
            return pyproject
    raise ConfigError(f"no eventproof configuration found in {here} or above",
                      hint="add a [tool.eventproof] table to pyproject.toml (see eventproof.project)")


def load_config(path: Path) -> ProjectConfig:
    """Read and check ``path`` (``eventproof.toml`` or ``pyproject.toml``)."""
    path = path.resolve()
    if not path.is_file():
        raise ConfigError(f"no configuration file {path}", file=path)
    data = _read(path)
    if path.name != "eventproof.toml":
        data = data.get("tool", {}).get("eventproof")
        if not isinstance(data, dict):
            raise ConfigError("no [tool.eventproof] table", file=path)
    root = path.parent
    bare = ProjectConfig(file=path, root=root, contracts=root / "contracts")

    def fail(key: str, message: str, hint: str | None = None) -> ConfigError:
        return ConfigError(f"{bare.table(key)}: {message}", file=path, hint=hint)

    unknown = sorted(set(data) - set(_TOP_KEYS))
    if unknown:
        raise fail(unknown[0], "unknown key", hint=f"expected one of {', '.join(_TOP_KEYS)}")
    contracts = data.get("contracts", "contracts")
    plain = isinstance(contracts, dict)
    if plain and path.name == "eventproof.toml":
        raise fail("contracts", "a table of plain files is read from pyproject.toml only")
    # A contracts folder, or one document that holds contracts (AsyncAPI, a registry export).
    folder = root / "contracts" if plain else _folder(root, contracts, fail, "contracts",
                                                      file_allowed=True)
    features = data.get("features")
    template, setup = data.get("template"), data.get("setup")
    if template is not None and setup is not None:
        raise fail("setup", "give either template or setup, not both")
    template_path = None
    if template is not None:
        if not isinstance(template, str):
            raise fail("template", f"expected a path, found {template!r}")
        template_path = (root / template).resolve()
        if not template_path.is_file():
            raise fail("template", f"no such file {template_path}")
    if setup is not None and (not isinstance(setup, str) or ":" not in setup):
        raise fail("setup", f"expected \"module:function\", found {setup!r}")
    parameters = data.get("parameters", {})
    if not isinstance(parameters, dict) or not all(
            isinstance(v, str | int | float | bool) for v in parameters.values()):
        raise fail("parameters", "expected a table of template parameter values")
    handlers = data.get("handlers", {})
    if not isinstance(handlers, dict):
        raise fail("handlers", "expected a table of handlers")
    if handlers and template is None and setup is None:
        raise fail("handlers", "handlers need a template or a setup function to run in")
    return ProjectConfig(
        file=path, root=root, contracts=folder, plain_contracts=plain,
        features=_folder(root, features, fail, "features") if features is not None else None,
        template=template_path, setup=setup,
        parameters={str(k): _text(v) for k, v in parameters.items()},
        handlers={name: _handler(name, entry, fail) for name, entry in handlers.items()},
    )


def _handler(name: str, entry: Any, fail: Any) -> HandlerConfig:
    key = f"handlers.{name}"
    if not isinstance(entry, dict):
        raise fail(key, "expected a table with consumes, emits, via, promises")
    unknown = sorted(set(entry) - set(_HANDLER_KEYS))
    if unknown:
        raise fail(f"{key}.{unknown[0]}", "unknown key",
                   hint=f"expected one of {', '.join(_HANDLER_KEYS)}")
    consumes = entry.get("consumes")
    if not isinstance(consumes, str) or not consumes:
        raise fail(f"{key}.consumes", f"expected the name of a contract, found {consumes!r}")
    emits = entry.get("emits", [])
    if not isinstance(emits, list) or not all(isinstance(e, str) and e for e in emits):
        raise fail(f"{key}.emits", f"expected a list of contract names, found {emits!r}")
    via = entry.get("via", "sqs")
    if via not in VIAS and via not in _registered_vias():
        raise fail(f"{key}.via", f"expected one of {', '.join(VIAS)}, found {via!r}")
    promises = entry.get("promises", ["accepts-valid"])
    if not isinstance(promises, list) or not promises:
        raise fail(f"{key}.promises", f"expected a non-empty list, found {promises!r}")
    for promise in promises:
        if promise not in PROMISES:
            raise fail(f"{key}.promises", f"unknown promise {promise!r}",
                       hint=f"expected some of {', '.join(PROMISES)}")
    if len(set(promises)) != len(promises):
        raise fail(f"{key}.promises", "a promise is listed twice")
    return HandlerConfig(name, consumes, tuple(emits), via, tuple(promises))


def _registered_vias() -> tuple[str, ...]:
    # Late: the deliveries load the properties (hypothesis); only an unusual via needs them.
    from eventproof.properties.deliveries import delivery_names

    return delivery_names()


def _folder(root: Path, value: Any, fail: Any, key: str, *, file_allowed: bool = False) -> Path:
    if not isinstance(value, str):
        raise fail(key, f"expected a folder path, found {value!r}")
    folder = (root / value).resolve()
    if not (folder.is_dir() or (file_allowed and folder.is_file())):
        raise fail(key, f"no such {'folder or file' if file_allowed else 'folder'} {folder}")
    return folder


def _text(value: str | int | float | bool) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
        raise ConfigError(f"cannot read {path}: {error}", file=path) from None
