"""V2 top-ups, mirroring core/src/v2/topups.rs: create, get, list, list_all, reconcile, wait."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest

from clickairtime import (
    DeliveryFailedError,
    InsufficientBalanceError,
    InvalidRecipientError,
    NotFoundError,
    StillPendingError,
    TimeoutError,
    TopUp,
    V2Client,
    ValidationError,
)
from clickairtime.sandbox import Sandbox

from conftest import PHONE, magic, v2_count


def test_create_an_amount_top_up(v2: V2Client, sandbox: Sandbox) -> None:
    t = v2.topups.create(PHONE, 42, amount=Decimal("50.00"), currency="GHS", reference="inv-1", metadata={"order": 7})
    assert isinstance(t, TopUp)
    assert t.status == "pending" and not t.is_terminal
    assert t.amount is not None and t.amount.value == Decimal("50") and t.amount.currency == "GHS"
    assert t.cost is not None and t.cost.value == Decimal("4.05") and t.cost.currency == "USD"
    assert t.reference == "inv-1"
    assert t.metadata == {"order": 7}
    assert t.created_at is not None and t.created_at.tzinfo is not None
    assert t.meta is not None
    assert (t.meta.http_status, t.meta.reference, t.meta.replayed, t.meta.attempts) == (201, "inv-1", False, 1)
    assert t.meta.idempotency_key
    assert v2_count(sandbox) == 1


def test_create_a_bundle_top_up_with_an_int_product_id(v2: V2Client) -> None:
    t = v2.topups.create(PHONE, 42, product_id=101, sms=True, sms_message="enjoy")
    assert t.product_id == "101"
    assert t.sms is not None and t.sms.enabled
    assert t.meta is not None and t.meta.reference and t.meta.reference.startswith("ca-")


@pytest.mark.parametrize("amount", [Decimal("5.5"), 5, "5.50"])
def test_amounts_accept_decimal_int_and_str(v2: V2Client, amount: object) -> None:
    t = v2.topups.create(PHONE, 42, amount=amount, currency="GHS")  # type: ignore[arg-type]
    assert t.amount is not None and t.amount.value == Decimal(str(amount))


def test_float_amounts_are_refused_before_any_request(v2: V2Client, sandbox: Sandbox) -> None:
    with pytest.raises(ValidationError) as e:
        v2.topups.create(PHONE, 42, amount=0.1, currency="GHS")  # type: ignore[arg-type]
    assert e.value.field == "amount" and "float" in str(e.value)
    with pytest.raises(ValidationError):
        v2.topups.create(PHONE, 42, amount=True, currency="GHS")  # type: ignore[arg-type]
    assert v2_count(sandbox) == 0


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"phone_number": "0541112259", "amount": 5, "currency": "GHS"}, "phone_number"),
        ({"amount": 0, "currency": "GHS"}, "amount"),
        ({"amount": "1.23456", "currency": "GHS"}, "amount"),
        ({"amount": "abc", "currency": "GHS"}, "amount"),
        ({"amount": Decimal("NaN"), "currency": "GHS"}, "amount"),
        ({"amount": 5}, "currency"),
        ({"amount": 5, "currency": "ghs"}, "currency"),
        ({"amount": 5, "currency": "GHS", "product_id": "101"}, "amount"),
        ({"amount": 5, "currency": "GHS", "callback_url": "http://example.com/hook"}, "callback_url"),
        ({"amount": 5, "currency": "GHS", "metadata": {"x": object()}}, "metadata"),
        ({"amount": 5, "currency": "GHS", "reference": ""}, "reference"),
    ],
)
def test_invalid_sends_name_the_field(v2: V2Client, sandbox: Sandbox, kwargs: dict, field: str) -> None:
    phone = kwargs.pop("phone_number", PHONE)
    with pytest.raises(ValidationError) as e:
        v2.topups.create(phone, 42, **kwargs)
    assert e.value.field == field
    assert v2_count(sandbox) == 0


def test_api_rejections_carry_the_reference(v2: V2Client, sandbox: Sandbox) -> None:
    with pytest.raises(InsufficientBalanceError) as e:
        v2.topups.create(magic(1), 42, amount=5, currency="GHS", reference="low-1")
    assert (e.value.http_status, e.value.api_code, e.value.reference) == (400, "INSUFFICIENT_BALANCE", "low-1")
    assert e.value.idempotency_key
    with pytest.raises(InsufficientBalanceError) as e:
        v2.topups.create(magic(11), 42, amount=5, currency="GHS")
    assert e.value.http_status == 402
    with pytest.raises(InvalidRecipientError) as e2:
        v2.topups.create(magic(2), 42, amount=5, currency="GHS")
    assert e2.value.api_code == "INVALID_PHONE_NUMBER"
    with pytest.raises(DeliveryFailedError) as e3:
        v2.topups.create(magic(13), 42, amount=5, currency="GHS", reference="df-1")
    assert e3.value.reference == "df-1"
    assert v2_count(sandbox) == 0


def test_same_idempotency_key_returns_the_existing_top_up(v2: V2Client, sandbox: Sandbox) -> None:
    a = v2.topups.create(PHONE, 42, amount=7, currency="GHS", idempotency_key="key-1", reference="idem-1")
    b = v2.topups.create(PHONE, 42, amount=7, currency="GHS", idempotency_key="key-1", reference="idem-1")
    assert a.id == b.id
    assert b.meta is not None and b.meta.replayed and b.meta.origin == "replayed"
    assert a.meta is not None and a.meta.origin == "created"
    assert v2_count(sandbox) == 1


def test_get_and_not_found(v2: V2Client) -> None:
    t = v2.topups.create(PHONE, 42, amount=3, currency="GHS")
    got = v2.topups.get(t.id)
    assert got.id == t.id and got.reference == t.reference
    with pytest.raises(NotFoundError) as e:
        v2.topups.get("00000000-0000-0000-0000-000000000000")
    assert e.value.api_code == "TRANSACTION_NOT_FOUND"
    with pytest.raises(ValidationError):
        v2.topups.get("a/b")


def test_list_filters_and_pagination(v2: V2Client) -> None:
    for i in range(3):
        v2.topups.create(PHONE, 42, amount=i + 1, currency="GHS", reference=f"page-{i}")
    v2.topups.create("+254722000111", 71, amount=10, currency="KES", reference="ke-1")
    page = v2.topups.list(per_page=2, page=1)
    assert len(page) == 2
    assert page.pagination is not None
    assert (page.pagination.total, page.pagination.total_pages, page.pagination.has_next) == (4, 2, True)
    only = v2.topups.list(reference="ke-1")
    assert [t.reference for t in only] == ["ke-1"]
    by_phone = v2.topups.list(phone_number="+25472")
    assert len(by_phone) == 1
    now = dt.datetime.now(dt.timezone.utc)
    recent = v2.topups.list(from_=now - dt.timedelta(minutes=5), to=now + dt.timedelta(minutes=5), sort="created_at")
    assert len(recent) == 4
    assert [t.created_at for t in recent] == sorted(t.created_at for t in recent)  # type: ignore[type-var]
    assert v2.topups.list(from_=dt.date(2000, 1, 1), to=dt.date(2000, 1, 2)) == []


def test_list_rejects_bad_filters(v2: V2Client) -> None:
    for kwargs, field in [
        ({"per_page": 101}, "per_page"),
        ({"page": 0}, "page"),
        ({"page": -1}, "page"),
        ({"sort": "amount"}, "sort"),
        ({"from_": "yesterday"}, "from"),
        ({"from_": dt.datetime(2024, 1, 1)}, "from"),
    ]:
        with pytest.raises(ValidationError) as e:
            v2.topups.list(**kwargs)
        assert e.value.field == field, kwargs


def test_list_all_walks_every_page(v2: V2Client) -> None:
    made = {v2.topups.create(PHONE, 42, amount=i + 1, currency="GHS").id for i in range(5)}
    it = v2.topups.list_all(per_page=2)
    assert iter(it) is it
    seen = [t.id for t in it]
    assert sorted(seen) == sorted(made)
    assert list(v2.topups.list_all(per_page=2, reference="none-such")) == []
    with pytest.raises(ValidationError):
        v2.topups.list_all(per_page=500)


def test_reconcile(v2: V2Client) -> None:
    t = v2.topups.create(PHONE, 42, amount=2, currency="GHS", reference="rec-1")
    found = v2.topups.reconcile("rec-1")
    assert found is not None and found.id == t.id
    assert found.meta is not None and found.meta.reference == "rec-1"
    assert v2.topups.reconcile("never-sent") is None


def test_wait_until_completed(v2: V2Client) -> None:
    t = v2.topups.create(PHONE, 42, amount=2, currency="GHS")
    done = v2.topups.wait(t.id, deadline=10, initial_interval=0.05)
    assert done.status == "completed" and done.is_terminal and done.is_success
    assert done.completed_at is not None and done.created_at is not None
    assert done.completed_at >= done.created_at
    assert done.provider_reference


@pytest.mark.parametrize("n, reason", [(3, "delivery_failed"), (4, "timeout"), (5, "underdelivered"), (6, "cancelled")])
def test_wait_reports_failed_top_ups(v2: V2Client, n: int, reason: str) -> None:
    t = v2.topups.create(magic(n), 42, amount=2, currency="GHS")
    done = v2.topups.wait(t.id, deadline=10, initial_interval=0.05)
    assert done.status == "failed" and done.is_terminal and not done.is_success
    assert done.failure_reason == reason


def test_wait_past_its_deadline_raises_still_pending_with_the_id(v2: V2Client) -> None:
    t = v2.topups.create(magic(10), 42, amount=2, currency="GHS")
    started = time.monotonic()
    with pytest.raises(StillPendingError) as e:
        v2.topups.wait(t.id, deadline=0.4, initial_interval=0.05)
    assert time.monotonic() - started < 2.0  # a hard budget
    assert not isinstance(e.value, TimeoutError)  # never "timeout": the top-up exists
    assert e.value.transaction_id == t.id and e.value.status
    with pytest.raises(ValidationError) as e2:
        v2.topups.wait(t.id, deadline=0)
    assert e2.value.field == "deadline"


def test_unknown_status_strings_are_kept() -> None:
    t = TopUp.from_dict({"id": "x", "status": "on_hold"})
    assert t.status == "on_hold" and not t.is_terminal
    assert TopUp.from_dict({"id": "x", "status": "canceled"}).is_terminal
