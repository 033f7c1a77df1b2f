"""Snapshots of a ``FakeAWS``: back to a provisioned state for a fraction of provisioning's cost.

``take(env)`` serialises the environment's state once (every service's
resources and messages, the clock with its timers, the id generator,
pumps, event source mappings, armed faults, the delivery log) with
``pickle``; ``restore(env, snapshot)`` unpickles it into the same
environment. Unpickling runs in C, so a restore costs a fraction of
creating the same resources through boto3 (``benchmarks/properties.py``),
and every restore builds new objects: nothing done after one restore can
reach the snapshot or a later restore.

AWS state is copied; code is shared. Kept by reference, never copied:
the environment itself (backends point back at it), the handlers of
Lambda functions and everything a function's code loaded (its modules,
its code folder), modules, classes and the code and globals of
functions, boto3 sessions, clients and resources, and locks. Callbacks
the fakes hold as state (a timer's ``lambda: self._attempt(...)``) are
rebuilt around copies of what they close over, so a restored timer acts
on the restored service. What a test registered to watch the environment
(``faults.observe`` observers, ``deliveries.subscribe`` listeners) is not
AWS state: a restore keeps the ones registered at that moment.

Simplified: a snapshot is taken and restored between runs, never while
``run_until_idle`` runs; something the fakes hold that cannot be copied
(an open socket of a running API Gateway server) makes ``take`` raise
``SnapshotError`` naming it. Code that kept a backend object itself
(rather than reaching it through the environment or boto3) keeps the
pre-restore object.
"""

from __future__ import annotations

import io
import itertools
import pickle
import random
import threading
import types
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eventproof_fakes.errors import FakesError

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

__all__ = ["Snapshot", "SnapshotError", "restore", "take"]

# Attributes of FakeAWS that are not state: how clients reach it, and a cache of bound methods
# of the backends (rebuilt on first use, since the backends are new objects after a restore).
_NOT_STATE = frozenset({"_binding", "_handlers"})
_SHARED_TYPES = (types.ModuleType, types.CodeType, type(threading.Lock()),
                 type(threading.RLock()), threading.Condition)
_SHARED_MODULES = ("boto3.", "botocore.", "s3transfer.")
# Tokens for what a restore takes from the environment as it is at that moment.
_ENV, _OBSERVERS, _LISTENERS = "env", "observers", "listeners"


class SnapshotError(FakesError):
    """The environment holds something a snapshot cannot copy, or is in the middle of a run."""


@dataclass(frozen=True, eq=False)
class Snapshot:
    """An environment's state at one moment: opaque, reusable for any number of restores."""

    _pickled: bytes
    _shared: tuple[Any, ...]
    _environment: int  # id() of the FakeAWS it was taken from: restores go back there only

    def __repr__(self) -> str:
        return f"<FakeAWS snapshot: {len(self._pickled)} bytes, {len(self._shared)} shared>"


def take(env: FakeAWS) -> Snapshot:
    """The environment's state now (see the module docstring for what is copied and what shared)."""
    _check_idle(env, "take a snapshot")
    state = {name: value for name, value in vars(env).items() if name not in _NOT_STATE}
    buffer = io.BytesIO()
    pickler = _Pickler(buffer, env)
    try:
        pickler.dump(state)
    except (pickle.PicklingError, TypeError, AttributeError) as error:
        raise SnapshotError(
            f"cannot snapshot this environment: it holds something that cannot be copied "
            f"({error}); a snapshot copies AWS state and shares code (see eventproof_fakes.snapshots)"
        ) from error
    return Snapshot(buffer.getvalue(), tuple(pickler.shared), id(env))


def restore(env: FakeAWS, snapshot: Snapshot) -> None:
    """Put ``env`` back into the state of ``snapshot`` (taken from this same environment)."""
    if not isinstance(snapshot, Snapshot):
        raise SnapshotError(f"restore expects a Snapshot from FakeAWS.snapshot(), got {snapshot!r}")
    if snapshot._environment != id(env):
        raise SnapshotError("this snapshot was taken from another FakeAWS: restore it there")
    _check_idle(env, "restore a snapshot")
    observers, listeners = env.faults._observers, env.deliveries._listeners
    current = {_ENV: env, _OBSERVERS: observers, _LISTENERS: listeners}
    state = _Unpickler(io.BytesIO(snapshot._pickled), snapshot._shared, current).load()
    vars(env).update(state)
    env._handlers = {}
    for observer in observers:
        observer._faults = env.faults  # their cancel() acts on the environment they watch


