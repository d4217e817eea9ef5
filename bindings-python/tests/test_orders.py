"""Handles before the write (issue 10): an order's reference and idempotency key are known, and persistable,
before anything is sent; the default key is derived from the reference (core's one rule)."""

from __future__ import annotations

import asyncio
import json
import pickle
from decimal import Decimal

import pytest

import clickairtime
from clickairtime import TopUpOrder, V1TopUpOrder, ValidationError, idempotency_key_for, new_reference
from clickairtime.sandbox import Sandbox

from conftest import MSISDN, PHONE, v1_count, v2_count


def test_new_reference_and_the_derived_key() -> None:
    a, b = new_reference(), new_reference()
    assert a != b and a.startswith("ca-") and len(a) == 39
    assert idempotency_key_for(a) == idempotency_key_for(a) != idempotency_key_for(b)
    assert idempotency_key_for("invoice-1").startswith("ca2-")


def test_prepare_fixes_the_handles_and_sends_nothing(v2: clickairtime.V2Client, sandbox: Sandbox) -> None:
    order = v2.topups.prepare(PHONE, 42, amount=Decimal("50.00"), currency="GHS", metadata={"till": 3})
    assert isinstance(order, TopUpOrder)
    assert order.reference and order.reference.startswith("ca-")
    assert order.idempotency_key == idempotency_key_for(order.reference)
    assert order.amount == Decimal("50") and order.currency == "GHS" and order.metadata == {"till": 3}
    assert sandbox.stats()["v2"]["requests"] == 0
    # persistable: as a JSON-ready dict (the amount as exact text) or pickled, and rebuilt
    saved = json.loads(order.to_json())
    assert saved == order.to_dict() and isinstance(saved["amount"], str) and Decimal(saved["amount"]) == 50
    assert TopUpOrder.from_dict(saved) == order == pickle.loads(pickle.dumps(order))
    t = v2.topups.create(TopUpOrder(**saved))  # a str amount is an amount too
    assert t.reference == order.reference
    assert t.meta is not None and t.meta.reference == order.reference
    assert t.meta.idempotency_key == order.idempotency_key and t.meta.origin == "created"
    assert v2_count(sandbox) == 1


def test_prepare_keeps_your_reference_and_key(v2: clickairtime.V2Client) -> None:
    order = v2.topups.prepare(PHONE, 42, product_id=17, reference="inv-9")
    assert (order.reference, order.idempotency_key, order.product_id) == ("inv-9", idempotency_key_for("inv-9"), "17")
    own = v2.topups.prepare(PHONE, 42, amount=1, currency="GHS", reference="inv-9", idempotency_key="k-1")
    assert own.idempotency_key == "k-1"


def test_prepare_validates(v2: clickairtime.V2Client) -> None:
    with pytest.raises(ValidationError) as e:
        v2.topups.prepare("nope", 42, amount=1, currency="GHS")
    assert e.value.field == "phone_number"
    with pytest.raises(ValidationError) as e:
        v2.topups.prepare(PHONE, 42, amount="1.001", currency="GHS")
    assert e.value.field == "amount"
    with pytest.raises(ValidationError) as e:
        v2.topups.prepare(PHONE, 42)
    assert e.value.field == "amount"


def test_create_takes_an_order_alone(v2: clickairtime.V2Client) -> None:
    order = v2.topups.prepare(PHONE, 42, amount=1, currency="GHS")
    with pytest.raises(TypeError):
        v2.topups.create(order, 42)  # type: ignore[call-overload]
    with pytest.raises(TypeError):
        v2.topups.create(order, amount=2)  # type: ignore[call-overload]


def test_v1_prepare(v1: clickairtime.V1Client, sandbox: Sandbox) -> None:
    order = v1.prepare_topup(MSISDN, amount=5, processing_mode="async")
    assert isinstance(order, V1TopUpOrder) and order.ext_ref_id and order.ext_ref_id.startswith("ca-")
    assert order.processing_mode == "ASYNC" and order.amount == Decimal(5)
    assert sandbox.stats()["v1"]["requests"] == 0
    t = v1.send_topup(order)
    assert t.ext_ref_id == order.ext_ref_id and t.meta is not None and t.meta.reference == order.ext_ref_id
    assert v1_count(sandbox) == 1
    with pytest.raises(ValidationError):
        v1.prepare_topup(MSISDN, amount="0.0001")
    with pytest.raises(TypeError):
        v1.send_topup(order, amount=5)  # type: ignore[call-overload]


def test_aio_prepare_and_create(sandbox: Sandbox) -> None:
    from clickairtime import aio

    async def go() -> None:
        c = aio.V2Client(sandbox.api_key, base_url=sandbox.base_url)
        order = c.topups.prepare(PHONE, 42, amount=5, currency="GHS")
        t = await c.topups.create(order)
        assert t.meta is not None and t.meta.reference == order.reference
        v1 = aio.V1Client(sandbox.v1_email, sandbox.v1_token, base_url=sandbox.base_url)
        o1 = v1.prepare_topup(MSISDN, amount=5)
        assert (await v1.send_topup(o1)).ext_ref_id == o1.ext_ref_id

    asyncio.run(go())
