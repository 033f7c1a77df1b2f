"""Random JSON (NaN, huge numbers, deep nesting, odd Unicode) at every contract and at the CLI.

The documented outcomes: a contract's ``violations``/``is_valid`` return, or
raise an ``EventproofError`` (a message nesting past Python's recursion
limit, a pattern RE2 cannot run that takes too long); ``eventproof validate``
exits 0, 1 or 2 and never prints a traceback.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventproof import Catalog
from eventproof.cli import run
from eventproof.envelopes import ENVELOPE_KINDS
from eventproof.errors import EventproofError

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
CATALOG = Catalog.load(CONTRACTS)

_odd_text = st.text(st.characters(codec=None, categories=None), max_size=12) | st.sampled_from(
    ["", "\x00", "\ufeff", "\ud800", "\U0010ffff", "a\u0301", "\u202e", "1" * 300, "NaN"])
_numbers = (
    st.floats(allow_nan=True, allow_infinity=True)
    | st.integers()
    # Integers past Python's 4,300-digit str() limit (built in a map: hypothesis repr()s
    # the elements of sampled_from).
    | st.tuples(st.sampled_from([4000, 4301, 5000]), st.booleans()).map(
        lambda digits_sign: (-1 if digits_sign[1] else 1) * 10 ** digits_sign[0])
    | st.sampled_from([1e308, 5e-324, -0.0, 2**63, 2**64 + 1])
)
_scalars = st.none() | st.booleans() | _numbers | _odd_text


def _json_values() -> st.SearchStrategy[Any]:
    return st.recursive(
        _scalars,
        lambda children: st.lists(children, max_size=4)
        | st.dictionaries(_odd_text | st.sampled_from(["type", "detail", "Records", "body"]),
                          children, max_size=4),
        max_leaves=20,
    )


def _deep(value: Any, depth: int, as_list: bool) -> Any:
    for _ in range(depth):
        value = [value] if as_list else {"a": value}
    return value


_messages = (
    _json_values()
    | st.builds(_deep, _json_values(), st.integers(0, 5000), st.booleans())
    # Shaped like the catalog's messages: each contract's valid examples, with one part replaced.
    | st.builds(
        lambda example, key, value: {**example, key: value} if isinstance(example, dict) else value,
        st.sampled_from([e.message for c in CATALOG for e in c.examples] or [{}]),
        st.sampled_from(sorted({k for c in CATALOG for e in c.examples
                                if isinstance(e.message, dict) for k in e.message}) or ["a"]),
        _json_values(),
    )
)


@pytest.mark.timeout(600)
@pytest.mark.parametrize("name", CATALOG.names())
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(message=_messages)
def test_every_contract_answers_or_raises_a_documented_error(name: str, message: Any) -> None:
    contract = CATALOG[name]
    try:
        valid = contract.is_valid(message)
        found = contract.violations(message)
    except EventproofError:
        return
    assert valid == (found == [])
    for violation in found:
        assert violation.pointer == "" or violation.pointer.startswith("/")
        assert len(violation.found) < 400 and len(violation.expected) < 600


def _file_text(message: Any, how: int) -> str:
    if how == 0:
        return json.dumps(message)  # NaN and Infinity written as JSON does not allow
    if how == 1:
        return json.dumps(message, indent=1)
    # A valid-looking prefix with a huge literal or a duplicate key spliced in.
    return '{"a": ' + json.dumps(message) + ', "a": 1e400, "b": ' + "7" * 4400 + "}"


@pytest.mark.timeout(600)
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(CATALOG.names()), message=_messages, how=st.integers(0, 2),
       envelope=st.none() | st.sampled_from(ENVELOPE_KINDS))
def test_validate_exits_0_1_or_2_without_a_traceback(
    tmp_path: Path, name: str, message: Any, how: int, envelope: str | None
) -> None:
    try:
        text = _file_text(message, how)
    except (RecursionError, ValueError):
        return  # json.dumps itself cannot write this value: nothing to feed
    file = tmp_path / "message.json"
    file.write_text(text, encoding="utf-8", errors="surrogatepass")
    out, err = io.StringIO(), io.StringIO()
    argv = ["validate", "--contracts", str(CONTRACTS), name, str(file)]
    if envelope is not None:
        argv += ["--envelope", envelope]
    code = run(argv, out, err)
    assert code in (0, 1, 2)
    assert "Traceback" not in err.getvalue()
    if code == 0:
        assert out.getvalue().endswith(f"conforms to {name}\n")
    if code == 1:
        assert f"violation(s) of {name}" in out.getvalue()
    if code == 2:
        assert err.getvalue().startswith(("message error:", "contract error:"))