def _check_idle(env: FakeAWS, doing: str) -> None:
    if env.clock.wall.held or env.clock.wall.active:
        raise SnapshotError(f"cannot {doing} while the environment runs (inside run_until_idle "
                            "or a handler): take and restore snapshots between runs")


class _Pickler(pickle.Pickler):
    """Copies state; puts what is shared in ``shared`` and writes only its index."""

    def __init__(self, buffer: io.BytesIO, env: FakeAWS) -> None:
        super().__init__(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        self.shared: list[Any] = []
        self._index: dict[int, int] = {}
        self._tokens: dict[int, str] = {
            id(env): _ENV,
            id(env.faults._observers): _OBSERVERS,
            id(env.deliveries._listeners): _LISTENERS,
        }
        self._code = _loaded_code(env)

    def persistent_id(self, obj: Any) -> Any:
        key = id(obj)
        token = self._tokens.get(key)
        if token is not None:
            return token
        if key in self._index:
            return self._index[key]
        if key in self._code or _is_shared(obj):
            return self._share(obj)
        return None

    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        if kind is types.FunctionType and "<" in obj.__qualname__:
            # A lambda or nested function (not importable by name): same code, copied cells.
            static = _FunctionCode(obj.__code__, obj.__globals__, obj.__name__, obj.__qualname__,
                                   obj.__defaults__, obj.__kwdefaults__, obj.__module__)
            self._share(static)
            cells = tuple(_cell_value(cell) for cell in obj.__closure__ or ())
            return _rebuild_function, (static, cells)
        if kind is random.Random:
            # Its state is an immutable tuple of 625 ints: shared, not pickled int by int.
            return _rebuild_random, (self._share_value(obj.getstate()),)
        if kind is itertools.count:
            # Pickling itertools objects is deprecated (3.12): rebuild from the next value.
            return itertools.count, (int(repr(obj)[len("count("):-1]),)
        return NotImplemented

    def _share(self, obj: Any) -> int:
        index = self._index.get(id(obj))
        if index is None:
            index = self._index[id(obj)] = len(self.shared)
            self.shared.append(obj)
        return index

    def _share_value(self, value: Any) -> _Shared:
        shared = _Shared(value)
        self._share(shared)
        return shared


class _Unpickler(pickle.Unpickler):
    def __init__(self, buffer: io.BytesIO, shared: tuple[Any, ...], current: dict[str, Any]) -> None:
        super().__init__(buffer)
        self._shared = shared
        self._current = current

    def persistent_load(self, pid: Any) -> Any:
        if isinstance(pid, str):
            return self._current[pid]
        return self._shared[pid]


@dataclass(frozen=True, eq=False)
class _FunctionCode:
    """Everything of a function but its closure: shared between the copies of it."""

    code: types.CodeType
    globals: dict[str, Any]
    name: str
    qualname: str
    defaults: tuple[Any, ...] | None
    kwdefaults: dict[str, Any] | None
    module: str


@dataclass(frozen=True, eq=False)
class _Shared:
    value: Any


class _Empty:
    """The value of a closure cell not yet assigned."""


_EMPTY = _Empty()


def _cell_value(cell: types.CellType) -> Any:
    try:
        return cell.cell_contents
    except ValueError:
        return _EMPTY


def _rebuild_function(static: _FunctionCode, values: tuple[Any, ...]) -> types.FunctionType:
    cells = tuple(types.CellType() if v is _EMPTY else types.CellType(v) for v in values)
    function = types.FunctionType(static.code, static.globals, static.name, static.defaults,
                                  cells or None)
    function.__qualname__ = static.qualname
    function.__kwdefaults__ = static.kwdefaults
    function.__module__ = static.module
    return function


def _rebuild_random(state: _Shared) -> random.Random:
    generator = random.Random(0)  # any seed: setstate replaces it (no seed would read urandom)
    generator.setstate(state.value)
    return generator


def _is_shared(obj: Any) -> bool:
    """Code and connections, not state: modules, code, boto3 objects, locks."""
    if isinstance(obj, _SHARED_TYPES):
        return True
    module = type(obj).__module__
    return module.startswith(_SHARED_MODULES) or module in {"boto3", "botocore"}


def _loaded_code(env: FakeAWS) -> set[int]:
    """ids of what a function's code is: its handler, its code folder, its loaded modules."""
    shared: set[int] = set()
    lambda_ = env._backends.get("lambda")
    if lambda_ is None:
        return shared
    for function in lambda_.functions.values():
        for part in (function.handler, function.code):
            if part is not None:
                shared.add(id(part))
        sandbox = function.sandbox
        if sandbox is not None:
            for part in (sandbox.handler, sandbox.namespace):
                if part is not None:
                    shared.add(id(part))
    return shared
