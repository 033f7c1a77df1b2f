"""Messages that break their contract in exactly one place.

A valid message is drawn from ``from_contract``; then one *site* is chosen (a
JSON pointer into the message and one way to break it there) and that single
change is applied. Sites are only offered where the schema says plainly what
is allowed (types, bounds, lengths, patterns, formats, enums, required and
undeclared properties, Avro field types and ranges); values under ``anyOf`` /
``oneOf`` / ``not`` or an Avro union are broken as a whole, never inside.

How examples shrink: toward the smallest valid message and the first site
(the whole-message type change, then the first property's mutations).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from eventproof.strategies import _avro_sites, _json_sites
from eventproof.strategies.contracts import from_contract, resolve_contract
from eventproof.strategies.errors import StrategyError

__all__ = ["Mutation", "Site", "invalid_from_contract"]


@dataclass(frozen=True)
class Site:
    """One way to break a message: where, how, and the value to put there."""

    pointer: str
    kind: str
    detail: str
    replacement: Any = None
    remove: bool = False


@dataclass(frozen=True)
class Mutation:
    """An invalid message and the one place it was broken.

    ``pointer`` is the JSON pointer of the broken value (for a removed
    required property or an added undeclared one: that property's pointer);
    ``kind`` is one of ``wrong-type``, ``missing-required``, ``extra-property``,
    ``below-minimum``, ``above-maximum``, ``not-multiple``, ``too-short``,
    ``too-long``, ``pattern-mismatch``, ``bad-format``, ``not-in-enum``,
    ``too-few-items``, ``too-many-items``, ``duplicate-items``, ``bad-decimal``.
    """

    message: Any
    pointer: str
    kind: str
    detail: str
    original: Any = None

    def describe(self) -> str:
        return f"{self.kind} at {self.pointer or '(the whole message)'}: {self.detail}"


def apply(message: Any, site: Site) -> Any:
    """A copy of ``message`` with ``site`` applied (the original is untouched)."""
    if not site.pointer:
        return site.replacement
    steps = [part.replace("~1", "/").replace("~0", "~") for part in site.pointer.split("/")[1:]]

    def rebuild(node: Any, depth: int) -> Any:
        step = steps[depth]
        last = depth == len(steps) - 1
        if isinstance(node, list):
            index = int(step)
            copy = list(node)
            copy[index] = site.replacement if last else rebuild(node[index], depth + 1)
            return copy
        copy_dict = dict(node)
        if last and site.remove:
            del copy_dict[step]
        elif last:
            copy_dict[step] = site.replacement
        else:
            copy_dict[step] = rebuild(node[step], depth + 1)
        return copy_dict

    return rebuild(message, 0)


def sites_for(contract: Any, message: Any) -> list[Site]:
    if contract.format == "avro":
        return _avro_sites.sites(contract, message)
    return _json_sites.sites(contract, message)


def invalid_from_contract(
    contract_or_name: Any, *, catalog: Any = None
) -> st.SearchStrategy[Mutation]:
    """``Mutation`` records whose ``message`` violates the contract at ``pointer`` only.

    Use ``mutation.message`` as the bad input and ``mutation.pointer`` /
    ``mutation.kind`` to check that the rejection names the right place.
    """
    contract = resolve_contract(contract_or_name, catalog)
    valid = from_contract(contract)

    @st.composite
    def mutations(draw: st.DrawFn) -> Mutation:
        message = draw(valid)
        places = sites_for(contract, message)
        if not places:
            raise StrategyError(
                "the schema says too little to break a message in one known place",
                keyword="type", contract=getattr(contract, "name", None),
            )
        site = draw(st.sampled_from(places))
        return Mutation(apply(message, site), site.pointer, site.kind, site.detail, message)

    return mutations()
