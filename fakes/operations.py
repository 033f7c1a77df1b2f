"""The registry of AWS operations a fake answers.

A boto3 call reaches a backend only through a method marked ``@operation``:
Python helpers on the same class (``Lambda.invoke_async(function, payload)``,
say) can never be reached by an AWS call that happens to share their
snake_case name. The table is per backend class, built once from the marks,
and is the list the parameter-coverage check walks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, overload

from botocore import xform_name

__all__ = ["OperationTable", "operation", "operation_table", "refused_in", "refused_parameters"]

Handler = Callable[[Any, dict[str, Any]], dict[str, Any]]
F = TypeVar("F", bound=Handler)

_MARK = "__aws_operation__"
_REFUSES = "__aws_refuses__"


@overload
def operation(method: F) -> F: ...


@overload
def operation(*, refuses: tuple[str, ...] = ()) -> Callable[[F], F]: ...


def operation(
    method: F | None = None, *, refuses: tuple[str, ...] = ()
) -> F | Callable[[F], F]:
    """Mark ``method(self, params) -> response`` as the answer to one AWS operation.

    The operation is the one whose botocore snake_case name is the method's
    name (``create_queue`` answers ``CreateQueue``). ``refuses`` names the
    request parameters the fake does not model: a call that passes one is
    answered with an ``UnsupportedParameter`` error naming it, never served
    as if the parameter were absent. A nested parameter is named by its
    path: ``"Targets[].EcsParameters"`` (``[]`` a list's items, ``{}`` a map's values).
    """

    def mark(function: F) -> F:
        setattr(function, _MARK, True)
        setattr(function, _REFUSES, frozenset(refuses))
        return function

    return mark(method) if method is not None else mark


class OperationTable:
    """The operations one backend class answers, by botocore snake_case name."""

    def __init__(self, methods: dict[str, Handler]) -> None:
        self._methods = methods

    def __contains__(self, operation_name: object) -> bool:
        return isinstance(operation_name, str) and xform_name(operation_name) in self._methods

    def names(self) -> list[str]:
        """The snake_case names of every registered operation, sorted."""
        return sorted(self._methods)

    def method(self, operation_name: str) -> Handler | None:
        """The unbound method answering ``operation_name`` (``"CreateQueue"``), if any."""
        return self._methods.get(xform_name(operation_name))

    def refused(self, operation_name: str) -> frozenset[str]:
        """The request parameters of ``operation_name`` the fake refuses rather than models."""
        method = self.method(operation_name)
        return getattr(method, _REFUSES, frozenset()) if method is not None else frozenset()


_tables: dict[type, OperationTable] = {}


def operation_table(backend_class: type) -> OperationTable:
    """The operation table of a backend class (its own marks and its bases')."""
    table = _tables.get(backend_class)
    if table is None:
        methods: dict[str, Handler] = {}
        for klass in reversed(backend_class.__mro__):
            for name, value in vars(klass).items():
                if callable(value) and getattr(value, _MARK, False):
                    methods[name] = value
                elif name in methods:  # overridden by an unmarked attribute
                    del methods[name]
        table = _tables[backend_class] = OperationTable(methods)
    return table


def refused_parameters(service: str, operation_name: str, table: OperationTable) -> frozenset[str]:
    """What ``operation_name`` refuses: its mark's ``refuses`` plus ``eventproof_fakes.refusals``."""
    from eventproof_fakes.refusals import REFUSALS

    declared = REFUSALS.get(service, {}).get(operation_name, ())
    return table.refused(operation_name) | frozenset(declared)


def refused_in(params: dict[str, Any], refused: frozenset[str]) -> str | None:
    """The first refused parameter (a top-level name or a nested path) present in ``params``."""
    for name in params:
        if name in refused:
            return name
    for path in refused:
        if ("." in path or "[]" in path or "{}" in path) and _present(params, _tokens(path)):
            return path
    return None


def _tokens(path: str) -> list[str]:
    tokens: list[str] = []
    for part in path.split("."):
        name = part.replace("[]", "").replace("{}", "")
        tokens.append(name)
        tokens.extend(part[len(name):][i:i + 2] for i in range(0, len(part) - len(name), 2))
    return tokens


def _present(value: Any, tokens: list[str]) -> bool:
    if not tokens:
        return True
    token, rest = tokens[0], tokens[1:]
    if token == "[]":
        return isinstance(value, list) and any(_present(item, rest) for item in value)
    if token == "{}":
        return isinstance(value, dict) and any(_present(item, rest) for item in value.values())
    return isinstance(value, dict) and token in value and _present(value[token], rest)
