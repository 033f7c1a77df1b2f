from __future__ import annotations

import pytest

from eventproof_fakes.dynamodb.attributes import normalise_number
from eventproof_fakes.errors import AWSError


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1e999999999", "Number overflow"),
        ("1E126", "Number overflow"),
        ("1e-999999999", "Number underflow"),
        ("1E-131", "Number underflow"),
    ],
)
def test_numbers_outside_dynamodbs_range_are_validation_errors(text: str, message: str) -> None:
    with pytest.raises(AWSError) as raised:
        normalise_number(text)
    assert raised.value.code == "ValidationException"
    assert message in raised.value.message


def test_the_range_limits_themselves_are_accepted() -> None:
    assert normalise_number("9.9999999999999999999999999999999999999E+125").startswith("99999")
    assert normalise_number("1E-130") == "0." + "0" * 129 + "1"
