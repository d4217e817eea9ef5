from __future__ import annotations

import pytest

from clickairtime import ValidationError, to_e164, to_msisdn


def test_conversions() -> None:
    assert to_e164("233541112259") == "+233541112259"
    assert to_e164("+233 54 111 2259") == "+233541112259"
    assert to_e164("00233541112259") == "+233541112259"
    assert to_msisdn("+233541112259") == "233541112259"
    assert to_msisdn("233541112259") == "233541112259"


@pytest.mark.parametrize("bad", ["abc", "+0233541112259", "+233", ""])
def test_invalid_numbers_raise_validation_errors(bad: str) -> None:
    with pytest.raises(ValidationError) as e:
        to_e164(bad)
    assert e.value.field == "phone_number"
    with pytest.raises(ValidationError) as e:
        to_msisdn(bad)
    assert e.value.field == "msisdn"
