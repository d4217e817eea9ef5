"""No Rust panic surfaces as pyo3's PanicException (a BaseException that ``except Exception`` misses): every
exported function turns one into a ClickAirtimeError (issue 10, item 7). A test-only hook of the native module
makes guarded calls panic on purpose, so every exported function is exercised."""

from __future__ import annotations

import inspect
from typing import Any, Callable, Dict, Iterator

import pytest

import clickairtime
from clickairtime import ClickAirtimeError, OutcomeUnknownError, _native, webhooks
from clickairtime.sandbox import Sandbox

from conftest import MSISDN, PHONE

KEY = "ce_live_0123456789abcdefghijABCDEFGHIJ01"


@pytest.fixture
def panicking() -> Iterator[Callable[[str], None]]:
    def on(mode: str) -> None:
        _native._set_test_panic(mode)

    try:
        yield on
    finally:
        _native._set_test_panic(None)


def test_a_hostile_webhook_timestamp_is_an_invalid_signature_not_a_panic() -> None:
    body = b'{"event":"topup.completed","data":{}}'
    for ts in ("-9223372036854775808", "9223372036854775807", "-1", "99999999999999999999"):
        sig = webhooks.sign(body, ts, KEY)
        with pytest.raises(clickairtime.InvalidSignatureError):
            webhooks.verify(body, sig, ts, KEY)
        with pytest.raises(clickairtime.InvalidSignatureError):
            clickairtime.V2Client(KEY).verify_webhook(body, sig, ts)


