"""The same flow with clickairtime.aio, as a FastAPI or aiohttp app would call it."""

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


def main() -> None:
    with Sandbox() as sandbox, tempfile.TemporaryDirectory() as tmp:
        client = aio.V2Client(sandbox.api_key, base_url=sandbox.base_url, journal=os.path.join(tmp, "j"))
        print(asyncio.run(send(client, "+233541112259")))


if __name__ == "__main__":
    main()
