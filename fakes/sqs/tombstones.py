"""Receipt handles of released messages, kept compactly for SQS's 12-hour window.

Deleting an already deleted message succeeds on AWS, so a queue must know
a released handle from one it never issued, for as long as a handle could
still be in use (the longest visibility timeout, 12 hours). A long run on
a clock that hardly moves releases a handle per message: a million
handles kept as strings in a dict hold ~150 MB. Here a handle is kept as
its 64-bit hash (~65 bytes), in one set per hour of release time, so a
handle is forgotten between 12 and 13 hours after its release; a false
match needs a 64-bit hash collision between two handles of one queue.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

__all__ = ["Tombstones"]

_BUCKET_SECONDS = 3600


class Tombstones:
    """Released receipt handles of one queue, oldest hour first."""

    __slots__ = ("_count", "_sweeps")

    def __init__(self) -> None:
        self._sweeps: deque[tuple[float, set[int]]] = deque()
        self._count = 0

    def add(self, handles: Iterable[str], released_at: float) -> None:
        """Remember ``handles``, released at ``released_at`` (the clock only moves forward)."""
        sweeps = self._sweeps
        hour = released_at // _BUCKET_SECONDS
        if sweeps and sweeps[-1][0] // _BUCKET_SECONDS == hour:
            hashes = sweeps[-1][1]
            sweeps[-1] = (released_at, hashes)  # a bucket expires after its latest release
        else:
            hashes = set()
            sweeps.append((released_at, hashes))
        before = len(hashes)
        hashes.update(hash(handle) for handle in handles)
        self._count += len(hashes) - before

    def expire(self, horizon: float) -> None:
        """Forget the buckets whose every handle was released at or before ``horizon``."""
        sweeps = self._sweeps
        while sweeps and sweeps[0][0] <= horizon:
            self._count -= len(sweeps.popleft()[1])

    def __contains__(self, handle: object) -> bool:
        if not isinstance(handle, str) or not self._sweeps:
            return False
        key = hash(handle)
        return any(key in hashes for _, hashes in self._sweeps)

    def __len__(self) -> int:
        return self._count

    def __repr__(self) -> str:
        return f"<Tombstones: {self._count} handles in {len(self._sweeps)} sweeps>"
