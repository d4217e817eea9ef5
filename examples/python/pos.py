"""A point-of-sale top-up, end to end, as a till does it: settle what the last run left open, look the number
up, send the top-up with the receipt number as its reference (journaled before it leaves), wait for the
outcome, print a receipt — and tell the cashier only what is true, whatever happens.

Runs against the built-in sandbox unless CLICKAIRTIME_API_KEY is set (then set CLICKAIRTIME_JOURNAL to a file
that survives restarts, e.g. /var/lib/till/sales.journal):

    python pos.py [phone] [amount] [receipt]        e.g.  python pos.py +233541112259 20 R-0001

Try +233555000001 (float too low), +233555000002 (number refused), +233555000003 (delivery fails after the
sale), +233555000007 (connection lost after the sale: recovered, never sold twice), +233555000008 (a server
error after the request left: status unknown), +233555000010 (stays processing: still on its way).
"""

from __future__ import annotations

import os
import sys
import tempfile
from decimal import Decimal
from typing import Optional

import clickairtime
from clickairtime import TopUp, V2Client
from clickairtime.sandbox import Sandbox

# Exit codes: 0 delivered, 2 check the input, 3 not sold, 4 refused for another sale, 5 on its way (sold),
# 6 status unknown (maybe sold), 7 delivery failed after the sale.


def say(line: str = "") -> None:
    print(line, flush=True)


def recover_at_start(client: V2Client) -> None:
    """Settle every sale a crash or a lost connection left open, and tell the cashier what became of it."""
    for r in client.recover():
        ref = r.reference
        if r.state == "sent":
            status = r.record.status if r.record is not None else r.entry.status
            say(f"Earlier sale {ref} went through: transaction {r.transaction_id} ({status}). "
                "If the customer is waiting, reprint it with the same receipt number.")
        elif r.state == "not_sent":
            say(f"Earlier sale {ref} was NOT completed: nothing was sold. It may be sold again.")
        elif r.state == "refused":
            say(f"Earlier sale {ref} was refused by Click Airtime ({r.entry.error_message}). Nothing was sold for it.")
        else:
            say(f"Earlier sale {ref} is still being checked: it may have gone through. Do NOT sell it again yet.")


def explain(e: clickairtime.ClickAirtimeError) -> int:
    """What the cashier is told for an error of a send or a wait. Every line is true for its error."""
    say()
    if isinstance(e, clickairtime.OutcomeUnknownError):
        say("*** SALE STATUS UNKNOWN ***")
        say("It may have gone through. Do NOT sell again and do NOT refund.")
        say(f"It will be checked automatically at the next start (reference {e.reference}).")
        return 6
    if isinstance(e, clickairtime.StillPendingError):
        say("*** SOLD - STILL ON ITS WAY ***")
        say(f"The top-up was accepted (transaction {e.transaction_id}, {e.status}). Do NOT sell again.")
        say("Tell the customer it is on its way; check it again later.")
        return 5
    if isinstance(e, clickairtime.DuplicateSaleError):
        say("*** NOT SOLD: REPEAT OF A RECENT SALE ***")
        say(f"The same amount was just sent to this number (sale {e.existing_reference or '-'}, "
            f"transaction {e.transaction_id or '-'}). Nothing was charged for this one.")
        say("Sell again only if the customer really wants a second top-up, in a few minutes.")
        return 4
    if isinstance(e, clickairtime.ReferenceConflictError):
        say("*** NOT SOLD: RECEIPT NUMBER ALREADY USED ***")
        say(f"Receipt number {e.reference} belongs to another sale (transaction {e.transaction_id or '-'}). "
            "Nothing was sold. Use a new receipt number.")
        return 4
    # every other kind is raised only when the top-up was definitely not created
    if not clickairtime.is_definitely_not_sent(e):
        say("*** SALE STATUS UNKNOWN ***")
        say(f"{e} — it may have gone through. Do NOT sell again; call support with this message.")
        return 6
    say("*** NOT SOLD ***")
    if isinstance(e, clickairtime.ValidationError):
        say(f"Check the {e.field}: {e}. Nothing was sold.")
        return 2
    if isinstance(e, clickairtime.InvalidRecipientError):
        say("The number was refused by the operator. Ask the customer to check it. Nothing was sold.")
        return 2
    if isinstance(e, clickairtime.InsufficientBalanceError):
        say("Airtime float too low. Call your supervisor. Nothing was sold.")
    elif isinstance(e, clickairtime.DeliveryFailedError):
        say("The operator could not take the top-up. Nothing was sold; the customer may try again.")
    elif isinstance(e, clickairtime.RateLimitError):
        wait = f" in {e.retry_after:.0f} s" if e.retry_after else " in a minute"
        say(f"Too many sales right now. Nothing was sold; try again{wait}.")
    elif isinstance(e, (clickairtime.AuthenticationError, clickairtime.PermissionDeniedError)):
        say("This till is not authorised. Nothing was sold. Call support.")
    elif isinstance(e, clickairtime.JournalError):
        say(f"The till cannot record sales ({e}). Nothing was sold. Call support.")
    elif isinstance(e, (clickairtime.ConnectionError, clickairtime.TimeoutError, clickairtime.TlsError)):
        say("No connection to Click Airtime. Nothing was sold; try again when the line is back.")
    else:
        say(f"{e}. Nothing was sold.")
    return 3