def calls(sb: Sandbox, v2: Any, v1: Any, it: Any, w: Any, token: Any) -> Dict[str, Callable[[], Any]]:
    """One call of every exported function and method of the native module."""
    n2, n1, ns = v2._n, v1._n, sb._n
    csv = b"phone,amount,currency\n"
    return {
        # module functions
        "webhook_verify": lambda: _native.webhook_verify(b"{}", "00", "1", KEY),
        "webhook_parse": lambda: _native.webhook_parse(b"{}"),
        "webhook_sign": lambda: _native.webhook_sign(b"{}", "1", KEY),
        "to_e164": lambda: _native.to_e164(PHONE),
        "to_msisdn": lambda: _native.to_msisdn(PHONE),
        "parse_amount": lambda: _native.parse_amount("amount", "1"),
        "new_reference": lambda: _native.new_reference(),
        "idempotency_key_for": lambda: _native.idempotency_key_for("r"),
        "topup_status_info": lambda: _native.topup_status_info("completed"),
        "transaction_state_info": lambda: _native.transaction_state_info("SUCCESS"),
        "error_codes": lambda: _native.error_codes(),
        "is_definitely_not_sent": lambda: _native.is_definitely_not_sent("TIMEOUT"),
        "set_log_forwarding": lambda: _native.set_log_forwarding(True),
        "bulk_check": lambda: _native.bulk_check("v2", "f.csv", csv),
        "cli_main": lambda: _native.cli_main(["clickairtime", "--version"]),
        "NativeCancel": lambda: _native.NativeCancel(),
        "NativeCancel.cancel": lambda: token.cancel(),
        "NativeCancel.cancelled": lambda: token.cancelled,
        "NativeWait.step": lambda: w.step(),
        # V2
        "V2Client": lambda: _native.V2Client(KEY),
        "V2Client.base_url": lambda: n2.base_url,
        "V2Client.last_rate_limit": lambda: n2.last_rate_limit(),
        "V2Client.catalog_lookup": lambda: n2.catalog_lookup(PHONE),
        "V2Client.catalog_countries": lambda: n2.catalog_countries(),
        "V2Client.catalog_networks": lambda: n2.catalog_networks(),
        "V2Client.catalog_products": lambda: n2.catalog_products(42),
        "V2Client.topups_prepare": lambda: n2.topups_prepare(PHONE, 42, amount="1", currency="GHS"),
        "V2Client.topups_create": lambda: n2.topups_create(PHONE, 42, amount="1", currency="GHS"),
        "V2Client.topups_get": lambda: n2.topups_get("x"),
        "V2Client.topups_list": lambda: n2.topups_list(),
        "V2Client.topups_list_all": lambda: n2.topups_list_all(),
        "V2Client.topups_reconcile": lambda: n2.topups_reconcile("x"),
        "V2Client.topups_wait": lambda: n2.topups_wait("x"),
        "V2Client.topups_wait_steps": lambda: n2.topups_wait_steps("x"),
        "V2Client.bulk": lambda: n2.bulk("f.csv", csv),
        "V2Client.balance_list": lambda: n2.balance_list(),
        "V2Client.balance_get": lambda: n2.balance_get("w"),
        "V2Client.verify_webhook": lambda: n2.verify_webhook(b"{}", "00", "1"),
        "V2Client.pending": lambda: n2.pending(),
        "V2Client.journal_entry": lambda: n2.journal_entry("x"),
        "V2Client.recover": lambda: n2.recover(),
        "TopUpIter.__next__": lambda: next(it),
        # V1
        "V1Client": lambda: _native.V1Client("a@b.c", "t"),
        "V1Client.base_url": lambda: n1.base_url,
        "V1Client.last_rate_limit": lambda: n1.last_rate_limit(),
        "V1Client.prepare_topup": lambda: n1.prepare_topup(MSISDN, amount="1"),
        "V1Client.send_topup": lambda: n1.send_topup(MSISDN, amount="1"),
        "V1Client.transactions": lambda: n1.transactions(msisdn=MSISDN),
        "V1Client.reconcile": lambda: n1.reconcile("x"),
        "V1Client.wait": lambda: n1.wait("x"),
        "V1Client.wait_steps": lambda: n1.wait_steps("x"),
        "V1Client.bulk": lambda: n1.bulk("f.csv", csv),
        "V1Client.product_catalog": lambda: n1.product_catalog(),
        "V1Client.products": lambda: n1.products(1),
        "V1Client.product": lambda: n1.product(1),
        "V1Client.balances": lambda: n1.balances(),
        "V1Client.balance": lambda: n1.balance("a"),
        "V1Client.pending": lambda: n1.pending(),
        "V1Client.journal_entry": lambda: n1.journal_entry("x"),
        "V1Client.recover": lambda: n1.recover(),
        # sandbox
        "NativeSandbox": lambda: _native.NativeSandbox(),
        "NativeSandbox.running": lambda: ns.running,
        "NativeSandbox.inject": lambda: ns.inject("slow", path="/nothing"),
        "NativeSandbox.configure": lambda: ns.configure(),
        "NativeSandbox.config": lambda: ns.config(),
        "NativeSandbox.stats": lambda: ns.stats(),
        "NativeSandbox.transactions": lambda: ns.transactions(),
        "NativeSandbox.webhook_deliveries": lambda: ns.webhook_deliveries(),
        "NativeSandbox.reset": lambda: ns.reset(),
        "NativeSandbox.shutdown": lambda: ns.shutdown(),
        **model_calls(),
    }


#: The fields a result model cannot be made without.
REQUIRED: Dict[str, Dict[str, Any]] = {
    "Network": {"id": 1},
    "Bundle": {"id": "b"},
    "Catalog": {"network": {"id": 1}},
    "Money": {"value": "1"},
    "NetworkRef": {"id": 1},
    "TopUp": {"id": "t", "status": "pending"},
    "AvailableBalance": {"amount": "1"},
    "Wallet": {"id": "w", "balance": "1"},
    "WebhookEvent": {"event_type": "topup.completed"},
    "Transaction": {"state": "SUCCESS"},
    "Service": {"service_id": 1},
    "Product": {"id": 1},
    "AccountBalance": {"balance": "1"},
    "TopUpOrder": {"phone_number": "+233541112259", "network_id": 42},
    "V1TopUpOrder": {"msisdn": "233541112259"},
    "JournalEntry": {"api": "v2", "reference": "r", "state": "sent", "writes": 1, "request": "{}",
                     "created_at": 1, "updated_at": 1},
    "Recovery": {"entry": {"api": "v2", "reference": "r", "state": "sent", "writes": 1, "request": "{}",
                           "created_at": 1, "updated_at": 1}},
}


