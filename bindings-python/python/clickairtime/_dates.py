"""Times as the API gives them, as timezone-aware ``datetime`` objects (used by the native models on the first
access of a time field)."""

from __future__ import annotations

import datetime as _dt
import re
import sys
from typing import Any, Optional

__all__ = ["parse_datetime", "ms_datetime"]

_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$"
)


# The common case, ``2024-01-15T10:30:02.500Z`` (ASCII digits, UTC, 0/3/6 fraction digits, a valid clock time),
# which `datetime.fromisoformat` parses identically on every supported Python (``Z`` only from 3.11).
_canonical = re.compile(
    r"\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{3}|\.\d{6})?Z", re.ASCII
).fullmatch
_fromisoformat = _dt.datetime.fromisoformat
_FROMISOFORMAT_TAKES_Z = sys.version_info >= (3, 11)


def parse_datetime(text: Any) -> Optional[_dt.datetime]:
    """An API timestamp (RFC 3339, or a bare date) as a timezone-aware datetime; UTC when none is given.

    ``None`` for a value that is not such a timestamp.
    """
    if not isinstance(text, str):
        return None
    if _canonical(text) is not None:
        # the shape the API sends: datetime's own C parser gives the same result as the general parser below
        try:
            return _fromisoformat(text if _FROMISOFORMAT_TAKES_Z else text[:-1] + "+00:00")
        except ValueError:
            pass  # a day or month out of range: the general parser says None too
    m = _ISO.match(text.strip())
    if not m:
        return None
    year, month, day, hh, mm, ss, frac, tz = m.groups()
    micro = int((frac or "0")[:6].ljust(6, "0"))
    tzinfo: _dt.tzinfo = _dt.timezone.utc
    if tz and tz not in ("Z", "z"):
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        offset = _dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or "0"))
        tzinfo = _dt.timezone(sign * offset)
    try:
        return _dt.datetime(
            int(year), int(month), int(day), int(hh or 0), int(mm or 0), int(ss or 0), micro, tzinfo=tzinfo
        )
    except ValueError:
        return None


def ms_datetime(ms: Any) -> Optional[_dt.datetime]:
    """Unix milliseconds as an aware UTC datetime; ``None`` for ``None``."""
    if ms is None:
        return None
    return _dt.datetime.fromtimestamp(ms / 1000.0, _dt.timezone.utc)
