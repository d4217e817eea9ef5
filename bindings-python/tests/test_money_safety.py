"""Money safety under faults: a lost answer never loses or doubles a sale, and "maybe sent" is never reported
as "not sent".

For each fault, V1 and V2: the sandbox holds exactly the transactions that were committed, and the call either
returned that transaction (verified: origin "recovered") or raised OutcomeUnknownError naming the reference.
A fault that does not commit, after a write that may have been received, is OUTCOME_UNKNOWN (never a plain
API_ERROR), and the request is never written a second time.
"""

from __future__ import annotations

import time
from typing import Any, Dict, Iterator, Union

import pytest

from clickairtime import OutcomeUnknownError, Transaction, TopUp
from clickairtime.sandbox import Sandbox

SLOW = 1.5  # sandbox answer delay of the slow magic number
READ_TIMEOUT = 0.4  # shorter than SLOW, so the client times out after the request went out
SEND_DEADLINE = 3  # the hard budget of a send (recovery included)

FAULTS = {7: "dropped connection after commit", 8: "5xx before commit", 9: "slow answer"}


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox(processing_after=0.05, complete_after=0.2, slow_delay=SLOW) as s:
        yield s


def only_one(sb: Sandbox, version: str) -> Dict[str, Any]:
    txs = sb.transactions()[version]
    assert len(txs) == 1, txs
    tx: Dict[str, Any] = txs[0]
    return tx


@pytest.mark.parametrize("n", sorted(FAULTS), ids=[FAULTS[n] for n in sorted(FAULTS)])
def test_v2_send_under_fault(sb: Sandbox, n: int) -> None:
    client = sb.v2_client(read_timeout=READ_TIMEOUT, retry_base_delay=0.01, max_retry_delay=0.05,
                          send_deadline=SEND_DEADLINE)
    reference = f"v2-fault-{n}"
    result: Union[TopUp, OutcomeUnknownError]
    started = time.monotonic()
    try:
        result = client.topups.create(f"+2335550000{n:02d}", 42, amount=5, currency="GHS", reference=reference)
    except OutcomeUnknownError as e:
        result = e
    assert time.monotonic() - started < SEND_DEADLINE + 1.5  # send_deadline bounds the whole send
    if n == 9:
        time.sleep(SLOW)  # let the slow answer finish on the server side before counting
    assert sb.stats()["v2"]["posts"] == 1  # written once: nothing after a write that may have been received
    if n == 8:
        # 500 before commit: nothing exists, but the 500 came after the write, so it may have been received
        assert sb.transactions()["v2"] == []
        assert isinstance(result, OutcomeUnknownError)
        assert result.reference == reference and result.cause_kind == "API_ERROR" and result.http_status == 500
        assert client.topups.reconcile(reference) is None
        return
    tx = only_one(sb, "v2")
    assert tx["reference"] == reference
    if isinstance(result, TopUp):
        assert result.id == tx["id"]
        assert result.meta is not None and result.meta.reference == reference
        assert result.meta.origin == "recovered" and result.meta.replayed  # found by its reference
        assert result.meta.attempts == 1
    else:
        assert result.reference == reference
        found = client.topups.reconcile(result.reference)
        assert found is not None and found.id == tx["id"]
    assert only_one(sb, "v2")["id"] == tx["id"]


@pytest.mark.parametrize("n", sorted(FAULTS), ids=[FAULTS[n] for n in sorted(FAULTS)])
def test_v1_send_under_fault(sb: Sandbox, n: int) -> None:
    client = sb.v1_client(read_timeout=READ_TIMEOUT, retry_base_delay=0.01, max_retry_delay=0.05,
                          send_deadline=SEND_DEADLINE)
    ext_ref_id = f"V1-FAULT-{n}"
    result: Union[Transaction, OutcomeUnknownError]
    try:
        result = client.send_topup(f"2335550000{n:02d}", amount=5, ext_ref_id=ext_ref_id)
    except OutcomeUnknownError as e:
        result = e
    if n == 9:
        time.sleep(SLOW)
    assert sb.stats()["v1"]["posts"] == 1
    if n == 8:
        assert sb.transactions()["v1"] == []
        assert isinstance(result, OutcomeUnknownError)
        assert result.reference == ext_ref_id and result.cause_kind == "API_ERROR"
        return
    tx = only_one(sb, "v1")
    assert tx["extRefId"] == ext_ref_id
    if isinstance(result, Transaction):
        assert result.transaction_id == tx["transactionId"]
        assert result.meta is not None and result.meta.reference == ext_ref_id
        assert result.meta.origin == "recovered"
    else:
        assert result.reference == ext_ref_id
        found = client.reconcile(result.reference)
        assert found is not None and found.transaction_id == tx["transactionId"]
    assert only_one(sb, "v1")["transactionId"] == tx["transactionId"]


def test_injected_drop_after_commit_is_recovered_by_reference(sb: Sandbox) -> None:
    sb.inject("drop_after_commit", method="POST", path="/v2/topups")
    client = sb.v2_client(retry_base_delay=0.01)
    t = client.topups.create("+233541112259", 42, amount=5, currency="GHS", reference="inj-1")
    assert t.meta is not None and t.meta.replayed and t.meta.attempts == 1 and t.meta.origin == "recovered"
    assert only_one(sb, "v2")["id"] == t.id
