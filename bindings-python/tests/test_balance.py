"""V2 balance, mirroring core/src/v2/balance.rs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clickairtime import Balance, NotFoundError, V2Client, ValidationError, Wallet


def test_list_and_get(v2: V2Client) -> None:
    b = v2.balance.list()
    assert isinstance(b, Balance)
    assert b.available_balance is not None and b.available_balance.currency == "USD"
    assert isinstance(b.available_balance.amount, Decimal)
    ids = {w.id for w in b.wallets}
    assert {"wal_global_001", "wal_ghs_001"} <= ids
    w = v2.balance.get("wal_ghs_001")
    assert isinstance(w, Wallet)
    assert (w.currency, w.wallet_type, w.status) == ("GHS", "local", "active")
    assert w.balance == next(x.balance for x in b.wallets if x.id == "wal_ghs_001")
    assert w.meta is not None and w.meta.http_status == 200


def test_unknown_and_invalid_wallets(v2: V2Client) -> None:
    with pytest.raises(NotFoundError) as e:
        v2.balance.get("wal_nope")
    assert e.value.http_status == 404 and e.value.api_code == "WALLET_NOT_FOUND"
    with pytest.raises(ValidationError) as e2:
        v2.balance.get("../etc")
    assert e2.value.field == "wallet_id"


def test_a_top_up_debits_the_local_wallet_exactly(v2: V2Client) -> None:
    before = v2.balance.get("wal_ghs_001").balance
    v2.topups.create("+233541112259", 42, amount=Decimal("12.34"), currency="GHS")
    after = v2.balance.get("wal_ghs_001").balance
    assert before - after == Decimal("12.34")
