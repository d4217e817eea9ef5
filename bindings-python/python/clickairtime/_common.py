"""What both blocking clients share: the native client wrapper, argument conversion, waits driven step by
step, the client base (close, context manager, bulk runs)."""

from __future__ import annotations

import datetime as _dt
import os
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Literal, Mapping, Optional, Type, TypeVar, Union

from . import _native
from ._cancel import CancelToken
from ._list import ListResult
from ._convert import (
    amount_text,
    body_bytes,
    bool_arg,
    date_text,
    int_arg,
    metadata_json,
    product_arg,
    seconds,
    text_arg,
    text_req,
)
from .errors import _from_conversion, _invalid, _wrong_type

if TYPE_CHECKING:
    from ._bulk import BulkSource as BulkSource
    from ._bulk_report import BulkReport, BulkRowResult
    from ._policy import RateLimitPolicy

    #: ``on_progress(result, done, total)`` of a bulk run.
    ProgressCallback = Callable[[BulkRowResult, int, int], Any]
    RateLimitSetting = Union[RateLimitPolicy, Literal["documented"], Mapping[str, int], None]

Seconds = Union[float, int, _dt.timedelta]
PathLike = Union[str, "os.PathLike[str]"]


def _rate_limit_kwargs(value: RateLimitSetting) -> Dict[str, Optional[int]]:
    per_minute: Any = None
    per_hour: Any = None
    from ._policy import RateLimitPolicy

    if value is None:
        pass
    elif isinstance(value, str):
        if value != "documented":
            raise _invalid("rate_limit", f"{value!r} is not \"documented\" (or a RateLimitPolicy, or per_minute/per_hour)")
        per_minute, per_hour = RateLimitPolicy.per_minute, RateLimitPolicy.per_hour
    elif isinstance(value, RateLimitPolicy):
        per_minute, per_hour = value.per_minute, value.per_hour
    elif isinstance(value, Mapping):
        unknown = sorted(str(k) for k in value if k not in ("per_minute", "per_hour"))
        if unknown or not value:
            raise _invalid("rate_limit", "takes per_minute and/or per_hour" + (f", not {', '.join(unknown)}" if unknown else ""))
        per_minute, per_hour = value.get("per_minute"), value.get("per_hour")
    else:
        raise _wrong_type("rate_limit", f"must be \"documented\", a RateLimitPolicy or a dict, not {type(value).__name__}")
    return {
        "rate_limit_per_minute": int_arg("rate_limit.per_minute", per_minute),
        "rate_limit_per_hour": int_arg("rate_limit.per_hour", per_hour),
    }


class _Native:
    """The native client behind a Python client, shared with its API groups: refuses calls once the client is
    closed, and turns pyo3's argument-conversion errors (a ``TypeError`` naming the argument) into the
    package's :class:`~clickairtime.ArgumentTypeError`. A method's wrapper is made on its first use and kept
    (the next lookups are plain attribute reads)."""

    def __init__(self, obj: Any, name: str) -> None:
        self._obj = obj
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        obj = self._obj
        if obj is None:
            raise _invalid("client", f"this {self._name} is closed")
        value = getattr(obj, attr)
        if not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            if self._obj is None:
                raise _invalid("client", f"this {self._name} is closed")
            try:
                return value(*args, **kwargs)
            except (TypeError, OverflowError) as e:
                raise _from_conversion(e) from None

        self.__dict__[attr] = call
        return call

    @property
    def closed(self) -> bool:
        return self._obj is None

    def close(self) -> None:
        name = self._name
        self.__dict__.clear()  # the kept wrappers hold the native client
        self._obj = None
        self._name = name


def _native_cancel(cancel: Optional[CancelToken]) -> Any:
    if cancel is None:
        return None
    if not isinstance(cancel, CancelToken):
        raise _wrong_type("cancel", f"must be a clickairtime.CancelToken, not {type(cancel).__name__}")
    return cancel._n


def _drive_wait(wait: Any, cancel: Optional[CancelToken]) -> Any:
    """Drive a native step-by-step wait on this thread: one exchange per step (without the GIL), then an
    interruptible sleep (Ctrl-C works between polls; a cancel token wakes it at once)."""
    wake = threading.Event()
    remove = cancel._on_cancel(wake.set) if cancel is not None else None
    try:
        while True:
            done, value = wait.step()
            if done:
                return value
            wake.wait(float(value))
    finally:
        if remove is not None:
            remove()


