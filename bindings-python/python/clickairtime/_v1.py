"""The blocking V1 client (legacy ``/adp`` API): :class:`V1Client`."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, List, Literal, Optional, Union, overload

from . import _native
from ._cancel import CancelToken
from ._common import (
    PathLike,
    Seconds,
    _ClientBase,
    _closed_repr,
    _drive_wait,
    _http_kwargs,
    _journal_path,
    _many,
    _Native,
    _native_cancel,
    _rate_limit_kwargs,
    _v1_order_kwargs,
)
from ._convert import AmountLike, bool_arg, env, int_arg, seconds, text_arg, text_req
from .errors import _from_conversion, _invalid, _wrong_type
from ._native import (
    AccountBalance,
    JournalEntry,
    Product,
    RateLimit,
    Recovery,
    Service,
    Transaction,
    V1TopUpOrder,
)
from ._list import ListResult

if TYPE_CHECKING:
    from ._common import RateLimitSetting

__all__ = ["V1Client"]


class V1Client(_ClientBase):
    """Client of the legacy V1 API (``/adp``, e-mail + token headers). Same settings as :class:`V2Client`
    (``journal``, ``convergence_bound`` and ``rate_limit`` included), plus ``topup_path`` (``/adp``, the
    default, or ``/adp/topup`` as older docs say). ``email`` and ``token`` default to the environment's
    ``CLICKAIRTIME_V1_EMAIL`` and ``CLICKAIRTIME_V1_TOKEN``, ``base_url`` to ``CLICKAIRTIME_BASE_URL``."""

    def __init__(
        self,
        email: Optional[str] = None,
        token: Optional[str] = None,
        *,
        base_url: Optional[str] = None,
        timeout: Optional[Seconds] = None,
        connect_timeout: Optional[Seconds] = None,
        read_timeout: Optional[Seconds] = None,
        max_retries: Optional[int] = None,
        retry_base_delay: Optional[Seconds] = None,
        max_retry_delay: Optional[Seconds] = None,
        max_retry_after: Optional[Seconds] = None,
        send_deadline: Optional[Seconds] = None,
        proxy: Optional[str] = None,
        proxy_from_env: Optional[bool] = None,
        ca_certificates: Union[bytes, str, None] = None,
        user_agent_suffix: Optional[str] = None,
        max_idle_connections_per_host: Optional[int] = None,
        topup_path: Optional[str] = None,
        journal: Optional[PathLike] = None,
        convergence_bound: Optional[Seconds] = None,
        rate_limit: RateLimitSetting = None,
    ) -> None:
        email = text_arg("email", email)
        if email is None:
            email = env("CLICKAIRTIME_V1_EMAIL")
            if email is None:
                raise _invalid(
                    "email", "is required: pass V1Client(email, token) or set CLICKAIRTIME_V1_EMAIL in the environment"
                )
        token = text_arg("token", token)
        if token is None:
            token = env("CLICKAIRTIME_V1_TOKEN")
            if token is None:
                raise _invalid(
                    "token", "is required: pass V1Client(email, token) or set CLICKAIRTIME_V1_TOKEN in the environment"
                )
        if base_url is None:
            base_url = env("CLICKAIRTIME_BASE_URL")
        self._api = "v1"
        self._email = email
        self._journal = _journal_path(journal)
        kwargs = _http_kwargs(
            text_arg("base_url", base_url),
            timeout,
            connect_timeout,
            read_timeout,
            max_retries,
            retry_base_delay,
            max_retry_delay,
            max_retry_after,
            send_deadline,
            proxy,
            proxy_from_env,
            ca_certificates,
            user_agent_suffix,
            max_idle_connections_per_host,
            journal,
            convergence_bound,
        )
        kwargs.update(_rate_limit_kwargs(rate_limit))
        try:
            native = _native.V1Client(email, token, topup_path=text_arg("topup_path", topup_path), **kwargs)
        except (TypeError, OverflowError) as e:
            raise _from_conversion(e) from None
        self._n = _Native(native, "V1Client")
        self._base_url = str(native.base_url)

    @property
    def last_rate_limit(self) -> Optional[RateLimit]:
        """Rate-limit headers of the most recent answer that carried them (V1 documents none)."""
        rl: Optional[RateLimit] = self._n.last_rate_limit()
        return rl

    def prepare_topup(
        self,
        msisdn: str,
        *,
        amount: Optional[AmountLike] = None,
        product_id: Optional[int] = None,
        ext_ref_id: Optional[str] = None,
        processing_mode: str = "SYNC",
        send_sms: bool = False,
    ) -> V1TopUpOrder:
        """Validate a top-up and fix its ``ext_ref_id`` (yours, or a new one), without sending anything.
        Persist ``order.ext_ref_id`` before ``send_topup(order)``."""
        raw = self._n.prepare_topup(**_v1_order_kwargs(msisdn, amount, product_id, ext_ref_id, processing_mode, send_sms))
        order: V1TopUpOrder = raw
        return order

    @overload
    def send_topup(self, order: V1TopUpOrder, /, *, cancel: Optional[CancelToken] = None) -> Transaction: ...

    @overload
    def send_topup(
        self,
        msisdn: str,
        *,
        amount: Optional[AmountLike] = None,
        product_id: Optional[int] = None,
        ext_ref_id: Optional[str] = None,
        processing_mode: str = "SYNC",
        send_sms: bool = False,
        cancel: Optional[CancelToken] = None,
    ) -> Transaction: ...

    def send_topup(
        self,
        msisdn: Union[str, V1TopUpOrder],
        *,
        amount: Optional[AmountLike] = None,
        product_id: Optional[int] = None,
        ext_ref_id: Optional[str] = None,
        processing_mode: Optional[str] = None,
        send_sms: Optional[bool] = None,
        cancel: Optional[CancelToken] = None,
    ) -> Transaction:
        """Send a top-up, at most once, to ``msisdn`` (international digits, with or without ``+``, formatted
        as people type them: ``"+233 54 111 2259"``), or a prepared :class:`~clickairtime.V1TopUpOrder`
        (:meth:`prepare_topup`). ``cancel`` as for V2 :meth:`TopupsApi.create`.

        The same five ends as V2 ``create`` (see the README, "It moves money"): a record verified to be this
        sale (extRefId, msisdn, amount; ``.meta.origin``), :class:`~clickairtime.DuplicateSaleError` (code
        50) / :class:`~clickairtime.ReferenceConflictError` (code 90 for another sale),
        :class:`~clickairtime.OutcomeUnknownError`, or a not-sent error. A SYNC answer carries a terminal
        state; an ASYNC one a ``PENDING`` state: call :meth:`wait`. A send *recovered* after a lost answer
        returns the record as the lookup shows it, which may still be ``PENDING``/``PROCESSING`` even in SYNC
        mode: :meth:`wait` for the terminal state. A top-up the provider failed is returned with its
        ``FAILED`` state, not raised.
        """
        if isinstance(msisdn, V1TopUpOrder):
            if any(v is not None for v in (amount, product_id, ext_ref_id, processing_mode, send_sms)):
                raise _wrong_type("order", "send_topup(order) takes the order alone; set the fields with prepare_topup(...)")
            o = msisdn
            return self.send_topup(
                o.msisdn,
                amount=o.amount,
                product_id=o.product_id,
                ext_ref_id=o.ext_ref_id,
                processing_mode=o.processing_mode,
                send_sms=o.send_sms,
                cancel=cancel,
            )
        raw = self._n.send_topup(
            **_v1_order_kwargs(
                msisdn, amount, product_id, ext_ref_id, processing_mode if processing_mode is not None else "SYNC",
                bool(bool_arg("send_sms", send_sms)),
            ),
            cancel=_native_cancel(cancel),
        )
        r: Transaction = raw
        return r

    def transactions(
        self,
        *,
        transaction_id: Optional[str] = None,
        msisdn: Optional[str] = None,
        ext_ref_id: Optional[str] = None,
    ) -> ListResult[Transaction]:
        """Transactions matching every given filter (at least one). No match is an empty list."""
        raw = self._n.transactions(
            transaction_id=text_arg("transaction_id", transaction_id),
            msisdn=text_arg("msisdn", msisdn),
            ext_ref_id=text_arg("ext_ref_id", ext_ref_id),
        )
        items: ListResult[Transaction] = _many(raw)
        return items

    def reconcile(self, ext_ref_id: str) -> Optional[Transaction]:
        """The transaction sent with ``ext_ref_id``, or ``None`` if the API has none *now* (which proves it
        was never created only once the convergence bound has passed since its last write; see
        :meth:`TopupsApi.reconcile`)."""
        raw = self._n.reconcile(text_req("ext_ref_id", ext_ref_id))
        found: Optional[Transaction] = raw
        return found

    def _wait_steps(
        self,
        ext_ref_id: str,
        deadline: Optional[Seconds],
        initial_interval: Optional[Seconds],
        max_interval: Optional[Seconds],
        not_found_grace: Optional[Seconds],
        cancel: Optional[CancelToken],
    ) -> Any:
        """The core's step-by-step wait (no network yet)."""
        return self._n.wait_steps(
            text_req("ext_ref_id", ext_ref_id),
            deadline=seconds("deadline", deadline),
            initial_interval=seconds("initial_interval", initial_interval),
            max_interval=seconds("max_interval", max_interval),
            not_found_grace=seconds("not_found_grace", not_found_grace),
            cancel=_native_cancel(cancel),
        )

    def wait(
        self,
        ext_ref_id: str,
        *,
        deadline: Optional[Seconds] = None,
        initial_interval: Optional[Seconds] = None,
        max_interval: Optional[Seconds] = None,
        not_found_grace: Optional[Seconds] = None,
        cancel: Optional[CancelToken] = None,
    ) -> Transaction:
        """Poll by ``ext_ref_id`` until the transaction is terminal, up to ``deadline`` seconds (default 13
        minutes; a hard budget). Past the deadline: :class:`~clickairtime.StillPendingError` with
        ``.reference``, ``.transaction_id`` when known and the last ``.status``. Ctrl-C and ``cancel`` as for
        V2 :meth:`TopupsApi.wait`."""
        w = self._wait_steps(ext_ref_id, deadline, initial_interval, max_interval, not_found_grace, cancel)
        r: Transaction = _drive_wait(w, cancel)
        return r

    def product_catalog(self) -> ListResult[Service]:
        """Services that have products for this account."""
        items: ListResult[Service] = _many(self._n.product_catalog())
        return items

    def products(self, service_id: int) -> ListResult[Product]:
        """Products of one service."""
        items: ListResult[Product] = _many(self._n.products(int_arg("service_id", service_id)))
        return items

    def product(self, product_id: int) -> Product:
        """One product."""
        r: Product = self._n.product(int_arg("product_id", product_id))
        return r

    def balances(self) -> ListResult[AccountBalance]:
        """Balances of every service account."""
        items: ListResult[AccountBalance] = _many(self._n.balances())
        return items

    def balance(self, account_id: str) -> AccountBalance:
        """Balance of one account."""
        r: AccountBalance = self._n.balance(text_req("account_id", account_id))
        return r

    def pending(self) -> List[JournalEntry[Transaction]]:
        """Sends the journal holds open, oldest first (see :meth:`V2Client.pending`)."""
        entries: List[JournalEntry[Transaction]] = self._n.pending()
        return entries

    def journal_entry(self, ext_ref_id: str) -> Optional[JournalEntry[Transaction]]:
        """The journal's entry for ``ext_ref_id`` (any state), or ``None``."""
        entry: Optional[JournalEntry[Transaction]] = self._n.journal_entry(text_req("ext_ref_id", ext_ref_id))
        return entry

    def recover(self) -> List[Recovery[Transaction]]:
        """Settle every open journal entry with a verified lookup, never writing (see
        :meth:`V2Client.recover`); ``record`` is a :class:`~clickairtime.Transaction`."""
        done: List[Recovery[Transaction]] = self._n.recover()
        return done

    def __repr__(self) -> str:
        extra = f", journal={self._journal!r}" if self._journal else ""
        return f"V1Client(email={self._email!r}, base_url={self.base_url!r}{extra}{_closed_repr(self)})"
