"""Cancellation in an asyncio app: a web handler sells a top-up, and its client may go away.

- The sale is prepared first, so its reference is known (and can be told to the customer) before anything is sent.
- If the handler's task is cancelled (the client hung up, a timeout), the send behind it is cancelled too: before
  anything of it left, nothing is sent; once it may have been written, it is never abandoned — it settles on the
  SDK's thread and the journal records it, so the next look at the journal tells the truth.
- Waiting for delivery is bounded with asyncio.wait_for; a cancelled wait stops polling and the sale stands.

Runs against the built-in sandbox unless CLICKAIRTIME_API_KEY is set.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from decimal import Decimal
from typing import Optional

import clickairtime
from clickairtime import aio
from clickairtime.sandbox import Sandbox


async def handler(client: aio.V2Client, phone: str, amount: Decimal, network_id: int) -> str:
    """What a request handler would answer: a true sentence, whatever happens."""
    order = client.topups.prepare(phone, network_id, amount=amount, currency="GHS")
    try:
        sent = await client.topups.create(order)
    except clickairtime.ClickAirtimeError as e:
        if clickairtime.is_definitely_not_sent(e):
            return f"not sold ({e.code}); reference {order.reference} may be sold again"
        return f"status unknown for {order.reference}: do not sell it again; recover() settles it"
    try:
        done = await asyncio.wait_for(client.topups.wait(sent.id), timeout=2)
    except asyncio.TimeoutError:
        return f"sold ({sent.id}); still on its way, reference {order.reference}"
    return f"sold ({sent.id}): {done.status}"


async def main(journal: str, network_id: int, **settings: str) -> int:
    async with aio.V2Client(journal=journal, **settings) as client:
        print(await handler(client, "+233541112259", Decimal("5"), network_id))
        # a number whose top-up stays in progress: the wait's timeout cancels only the wait
        print(await handler(client, "+233555000010", Decimal("5"), network_id))

        # the handler's task cancelled while its send is on the wire (its answer comes late): never abandoned
        order_ref: Optional[str] = None
        task = asyncio.ensure_future(handler(client, "+233555000009", Decimal("7"), network_id))
        await asyncio.sleep(0.5)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            print("the handler was cancelled (its client went away)")
        for _ in range(100):  # the send settles in the SDK's thread; the journal tells
            pending = await client.pending()
            if not pending:
                break
            order_ref = pending[0].reference
            await asyncio.sleep(0.1)
        print("journal: nothing left open" + (f" (last open: {order_ref})" if order_ref else ""))
    return 0


def run() -> int:
    if os.environ.get("CLICKAIRTIME_API_KEY"):
        return asyncio.run(main(os.environ.get("CLICKAIRTIME_JOURNAL", "clickairtime-cancel.journal"), 42))
    with Sandbox(slow_delay=1.0) as sandbox, tempfile.TemporaryDirectory() as tmp:
        return asyncio.run(main(os.path.join(tmp, "j"), 42, api_key=sandbox.api_key, base_url=sandbox.base_url))


if __name__ == "__main__":
    raise SystemExit(run())
