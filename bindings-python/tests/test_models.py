"""The result models are native, frozen classes: values made once (decimals and times on first access, then
kept), pickling with their meta, JSON in and out, equality, hashing, a readable repr."""

from __future__ import annotations

import copy
import datetime as dt
import json
import pickle
from decimal import Decimal
from pathlib import Path

import pytest

import clickairtime
from clickairtime import JournalEntry, Money, TopUp, Transaction, models
from clickairtime.sandbox import Sandbox

from conftest import MSISDN, PHONE


def test_the_models_are_the_native_classes() -> None:
    assert TopUp is clickairtime._native.TopUp is models.TopUp
    assert issubclass(TopUp, clickairtime._native._Model) and issubclass(Money, clickairtime._native._Model)
    assert TopUp.__match_args__[:2] == ("id", "status")


def test_a_topup_round_trips_through_pickle_with_its_meta(v2: clickairtime.V2Client) -> None:
    t = v2.topups.create(PHONE, 42, amount=Decimal("12.50"), currency="GHS", reference="pickle-1")
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(t, protocol=protocol))
        assert type(again) is TopUp and again == t and again is not t
        assert again.amount is not None and again.amount.value == Decimal("12.5")
        assert again.meta is not None and again.meta == t.meta and again.meta.reference == "pickle-1"
        assert again.created_at == t.created_at and again.is_terminal == t.is_terminal
    assert copy.copy(t) == t and copy.deepcopy(t) == t and copy.deepcopy(t).meta == t.meta


def test_a_v1_transaction_and_lists_pickle(v1: clickairtime.V1Client) -> None:
    t = v1.send_topup(MSISDN, amount=5, ext_ref_id="PICKLE-V1")
    again = pickle.loads(pickle.dumps(t))
    assert isinstance(again, Transaction) and again == t and again.meta == t.meta
    services = v1.product_catalog()
    assert pickle.loads(pickle.dumps(list(services))) == list(services)


def test_decimals_and_times_are_made_once_and_kept(v2: clickairtime.V2Client) -> None:
    t = v2.topups.get(v2.topups.create(PHONE, 42, amount="7.25", currency="GHS").id)
    assert t.amount is not None and t.amount is t.amount
    value = t.amount.value
    assert isinstance(value, Decimal) and value == Decimal("7.25") and t.amount.value is value
    assert isinstance(t.created_at, dt.datetime) and t.created_at.tzinfo is not None
    assert t.created_at is t.created_at
    assert t.meta is not None and t.meta is t.meta and t.meta.timestamp is t.meta.timestamp
    balance = v2.balance.list()
    assert balance.wallets is balance.wallets and balance.wallets[0].balance is balance.wallets[0].balance


def test_results_are_frozen(v2: clickairtime.V2Client) -> None:
    t = v2.topups.create(PHONE, 42, amount=1, currency="GHS")
    with pytest.raises(AttributeError):
        t.status = "completed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        t.brand_new = 1  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        del t.id  # type: ignore[misc]
    m = Money(value=Decimal("1.00"), currency="GHS")
    with pytest.raises(AttributeError):
        m.value = Decimal(2)  # type: ignore[misc]


def test_to_json_and_from_dict(v2: clickairtime.V2Client) -> None:
    t = v2.topups.create(PHONE, 42, amount="12.50", currency="GHS", metadata={"order": 7})
    text = t.to_json()
    d = json.loads(text)
    assert d == t.to_dict() and d["amount"] == {"value": "12.5", "currency": "GHS"} and d["metadata"] == {"order": 7}
    assert Money(value=Decimal("12.50"), currency="GHS").to_dict() == {"value": "12.50", "currency": "GHS"}
    assert d["created_at"].endswith("+00:00")
    assert json.loads(t.to_json(indent=2)) == d and "\n" in t.to_json(indent=2)
    again = TopUp.from_dict(d)
    assert again == t and again.amount is not None and again.amount.value == Decimal("12.5")
    assert again.meta is None  # meta belongs to the call, not to the record
    # the API's own JSON reads the same way; a number where text is usual is kept exact
    api = TopUp.from_dict({"id": "x", "status": "completed", "amount": {"value": 10.5, "currency": "GHS"}})
    assert api.amount is not None and api.amount.value == Decimal("10.5") and api.is_success
    with pytest.raises(TypeError):
        TopUp.from_dict({"status": "completed"})  # id is required


