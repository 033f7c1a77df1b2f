"""Replacing boto3/botocore attributes for the length of a block, last in, first out.

``FakeAWS.patch_boto3`` and the engine's client reuse replace class
attributes (``botocore.session.Session.create_client``,
``boto3.session.Session.resource``) and ``boto3.DEFAULT_SESSION``. Each
restores what it found when it opened, which is right only if the patches
close in the reverse order they opened: closing an outer one first would
put back the original under a still-open inner one, and the inner one would
then put the outer one's replacement back for good. ``patched`` keeps one
stack of open patches per process and refuses to close out of order
(``PatchOrderError``), also when something outside this module replaced the
attribute in the meantime.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

from eventproof_fakes.errors import PatchOrderError

__all__ = ["Patch", "open_patches", "patched", "unpatched"]

_open: list[Patch[Any]] = []
_lock = threading.Lock()
_MISSING = object()
T = TypeVar("T")
# Given what the attribute holds when the patch opens, the value to put there.
Replace = Callable[[Any], Any]


class Patch(Generic[T]):
    """A context manager that sets attributes on entry and restores them on exit, LIFO.

    ``__enter__`` returns ``result``. An exit refused with ``PatchOrderError``
    leaves the patch open, so it can be closed again once the patches opened
    after it are closed.
    """

    def __init__(
        self, label: str, replacements: list[tuple[Any, str, Replace]], result: T
    ) -> None:
        self.label = label
        self.replacements = replacements
        self.result = result
        self._originals: list[Any] = []
        self._values: list[Any] = []

    def __enter__(self) -> T:
        with _lock:
            if self in _open:
                raise PatchOrderError(f"{self.label} is already open")
            self._originals, self._values = [], []
            for owner, name, replace in self.replacements:
                # A class's own attribute, not one it inherits: restoring deletes an override.
                own = vars(owner) if isinstance(owner, type) else None
                original = own.get(name, _MISSING) if own is not None else getattr(owner, name, _MISSING)
                self._originals.append(original)
                # Made now, not when the patch was made: it wraps what is there on entry.
                current = getattr(owner, name, None)
                value = replace(current)
                if callable(value) and current is not None:
                    # unpatched(...) finds what was there before any patch.
                    with contextlib.suppress(AttributeError, TypeError):
                        value.__eventproof_replaces__ = current
                self._values.append(value)
                setattr(owner, name, value)
            _open.append(self)
        return self.result

    def __exit__(self, *exc_info: object) -> None:
        with _lock:
            if self not in _open:
                return  # closed already
            if _open[-1] is not self:
                inner = _open[_open.index(self) + 1 :]
                raise PatchOrderError(
                    f"{self.label} was closed while {', '.join(p.label for p in inner)}, opened "
                    "after it, is still open; close patches in the reverse order of opening "
                    "(nest the with-blocks)"
                )
            for (owner, name, _), value in zip(self.replacements, self._values, strict=True):
                # Only replaced functions are checked: data such as boto3.DEFAULT_SESSION
                # is legitimately set by the library inside the block.
                if callable(value) and getattr(owner, name, _MISSING) is not value:
                    raise PatchOrderError(
                        f"{self.label}: {_name(owner)}.{name} was replaced by something else "
                        "while the patch was open; restore that first, then close this patch"
                    )
            _open.pop()
            for (owner, name, _), original in zip(self.replacements, self._originals, strict=True):
                if original is _MISSING:
                    delattr(owner, name)
                else:
                    setattr(owner, name, original)


def open_patches() -> list[str]:
    """Labels of the patches open now, outermost first."""
    with _lock:
        return [patch.label for patch in _open]


@overload
def patched(label: str, *replacements: tuple[Any, str, Replace]) -> Patch[None]: ...


@overload
def patched(label: str, *replacements: tuple[Any, str, Replace], result: T) -> Patch[T]: ...


def patched(label: str, *replacements: tuple[Any, str, Replace], result: Any = None) -> Patch[Any]:
    """A ``Patch`` setting each ``(owner, attribute, replace)`` for the length of a ``with`` block.

    ``replace(current)`` makes the value from what the attribute holds when
    the block opens, so a patch opened inside another wraps the other's value.

    Raises ``PatchOrderError`` on exit if a patch opened inside this one is
    still open, or if the attribute no longer holds this patch's value; the
    attributes are then left as they are, since restoring them would undo
    the other patch.
    """
    return Patch(label, list(replacements), result)


def _name(owner: Any) -> str:
    return str(getattr(owner, "__qualname__", None) or getattr(owner, "__name__", repr(owner)))


def unpatched(value: Any) -> Any:
    """What an attribute held before every ``patched`` replacement now wrapping it."""
    while hasattr(value, "__eventproof_replaces__"):
        value = value.__eventproof_replaces__
    return value
