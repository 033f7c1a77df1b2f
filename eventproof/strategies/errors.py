"""The error raised when a schema cannot be turned into a faithful strategy."""

from __future__ import annotations

from eventproof.errors import EventproofError

__all__ = ["StrategyError"]


class StrategyError(EventproofError):
    """A contract uses a keyword (or a combination) eventproof cannot generate for.

    Raised instead of returning a strategy that would silently produce
    messages the contract rejects. ``keyword`` names the construct, ``pointer``
    its place in the schema (``#/properties/items``), ``contract`` the contract.
    """

    area = "strategy error"

    def __init__(
        self,
        headline: str,
        *,
        keyword: str | None = None,
        pointer: str | None = None,
        contract: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(headline, pointer=pointer, contract=contract, hint=hint)
        self.keyword = keyword
