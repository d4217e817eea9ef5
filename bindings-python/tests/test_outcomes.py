"""The five ends of a send (issue 10), each raised by a real exchange with the sandbox, with its fields:

success (``meta.origin``) · not sent (a plain kind) · refused for another sale (DuplicateSaleError,
ReferenceConflictError) · still pending (StillPendingError, waits only) · outcome unknown (OutcomeUnknownError).
"""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Iterator

import pytest

import clickairtime
from clickairtime import (
    DuplicateSaleError,
    InsufficientBalanceError,
    OutcomeUnknownError,
    ReferenceConflictError,
    StillPendingError,
    TimeoutError,
    is_definitely_not_sent,
)
from clickairtime.sandbox import Sandbox

from conftest import MSISDN, PHONE, magic, v1_count, v2_count

OTHER_PHONE = "+233541112260"
OTHER_MSISDN = "233541112260"


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox(processing_after=0.05, complete_after=0.2, slow_delay=1.5, duplicate_window=5) as s:
        yield s


def v2c(sb: Sandbox, **settings: object) -> clickairtime.V2Client:
    base = dict(retry_base_delay=0.01, max_retry_delay=0.05)
    base.update(settings)
    return sb.v2_client(**base)


def v1c(sb: Sandbox, **settings: object) -> clickairtime.V1Client:
    base = dict(retry_base_delay=0.01, max_retry_delay=0.05)
    base.update(settings)
    return sb.v1_client(**base)


# ------------------------------------------------------------------------------------------- success


def test_success_says_created(sb: Sandbox) -> None:
    t = v2c(sb).topups.create(PHONE, 42, amount=5, currency="GHS", reference="ok-1")
    assert t.meta is not None
    assert (t.meta.origin, t.meta.replayed, t.meta.attempts, t.meta.reference) == ("created", False, 1, "ok-1")


def test_a_commit_whose_answer_is_lost_is_success_recovered(sb: Sandbox) -> None:
    sb.inject("drop_after_commit", method="POST", path="/v2/topups")
    t = v2c(sb).topups.create(PHONE, 42, amount=5, currency="GHS", reference="rec-1")
    assert t.meta is not None and (t.meta.origin, t.meta.replayed, t.meta.attempts) == ("recovered", True, 1)
    assert [x["id"] for x in sb.transactions()["v2"]] == [t.id]


def test_a_late_commit_found_after_the_first_lookup_is_success_recovered(sb: Sandbox) -> None:
    # the write lands only after the client gave up waiting for the answer and looked it up once
    sb.inject("late_commit", method="POST", path="/v2/topups", delay=1.0)
    c = v2c(sb, read_timeout=0.3, send_deadline=6)
    t = c.topups.create(PHONE, 42, amount=5, currency="GHS", reference="late-1")
    assert t.meta is not None and t.meta.origin == "recovered" and t.meta.attempts == 1
    assert v2_count(sb) == 1 and sb.stats()["v2"]["posts"] == 1


def test_v1_recovered(sb: Sandbox) -> None:
    sb.inject("drop_after_commit", method="POST", path="/adp")
    t = v1c(sb).send_topup(MSISDN, amount=5, ext_ref_id="V1-REC-1")
    assert t.meta is not None and t.meta.origin == "recovered" and t.ext_ref_id == "V1-REC-1"
    assert v1_count(sb) == 1


def test_the_same_order_again_without_a_journal_is_replayed_not_sold_twice(sb: Sandbox) -> None:
    # the default Idempotency-Key is derived from the reference: selling the same order again carries it
    c = v2c(sb)
    a = c.topups.create(PHONE, 42, amount=5, currency="GHS", reference="again-1")
    b = c.topups.create(PHONE, 42, amount=5, currency="GHS", reference="again-1")
    assert a.id == b.id and b.meta is not None and b.meta.origin == "replayed" and b.meta.replayed
    assert a.meta is not None
    assert b.meta.idempotency_key == a.meta.idempotency_key == clickairtime.idempotency_key_for("again-1")
    assert v2_count(sb) == 1


# ------------------------------------------------------------------------------------------- not sent


def test_not_sent_is_a_plain_kind(sb: Sandbox) -> None:
    with pytest.raises(InsufficientBalanceError) as e:
        v2c(sb).topups.create(magic(1), 42, amount=5, currency="GHS", reference="nb-1")
    assert e.value.reference == "nb-1" and is_definitely_not_sent(e.value)
    assert v2_count(sb) == 0


def test_amounts_with_more_decimals_than_the_currency_are_refused_before_sending(sb: Sandbox) -> None:
    c = v2c(sb)
    for bad in ("1e-30", "0", "-1", "5.001"):
        with pytest.raises(clickairtime.ValidationError) as e:
            c.topups.create(PHONE, 42, amount=bad, currency="GHS")
        assert e.value.field == "amount", bad
    assert sb.stats()["v2"]["posts"] == 0


