"""Plain JSON values: readable text, any-value strategies and JSON equality."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

READABLE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_"


def text(min_size: int = 0, max_size: int | None = None) -> st.SearchStrategy[str]:
    """Strings from a readable ASCII alphabet first, then from all of Unicode.

    ``one_of`` shrinks toward its first branch, so a failing example is shown
    in letters and digits whenever the failure does not need other characters.
    """
    unicode_chars = st.characters(codec="utf-8", exclude_categories=["Cs"])
    return st.one_of(
        st.text(alphabet=READABLE, min_size=min_size, max_size=max_size),
        st.text(alphabet=unicode_chars, min_size=min_size, max_size=max_size),
    )


def keys() -> st.SearchStrategy[str]:
    """Object keys for undeclared properties: short lowercase words."""
    return st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)


def scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**53), max_value=2**53),
        st.floats(allow_nan=False, allow_infinity=False),
        text(max_size=10),
    )


def values() -> st.SearchStrategy[Any]:
    """Any JSON value, small: what ``true`` or an empty schema allows."""
    return st.recursive(
        scalars(),
        lambda children: st.one_of(
            st.lists(children, max_size=3), st.dictionaries(keys(), children, max_size=3)
        ),
        max_leaves=5,
    )


def canonical(value: Any) -> str:
    """A key equal for values JSON Schema calls equal (1 == 1.0, true != 1)."""

    def normal(item: Any) -> Any:
        if isinstance(item, bool) or item is None:
            return item
        if isinstance(item, float) and item.is_integer():
            return int(item)
        if isinstance(item, list):
            return [normal(element) for element in item]
        if isinstance(item, dict):
            return {key: normal(element) for key, element in item.items()}
        return item

    return json.dumps(normal(value), sort_keys=True)
