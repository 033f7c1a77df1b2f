"""Bounded, counted records: what the fakes keep of a run for tests to read.

A long run (a million messages through a queue and a handler) cannot keep
every delivery, invocation and injected fault it ever made. ``FakeAWS``
takes ``max_records`` (keep the newest N of each record, drop the oldest)
and ``record=False`` (keep none); every record kept this way counts what
it dropped, so nothing disappears unseen: ``aws.deliveries.dropped``,
``aws.lambda_.invocations_dropped(name)``, ``aws.faults.injected_dropped``.
The default keeps everything, as before.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar, overload

__all__ = ["RecordLimit", "Records"]

T = TypeVar("T")

# How many of each record to keep: None keeps all, 0 keeps none.
RecordLimit = int | None


def check_limit(limit: RecordLimit) -> RecordLimit:
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 0):
        raise ValueError(f"max_records must be None or an integer >= 0, not {limit!r}")
    return limit


class Records(Generic[T]):
    """Append-only, oldest first, keeping the newest ``limit`` items; counts what it dropped.

    ``total`` counts every item ever appended (kept, dropped or cleared);
    the item appended as the n-th (from 0) is ``since(n)``'s first while it
    is kept. Unbounded (the default), ``append`` is the deque's own: a
    record costs a run nothing more than a list append.
    """

    __slots__ = ("_cleared", "_items", "append", "dropped", "limit")

    def __init__(self, limit: RecordLimit = None) -> None:
        self.limit = check_limit(limit)
        self._items: deque[T] = deque(maxlen=limit)
        self.dropped = 0
        self._cleared = 0
        self.append: Callable[[T], None] = (
            self._items.append if limit is None else self._append_bounded
        )

    def _append_bounded(self, item: T) -> None:
        if len(self._items) == self.limit:
            self.dropped += 1
        self._items.append(item)  # the deque's maxlen drops the oldest (limit 0: the item)

    @property
    def total(self) -> int:
        """Every item ever appended."""
        return self._cleared + self.dropped + len(self._items)

    def skip(self) -> None:
        """Count an item that is not kept (``limit`` 0), without making it."""
        self.dropped += 1

    def since(self, position: int) -> list[T]:
        """The kept items appended at ``position`` (an earlier ``total``) or later."""
        first_kept = self.total - len(self._items)
        start = max(position, first_kept) - first_kept
        return [self._items[i] for i in range(start, len(self._items))]

    def clear(self) -> None:
        """Forget the kept items (asked for: not counted as dropped)."""
        self._cleared += len(self._items)
        self._items.clear()

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return list(self._items)[index]
        return self._items[index]

    def __eq__(self, other: object) -> bool:
        """Equal to a list (or ``Records``) of the same kept items, in order."""
        if isinstance(other, Records | list):
            return list(self._items) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __bool__(self) -> bool:
        return bool(self._items)

    def __repr__(self) -> str:
        return f"<Records: {len(self._items)} kept, {self.dropped} dropped>"