#: Default convergence bound, in seconds: a lookup that finds nothing proves that a top-up was never created
#: only this long after its last write (the docs: every transaction converges within about 12 minutes).
DEFAULT_CONVERGENCE_BOUND = 13 * 60.0


def new_reference() -> str:
    """A new unique reference (``ca-<uuid>``), for a sale you write down before you send it."""
    return _native.new_reference()


def idempotency_key_for(reference: str) -> str:
    """The ``Idempotency-Key`` a V2 send of ``reference`` carries when none is given: derived from the
    reference alone, so the same sale carries the same key in every process, after a crash, or when sold
    again after ``reconcile`` found nothing."""
    return _native.idempotency_key_for(text_req("reference", reference))


def _journal_path(value: Optional[PathLike]) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        if isinstance(path, str):
            return path
    raise _wrong_type("journal", f"must be a path (str or os.PathLike), not {type(value).__name__}")

#: Default deadline of a wait: the documented 12-minute bound of every transaction, plus a margin.
DEFAULT_WAIT_DEADLINE = 13 * 60.0


def _http_kwargs(
    base_url: Optional[str],
    timeout: Optional[Seconds],
    connect_timeout: Optional[Seconds],
    read_timeout: Optional[Seconds],
    max_retries: Optional[int],
    retry_base_delay: Optional[Seconds],
    max_retry_delay: Optional[Seconds],
    max_retry_after: Optional[Seconds],
    send_deadline: Optional[Seconds],
    proxy: Optional[str],
    proxy_from_env: Optional[bool],
    ca_certificates: Union[bytes, str, None],
    user_agent_suffix: Optional[str],
    max_idle_connections_per_host: Optional[int],
    journal: Optional[PathLike],
    convergence_bound: Optional[Seconds],
) -> dict[str, Any]:
    return dict(
        base_url=base_url,
        timeout=seconds("timeout", timeout),
        connect_timeout=seconds("connect_timeout", connect_timeout),
        read_timeout=seconds("read_timeout", read_timeout),
        max_retries=int_arg("max_retries", max_retries),
        retry_base_delay=seconds("retry_base_delay", retry_base_delay),
        max_retry_delay=seconds("max_retry_delay", max_retry_delay),
        max_retry_after=seconds("max_retry_after", max_retry_after),
        send_deadline=seconds("send_deadline", send_deadline),
        proxy=text_arg("proxy", proxy),
        proxy_from_env=proxy_from_env,
        ca_certificates_pem=None if ca_certificates is None else body_bytes("ca_certificates", ca_certificates),
        user_agent_suffix=text_arg("user_agent_suffix", user_agent_suffix),
        max_idle_connections_per_host=int_arg("max_idle_connections_per_host", max_idle_connections_per_host),
        journal=_journal_path(journal),
        convergence_bound=seconds("convergence_bound", convergence_bound),
    )


def _order_kwargs(
    phone_number: Any,
    network_id: Any,
    amount: Any,
    currency: Any,
    product_id: Any,
    sms: Any,
    sms_message: Any,
    reference: Any,
    callback_url: Any,
    metadata: Any,
    idempotency_key: Any,
) -> Dict[str, Any]:
    """A V2 order's fields, type-checked, as the native layer takes them."""
    return dict(
        phone_number=text_req("phone_number", phone_number),
        network_id=int_arg("network_id", network_id),
        amount=amount_text("amount", amount),
        currency=text_arg("currency", currency),
        product_id=product_arg("product_id", product_id),
        sms=bool_arg("sms", sms),
        sms_message=text_arg("sms_message", sms_message),
        reference=text_arg("reference", reference),
        callback_url=text_arg("callback_url", callback_url),
        metadata_json=metadata_json(metadata),
        idempotency_key=text_arg("idempotency_key", idempotency_key),
    )


def _filter_kwargs(
    page: Any, per_page: Any, status: Any, phone_number: Any, reference: Any, from_: Any, to: Any, sort: Any
) -> Dict[str, Any]:
    """A V2 listing's filters, type-checked."""
    return dict(
        page=int_arg("page", page),
        per_page=int_arg("per_page", per_page),
        status=text_arg("status", status),
        phone_number=text_arg("phone_number", phone_number),
        reference=text_arg("reference", reference),
        from_=date_text("from", from_),
        to=date_text("to", to),
        sort=text_arg("sort", sort),
    )


