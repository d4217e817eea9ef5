"""Bulk payouts from a CSV file: staff bonuses, customer rewards, field agents' bundles.

    python bulk_payout.py [file.csv]

Every row is validated before anything is sent (one error lists every bad line); sends go through the journal
(a rerun after Ctrl-C or a crash never pays anyone twice) and the documented rate limit (60 requests a minute,
1,000 an hour); a report CSV is written next to the file. Ctrl-C stops taking new rows and lets the sends under
way settle; run the same command again to finish.

Runs against the built-in sandbox (with a sample file) unless CLICKAIRTIME_API_KEY is set.
"""

from __future__ import annotations

import os
import sys
import tempfile
from typing import List, Optional

import clickairtime
from clickairtime import BulkReport, BulkRowResult, V2Client
from clickairtime.sandbox import Sandbox

SAMPLE = """phone,amount,currency,reference,department
+233541110001,50,GHS,bonus-2026-05-001,sales
+233 54 111 0002,20,GHS,bonus-2026-05-002,field
+233555000001,10,GHS,bonus-2026-05-003,field
"""


def progress(row: BulkRowResult, done: int, total: int) -> None:
    what = f"{row.transaction_id} ({row.origin})" if row.outcome == "sent" else f"{row.error_kind}: {row.error}"
    print(f"[{done}/{total}] line {row.line} {row.reference}: {row.outcome} {what}", flush=True)


def pay(client: V2Client, path: str) -> int:
    report_path = os.path.splitext(path)[0] + ".report.csv"
    try:
        report: BulkReport = client.bulk(path, on_progress=progress, report=report_path)
    except clickairtime.ValidationError as e:
        print(f"nothing was sent, fix the file first:\n{e}")
        return 2
    except KeyboardInterrupt as e:
        stopped: Optional[BulkReport] = getattr(e, "report", None)
        print(f"stopped: {stopped.counts if stopped else '?'}; run the same command again to finish")
        return 130
    print(f"{report.counts}; delivered {report.totals()}; report in {report_path}")
    problems: List[BulkRowResult] = [r for r in report.rows if r.outcome != "sent"]
    for r in problems:
        print(f"line {r.line} {r.reference}: {r.outcome} — {r.error}")
    return 0 if report.ok else 7


def main(argv: List[str]) -> int:
    if os.environ.get("CLICKAIRTIME_API_KEY") and argv:
        journal = os.environ.get("CLICKAIRTIME_JOURNAL", "clickairtime-payouts.journal")
        with V2Client(journal=journal, rate_limit="documented") as client:
            return pay(client, argv[0])
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bonus.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(SAMPLE)
        if os.environ.get("CLICKAIRTIME_API_KEY"):
            client = V2Client(journal=os.path.join(tmp, "j"), rate_limit="documented")
            with client:
                code = pay(client, path)
        else:
            with Sandbox() as sandbox, sandbox.v2_client(journal=os.path.join(tmp, "j"), rate_limit="documented") as c:
                code = pay(c, path)
        # the sample's third row is a magic number with too little balance: the run tells, and exits 7
        return 0 if code == 7 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
