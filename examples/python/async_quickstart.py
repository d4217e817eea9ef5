"""The same flow with clickairtime.aio, as a FastAPI or aiohttp app would call it."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from clickairtime import aio
from clickairtime.sandbox import Sandbox


async def send(client: aio.V2Client, phone: str) -> str:
    found = await client.catalog.lookup(phone)
    topup = await client.topups.create(phone, found.network.id, amount=Decimal("10"), currency="GHS")
    done = await client.topups.wait(topup.id, deadline=60)
    return done.status


def main() -> None:
    with Sandbox() as sandbox:
        client = aio.V2Client(sandbox.api_key, base_url=sandbox.base_url)
        print(asyncio.run(send(client, "+233541112259")))


if __name__ == "__main__":
    main()