def print_receipt(t: TopUp, receipt: str) -> None:
    say()
    say("======== AIRTIME RECEIPT ========")
    say(f"Receipt      {receipt}")
    say(f"Number       {t.phone_number or '-'}")
    say(f"Network      {t.network.name if t.network and t.network.name else '-'}")
    say(f"Amount       {t.amount.value} {t.amount.currency}" if t.amount else "Amount       -")
    if t.is_success and t.cost:
        say(f"Charged      {t.cost.value} {t.cost.currency}")
    say(f"Status       {t.status}" + (f" - {t.failure_reason}" if t.failure_reason else ""))
    say(f"Transaction  {t.id}")
    when = t.completed_at or t.created_at
    say(f"Time         {when.isoformat() if when else '-'}")
    say("=================================")


def sell(client: V2Client, phone: str, amount: Decimal, receipt: str, wait_seconds: float = 60) -> int:
    recover_at_start(client)
    try:
        found = client.catalog.lookup(phone)
        currency = found.network.currency or "GHS"
        say(f"{phone} is on {found.network.name} ({currency})")
        # the receipt number is the sale's reference: known (and journaled) before anything is sent
        order = client.topups.prepare(phone, found.network.id, amount=amount, currency=currency, reference=receipt)
        sent = client.topups.create(order)
        assert sent.meta is not None
        if sent.meta.origin == "journal":
            say(f"Receipt {receipt} was already sold earlier: this is the same sale, not a new one.")
        elif sent.meta.origin == "recovered":
            say("(the connection dropped after the sale; it was found again, not repeated)")
        done = sent if sent.is_terminal else client.topups.wait(sent.id, deadline=wait_seconds)
    except clickairtime.ClickAirtimeError as e:
        return explain(e)
    print_receipt(done, receipt)
    if done.is_success:
        say("Airtime delivered.")
        return 0
    say(f"The operator did NOT deliver it ({done.failure_reason or done.status}). The customer received nothing "
        "for this sale; a new sale needs a new receipt number.")
    return 7


def main(argv: Optional[list] = None) -> int:  # type: ignore[type-arg]
    args = sys.argv[1:] if argv is None else argv
    phone = args[0] if len(args) > 0 else "+233541112259"
    amount = Decimal(args[1] if len(args) > 1 else "20")
    receipt = args[2] if len(args) > 2 else clickairtime.new_reference()
    api_key = os.environ.get("CLICKAIRTIME_API_KEY")
    if api_key:
        journal = os.environ.get("CLICKAIRTIME_JOURNAL", "clickairtime-sales.journal")
        return sell(V2Client(api_key, journal=journal, user_agent_suffix="example-pos/1.0"), phone, amount, receipt)
    with Sandbox(processing_after=0.1, complete_after=0.3) as sandbox, tempfile.TemporaryDirectory() as tmp:
        # a fresh sandbox each run, so a fresh journal too (a real till keeps one file for good)
        client = sandbox.v2_client(journal=os.path.join(tmp, "sales.journal"), send_deadline=5)
        return sell(client, phone, amount, receipt, wait_seconds=float(os.environ.get("POS_WAIT", "60")))


if __name__ == "__main__":
    sys.exit(main())
