"""Pure type conversions between Python values and what the native layer takes or gives."""

from __future__ import annotations

import datetime as _dt
import json
import operator
import os
from decimal import Decimal
from typing import Any, Mapping, Optional, Union

from .errors import _invalid, _wrong_type

AmountLike = Union[Decimal, int, str]
BytesLike = Union[bytes, bytearray, memoryview, str]
DateLike = Union[_dt.datetime, _dt.date, str]


def amount_text(field: str, value: Optional[AmountLike]) -> Optional[str]:
    """An amount as exact decimal text for core. Floats are refused: ``0.1`` is not one tenth in binary."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise _wrong_type(field, "must be a Decimal, int or str, not bool")
    if isinstance(value, float):
        raise _invalid(
            field,
            f"float {value!r} is refused because binary floats are not exact; "
            f"pass a Decimal, an int or a str (e.g. Decimal({str(value)!r}))",
        )
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value
    raise _wrong_type(field, f"must be a Decimal, int or str, not {type(value).__name__}")


_I64 = 2**63


def int_arg(field: str, value: Any, lo: int = -_I64, hi: int = _I64 - 1) -> Optional[int]:
    """An integer argument (any ``__index__`` type; not a bool), within ``lo..hi``; ``None`` stays ``None``."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise _wrong_type(field, "must be an int, not bool")
    try:
        n = operator.index(value)
    except TypeError:
        raise _wrong_type(field, f"must be an int, not {type(value).__name__}") from None
    if not lo <= n <= hi:
        raise _invalid(field, f"{n} is out of range ({lo} to {hi})")
    return n


def int_req(field: str, value: Any, lo: int = -_I64, hi: int = _I64 - 1) -> int:
    """:func:`int_arg` for an argument that must be given."""
    n = int_arg(field, value, lo, hi)
    if n is None:
        raise _wrong_type(field, "must be an int, not None")
    return n


def text_arg(field: str, value: Any) -> Optional[str]:
    """A text argument; ``None`` stays ``None``."""
    if value is None or isinstance(value, str):
        return value
    raise _wrong_type(field, f"must be a str, not {type(value).__name__}")


def text_req(field: str, value: Any) -> str:
    """A text argument that must be given."""
    if isinstance(value, str):
        return value
    raise _wrong_type(field, f"must be a str, not {type(value).__name__}")


def bool_arg(field: str, value: Any) -> Optional[bool]:
    """A yes/no argument; ``None`` stays ``None``."""
    if value is None or isinstance(value, bool):
        return value
    raise _wrong_type(field, f"must be True or False, not {type(value).__name__}")


def product_arg(field: str, value: Any) -> Optional[str]:
    """A V2 bundle id (text, or a number written as text)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise _wrong_type(field, f"must be a str or int, not {type(value).__name__}")


def env(name: str) -> Optional[str]:
    """An environment variable, trimmed; empty counts as unset."""
    v = os.environ.get(name, "").strip()
    return v or None


def seconds(field: str, value: Union[float, int, _dt.timedelta, None]) -> Optional[float]:
    """A duration in seconds (number or timedelta)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise _wrong_type(field, "must be a number of seconds or a timedelta, not bool")
    if isinstance(value, _dt.timedelta):
        return value.total_seconds()
    if isinstance(value, (int, float)):
        return float(value)
    raise _wrong_type(field, f"must be a number of seconds or a timedelta, not {type(value).__name__}")


def body_bytes(field: str, body: BytesLike) -> bytes:
    """Raw request bytes: bytes as they are, text as UTF-8."""
    if isinstance(body, bytes):
        return body
    if isinstance(body, (bytearray, memoryview)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    raise _wrong_type(field, f"must be bytes or str, not {type(body).__name__}")


def header_text(field: str, value: Union[str, bytes, int, None]) -> str:
    """A header value (str or bytes); a missing header is an empty string, which core rejects."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise _wrong_type(field, f"must be str, not {type(value).__name__}")


def date_text(field: str, value: Optional[DateLike]) -> Optional[str]:
    """An ISO 8601 date or date-time. Naive datetimes are refused: say which time zone you mean."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise _invalid(field, "datetime must be timezone-aware (e.g. datetime.now(timezone.utc))")
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    raise _wrong_type(field, f"must be a datetime, date or ISO 8601 str, not {type(value).__name__}")


def metadata_json(value: Optional[Mapping[str, Any]]) -> Optional[str]:
    """Top-up metadata as a JSON object text. Decimals become strings, datetimes ISO 8601 text."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise _wrong_type("metadata", f"must be a mapping of str to JSON values, not {type(value).__name__}")

    def extra(o: Any) -> Any:
        if isinstance(o, Decimal):
            return str(o)
        if isinstance(o, (_dt.datetime, _dt.date)):
            return o.isoformat()
        raise TypeError(f"{type(o).__name__} is not JSON serializable")

    try:
        return json.dumps(dict(value), default=extra, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise _invalid("metadata", str(e)) from None
