"""Bulk payouts: the input (a CSV file or rows) for the core's bulk engine, the run, and the report."""

from __future__ import annotations

import csv
import datetime as _dt
import io
import os
from decimal import Decimal
from typing import IO, Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple, Union

from . import _native
from ._cancel import CancelToken
from ._convert import int_req, text_arg
from .errors import ValidationError, _invalid, _wrong_type
from .models import BulkReport, BulkRowError, BulkRowResult

__all__ = ["BulkSource", "run", "load", "check"]

#: What a bulk run takes: the path of a CSV file, the CSV itself (bytes, with ``name=``), or rows (dicts of
#: column → value).
BulkSource = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, Iterable[Mapping[str, Any]]]

_REFERENCE_COLUMNS = ("reference", "ext_ref_id", "extrefid")


def _cell(line: int, column: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and column.lower() == "amount":
        raise _invalid(
            "amount",
            f"line {line}: float {value!r} is refused because binary floats are not exact; pass a Decimal, an "
            f"int or a str (e.g. Decimal({str(value)!r}))",
        )
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, (str, int, Decimal, float)):
        return str(value)
    raise _wrong_type(column, f"line {line}: must be text or a number, not {type(value).__name__}")


def load(source: BulkSource, name: Optional[str]) -> Tuple[str, bytes]:
    """The source name (for derived references) and the CSV bytes of ``source``. Nothing is sent."""
    name = text_arg("name", name)
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if not isinstance(path, str):
            raise _wrong_type("source", "a path must be text, not bytes")
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise _invalid("source", f"cannot read {path!r}: {e.strerror or e}") from e
        return name or path, data
    if isinstance(source, (bytes, bytearray, memoryview)):
        if name is None:
            raise _invalid(
                "name",
                "the CSV given as bytes needs name=: references missing from its rows are derived from it, the "
                "line and the sale, so that running the same rows again maps each one to the same sale",
            )
        return name, bytes(source)
    if isinstance(source, Mapping):
        raise _wrong_type("source", "give a file path, the CSV as bytes, or a list of rows (dicts), not one dict")
    try:
        rows = list(source)
    except TypeError:
        raise _wrong_type(
            "source", f"give a file path or a list of rows (dicts), not {type(source).__name__}"
        ) from None
    header: List[str] = []
    seen = set()
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise _wrong_type("source", f"line {i + 2}: a row must be a dict of column → value, not {type(row).__name__}")
        for k in row:
            if not isinstance(k, str):
                raise _wrong_type("source", f"line {i + 2}: column names must be text, not {type(k).__name__}")
            if k not in seen:
                seen.add(k)
                header.append(k)
    if not header:
        header = ["phone", "amount", "currency"]
    no_reference = [
        i + 2
        for i, row in enumerate(rows)
        if not any(str(row.get(k) or "").strip() for k in row if k.lower() in _REFERENCE_COLUMNS)
    ]
    if no_reference and name is None:
        shown = ", ".join(str(n) for n in no_reference[:10]) + (" …" if len(no_reference) > 10 else "")
        raise _invalid(
            "name",
            f"rows without a reference (lines {shown}) need name=: their references are derived from it, the "
            "line and the sale, so that running the same rows again maps each one to the same sale",
        )
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for i, row in enumerate(rows):
        w.writerow([_cell(i + 2, k, row.get(k)) for k in header])
    return name or "rows", buf.getvalue().encode("utf-8")


def check(api: str, source_name: str, data: bytes) -> Dict[str, Any]:
    """Validate a whole bulk input without sending anything (the core's parser): ``{"rows": n, "totals": …}``,
    or one :class:`~clickairtime.ValidationError` listing every bad line, with ``.row_errors``."""
    try:
        result: Dict[str, Any] = _native.bulk_check(api, source_name, data)
        return result
    except ValidationError as e:
        raw = e.row_errors or []
        e.row_errors = [BulkRowError._from_wire(dict(r)) for r in raw]
        raise


def _open_report(report: Any) -> Optional[IO[str]]:
    if report is None:
        return None
    if not isinstance(report, (str, os.PathLike)):
        raise _wrong_type("report", f"must be a path, not {type(report).__name__}")
    path = os.fspath(report)
    try:
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as e:
        raise _invalid("report", f"cannot write {path!r}: {e.strerror or e}") from e


def run(
    native: Any,
    api: str,
    source: BulkSource,
    *,
    concurrency: int,
    on_progress: Optional[Callable[[BulkRowResult, int, int], Any]],
    report: Any,
    cancel: Optional[CancelToken],
    name: Optional[str],
) -> Tuple[BulkReport, Optional[BaseException]]:
    """Run a bulk file through a client's native half. Returns the report and the exception to raise after it
    (a ``KeyboardInterrupt``, with the report as ``.report``, or the progress callback's failure)."""
    source_name, data = load(source, name)
    n = int_req("concurrency", concurrency, 1, 64)
    if on_progress is not None and not callable(on_progress):
        raise _wrong_type("on_progress", f"must be callable, not {type(on_progress).__name__}")
    if cancel is not None and not isinstance(cancel, CancelToken):
        raise _wrong_type("cancel", f"must be a clickairtime.CancelToken, not {type(cancel).__name__}")
    progress: Optional[Callable[[Mapping[str, Any], int, int], None]] = None
    if on_progress is not None:
        user = on_progress

        def progress(raw: Mapping[str, Any], done: int, total: int) -> None:
            user(BulkRowResult._from_native(raw), done, total)

    # the whole input first (one error listing every bad line), then the report's path: nothing sent before
    check(api, source_name, data)
    out = _open_report(report)
    # the run's own stop token: yours cancels it (at once, from any thread); Ctrl-C and a failing
    # progress callback set it without touching yours
    stop = CancelToken()
    unlink = cancel._on_cancel(stop.cancel) if cancel is not None else None
    try:
        raw = native.bulk(source_name, data, concurrency=n, on_progress=progress, cancel=stop._n)
        interrupted = raw.get("interrupted")
        callback_error = raw.get("callback_error")
        result = BulkReport._from_native(api, raw, stop.cancelled)
        if out is not None:
            out.write(result.to_csv())
    finally:
        if unlink is not None:
            unlink()
        if out is not None:
            out.close()
    error: Optional[BaseException] = interrupted if isinstance(interrupted, BaseException) else None
    if error is not None:
        try:
            setattr(error, "report", result)
        except (AttributeError, TypeError):
            pass
    elif isinstance(callback_error, BaseException):
        error = callback_error
    return result, error
