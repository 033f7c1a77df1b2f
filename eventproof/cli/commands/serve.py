"""``eventproof serve APP``: run an application's HTTP front on the in-memory fakes.

eventproof does not import application code; it loads the factory named by
configuration (``--factory module:function``, or a built-in name such as
``outbox``). The factory is called with a boto3 session bound to a fresh
``FakeAWS`` and must return an ``http.server.HTTPServer``:
``factory(session, *, host, port, clock, settle, resource_policies)``.
``settle`` drives every pending delivery (streams, rules, pipes, async
invocations) on the virtual clock; a factory calls it after each request.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable
from typing import Any

from eventproof.errors import ConfigError

NAME = "serve"
HELP = "serve an application's HTTP front on the in-memory fakes (e.g. 'serve outbox')"

# Built-in application names -> the factory they stand for (configuration, not imports).
APPS = {"outbox": "reference_impl.outbox.http:build_server"}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("app", nargs="?", default="outbox", help=f"one of {', '.join(sorted(APPS))}")
    parser.add_argument("--factory", help="module:function building the server (overrides APP)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=0, help="seed of the fakes' ids and faults")


def load_factory(app: str, factory: str | None) -> Callable[..., Any]:
    spec = factory or APPS.get(app)
    if spec is None:
        raise ConfigError(f"unknown application {app!r}", hint=f"use one of {', '.join(sorted(APPS))} or --factory module:function")
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise ConfigError(f"factory {spec!r} is not of the form module:function")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise ConfigError(f"cannot import {module_name!r} for factory {spec!r}: {error}") from None
    built = getattr(module, attribute, None)
    if not callable(built):
        raise ConfigError(f"{module_name} has no function {attribute!r}")
    return built


def start(app: str = "outbox", *, factory: str | None = None, host: str = "127.0.0.1", port: int = 3000,
          seed: int = 0) -> tuple[Any, Any]:
    """The fakes and a bound (not yet serving) server; the caller enters ``aws.patch_boto3()`` scope."""
    from fakes import FakeAWS

    build = load_factory(app, factory)
    aws = FakeAWS(seed=seed)
    patch = aws.patch_boto3()
    patch.__enter__()
    server = build(
        FakeAWS.session(), host=host, port=port, clock=aws.clock.now,
        settle=aws.run_until_idle, resource_policies=False,
    )
    server.eventproof_patch = patch  # closed by stop()
    return aws, server


def stop(server: Any) -> None:
    server.server_close()
    server.eventproof_patch.__exit__(None, None, None)


def execute(args: argparse.Namespace, output: Any) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    _, server = start(args.app, factory=args.factory, host=args.host, port=args.port, seed=args.seed)
    host, port = server.server_address[:2]
    output.print(f"{args.app} listening on http://{host}:{port} (in-memory fakes; GET /_events lists emitted events)")
    output.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop(server)
    return 0
