"""``eventproof serve APP``: run an application's HTTP front on the in-memory fakes.

eventproof imports no application code of its own accord and has no default
application. An application is declared, as ``name = "module:function"``:

- by an installed package, in the entry-point group ``eventproof.serve``
  (``[project.entry-points."eventproof.serve"]`` in its pyproject.toml);
- by the project in the current directory, in its pyproject.toml's
  ``[tool.eventproof.serve]`` table (another file: ``--config PATH``); its
  factories are imported with that project's folder on ``sys.path``, as
  pytest's ``pythonpath`` would;
- or on the command line: ``--factory module:function``.

The factory is called with a boto3 session bound to a fresh ``FakeAWS``
and must return an ``http.server.HTTPServer``:
``factory(session, *, host, port, clock, settle, resource_policies)``.
``settle`` drives every pending delivery (streams, rules, pipes, async
invocations) on the virtual clock; a factory calls it after each request.
The application's server is served on a hardened front
(``eventproof.serving.AppFront``: a thread per connection, read timeouts,
malformed requests answered 400/411/413/414/431).

``eventproof serve --template TEMPLATE [--parameter K=V]`` needs no
application: the template is deployed on the fakes and every API it builds
(its functions' ``Api``/``HttpApi`` events) is served
(``eventproof.serving.template_front``).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import logging
import socket
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventproof.cli.commands._pairs import key_values
from eventproof.errors import ConfigError

if TYPE_CHECKING:
    from eventproof_fakes import FakeAWS
    from eventproof_fakes.patching import Patch

__all__ = ["ENTRY_POINT_GROUP", "Served", "declared_apps", "load_factory", "start", "start_template"]

NAME = "serve"
HELP = ("serve an application's HTTP front, or a template's APIs (--template), "
        "on the in-memory fakes")
ENTRY_POINT_GROUP = "eventproof.serve"


@dataclass(frozen=True)
class App:
    """A declared application: its factory and where it was declared."""

    name: str
    factory: str
    declared_in: str
    path: Path | None = None  # a folder to import it from (a project's own code)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("app", nargs="?", help="a declared application (see 'eventproof serve --list')")
    parser.add_argument("--factory", help="module:function building the server (instead of APP)")
    parser.add_argument("--config", type=Path, help="pyproject.toml declaring [tool.eventproof.serve] "
                        "(default: ./pyproject.toml)")
    parser.add_argument("--list", action="store_true", help="list the declared applications and exit")
    parser.add_argument("--template", type=Path, metavar="TEMPLATE",
                        help="deploy this SAM/CloudFormation template and serve its Api/HttpApi events")
    parser.add_argument("--parameter", metavar="K=V", action="append", default=[],
                        help="a template parameter override (repeatable; with --template)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=_port, default=3000, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=0, help="seed of the fakes' ids and faults")


def declared_apps(config: Path | None = None) -> dict[str, App]:
    """Applications from installed entry points, then the project's pyproject.toml (which wins)."""
    apps = {
        point.name: App(point.name, point.value, f"entry point of {_distribution(point)}")
        for point in entry_points(group=ENTRY_POINT_GROUP)
    }
    path = config if config is not None else Path.cwd() / "pyproject.toml"
    if config is not None and not path.is_file():
        raise ConfigError(f"no configuration file {path}", file=path)
    if path.is_file():
        try:
            settings = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ConfigError(f"cannot read {path}: {error}", file=path) from None
        table = settings.get("tool", {}).get("eventproof", {}).get("serve", {})
        if not isinstance(table, dict):
            raise ConfigError("[tool.eventproof.serve] must be a table of name = \"module:function\"",
                              file=path)
        for name, factory in table.items():
            if not isinstance(factory, str):
                raise ConfigError(f"[tool.eventproof.serve] {name} must be a string "
                                  f"\"module:function\", found {factory!r}", file=path)
            apps[name] = App(name, factory, str(path), path.resolve().parent)
    return apps


def load_factory(app: str | None, factory: str | None = None,
                 config: Path | None = None) -> Callable[..., Any]:
    """The factory ``--factory`` names, or the one declared for ``app``."""
    if factory is not None:
        return _import(App(app or factory, factory, "--factory"))
    apps = declared_apps(config)
    choices = ", ".join(sorted(apps)) or "none declared"
    if app is None:
        raise ConfigError("no application given",
                          hint=f"name one ({choices}) or pass --factory module:function")
    declared = apps.get(app)
    if declared is None:
        raise ConfigError(
            f"unknown application {app!r}",
            hint=f"declared: {choices}; declare one in [tool.eventproof.serve] of pyproject.toml "
                 f"or the {ENTRY_POINT_GROUP!r} entry-point group, or pass --factory module:function",
        )
    return _import(declared)


