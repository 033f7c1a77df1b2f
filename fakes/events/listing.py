"""``Limit`` and ``NextToken`` of EventBridge's List* operations.

Simplification: without ``Limit`` the whole listing is one page (AWS may
split long listings; a caller following ``NextToken`` sees the same items).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventproof_fakes.errors import AWSError
from eventproof_fakes.paging import page

__all__ = ["paged"]


def _invalid_token() -> AWSError:
    return AWSError("ValidationException", "The nextToken provided is invalid.")


def paged(items: Sequence[Any], params: dict[str, Any], key: str) -> dict[str, Any]:
    """``{key: page}`` plus ``NextToken`` when more follow, per ``Limit``/``NextToken``."""
    size = params.get("Limit") or max(len(items), 1)
    shown, following = page(items, params.get("NextToken"), size, _invalid_token)
    response: dict[str, Any] = {key: shown}
    if following is not None:
        response["NextToken"] = following
    return response
