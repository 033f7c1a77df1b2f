"""A configured project made concrete: its catalog, and a ``System`` per handler.

``open_project(path)`` reads the configuration (``eventproof.project.config``)
and checks what needs the project's files: the contracts load, every
``consumes``/``emits`` names a contract of the catalog, every handler exists
(a function of the template, or an importable ``module:function``), and the
template deploys on the fakes, and a template handler's ``via`` names a
trigger its function has. Each mistake is a ``ConfigError`` naming the file
and the key.

A template handler's ``System`` deploys the whole template on the bench's
emptied account for every run (a few milliseconds once the template is
translated), so the handler runs as Lambda runs it: its own code folder,
environment variables, timeout and the resources the template creates.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventproof.errors import ConfigError, EventproofError
from eventproof.project.config import HandlerConfig, ProjectConfig, find_config, load_config

if TYPE_CHECKING:
    from eventproof.catalog import Catalog
    from eventproof.properties import System
    from eventproof_fakes import FakeAWS

__all__ = ["Project", "open_project"]

SEED = 0


@dataclass
class Project:
    config: ProjectConfig
    catalog: Catalog
    functions: dict[str, str]  # handler name -> function name on the fakes (template handlers)
    timeouts: dict[str, int]  # handler name -> its function's timeout (template handlers)
    _code: bytes | None = None  # the project folder as a deployment package (setup handlers)

    def system(self, handler: HandlerConfig) -> System:
        """How a property stands the handler up on an emptied ``FakeAWS``."""
        from eventproof.properties import System

        config = self.config
        if config.template is not None:
            template, parameters = config.template, dict(config.parameters)

            def deploy(aws: FakeAWS) -> None:
                aws.cloudformation.deploy(template, parameters=parameters)

            name = self.functions[handler.name]
            return System(build=deploy, name=name, deployed=True, own_trigger=True, seed=SEED,
                          timeout=self.timeouts[handler.name])
        setup = _import(config, config.setup or "", "setup")
        module, _, attribute = handler.name.partition(":")
        name = f"{module.replace('.', '-')}-{attribute}"
        code = self._package()

        def build(aws: FakeAWS) -> None:
            import boto3

            setup(boto3.DEFAULT_SESSION)
            # A function from the project's folder: its modules load as Lambda loads them
            # (their own namespace, import-time clients bound to the fakes).
            boto3.client("lambda").create_function(
                FunctionName=name, Runtime="python3.12", Handler=f"{module}.{attribute}",
                Role=f"arn:aws:iam::{aws.account_id}:role/eventproof-{name}"[:140],
                Code={"ZipFile": code}, Timeout=30)

        return System(build=build, name=name, deployed=True, seed=SEED)

    def _package(self) -> bytes:
        if self._code is None:
            from eventproof_fakes.lambda_.code import package

            self._code = package(self.config.root)
        return self._code

    def deploy(self, aws: FakeAWS) -> None:
        """Create the configured system on ``aws`` (inside ``aws.patch_boto3()``)."""
        if self.config.template is not None:
            aws.cloudformation.deploy(self.config.template, parameters=dict(self.config.parameters))
        elif self.config.setup is not None:
            _import(self.config, self.config.setup, "setup")(aws.session())


def open_project(path: Path | None = None, *, parameters: dict[str, str] | None = None) -> Project:
    """The project configured in ``path`` (a file or a folder; default: found from the cwd).

    ``parameters`` override the configured template parameters (``--parameter``).
    """
    from eventproof.catalog import Catalog
    from eventproof.catalog.sources.plain import read_declarations

    if path is None or path.is_dir():
        path = find_config(path)
    config = load_config(path)
    if parameters:
        if config.template is None:
            raise ConfigError("template parameters given, but the configuration names no template",
                              file=config.file)
        config = replace(config, parameters={**config.parameters, **parameters})
    declared = read_declarations(config.file) if config.plain_contracts else None
    if not config.contracts.exists():
        raise ConfigError(f"{config.table('contracts')}: no such folder or file {config.contracts}",
                          file=config.file)
    catalog = Catalog.load(config.contracts, declared=declared)
    for name, handler in config.handlers.items():
        for key, contract in (("consumes", handler.consumes),
                              *(("emits", emitted) for emitted in handler.emits)):
            if contract not in catalog:
                raise ConfigError(
                    f"{config.table(f'handlers.{name}.{key}')}: no contract {contract!r} "
                    f"in {config.contracts}", file=config.file,
                    hint=f"known: {', '.join(catalog.names()) or 'none'}")
    functions: dict[str, str] = {}
    timeouts: dict[str, int] = {}
    if config.template is not None:
        config, functions, timeouts = _template_functions(config, catalog)
    if config.setup is not None:
        _import(config, config.setup, "setup")
        for name in config.handlers:
            _find(config, name, f"handlers.{name}")
    return Project(config, catalog, functions, timeouts)


def _template_functions(config: ProjectConfig, catalog: Catalog
                        ) -> tuple[ProjectConfig, dict[str, str], dict[str, int]]:
    """Deploy the template once (seeded as the properties' bench is) for the functions' names.

    Functions the contracts describe (``eventproof.project.inference``) join the handlers;
    a configured handler's ``via`` must match a trigger the template gives its function.
    """
    from eventproof.project.inference import check_configured_triggers, inferred_handlers
    from eventproof_fakes import FakeAWS
    from eventproof_fakes.cloudformation.errors import TemplateError

    template = config.template
    assert template is not None
    aws = FakeAWS(seed=SEED)
    try:
        with aws.patch_boto3():
            stack = aws.cloudformation.deploy(template, parameters=dict(config.parameters))
    except TemplateError as error:
        raise ConfigError(f"{config.table('template')}: the template does not deploy: {error}",
                          file=config.file) from None
    except EventproofError:
        raise
    configured = config.handlers
    inferred = inferred_handlers(aws, stack, catalog, config)
    config = replace(config, handlers={**configured, **inferred})
    functions: dict[str, str] = {}
    timeouts: dict[str, int] = {}
    for name in config.handlers:
        built = stack.resources.get(name)
        if built is None or built.physical_id not in aws.lambda_.functions:
            known = sorted(logical for logical, b in stack.resources.items()
                           if b.physical_id in aws.lambda_.functions)
            raise ConfigError(
                f"{config.table(f'handlers.{name}')}: the template {template.name} has no "
                f"function {name!r}", file=config.file, hint=f"its functions: {', '.join(known) or 'none'}")
        functions[name] = built.physical_id
        timeouts[name] = int(aws.lambda_.function(built.physical_id).timeout)
    check_configured_triggers(aws, functions, catalog, config, configured)
    return config, functions, timeouts


def _import(config: ProjectConfig, target: str, key: str) -> Callable[..., Any]:
    module_name, _, attribute = target.partition(":")
    where = config.table(key)
    if not module_name or not attribute:
        raise ConfigError(f"{where}: {target!r} is not of the form module:function", file=config.file)
    if str(config.root) not in sys.path:
        sys.path.insert(0, str(config.root))
    try:
        module = importlib.import_module(module_name)
    except Exception as error:  # the team's code: any error at import is a configuration error
        raise ConfigError(f"{where}: cannot import {module_name!r}: "
                          f"{type(error).__name__}: {error}", file=config.file) from None
    found = getattr(module, attribute, None)
    if not callable(found):
        raise ConfigError(f"{where}: {module_name} has no function {attribute!r}", file=config.file)
    return found


def _find(config: ProjectConfig, target: str, key: str) -> None:
    """The handler's module exists in the project (not imported: Lambda imports it, bound)."""
    module_name, _, attribute = target.partition(":")
    where = config.table(key)
    if not module_name or not attribute or not attribute.isidentifier():
        raise ConfigError(f"{where}: {target!r} is not of the form module:function", file=config.file)
    relative = Path(*module_name.split("."))
    if not any(candidate.exists() for candidate in (
            config.root / relative.with_suffix(".py"), config.root / relative / "__init__.py")):
        raise ConfigError(f"{where}: no module {module_name!r} in {config.root}", file=config.file)
