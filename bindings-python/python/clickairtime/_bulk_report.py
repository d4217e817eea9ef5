"""What a bulk run did: :class:`BulkReport`, one :class:`BulkRowResult` per row; :class:`BulkRowError` for a
bad input row."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Dict, List, Literal, Mapping, Optional, get_args

from ._base import _Model
from ._native import Money
from ._types import BulkOutcome, ErrorCode, SendOrigin

__all__ = ["BulkRowError", "BulkRowResult", "BulkReport"]

def _money_text(text: Optional[str]) -> Optional[Money]:
    """``"50 GHS"`` (the report's form of an amount) as a :class:`Money`; ``None`` when absent or unreadable."""
    if not text:
        return None
    value, _, currency = text.strip().partition(" ")
    try:
        return Money(value=Decimal(value), currency=currency.strip())
    except ArithmeticError:
        return None


@dataclass(frozen=True, repr=False)
class BulkRowError(_Model):
    """One bad row of a bulk input (``ValidationError.row_errors``): nothing was sent."""

    #: The line in the file (the header is line 1; blank lines count, as an editor shows them).
    line: int
    #: The column at fault (``phone``, ``amount``, ``currency``, ``reference`` …, or ``header``).
    field: str
    #: What is wrong.
    message: str
    #: The row's position among the input's rows, from 0 (``line - 2``; for a list of rows, its index);
    #: ``None`` for the header.
    index: Optional[int] = None


@dataclass(frozen=True, repr=False)
class BulkRowResult(_Model):
    """How one row of a bulk run ended (one line of the report CSV)."""

    #: The row's line in the file, the header being line 1 (for a list of rows: ``rows[i]`` is line ``i + 2``).
    line: int
    #: The sale's reference (the file's, or derived from the file's name, the line and the sale).
    reference: str
    #: ``sent``, ``not_sent``, ``refused``, ``unknown`` or ``skipped`` (see :data:`BulkOutcome`).
    outcome: BulkOutcome
    #: For a sent row: how its record was obtained (``journal`` on a rerun: nothing was written).
    origin: Optional[SendOrigin] = None
    #: The transaction's id (sent), or the other sale's (refused).
    transaction_id: Optional[str] = None
    #: The record's status (V2) or state (V1).
    status: Optional[str] = None
    #: What was delivered (or asked for, when it was not sent).
    amount: Optional[Money] = None
    #: What the wallet was charged (V2 ``cost``, V1 ``effectiveAmount``).
    cost: Optional[Money] = None
    #: The error's code, when the row was not sent.
    error_kind: Optional[ErrorCode] = None
    #: The error's message.
    error: Optional[str] = None

    @property
    def id(self) -> Optional[str]:
        """``transaction_id`` (the report CSV's ``id`` column)."""
        return self.transaction_id

    @property
    def index(self) -> int:
        """The row's position among the input's rows, from 0 (``line - 2``; for a list of rows, its index)."""
        return self.line - 2

    @classmethod
    def _from_native(cls, raw: Mapping[str, Any]) -> "BulkRowResult":
        return cls(
            line=int(raw["line"]),
            reference=raw["reference"],
            outcome=raw["outcome"],
            origin=raw.get("origin"),
            transaction_id=raw.get("transaction_id"),
            status=raw.get("status"),
            amount=_money_text(raw.get("amount")),
            cost=_money_text(raw.get("cost")),
            error_kind=raw.get("error_kind"),
            error=raw.get("error"),
        )


@dataclass(frozen=True, repr=False)
class BulkReport(_Model):
    """What a bulk run did, one :class:`BulkRowResult` per row in file order (``client.bulk(...)``).

    ``ok`` when every row is sent (now or on an earlier run); the counts say what is left: rows ``not_sent``,
    ``unknown`` or ``skipped`` are safe to run again with the same file and journal (nothing is paid twice).
    """

    rows: List[BulkRowResult] = field(default_factory=list)
    #: ``"v1"`` or ``"v2"``.
    api: Literal["v1", "v2"] = "v2"
    #: The run was stopped (Ctrl-C, a cancel token, a failing progress callback) before every row was taken.
    stopped: bool = False

    def count(self, outcome: BulkOutcome) -> int:
        """Rows that ended so."""
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def counts(self) -> Dict[str, int]:
        """Rows per outcome: ``{"sent": …, "not_sent": …, "refused": …, "unknown": …, "skipped": …}``."""
        out = {o: 0 for o in get_args(BulkOutcome)}
        for r in self.rows:
            out[r.outcome] = out.get(r.outcome, 0) + 1
        return out

    @property
    def sent(self) -> int:
        return self.count("sent")

    @property
    def not_sent(self) -> int:
        return self.count("not_sent")

    @property
    def refused(self) -> int:
        return self.count("refused")

    @property
    def unknown(self) -> int:
        return self.count("unknown")

    @property
    def skipped(self) -> int:
        return self.count("skipped")

    @property
    def ok(self) -> bool:
        """Every row is sent (now, or on an earlier run)."""
        return all(r.outcome == "sent" for r in self.rows)

    def totals(self) -> Dict[str, Decimal]:
        """What the sent rows delivered, per currency (``amount``)."""
        out: Dict[str, Decimal] = {}
        for r in self.rows:
            if r.outcome == "sent" and r.amount is not None:
                out[r.amount.currency] = out.get(r.amount.currency, Decimal(0)) + r.amount.value
        return out

    def to_csv(self) -> str:
        """The report as CSV, as the core writes it (and the ``clickairtime bulk`` command): ``row, reference,
        outcome, origin, id, status, amount, cost, error_kind, error``."""
        text: Optional[str] = self.__dict__.get("_csv")
        if text is not None:
            return text
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["row", "reference", "outcome", "origin", "id", "status", "amount", "cost", "error_kind", "error"])

        def money(m: Optional[Money]) -> str:
            return "" if m is None else f"{m.value} {m.currency}".strip()

        for r in self.rows:
            w.writerow([r.line, r.reference, r.outcome, r.origin or "", r.transaction_id or "", r.status or "",
                        money(r.amount), money(r.cost), r.error_kind or "", r.error or ""])
        return buf.getvalue()

    @classmethod
    def _from_native(cls, api: str, raw: Mapping[str, Any], stopped: bool) -> "BulkReport":
        report = cls(
            rows=[BulkRowResult._from_native(r) for r in raw["rows"]],
            api="v1" if api == "v1" else "v2",
            stopped=stopped,
        )
        object.__setattr__(report, "_csv", raw.get("csv") or "")
        return report

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={v}" for k, v in self.counts.items() if v)
        return f"BulkReport({self.api}, {len(self.rows)} rows: {counts or 'none'}{', stopped' if self.stopped else ''})"

