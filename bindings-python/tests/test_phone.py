from __future__ import annotations

import pytest

import clickairtime
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


# ------------------------------------------------------------------------------------------ as people type them


def test_to_e164_reads_numbers_as_people_type_them() -> None:
    assert to_e164("+233 (54) 111-2259") == "+233541112259"
    assert to_e164("+233.54.111.2259") == "+233541112259"
    assert to_e164("0541112259", "GH") == "+233541112259"
    assert to_e164("054 111 2259", country="gh") == "+233541112259"
    assert to_e164("+233541112259", "NG") == "+233541112259"  # international input ignores the country


def test_errors_quote_what_was_typed() -> None:
    with pytest.raises(ValidationError) as e:
        to_e164("0541112259")
    assert '"0541112259"' in str(e.value) and "+0541112259" not in str(e.value)
    assert "country" in str(e.value)
    with pytest.raises(ValidationError) as e:
        to_e164("0541112259", "XX")
    assert e.value.field == "country" and '"XX"' in str(e.value)
    with pytest.raises(ValidationError) as e:
        to_e164("+233 54 111", None)
    assert '"+233 54 111"' in str(e.value)


def test_sends_and_lookups_take_formatted_numbers(v2: clickairtime.V2Client, v1: clickairtime.V1Client) -> None:
    found = v2.catalog.lookup("+233 54 111 2259")
    assert found.network.id == 42
    t = v2.topups.create("+233 (54) 111-2259", 42, amount=5, currency="GHS")
    assert t.phone_number == "+233541112259"
    order = v2.topups.prepare("00233 54 111 2259", 42, amount=6, currency="GHS")
    assert order.phone_number == "+233541112259"
    tx = v1.send_topup("+233 54 111 2259", amount=5)
    assert tx.is_success and v1.transactions(ext_ref_id=tx.ext_ref_id)[0].msisdn == "233541112259"
    with pytest.raises(ValidationError) as e:
        v2.topups.create("0541112259", 42, amount=5, currency="GHS")
    assert e.value.field == "phone_number" and '"0541112259"' in str(e.value)
    assert "+0541112259" not in str(e.value)
    # a national number with its country, then sent
    t2 = v2.topups.create(to_e164("054 111 2259", "GH"), 42, amount=7, currency="GHS")
    assert t2.phone_number == "+233541112259"
