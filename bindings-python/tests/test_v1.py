"""V1 API, mirroring core/src/v1/: send_topup, transactions, reconcile, wait, products, balances."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clickairtime import (
    AuthenticationError,
    DeliveryFailedError,
    InsufficientBalanceError,
    InvalidRecipientError,
    NotFoundError,
    StillPendingError,
    TimeoutError,
    Transaction,
    V1Client,
    ValidationError,
)
from clickairtime.sandbox import Sandbox

from conftest import MSISDN, v1_count


def m(n: int) -> str:
    return f"2335550000{n:02d}"


def test_sync_send(v1: V1Client, sandbox: Sandbox) -> None:
    t = v1.send_topup(MSISDN, amount=Decimal("5.25"), ext_ref_id="SALE-0001")
    assert isinstance(t, Transaction)
    assert t.state == "SUCCESS" and t.is_terminal and t.is_success and t.code == 1
    assert t.delivered_amount == Decimal("5.25")
    assert t.ext_ref_id == "SALE-0001" and t.transaction_id
    assert t.meta is not None and (t.meta.reference, t.meta.attempts, t.meta.replayed) == ("SALE-0001", 1, False)
    assert v1_count(sandbox) == 1


def test_generated_ext_ref_id_is_returned(v1: V1Client) -> None:
    t = v1.send_topup(MSISDN, amount=1)
    assert t.meta is not None and t.meta.reference and t.meta.reference == t.ext_ref_id


def test_async_send_then_wait(v1: V1Client) -> None:
    t = v1.send_topup(MSISDN, amount="3", ext_ref_id="ASYNC-1", processing_mode="async")
    assert t.state == "PENDING" and not t.is_terminal and t.code == 232
    done = v1.wait("ASYNC-1", deadline=10, initial_interval=0.05)
    assert done.state == "SUCCESS" and done.ext_ref_id == "ASYNC-1"


def test_product_send(v1: V1Client) -> None:
    t = v1.send_topup(MSISDN, product_id=4202, ext_ref_id="PROD-1")
    assert t.is_success


def test_failures_by_magic_number(v1: V1Client, sandbox: Sandbox) -> None:
    with pytest.raises(InsufficientBalanceError) as e:
        v1.send_topup(m(1), amount=1, ext_ref_id="LOW-1")
    assert (e.value.http_status, e.value.api_code, e.value.reference) == (403, "20", "LOW-1")
    with pytest.raises(InsufficientBalanceError) as e:
        v1.send_topup(m(11), amount=1)
    assert e.value.http_status == 200
    with pytest.raises(InvalidRecipientError) as e2:
        v1.send_topup(m(2), amount=1)
    assert e2.value.api_code == "30"
    with pytest.raises(DeliveryFailedError):
        v1.send_topup(m(13), amount=1)
    assert v1_count(sandbox) == 0
    failed = v1.send_topup(m(3), amount=1)
    assert failed.state == "FAILED" and failed.is_terminal and not failed.is_success and failed.code == 5


@pytest.mark.parametrize("n, state", [(4, "TIMEOUT"), (5, "UNDERLIVERED"), (6, "CANCELED")])
def test_wait_reaches_each_failed_state(v1: V1Client, n: int, state: str) -> None:
    v1.send_topup(m(n), amount=1, ext_ref_id=f"W-{n}", processing_mode="ASYNC")
    done = v1.wait(f"W-{n}", deadline=10, initial_interval=0.05)
    assert done.state == state and done.is_terminal and not done.is_success


def test_wait_deadline(v1: V1Client) -> None:
    t = v1.send_topup(m(10), amount=1, ext_ref_id="STUCK-1", processing_mode="ASYNC")
    with pytest.raises(StillPendingError) as e:
        v1.wait("STUCK-1", deadline=0.4, initial_interval=0.05)
    assert not isinstance(e.value, TimeoutError)
    assert e.value.reference == "STUCK-1" and e.value.transaction_id == t.transaction_id and e.value.status


def test_transactions_filters_and_reconcile(v1: V1Client) -> None:
    a = v1.send_topup(MSISDN, amount=1, ext_ref_id="TX-A")
    v1.send_topup(MSISDN, amount=2, ext_ref_id="TX-B")
    by_ref = v1.transactions(ext_ref_id="TX-A")
    assert [t.transaction_id for t in by_ref] == [a.transaction_id]
    rec = by_ref[0]
    assert rec.wallet is not None and isinstance(rec.wallet.amount, Decimal)
    assert rec.effective_amount == Decimal("1.00") and rec.status is True
    assert len(v1.transactions(msisdn=MSISDN)) == 2
    assert v1.transactions(transaction_id=a.transaction_id, ext_ref_id="TX-B") == []
    found = v1.reconcile("TX-B")
    assert found is not None and found.ext_ref_id == "TX-B" and found.amount == Decimal("2")
    assert v1.reconcile("NEVER") is None
    with pytest.raises(ValidationError) as e:
        v1.transactions()
    assert e.value.field == "transaction_id"


def test_invalid_sends(v1: V1Client, sandbox: Sandbox) -> None:
    for kwargs, field in [
        ({"msisdn": "23354111", "amount": 1}, "msisdn"),
        ({"amount": None}, "amount"),
        ({"amount": -1}, "amount"),
        ({"amount": 1.5}, "amount"),
        ({"amount": 1, "product_id": 0}, "product_id"),
        ({"amount": 1, "processing_mode": "LATER"}, "processing_mode"),
        ({"amount": 1, "ext_ref_id": ""}, "ext_ref_id"),
    ]:
        msisdn = kwargs.pop("msisdn", MSISDN)
        with pytest.raises(ValidationError) as e:
            v1.send_topup(msisdn, **kwargs)  # type: ignore[arg-type]
        assert e.value.field == field, kwargs
    assert v1_count(sandbox) == 0


def test_products_and_catalog(v1: V1Client) -> None:
    services = v1.product_catalog()
    assert {(s.service_id, s.provider_name) for s in services} >= {(42, "MTN_Ghana"), (71, "Safaricom")}
    products = v1.products(42)
    assert sorted(p.id for p in products) == [4201, 4202]
    assert {p.product_type for p in products} == {"OPEN_PRODUCT", "FIXED_PRODUCT"}
    one = v1.product(4202)
    assert one.id == 4202 and one.product_type == "FIXED_PRODUCT"
    with pytest.raises(ValidationError):
        v1.products(0)
    with pytest.raises(NotFoundError):
        v1.product(999999)


def test_balances_go_down(v1: V1Client) -> None:
    all_ = v1.balances()
    assert len(all_) == 7
    acct = next(b for b in all_ if b.service_name == "MTN Ghana")
    assert acct.account_id is not None
    v1.send_topup(MSISDN, amount=Decimal("2.50"))
    after = v1.balance(acct.account_id)
    assert acct.balance - after.balance == Decimal("2.50")


def test_wrong_token(sandbox: Sandbox) -> None:
    bad = V1Client(sandbox.v1_email, "WRONG-TOKEN-123", base_url=sandbox.base_url)
    with pytest.raises(AuthenticationError) as e:
        bad.balances()
    assert e.value.http_status == 401
    assert "WRONG-TOKEN-123" not in str(e.value) and "WRONG-TOKEN-123" not in repr(e.value)