def _v1_order_kwargs(
    msisdn: Any, amount: Any, product_id: Any, ext_ref_id: Any, processing_mode: Any, send_sms: Any
) -> Dict[str, Any]:
    """A V1 order's fields, type-checked."""
    return dict(
        msisdn=text_req("msisdn", msisdn),
        amount=amount_text("amount", amount),
        product_id=int_arg("product_id", product_id),
        ext_ref_id=text_arg("ext_ref_id", ext_ref_id),
        processing_mode=text_arg("processing_mode", processing_mode),
        send_sms=bool(bool_arg("send_sms", send_sms)),
    )


def _many(raw: Any) -> ListResult[Any]:
    """The native ``(items, meta)`` of a list answer as a :class:`ListResult`."""
    items, meta = raw
    return ListResult(items, meta)


_C = TypeVar("_C", bound="_ClientBase")


class _ClientBase:
    """What both clients share: close / context manager, the journal's path, bulk runs."""

    _n: _Native
    _journal: Optional[str]
    _base_url: str
    _api: Literal["v1", "v2"]

    @property
    def base_url(self) -> str:
        """The base URL in use (normalised)."""
        return self._base_url

    @property
    def journal(self) -> Optional[str]:
        """The journal file's path, or ``None`` without a journal."""
        return self._journal

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._n.closed

    def close(self) -> None:
        """Release the client: its connection pool and its journal file (once no call is running any more; a
        send under way finishes first, in its thread). Any later call raises
        :class:`~clickairtime.ValidationError` (field ``client``). Idempotent; ``with V2Client() as c:`` calls
        it at the end of the block."""
        self._n.close()

    def __enter__(self: _C) -> _C:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def bulk(
        self,
        source: BulkSource,
        *,
        concurrency: int = 4,
        on_progress: Optional[ProgressCallback] = None,
        report: Optional[PathLike] = None,
        cancel: Optional[CancelToken] = None,
        name: Optional[str] = None,
    ) -> BulkReport:
        """Bulk payouts (the core's bulk engine, the same as ``clickairtime bulk``): every row of a CSV file —
        or of ``source`` given as rows, dicts of column → value — sent at most once through this client's
        journal and rate limit, ``concurrency`` (1–64) at a time.

        Columns, in any order (case does not matter): ``phone`` (or ``phone_number``, ``msisdn``), ``amount``
        with ``currency`` (V1: ``amount`` alone) or ``product`` (``product_id``), optional ``reference``,
        ``network_id`` (V2; looked up when absent), ``sms`` (``true``/``false``, or for V2 the SMS's text) and,
        for V2, any other column as metadata. ``source`` may also be the CSV itself as ``bytes`` (with
        ``name=``).

        - The whole input is validated first: a bad row anywhere raises one
          :class:`~clickairtime.ValidationError` listing every bad line (the header is line 1; ``rows[i]`` is
          line ``i + 2``; ``.row_errors`` holds them as :class:`~clickairtime.BulkRowError`), and nothing is
          sent.
        - A row without a reference gets one derived from ``name`` (default: the file's name), its line and its
          sale, so running the same file again maps each row to the same sale: with the same journal, rows
          already sent come back from it (``origin == "journal"``) without a write, open ones are looked up
          first, the rest are sent. Rows given as dicts need ``name=`` unless each has a ``reference``.
        - ``on_progress(result, done, total)`` is called after each row (from the SDK's worker threads, one
          row at a time per thread; keep it short). An exception in it stops the run like Ctrl-C, then is
          raised.
        - Ctrl-C (``KeyboardInterrupt``) or ``cancel`` stops taking new rows; sends already under way settle
          first (never abandoned). Then the report is written, and the ``KeyboardInterrupt`` raised with the
          :class:`~clickairtime.BulkReport` as its ``.report``; with ``cancel`` the report is returned (rows
          not started are ``skipped``). A second Ctrl-C stops waiting at once (sends under way still end, in
          the journal).
        - ``report``: a path where the report CSV (:meth:`BulkReport.to_csv`) is written at the end.

        Give the client a ``journal`` (a rerun then never pays a row twice) and a ``rate_limit`` (the
        documented tiers: ``rate_limit="documented"``). Returns a :class:`~clickairtime.BulkReport`.
        """
        from . import _bulk

        result, error = _bulk.run(
            self._n,
            self._api,
            source,
            concurrency=concurrency,
            on_progress=on_progress,
            report=report,
            cancel=cancel,
            name=name,
        )
        if error is not None:
            raise error
        return result


def _closed_repr(client: _ClientBase) -> str:
    return ", closed" if client.closed else ""

