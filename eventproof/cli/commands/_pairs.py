"""``KEY=VALUE`` options (``--parameter``, ``--import``) shared by the commands."""

from __future__ import annotations

from eventproof.errors import ConfigError

__all__ = ["key_values"]


def key_values(pairs: list[str], option: str = "--parameter") -> dict[str, str]:
    """``["A=1", "B=x=y"]`` -> ``{"A": "1", "B": "x=y"}``; a pair without ``=`` or key is refused."""
    found: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ConfigError(f"{option} {pair!r}: expected KEY=VALUE")
        found[key] = value
    return found