@dataclass
class Served:
    """Running fakes and a bound (not yet serving) server; closing it closes both (LIFO, see eventproof_fakes.patching).

    ``server`` is the application's server on its hardened front (an
    ``http.server`` server) or, for a template, a ``eventproof_fakes.apigateway.server.ApiServer``.
    """

    aws: FakeAWS
    server: Any
    _patch: Patch[FakeAWS] = field(repr=False)
    routes: list[str] = field(default_factory=list)

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def address(self) -> tuple[str, int]:
        if hasattr(self.server, "server_address"):
            host, port = self.server.server_address[:2]
            return str(host), int(port)
        return self.server.host, self.server.port

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def shutdown(self) -> None:
        """Stop ``serve_forever`` (called from another thread)."""
        if hasattr(self.server, "shutdown"):
            self.server.shutdown()
        else:
            self.server.stop()

    def close(self) -> None:
        if hasattr(self.server, "server_close"):
            self.server.server_close()
        else:
            self.server.stop()
        self._patch.__exit__(None, None, None)


def start(app: str | None = None, *, factory: str | None = None, config: Path | None = None,
          host: str = "127.0.0.1", port: int = 3000, seed: int = 0,
          read_timeout: float = 10.0) -> Served:
    """The fakes and a bound (not yet serving) server, as a context manager.

    ``with start("outbox", port=0) as served: served.serve_forever()``:
    boto3 is patched to the fakes until the block closes.
    """
    from http.server import HTTPServer

    from eventproof.serving import AppFront
    from eventproof_fakes import FakeAWS

    build = load_factory(app, factory, config)
    aws = FakeAWS(seed=seed)
    patch = aws.patch_boto3()
    patch.__enter__()
    try:
        try:
            server = build(
                FakeAWS.session(), host=host, port=port, clock=aws.clock.now,
                settle=aws.run_until_idle, resource_policies=False,
            )
        except OSError as error:
            if isinstance(error, socket.gaierror) or error.errno in _BIND_ERRORS:
                raise ConfigError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
            raise
        except OverflowError as error:
            raise ConfigError(f"cannot listen on {host}:{port}: {error}") from None
        if isinstance(server, HTTPServer):
            server = AppFront(server, read_timeout=read_timeout)
    except BaseException:
        patch.__exit__(None, None, None)
        raise
    return Served(aws, server, patch)


def start_template(template: Path, parameters: dict[str, str] | None = None, *,
                   host: str = "127.0.0.1", port: int = 3000, seed: int = 0,
                   read_timeout: float = 10.0) -> Served:
    """Deploy ``template`` on fresh fakes and bind a server for its APIs (a context manager)."""
    from eventproof.serving import build_template_server, routes_of
    from eventproof_fakes import FakeAWS

    aws = FakeAWS(seed=seed)
    patch = aws.patch_boto3()
    patch.__enter__()
    try:
        server = build_template_server(aws, template, parameters or {}, host=host, port=port,
                                       read_timeout=read_timeout)
    except BaseException:
        patch.__exit__(None, None, None)
        raise
    return Served(aws, server, patch, routes_of(aws, server.endpoints))


def execute(args: argparse.Namespace, output: Any) -> int:
    if args.list:
        for app in sorted(declared_apps(args.config).values(), key=lambda a: a.name):
            output.print(f"{app.name}\t{app.factory}\t({app.declared_in})")
        return 0
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("botocore").setLevel(logging.WARNING)  # not "Found credentials" per client
    if args.template is not None:
        if args.app or args.factory:
            raise ConfigError("give an application or --template, not both")
        served = start_template(args.template, key_values(args.parameter), host=args.host,
                                port=args.port, seed=args.seed)
        label = str(args.template)
    else:
        if args.parameter:
            raise ConfigError("--parameter goes with --template")
        served = start(args.app, factory=args.factory, config=args.config, host=args.host,
                       port=args.port, seed=args.seed)
        label = args.app or args.factory
    with served:
        host, port = served.address
        output.print(f"{label} listening on http://{host}:{port} (in-memory fakes)")
        for route in served.routes:
            output.print(f"  {route}")
        output.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            served.serve_forever()
    return 0


_BIND_ERRORS = {errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES, errno.EAFNOSUPPORT}


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0-65535)")
    return port



def _import(app: App) -> Callable[..., Any]:
    module_name, _, attribute = app.factory.partition(":")
    if not module_name or not attribute:
        raise ConfigError(f"factory {app.factory!r} of {app.name!r} is not of the form module:function",
                          file=app.declared_in if app.path else None)
    if app.path is not None and str(app.path) not in sys.path:
        sys.path.insert(0, str(app.path))
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise ConfigError(f"cannot import {module_name!r} for application {app.name!r} "
                          f"({app.declared_in}): {error}") from None
    built = getattr(module, attribute, None)
    if not callable(built):
        raise ConfigError(f"{module_name} has no function {attribute!r} "
                          f"(application {app.name!r}, {app.declared_in})")
    return built


def _distribution(point: Any) -> str:
    dist = getattr(point, "dist", None)
    return str(dist.name) if dist is not None else "an installed package"
