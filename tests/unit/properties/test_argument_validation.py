"""Bad arguments to a property fail at once, with a clear error, before hypothesis draws anything."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eventproof.catalog import Catalog
from eventproof.errors import ConfigError
from eventproof.properties import (
    assert_idempotent,
    assert_order_insensitive,
    assert_rejects_invalid,
    assert_survives_crashes,
)

CATALOG = Catalog.load(Path(__file__).resolve().parents[3] / "contracts")
CONTRACT = CATALOG[CATALOG.names()[0]]


def never_called(event: Any, context: Any) -> None:
    raise AssertionError("the handler ran: arguments were not checked first")


CHECKS: list[Callable[..., None]] = [
    assert_idempotent, assert_survives_crashes, assert_rejects_invalid, assert_order_insensitive,
]


@pytest.mark.parametrize("check", CHECKS)
def test_an_unknown_delivery_is_refused_naming_the_choices(check: Callable[..., None]) -> None:
    with pytest.raises(ConfigError, match=r"(?s)unknown delivery via='kafka'.*sqs, async, eventbridge"):
        check(never_called, CONTRACT, via="kafka")


@pytest.mark.parametrize("check", CHECKS)
def test_max_examples_must_be_positive(check: Callable[..., None]) -> None:
    with pytest.raises(ConfigError, match="max_examples must be an integer >= 1"):
        check(never_called, CONTRACT, max_examples=0)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"late_by": -5}, "late_by must be a number of seconds >= 0"),
        ({"late_by": "an hour"}, "late_by must be a number"),
        ({"deliveries": 1}, r"deliveries \(lower bound\) must be an integer >= 2"),
        ({"deliveries": (4, 2)}, r"deliveries \(upper bound\) must be an integer >= 4"),
    ],
)
def test_assert_idempotent_checks_its_own_arguments(kwargs: dict[str, Any], expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        assert_idempotent(never_called, CONTRACT, **kwargs)


def test_crash_points_must_be_before_or_after() -> None:
    with pytest.raises(ConfigError, match="crash points"):
        assert_survives_crashes(never_called, CONTRACT, when=("during",))  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="crash points"):
        assert_survives_crashes(never_called, CONTRACT, when=())


def test_order_insensitivity_needs_at_least_two_messages() -> None:
    with pytest.raises(ConfigError, match=r"messages \(lower bound\) must be an integer >= 2"):
        assert_order_insensitive(never_called, CONTRACT, messages=1)


def test_a_handler_that_is_not_callable_is_refused() -> None:
    with pytest.raises(ConfigError, match="expected a handler"):
        assert_idempotent("not a handler", CONTRACT)  # type: ignore[arg-type]
