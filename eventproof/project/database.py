"""A shared Hypothesis example database for ``eventproof verify --database DIR|redis://...``.

Hypothesis saves every failing example it finds and replays it first in the
next run (its ``reuse`` phase). Pointing every CI machine at one database (a
folder restored from a CI cache, or Redis through Hypothesis's own
``RedisExampleDatabase``) makes a counterexample found on one machine replay
on every other.

The properties are functions defined once and applied to many handlers, so
Hypothesis would file the counterexamples of every handler under one key: a
passing handler would then delete another's counterexample. ``Namespaced``
keeps one key space per check (``PaymentsFunction::idempotent``).

Hypothesis turns its database off when its seed is forced (as pytest's
``--hypothesis-seed`` does, and verify does without a database). With a
database, each check's random generator is seeded instead from ``--seed`` and
the check's id: as reproducible, with or without ``-n`` and ``--shard``.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterable, Iterator
from pathlib import Path

from hypothesis.database import DirectoryBasedExampleDatabase, ExampleDatabase

from eventproof.errors import ConfigError

__all__ = ["Namespaced", "example_database", "open_database"]

_PROFILE = "eventproof-verify-database"


def open_database(spec: str) -> ExampleDatabase:
    """``DIR`` (created if missing) or ``redis://host:port/db`` (needs the ``redis`` package)."""
    if not spec:
        raise ConfigError("--database: expected a folder or a redis:// URL")
    if spec.startswith(("redis://", "rediss://", "unix://")):
        try:
            import redis
        except ImportError:
            raise ConfigError(f"--database {spec}: a Redis database needs the redis package",
                              hint="pip install redis") from None
        from hypothesis.extra.redis import RedisExampleDatabase

        try:
            return RedisExampleDatabase(redis.Redis.from_url(spec))
        except ValueError as error:
            raise ConfigError(f"--database {spec}: {error}") from None
    folder = Path(spec)
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"--database {spec}: not a folder", file=folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"--database {spec}: cannot create the folder: {error}") from None
    return DirectoryBasedExampleDatabase(str(folder))


class Namespaced(ExampleDatabase):
    """``base`` with every key prefixed by ``namespace``: one key space per check."""

    def __init__(self, base: ExampleDatabase, namespace: str) -> None:
        super().__init__()
        self.base = base
        self.prefix = namespace.encode("utf-8") + b"\x00"

    def __repr__(self) -> str:
        return f"Namespaced({self.base!r}, {self.prefix[:-1].decode('utf-8')!r})"

    def save(self, key: bytes, value: bytes) -> None:
        self.base.save(self.prefix + key, value)

    def fetch(self, key: bytes) -> Iterable[bytes]:
        return self.base.fetch(self.prefix + key)

    def delete(self, key: bytes, value: bytes) -> None:
        self.base.delete(self.prefix + key, value)

    def move(self, src: bytes, dest: bytes, value: bytes) -> None:
        self.base.move(self.prefix + src, self.prefix + dest, value)


@contextlib.contextmanager
def example_database(base: ExampleDatabase | None, namespace: str, seed: int) -> Iterator[None]:
    """Hypothesis uses ``base`` (namespaced) for the block; nothing changes without one."""
    if base is None:
        yield
        return
    from hypothesis import core, settings

    previous = settings.get_current_profile_name()
    # derandomize would also turn the database off (a CI profile often sets it).
    settings.register_profile(_PROFILE, parent=settings.get_profile(previous),
                              database=Namespaced(base, namespace), derandomize=False)
    settings.load_profile(_PROFILE)
    forced, generator = core.global_force_seed, core.threadlocal._hypothesis_global_random
    # Where hypothesis draws a test's seed when none is forced (what @seed would fix per test).
    core.global_force_seed = None
    core.threadlocal._hypothesis_global_random = random.Random(f"eventproof:{seed}:{namespace}")
    try:
        yield
    finally:
        core.global_force_seed = forced
        core.threadlocal._hypothesis_global_random = generator
        settings.load_profile(previous)
