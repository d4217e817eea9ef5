"""clickairtime quickstart: settle what the last run left open, look a number up, send a top-up at most once
(its reference fixed and journaled before anything leaves), wait for it, check balances.

Runs against the built-in sandbox unless CLICKAIRTIME_API_KEY is set:

    pip install clickairtime
    python quickstart.py

For a till, see pos.py: it tells the cashier what happened for every outcome.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from decimal import Decimal

import clickairtime
from clickairtime import V2Client
from clickairtime.sandbox import Sandbox


def run(client: V2Client, phone: str) -> int:
    # 1. settle sends a crash or a lost connection left open (with a journal; nothing is written)
    for r in client.recover():
        print(f"earlier send {r.reference}: {r.state}" + (f" ({r.transaction_id})" if r.transaction_id else ""))

    found = client.catalog.lookup(phone)
    print(f"{phone} is on {found.network.name} (network {found.network.id}, {found.network.currency})")

    # 2. the order, with its reference and idempotency key fixed before anything is sent: persist
    #    order.reference with your sale (the journal does it too)
    order = client.topups.prepare(
        phone,
        found.network.id,
        amount=Decimal("50"),
        currency=found.network.currency or "GHS",
    )
    print(f"sending reference {order.reference}")
    try:
        topup = client.topups.create(order)
    except clickairtime.OutcomeUnknownError as e:
        # NOT a failure: it may have gone through. Do not sell again; recover() settles it later.
        print(f"outcome unknown ({e.cause_kind}); do not sell again: reference {e.reference} is settled by recover()")
        return 2
    except (clickairtime.DuplicateSaleError, clickairtime.ReferenceConflictError) as e:
        print(f"refused: the API holds another sale ({e.existing_reference}, {e.transaction_id}); nothing was sold")
        return 1
    except clickairtime.ClickAirtimeError as e:
        if clickairtime.is_definitely_not_sent(e):
            print(f"nothing was sold: {e}")
            return 1
        print(f"it may have gone through ({e}); do not sell again")
        return 2

    assert topup.meta is not None
    print(f"sent {topup.id}: {topup.status} ({topup.meta.origin}), reference {topup.meta.reference}")
    try:
        done = client.topups.wait(topup.id, deadline=60)
    except clickairtime.StillPendingError as e:
        print(f"sold, still {e.status} after 60 s: it is on its way; check {e.transaction_id} later")
        return 0
    cost = done.cost.value if done.cost else Decimal(0)
    print(f"final status: {done.status} (cost {cost} USD)")

    for wallet in client.balance.list().wallets:
        print(f"wallet {wallet.id}: {wallet.balance} {wallet.currency}")
    return 0 if done.is_success else 3


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    api_key = os.environ.get("CLICKAIRTIME_API_KEY")
    if api_key:
        journal = os.environ.get("CLICKAIRTIME_JOURNAL", "clickairtime-quickstart.journal")
        return run(V2Client(api_key, journal=journal), os.environ.get("CLICKAIRTIME_PHONE", "+233541112259"))
    with Sandbox() as sandbox, tempfile.TemporaryDirectory() as tmp:
        print(f"using the sandbox at {sandbox.base_url}")
        # a fresh sandbox each run, so a fresh journal too
        return run(sandbox.v2_client(journal=os.path.join(tmp, "quickstart.journal")), "+233541112259")


if __name__ == "__main__":
    sys.exit(main())