def test_constructors_equality_and_hashing() -> None:
    a = Money(value=Decimal("1"), currency="GHS")
    assert a == Money(Decimal("1"), "GHS") == Money(value=Decimal("1.0"), currency="GHS")
    assert a != Money(value=Decimal("2"), currency="GHS") and a != ("1", "GHS")
    assert hash(a) == hash(Money(Decimal("1"), "GHS")) and len({a, Money(Decimal("1"), "GHS")}) == 1
    assert Money(value=Decimal("1")).currency == ""
    with pytest.raises(TypeError):
        Money(currency="GHS")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Money(value=Decimal(1), colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Money(Decimal(1), "GHS", "extra")  # type: ignore[call-arg]
    assert TopUp(id="t", status="pending").network is None and clickairtime.Balance().wallets == []


def test_repr_is_readable_and_leaves_out_what_is_not_there(v2: clickairtime.V2Client) -> None:
    t = v2.topups.create(PHONE, 42, amount="3", currency="GHS", reference="repr-1")
    r = repr(t)
    assert r.startswith(f"TopUp(id={t.id!r}, status={t.status!r}") and "reference='repr-1'" in r
    assert "failure_reason" not in r and "amount=Money(value=Decimal('3'), currency='GHS')" in r
    assert repr(Money(value=Decimal("1.50"), currency="GHS")) == "Money(value=Decimal('1.50'), currency='GHS')"
    assert repr(clickairtime.Balance()) == "Balance()"


def test_journal_entries_are_native_too(sandbox: Sandbox, tmp_path: Path) -> None:
    with clickairtime.V2Client(sandbox.api_key, base_url=sandbox.base_url, journal=str(tmp_path / "j")) as c:
        t = c.topups.create(PHONE, 42, amount=2, currency="GHS", reference="journal-native-1")
        e = c.journal_entry("journal-native-1")
    assert isinstance(e, JournalEntry) and e.state == "sent" and not e.is_open
    assert isinstance(e.record, TopUp) and e.record.id == t.id and e.created_at is e.created_at
    assert isinstance(e.created_at, dt.datetime) and e.created_at.tzinfo is not None
    assert JournalEntry.from_dict(json.loads(e.to_json())) == e == pickle.loads(pickle.dumps(e))
    assert JournalEntry[TopUp] is not None and "JournalEntry(api='v2'" in repr(e)


def test_results_made_from_the_core_equal_the_same_results_read_from_json(
    v2: clickairtime.V2Client, v1: clickairtime.V1Client
) -> None:
    """Answers are made straight from the core's typed records, `from_dict` from JSON: one model, two ways
    in. Every kind of field (text, exact decimals, times, nested models, lists of models, free-form maps,
    nulls) must read the same both ways, for every model an answer returns."""
    t = v2.topups.create(PHONE, 42, amount="12.50", currency="GHS", metadata={"order": 7, "tags": ["a"]})
    page = v2.topups.list(per_page=5)
    catalog = v2.catalog.products(42)
    results: list = [t, v2.topups.get(t.id), *page, page.meta, catalog, *v2.catalog.countries()]
    results += [*v2.catalog.networks("GH"), v2.balance.list(), t.meta]
    results += [v1.send_topup(MSISDN, amount=5), *v1.product_catalog(), *v1.balances()]
    kinds = set()
    for r in results:
        again = type(r).from_dict(json.loads(r.to_json()))
        assert again == r, type(r).__name__
        assert again.to_dict() == r.to_dict()
        kinds.add(type(r).__name__)
    assert {"TopUp", "Meta", "Catalog", "Country", "Network", "Balance", "Transaction"} <= kinds
    assert catalog.network is not None and t.metadata == {"order": 7, "tags": ["a"]}
    assert page.meta.pagination is not None and page.meta.pagination.per_page == 5