def model_calls() -> Dict[str, Callable[[], Any]]:
    """Every result model: made, read back, and each of its getters read (its base's methods too)."""
    out: Dict[str, Callable[[], Any]] = {}
    sample = clickairtime.Money(value="1")
    out["_Model"] = lambda: _native._Model()
    out["_Model.meta"] = lambda: sample.meta
    out["_Model.to_dict"] = lambda: sample.to_dict()
    out["_Model.to_json"] = lambda: sample.to_json()
    for name, cls in vars(_native).items():
        if not (inspect.isclass(cls) and issubclass(cls, _native._Model)) or cls is _native._Model:
            continue
        req = REQUIRED.get(name, {})
        obj = cls.from_dict(req)
        out[name] = lambda cls=cls, req=req: cls(**req)
        for attr in vars(cls):
            if attr.startswith("_"):
                continue
            if attr == "from_dict":
                out[f"{name}.from_dict"] = lambda cls=cls, req=req: cls.from_dict(req)
            else:
                out[f"{name}.{attr}"] = lambda obj=obj, attr=attr: getattr(obj, attr)
    return out


def exported_names() -> set:  # type: ignore[type-arg]
    """Every public function of the native module, and every public method/property of its classes."""
    names = set()
    for name, obj in vars(_native).items():
        if name.startswith("__") or name == "_set_test_panic":
            continue
        if inspect.isclass(obj):
            if name not in ("TopUpIter", "NativeWait"):  # made by list_all / wait_steps only (no constructor)
                names.add(name)
            for attr in vars(obj):
                if attr.startswith("_") and attr != "__next__":
                    continue
                if attr in ("port", "api_key", "base_url", "v1_email", "v1_token") and name == "NativeSandbox":
                    continue  # plain stored fields: nothing runs
                names.add(f"{name}.{attr}")
        elif callable(obj):
            names.add(name)
    return names


def test_every_exported_function_turns_a_panic_into_a_clickairtime_error(panicking: Callable[[str], None]) -> None:
    sb = Sandbox()
    v2 = sb.v2_client()
    v1 = sb.v1_client()
    it = v2._n.topups_list_all()
    w = v2._n.topups_wait_steps("x")
    token = _native.NativeCancel()
    table = calls(sb, v2, v1, it, w, token)
    assert exported_names() <= set(table), sorted(exported_names() - set(table))
    panicking("any")
    try:
        for name, call in table.items():
            try:
                call()
            except Exception as e:  # noqa: BLE001 - the point: an Exception, not a BaseException
                assert isinstance(e, ClickAirtimeError), (name, type(e))
                assert e.code == "PANIC" and "panic" in str(e) and "please report" in str(e), (name, str(e))
                assert type(e) is ClickAirtimeError
            else:
                raise AssertionError(f"{name} did not run into the panic hook")
    finally:
        _native._set_test_panic(None)
        sb.close()
    panic = clickairtime.errors._from_native({"code": "PANIC", "message": "internal error"})
    assert not clickairtime.is_definitely_not_sent(panic)  # when in doubt, the sale may exist


def test_a_panic_inside_a_send_is_outcome_unknown_naming_the_reference(
    panicking: Callable[[str], None], v2: clickairtime.V2Client, v1: clickairtime.V1Client, sandbox: Sandbox
) -> None:
    order = v2.topups.prepare(PHONE, 42, amount=5, currency="GHS")
    panicking("send")
    with pytest.raises(OutcomeUnknownError) as e:
        v2.topups.create(order)
    assert e.value.reference == order.reference and e.value.idempotency_key == order.idempotency_key
    assert e.value.cause_kind == "PANIC" and "Do not sell it again" in str(e.value)
    with pytest.raises(OutcomeUnknownError) as e1:
        v1.send_topup(MSISDN, amount=5, ext_ref_id="V1-PANIC")
    assert e1.value.reference == "V1-PANIC" and e1.value.cause_kind == "PANIC"
    # a send without a reference of yours still names the one it was given
    with pytest.raises(OutcomeUnknownError) as e2:
        v2.topups.create(PHONE, 42, amount=5, currency="GHS")
    assert e2.value.reference and e2.value.reference.startswith("ca-")
    _native._set_test_panic(None)
    # reads are not sends: nothing changes for them
    assert v2.balance.list() is not None
    assert sandbox.stats()["v2"]["posts"] == 0


def test_the_hook_rejects_unknown_modes() -> None:
    with pytest.raises(ValueError):
        _native._set_test_panic("sometimes")
