"""Which resource (REST) or route (HTTP API) a request reaches, and its path parameters.

Both kinds of API prefer the most specific match, segment by segment: a
literal segment beats ``{param}``, which beats a greedy ``{proxy+}``; an
exact method beats ``ANY``. An HTTP API falls back to its ``$default``
route; a REST API has none (AWS answers 403 "Missing Authentication Token").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar
from urllib.parse import unquote

T = TypeVar("T")

LITERAL, VARIABLE, GREEDY = 2, 1, 0


def split_path(path: str) -> list[str]:
    return [segment for segment in path.split("/") if segment != ""]


def match_template(template: str, path: str) -> tuple[tuple[int, ...], dict[str, str]] | None:
    """(specificity, path parameters) when ``path`` fits the template ``/a/{b}/{c+}``; else None."""
    wanted = split_path(template)
    given = split_path(path)
    params: dict[str, str] = {}
    rank: list[int] = []
    for index, part in enumerate(wanted):
        if part.startswith("{") and part.endswith("+}"):
            rest = given[index:]
            if not rest:
                return None
            params[part[1:-2]] = unquote("/".join(rest))
            rank.append(GREEDY)
            return tuple(rank), params
        if index >= len(given):
            return None
        if part.startswith("{") and part.endswith("}"):
            params[part[1:-1]] = unquote(given[index])
            rank.append(VARIABLE)
        elif unquote(given[index]) == part:
            rank.append(LITERAL)
        else:
            return None
    if len(given) != len(wanted):
        return None
    return tuple(rank), params


def best_match(
    candidates: Iterable[tuple[str, str, T]], method: str, path: str
) -> tuple[T, dict[str, str]] | None:
    """The most specific of ``(template, method or ANY, item)`` for a request; None if none fits."""
    best: tuple[tuple[tuple[int, ...], int], T, dict[str, str]] | None = None
    for template, candidate_method, item in candidates:
        if candidate_method not in (method, "ANY"):
            continue
        found = match_template(template, path)
        if found is None:
            continue
        rank, params = found
        key = (rank, 1 if candidate_method == method else 0)
        if best is None or key > best[0]:
            best = (key, item, params)
    return None if best is None else (best[1], best[2])
