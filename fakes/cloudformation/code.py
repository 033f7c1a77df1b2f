"""A function's code: a deterministic zip of its folder, and (until the Lambda fake loads zips) its handler.

``package(folder)`` is what goes to ``CreateFunction`` as ``Code.ZipFile``
on every backend. The Lambda fake of this branch still imports ``Handler``
by its dotted name and ignores ``Code``, so the CloudFormation fake installs
template functions through ``install_on_fake``: it loads the handler from
the function's own folder in isolation, registers it with the Lambda fake's
Python API, and sets the function's environment variables around each call.
TEMPORARY: when the Lambda fake loads ``Code.ZipFile`` itself (the runtime
work), ``install_on_fake`` is removed and functions are created through
``create_function`` like on any backend.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fakes.errors import AWSError

if TYPE_CHECKING:
    from fakes.environment import FakeAWS

__all__ = ["install_on_fake", "load_handler", "package"]

_EPOCH = (1980, 1, 1, 0, 0, 0)
_SKIPPED = {"__pycache__", ".git", ".aws-sam", "node_modules"}


def package(folder: Path) -> bytes:
    """A zip of ``folder``: files in sorted order with fixed timestamps, so equal folders give equal bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if path.is_dir() or _SKIPPED & set(relative.parts) or path.suffix == ".pyc":
                continue
            info = zipfile.ZipInfo(relative.as_posix(), _EPOCH)
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def inline_package(source: str) -> bytes:
    """CloudFormation's inline ``Code.ZipFile`` for Python: one file, ``index.py``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("index.py", _EPOCH), source)
    return buffer.getvalue()


def load_handler(folder: Path | None, spec: str, inline_source: str | None = None) -> Callable[..., Any]:
    """``module.function`` loaded from ``folder`` alone: its siblings, not another function's.

    The module and whatever it imports from its own folder are loaded under
    names of their own and taken out of ``sys.modules`` again, so two
    functions with an ``app.py`` (or a ``utils.py``) each get their own.
    """
    module_path, _, attribute = spec.rpartition(".")
    if not module_path or not attribute:
        raise AWSError("InvalidParameterValueException", f"Handler {spec!r} must have the form 'module.function'")
    before = set(sys.modules)
    unique = f"_eventproof_code_{abs(hash((str(folder), spec, inline_source)))}"
    try:
        if inline_source is not None:
            module = importlib.util.module_from_spec(importlib.machinery.ModuleSpec(unique, None))
            exec(compile(inline_source, f"<inline code of {spec}>", "exec"), module.__dict__)
        else:
            assert folder is not None
            file = folder.joinpath(*module_path.split(".")).with_suffix(".py")
            if not file.is_file():
                raise AWSError(
                    "InvalidParameterValueException",
                    f"Handler {spec!r}: no file {file.relative_to(folder)} in the code folder {folder}",
                )
            module_spec = importlib.util.spec_from_file_location(unique, file)
            assert module_spec is not None and module_spec.loader is not None
            module = importlib.util.module_from_spec(module_spec)
            sys.path.insert(0, str(folder))
            try:
                module_spec.loader.exec_module(module)
            finally:
                sys.path.remove(str(folder))
    finally:
        if folder is not None:
            # Only what was imported as the folder's own top-level modules (``utils``), not
            # packages that happen to live there too (``reference_impl.outbox.app``).
            siblings = {path.stem for path in folder.iterdir()}
            for name in set(sys.modules) - before:
                if name.split(".")[0] in siblings:
                    del sys.modules[name]
    handler = getattr(module, attribute, None)
    if not callable(handler):
        raise AWSError("InvalidParameterValueException", f"Handler {spec!r}: the module has no function {attribute!r}")
    return handler


@contextlib.contextmanager
def _variables(values: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def install_on_fake(env: FakeAWS) -> Callable[[Any, dict[str, Any], Path | None, str | None], dict[str, Any]]:
    """The CloudFormation fake's way to create a function until the Lambda fake loads zips (TEMPORARY)."""

    def install(lambda_client: Any, request: dict[str, Any], folder: Path | None, inline: str | None) -> dict[str, Any]:
        name, spec = request["FunctionName"], request["Handler"]
        variables = dict((request.get("Environment") or {}).get("Variables") or {})
        loaded: list[Callable[..., Any]] = []

        def run(event: Any, context: Any) -> Any:
            lambda_variables = {
                "AWS_LAMBDA_FUNCTION_NAME": name, "AWS_REGION": env.region,
                "AWS_DEFAULT_REGION": env.region, "_HANDLER": spec,
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(request.get("MemorySize", 128)),
                "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
                "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{name}",
                "LAMBDA_TASK_ROOT": str(folder or ""),
            }
            # Imported on the first call, inside the function's environment, so that
            # clients made at import time read its variables and are bound to the fakes.
            with _variables({**lambda_variables, **variables}), env.patch_boto3():
                if not loaded:
                    loaded.append(load_handler(folder, spec, inline))
                return loaded[0](event, context)

        run.__module__, run.__name__ = spec.rpartition(".")[::2]
        env.lambda_.register(
            name, run, timeout=request.get("Timeout", 3), memory=request.get("MemorySize", 128),
        )
        env.lambda_.function(name).handler_name = spec
        update = {k: request[k] for k in ("Environment", "DeadLetterConfig", "Role", "Runtime") if k in request}
        if update:
            lambda_client.update_function_configuration(FunctionName=name, **update)
        function = env.lambda_.function(name)
        function.role = request.get("Role", function.role)
        function.runtime = request.get("Runtime", function.runtime)
        return dict(lambda_client.get_function_configuration(FunctionName=name))

    return install