# ------------------------------------------------------------------------------------------- refused


@pytest.mark.parametrize("mode", ["existing", "conflict"])
def test_duplicate_window_is_a_duplicate_sale_naming_the_other_one(sb: Sandbox, mode: str) -> None:
    # same phone, network and amount within the API's window, another reference: refused, never success
    sb.configure(duplicate_mode=mode)
    c = v2c(sb)
    first = c.topups.create(PHONE, 42, amount=3, currency="GHS", reference="dw-1")
    with pytest.raises(DuplicateSaleError) as e:
        c.topups.create(PHONE, 42, amount=Decimal("3.00"), currency="GHS", reference="dw-2")
    err = e.value
    assert err.code == "DUPLICATE_SALE" and isinstance(err, clickairtime.ClickAirtimeError)
    assert err.reference == "dw-2"  # this sale
    assert err.transaction_id == first.id and err.existing_reference == "dw-1"  # the other one
    assert first.id in str(err) and "nothing was sent" in str(err)
    assert is_definitely_not_sent(err)
    assert v2_count(sb) == 1
    # the other sale is not reported as this one's: reconcile of the new reference finds nothing
    assert c.topups.reconcile("dw-2") is None


def test_v1_code_50_is_a_duplicate_sale(sb: Sandbox) -> None:
    sb.configure(v1_duplicate_window=5)
    c = v1c(sb)
    first = c.send_topup(MSISDN, amount=3, ext_ref_id="V1-DW-1")
    with pytest.raises(DuplicateSaleError) as e:
        c.send_topup(MSISDN, amount=3, ext_ref_id="V1-DW-2")
    assert e.value.api_code == "50" and e.value.reference == "V1-DW-2"
    assert e.value.transaction_id == first.transaction_id and e.value.existing_reference == "V1-DW-1"
    assert v1_count(sb) == 1


@pytest.mark.parametrize("idempotency_mode", ["conflict", "replay"])
def test_a_reference_reused_for_another_sale_is_a_reference_conflict(sb: Sandbox, idempotency_mode: str) -> None:
    sb.configure(idempotency_mode=idempotency_mode)
    c = v2c(sb)
    first = c.topups.create(PHONE, 42, amount=3, currency="GHS", reference="rc-1")
    with pytest.raises(ReferenceConflictError) as e:
        c.topups.create(OTHER_PHONE, 42, amount=4, currency="GHS", reference="rc-1")
    err = e.value
    assert err.code == "REFERENCE_CONFLICT" and err.reference == "rc-1"
    assert err.transaction_id == first.id and err.existing_reference == "rc-1"
    assert "new reference" in str(err) and is_definitely_not_sent(err)
    assert v2_count(sb) == 1


def test_v1_code_90_for_another_sale_is_a_reference_conflict(sb: Sandbox) -> None:
    c = v1c(sb)
    first = c.send_topup(MSISDN, amount=3, ext_ref_id="V1-RC-1")
    with pytest.raises(ReferenceConflictError) as e:
        c.send_topup(OTHER_MSISDN, amount=4, ext_ref_id="V1-RC-1")
    assert e.value.transaction_id == first.transaction_id and e.value.existing_reference == "V1-RC-1"
    assert v1_count(sb) == 1


def test_a_lookup_that_returns_another_sale_is_never_success(sb: Sandbox) -> None:
    # the answer is lost after the commit, and every lookup answers another sale carrying our reference
    sb.inject("drop_after_commit", method="POST", path="/v2/topups")
    sb.inject("foreign_record", method="GET", path="/v2/topups", count=1000)
    c = v2c(sb, send_deadline=1)
    with pytest.raises(OutcomeUnknownError) as e:
        c.topups.create(PHONE, 42, amount=5, currency="GHS", reference="fr-1")
    # within the convergence bound, "not this sale" does not prove absence: unknown, with the cause named
    assert e.value.reference == "fr-1" and e.value.cause_kind == "REFERENCE_CONFLICT"
    assert sb.stats()["v2"]["posts"] == 1


# ------------------------------------------------------------------------------------------- still pending


def test_v2_wait_past_its_deadline_is_still_pending(sb: Sandbox) -> None:
    c = v2c(sb)
    t = c.topups.create(magic(10), 42, amount=2, currency="GHS")
    with pytest.raises(StillPendingError) as e:
        c.topups.wait(t.id, deadline=0.4, initial_interval=0.05)
    err = e.value
    assert err.code == "STILL_PENDING" and not isinstance(err, TimeoutError)
    assert err.transaction_id == t.id and err.status
    assert not is_definitely_not_sent(err)


