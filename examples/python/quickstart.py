"""clickairtime quickstart: look a number up, send a top-up at most once, wait for it, check balances.

Runs against the built-in sandbox unless CLICKAIRTIME_API_KEY is set:

    pip install clickairtime
    python quickstart.py
"""

from __future__ import annotations

import logging
import os
import sys
from decimal import Decimal

import clickairtime
from clickairtime import V2Client
from clickairtime.sandbox import Sandbox


def run(client: V2Client, phone: str) -> int:
    found = client.catalog.lookup(phone)
    print(f"{phone} is on {found.network.name} (network {found.network.id}, {found.network.currency})")

    try:
        topup = client.topups.create(
            phone,
            found.network.id,
            amount=Decimal("50"),
            currency=found.network.currency or "GHS",
            reference="invoice-12345",  # unique per sale: it finds the sale again if an answer is lost
        )
    except clickairtime.InsufficientBalanceError:
        print("wallet too low: top it up in the Enterprise Portal")
        return 1
    except clickairtime.OutcomeUnknownError as e:
        # NOT a failure: the sale may exist. Reconcile it later with its reference.
        print(f"outcome unknown; reconcile reference {e.reference} later")
        return 2

    assert topup.meta is not None
    print(f"sent {topup.id}: {topup.status}, reference {topup.meta.reference}")
    done = client.topups.wait(topup.id, deadline=60)
    cost = done.cost.value if done.cost else Decimal(0)
    print(f"final status: {done.status} (cost {cost} USD)")

    for wallet in client.balance.list().wallets:
        print(f"wallet {wallet.id}: {wallet.balance} {wallet.currency}")
    return 0 if done.is_success else 3


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    api_key = os.environ.get("CLICKAIRTIME_API_KEY")
    if api_key:
        return run(V2Client(api_key), os.environ.get("CLICKAIRTIME_PHONE", "+233541112259"))
    with Sandbox() as sandbox:
        print(f"using the sandbox at {sandbox.base_url}")
        return run(sandbox.v2_client(), "+233541112259")


if __name__ == "__main__":
    sys.exit(main())
