"""Receipt handles of released messages, kept compactly for SQS's 12-hour window.

Deleting an already deleted message succeeds on AWS, so a queue must know
a released handle from one it never issued, for as long as a handle could
still be in use (the longest visibility timeout, 12 hours). A long run on
a clock that hardly moves releases a handle per message: a million
handles kept as strings in a dict hold ~150 MB. Here a handle is kept as
its 64-bit hash in an array (8 bytes), one array per hour of release time,
so a handle is forgotten between 12 and 13 hours after its release. An
array is sorted when first searched after it grew (searches are rare: a
repeated delete, an unknown handle). A false match needs a 64-bit hash
collision between two handles of one queue.
"""

from __future__ import annotations

import bisect
from array import array
from collections import deque
from collections.abc import Iterable

__all__ = ["Tombstones"]

_BUCKET_SECONDS = 3600


class _Bucket:
    __slots__ = ("hashes", "latest", "sorted")

    def __init__(self, latest: float) -> None:
        self.latest = latest  # the bucket expires 12 hours after its latest release
        self.hashes = array("q")
        self.sorted = True

    def __contains__(self, key: int) -> bool:
        hashes = self.hashes
        if not self.sorted:
            hashes = self.hashes = array("q", sorted(hashes))
            self.sorted = True
        index = bisect.bisect_left(hashes, key)
        return index < len(hashes) and hashes[index] == key


class Tombstones:
    """Released receipt handles of one queue, oldest hour first."""

    __slots__ = ("_buckets", "_count")

    def __init__(self) -> None:
        self._buckets: deque[_Bucket] = deque()
        self._count = 0

    def add(self, handles: Iterable[str], released_at: float) -> None:
        """Remember ``handles``, released at ``released_at`` (the clock only moves forward)."""
        buckets = self._buckets
        if buckets and buckets[-1].latest // _BUCKET_SECONDS == released_at // _BUCKET_SECONDS:
            bucket = buckets[-1]
            bucket.latest = released_at
        else:
            bucket = _Bucket(released_at)
            buckets.append(bucket)
        before = len(bucket.hashes)
        bucket.hashes.extend(hash(handle) for handle in handles)
        if len(bucket.hashes) != before:
            bucket.sorted = False
            self._count += len(bucket.hashes) - before

    def expire(self, horizon: float) -> None:
        """Forget the buckets whose every handle was released at or before ``horizon``."""
        buckets = self._buckets
        while buckets and buckets[0].latest <= horizon:
            self._count -= len(buckets.popleft().hashes)

    def __contains__(self, handle: object) -> bool:
        if not isinstance(handle, str) or not self._buckets:
            return False
        key = hash(handle)
        return any(key in bucket for bucket in self._buckets)

    def __len__(self) -> int:
        return self._count

    def __repr__(self) -> str:
        return f"<Tombstones: {self._count} handles in {len(self._buckets)} hourly buckets>"