def test_still_pending_carries_the_last_status_seen(sb: Sandbox) -> None:
    c = v2c(sb)
    t = c.topups.create(magic(10), 42, amount=2, currency="GHS")
    time.sleep(0.2)
    with pytest.raises(StillPendingError) as e:
        c.topups.wait(t.id, deadline=0.4, initial_interval=0.05)
    assert e.value.status == "processing"


def test_v1_wait_past_its_deadline_is_still_pending(sb: Sandbox) -> None:
    c = v1c(sb)
    t = c.send_topup(magic(10)[1:], amount=1, ext_ref_id="V1-SP-1", processing_mode="ASYNC")
    with pytest.raises(StillPendingError) as e:
        c.wait("V1-SP-1", deadline=0.4, initial_interval=0.05)
    assert e.value.reference == "V1-SP-1" and e.value.transaction_id == t.transaction_id and e.value.status


# ------------------------------------------------------------------------------------------- outcome unknown


def test_a_5xx_after_the_write_is_outcome_unknown_with_its_cause(sb: Sandbox) -> None:
    c = v2c(sb, send_deadline=1)
    order = c.topups.prepare(magic(8), 42, amount=5, currency="GHS")
    with pytest.raises(OutcomeUnknownError) as e:
        c.topups.create(order)
    err = e.value
    assert err.code == "OUTCOME_UNKNOWN"
    assert err.reference == order.reference and err.idempotency_key == order.idempotency_key
    assert err.cause_kind == "API_ERROR" and err.http_status == 500
    assert "Do not sell it again" in str(err)
    assert not is_definitely_not_sent(err)
    assert sb.stats()["v2"]["posts"] == 1 and v2_count(sb) == 0


def test_a_connection_lost_after_the_write_is_outcome_unknown(sb: Sandbox) -> None:
    sb.inject("drop_before_commit", method="POST", path="/v2/topups", count=10)
    c = v2c(sb, send_deadline=1)
    with pytest.raises(OutcomeUnknownError) as e:
        c.topups.create(PHONE, 42, amount=5, currency="GHS", reference="cl-1")
    assert e.value.reference == "cl-1" and e.value.cause_kind == "CONNECTION"
    assert sb.stats()["v2"]["posts"] == 1


def test_a_long_429_after_a_lost_write_is_unknown_until_absence_is_proven(sb: Sandbox) -> None:
    # the first write is lost before it commits; a re-send would meet a 429 with a long Retry-After
    sb.inject("drop_before_commit", method="POST", path="/v2/topups")
    sb.inject("rate_limit", method="POST", path="/v2/topups", retry_after=3600, skip=1)
    # default convergence bound (13 min): absence cannot be proven within the send, so nothing is re-sent
    with pytest.raises(OutcomeUnknownError) as e:
        v2c(sb, send_deadline=1).topups.create(PHONE, 42, amount=5, currency="GHS", reference="rl-1")
    assert e.value.cause_kind == "CONNECTION" and sb.stats()["v2"]["posts"] == 1
    # with a (sandbox-only) bound of 0.3 s, absence is proven first; then the re-send's 429 is a definite refusal
    sb.reset()
    sb.inject("drop_before_commit", method="POST", path="/v2/topups")
    sb.inject("rate_limit", method="POST", path="/v2/topups", retry_after=3600, skip=1)
    with pytest.raises(clickairtime.RateLimitError) as e2:
        v2c(sb, send_deadline=3, convergence_bound=0.3).topups.create(
            PHONE, 42, amount=5, currency="GHS", reference="rl-2")
    assert e2.value.retry_after == 3600 and is_definitely_not_sent(e2.value)
    assert sb.stats()["v2"]["posts"] == 2 and v2_count(sb) == 0


def test_v1_5xx_is_outcome_unknown(sb: Sandbox) -> None:
    c = v1c(sb, send_deadline=1)
    with pytest.raises(OutcomeUnknownError) as e:
        c.send_topup(magic(8)[1:], amount=5, ext_ref_id="V1-OU-1")
    assert e.value.reference == "V1-OU-1" and e.value.cause_kind == "API_ERROR"
    assert v1_count(sb) == 0


def test_is_definitely_not_sent_for_every_code() -> None:
    for code in clickairtime._native.error_codes():
        err = clickairtime.errors._from_native({"code": code, "message": code})
        expected = code not in ("OUTCOME_UNKNOWN", "STILL_PENDING", "INVALID_SIGNATURE")
        assert is_definitely_not_sent(err) is expected, code
    assert not is_definitely_not_sent(clickairtime.errors._from_native({"code": "PANIC", "message": "x"}))
    assert not is_definitely_not_sent(ValueError("x"))
