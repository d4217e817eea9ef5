"""The same flow with clickairtime.aio, as a FastAPI or aiohttp app would call it.

Runs against the built-in sandbox unless CLICKAIRTIME_API_KEY is set (CLICKAIRTIME_BASE_URL too, if you point it
elsewhere). Every call runs on the SDK's own threads (never the event loop, never asyncio's default executor),
and the wait sleeps with asyncio.sleep between polls: it holds no thread while the top-up is on its way.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from decimal import Decimal

from clickairtime import aio
from clickairtime.sandbox import Sandbox


async def send(client: aio.V2Client, phone: str) -> str:
    await client.recover()  # settle what the last run left open (journal)
    found = await client.catalog.lookup(phone)
    order = client.topups.prepare(phone, found.network.id, amount=Decimal("10"), currency="GHS")  # nothing sent
    topup = await client.topups.create(order)
    done = await client.topups.wait(topup.id, deadline=60)
    return done.status


async def main(journal: str, **settings: str) -> str:
    async with aio.V2Client(journal=journal, **settings) as client:  # the key from CLICKAIRTIME_API_KEY unless given
        return await send(client, "+233541112259")


def run() -> None:
    if os.environ.get("CLICKAIRTIME_API_KEY"):
        print(asyncio.run(main(os.environ.get("CLICKAIRTIME_JOURNAL", "clickairtime-async.journal"))))
        return
    with Sandbox() as sandbox, tempfile.TemporaryDirectory() as tmp:
        print(asyncio.run(main(os.path.join(tmp, "j"), api_key=sandbox.api_key, base_url=sandbox.base_url)))


if __name__ == "__main__":
    run()
