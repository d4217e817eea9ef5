"""V2 catalog, mirroring core/src/v2/catalog.rs."""

from __future__ import annotations

import json

from decimal import Decimal

import pytest

from clickairtime import ApiError, Catalog, NotFoundError, V2Client, ValidationError

from conftest import PHONE


def test_lookup_by_phone(v2: V2Client) -> None:
    c = v2.catalog.lookup(PHONE)
    assert isinstance(c, Catalog)
    assert c.phone_number == PHONE
    assert (c.network.id, c.network.name, c.network.currency) == (42, "MTN Ghana", "GHS")
    assert c.exchange_rate is not None and c.exchange_rate.rate == Decimal("12.35")
    air = c.products.custom_airtime
    assert air is not None and air.min_amount_local == Decimal("1") and air.max_amount_local == Decimal("5000")
    assert [b.id for b in c.products.fixed_bundles] == ["101", "102"]
    assert {b.bundle_type for b in c.products.fixed_bundles} <= {"DATA", "AIRTIME"}
    assert all(isinstance(b.price_usd, Decimal) for b in c.products.fixed_bundles)
    assert c.meta is not None and c.meta.http_status == 200
    assert c.meta.request_id is not None and c.meta.request_id.startswith("req_")
    assert c.meta.timestamp is not None and c.meta.timestamp.tzinfo is not None


def test_lookup_by_network_id_only(v2: V2Client) -> None:
    c = v2.catalog.lookup(network_id=71)
    assert c.network.name == "Safaricom" and c.network.currency == "KES"


def test_lookup_needs_a_phone_or_network(v2: V2Client) -> None:
    with pytest.raises(ValidationError) as e:
        v2.catalog.lookup()
    assert e.value.field == "phone_number"
    with pytest.raises(ValidationError) as e:
        v2.catalog.lookup("233541112259")
    assert e.value.field == "phone_number"


def test_unknown_prefix_is_an_api_error(v2: V2Client) -> None:
    with pytest.raises(ApiError) as e:
        v2.catalog.lookup("+19995551234")
    assert e.value.http_status == 400
    assert e.value.api_code == "HLR_LOOKUP_FAILED"
    assert e.value.request_id is not None


def test_countries_and_networks(v2: V2Client) -> None:
    countries = v2.catalog.countries()
    assert {c.country_code for c in countries} >= {"GH", "NG", "KE"}
    assert countries.meta is not None and countries.meta.http_status == 200
    gh = v2.catalog.networks("gh")
    assert sorted(n.id for n in gh) == [23, 24, 42]
    assert len(v2.catalog.networks()) >= 7
    with pytest.raises(ValidationError) as e:
        v2.catalog.networks("Ghana")
    assert e.value.field == "country_code"


def test_products_of_a_network(v2: V2Client) -> None:
    c = v2.catalog.products(61)
    assert c.network.name == "MTN Nigeria"
    assert len(c.products.fixed_bundles) == 2
    with pytest.raises(NotFoundError) as e:
        v2.catalog.products(999)
    assert e.value.api_code == "NETWORK_NOT_FOUND"
    with pytest.raises(ValidationError):
        v2.catalog.products(0)


def test_results_have_to_dict_and_a_readable_repr(v2: V2Client) -> None:
    c = v2.catalog.lookup(PHONE)
    d = c.to_dict()
    assert d["network"]["id"] == 42
    # JSON-ready: amounts as exact decimal text
    assert d["exchange_rate"]["rate"] == "12.35" and c.exchange_rate is not None
    assert c.exchange_rate.rate == Decimal("12.35")
    assert d["products"]["fixed_bundles"][0]["id"] == "101"
    assert json.loads(c.to_json()) == d
    assert type(c).from_dict(d) == c
    r = repr(c.network)
    assert r.startswith("Network(id=42, name='MTN Ghana'") and "logo_url" not in r
