"""One shape in every language (issue 12): docs/shapes.json, generated from the Rust core, names every field of
every model in Rust, Python, Node and C. Every `python` path must be an attribute of the Python model, present
on real objects from the sandbox (each model Python returns), with a value on at least one sample unless the
field is optional; and the Python models have no field the table does not name.

Its `helpers` (the core's verdicts such as `is_terminal`, and `to_dict` / `to_json` / `from_dict`) must work
on every real sample, and its `errors` (the core's `Error` accessors) must be attributes of real exceptions
raised through the sandbox (NOT_FOUND, INVALID_INPUT, RATE_LIMITED, OUTCOME_UNKNOWN, REFERENCE_CONFLICT,
STILL_PENDING), each with a value on at least one of them, and no other attribute; where the table says
Python has none, Python must not have it under the rules' name."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path
from typing import Any, Dict, List

import pytest

import clickairtime
from clickairtime import webhooks
from clickairtime.sandbox import Sandbox

DATA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "shapes.json").read_text("utf-8"))
SHAPES: List[Dict[str, Any]] = DATA["fields"]
HELPERS: List[Dict[str, Any]] = DATA["helpers"]
ERRORS: List[Dict[str, Any]] = DATA["errors"]
MODELS = sorted({r["model"] for r in SHAPES})

_MISSING = object()


def get(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part, _MISSING)
        if obj is _MISSING:
            return _MISSING
    return obj


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, List[Any]]:
    out: Dict[str, List[Any]] = {}

    def add(model: str, *objs: Any) -> None:
        out.setdefault(model, []).extend(o for o in objs if o is not None)

    journal = str(tmp_path_factory.mktemp("shapes") / "j")
    with Sandbox(processing_after=0.05, complete_after=0.2) as sb:
        v2 = sb.v2_client(journal=journal)
        v1 = sb.v1_client(journal=journal)
        fast = dict(deadline=10, initial_interval=0.05)
        # V2 catalog
        lookup = v2.catalog.lookup("+233 54 111 2259")
        products = v2.catalog.products(23)
        add("Catalog", lookup, products)
        networks = v2.catalog.networks()
        add("Network", lookup.network, products.network, *networks)
        add("Bundle", *lookup.products.fixed_bundles, *products.products.fixed_bundles)
        countries = v2.catalog.countries()
        add("Country", *countries)
        add("Network", *(n for c in countries for n in c.networks))
        # V2 top-ups: an amount with an SMS, metadata and a webhook; a bundle; a failed one
        hooks = "http://127.0.0.1:9/hooks"
        sent = v2.topups.create("+233 54 111 2259", 42, amount="12.50", currency="GHS", reference="shape-1",
                                sms_message="enjoy", metadata={"order": "A-1"}, callback_url=hooks)
        bundle = v2.topups.create("+233201112233", 23, product_id=products.products.fixed_bundles[0].id)
        failed = v2.topups.create("+233555000003", 42, amount=2, currency="GHS")
        done = [v2.topups.wait(t.id, **fast) for t in (sent, bundle, failed)]  # type: ignore[arg-type]
        page = v2.topups.list(per_page=2)
        add("TopUp", sent, bundle, failed, *done, *page)
        add("Meta", sent.meta, done[0].meta, page.meta, lookup.meta)
        # V2 balance
        balance = v2.balance.list()
        add("Balance", balance)
        add("Wallet", *balance.wallets, v2.balance.get(balance.wallets[0].id))
        # the journal: a sent sale and one refused for insufficient balance
        with pytest.raises(clickairtime.InsufficientBalanceError):
            v2.topups.create("+233555000001", 42, amount=2, currency="GHS", reference="shape-low")
        add("JournalEntry", v2.journal_entry("shape-1"), v2.journal_entry("shape-low"))
        # V1
        tx = v1.send_topup("233541112259", amount=5, send_sms=True)
        async_tx = v1.send_topup("+233 24 111 2233", amount=3, processing_mode="ASYNC")
        assert async_tx.meta is not None and async_tx.meta.reference is not None
        add("Transaction", tx, async_tx, v1.wait(async_tx.meta.reference, **fast),  # type: ignore[arg-type]
            *v1.transactions(ext_ref_id=tx.ext_ref_id))
        add("Meta", tx.meta)
        add("JournalEntry", v1.journal_entry(tx.ext_ref_id or ""))
        add("Service", *v1.product_catalog())
        add("Product", *v1.products(42), v1.product(4201))
        add("AccountBalance", *v1.balances())
        # a webhook as the sandbox delivered it (to a URL that does not answer: the body is recorded anyway)
        deadline = time.monotonic() + 5
        deliveries: List[Any] = []
        while not deliveries and time.monotonic() < deadline:
            deliveries = [d for d in sb.webhook_deliveries()["deliveries"] if d.get("url") == hooks]
            time.sleep(0.025)
        add("WebhookEvent", *(webhooks.parse(d["body"]) for d in deliveries))
        add("WebhookEvent", webhooks.parse(
            '{"id":"evt_1","type":"topup.completed","timestamp":"2025-01-15T10:30:02Z",'
            '"data":{"id":"t-1","status":"completed"}}'
        ))
    return out


@pytest.mark.parametrize("model", MODELS)
def test_every_python_path_is_on_real_objects(model: str, samples: Dict[str, List[Any]]) -> None:
    objs = samples.get(model, [])
    assert objs, f"no {model} sampled from the sandbox"
    cls = getattr(clickairtime, model)
    assert all(isinstance(o, cls) for o in objs), model
    for row in (r for r in SHAPES if r["model"] == model):
        path = row["python"]
        values = [get(o, path) for o in objs]
        assert all(v is not _MISSING for v in values), f"{model}.{path} missing"
        if not row["type"].startswith("Option<") and "." not in path:
            assert all(v is not None for v in values), f"{model}.{path} is required but None"
        if not row["type"].startswith("Option<"):
            assert any(v is not None for v in values), f"{model}.{path}: no sample has a value"


@pytest.mark.parametrize("model", MODELS)
def test_python_models_have_exactly_the_tables_fields(model: str) -> None:
    cls = getattr(clickairtime, model)
    fields = set(cls.__match_args__)  # native models and the package's dataclasses both have it
    table = {r["python"] for r in SHAPES if r["model"] == model and "." not in r["python"]}
    assert fields == table, (model, sorted(fields ^ table))


def test_results_are_json_ready(samples: Dict[str, List[Any]]) -> None:
    for model, objs in samples.items():
        for o in objs:
            d = o.to_dict()
            assert json.loads(json.dumps(d)) == d, model
            assert json.loads(o.to_json()) == d
    topup = next(t for t in samples["TopUp"] if t.amount is not None and t.completed_at is not None)
    d = topup.to_dict()
    assert isinstance(d["amount"]["value"], str) and d["created_at"].endswith("+00:00")
    again = clickairtime.TopUp.from_dict(d)
    assert again == topup and again.amount == topup.amount and again.created_at == topup.created_at


# ---------------------------------------------------------------- helpers


def _rid(r: Dict[str, Any]) -> str:
    return f"{r['model']}.{r['helper']}"


@pytest.mark.parametrize("row", HELPERS, ids=_rid)
def test_every_helper_works_on_real_objects(row: Dict[str, Any], samples: Dict[str, List[Any]]) -> None:
    objs = samples.get(row["model"], [])
    assert objs, f"no {row['model']} sampled from the sandbox"
    cls = getattr(clickairtime, row["model"])
    py = row["python"]
    if py is None:  # the table says Python has none: not under the rules' name either
        assert not any(hasattr(o, row["helper"]) for o in objs), _rid(row)
        return
    name = py.split("(")[0]
    for o in objs:
        if py.endswith("(d)"):  # a classmethod: rebuild from to_dict()
            again = getattr(cls, name)(o.to_dict())
            assert isinstance(again, cls) and again == o and again.to_dict() == o.to_dict(), _rid(row)
        elif py.endswith("()"):  # a method
            v = getattr(o, name)()
            want = {"to_dict": dict, "to_json": str}.get(name)
            assert want is None or isinstance(v, want), (_rid(row), type(v))
            if name == "to_json":
                assert json.loads(v) == o.to_dict()
        else:  # a read-only property, the core's verdict
            v = getattr(o, name)
            assert not callable(v), f"{_rid(row)} is a method; the table says a property"
            if row["type"] == "bool":
                assert isinstance(v, bool), (_rid(row), v)
            if name == "is_success":
                assert not v or o.is_terminal, f"{_rid(row)}: a success that is not terminal"
            if name == "delivered_amount":
                assert v == (o.amount if o.amount is not None else o.topup_amount)
    verdicts = {getattr(o, name) for o in objs} if row["type"] == "bool" and "(" not in py else set()
    if row["helper"] in ("is_terminal", "is_success"):  # the samples hold finished and unfinished ones
        assert verdicts == {True, False}, (_rid(row), verdicts)


# ---------------------------------------------------------------- errors


@pytest.fixture(scope="module")
def errors() -> Dict[str, clickairtime.ClickAirtimeError]:
    """One real exception of each kind a cashier's program must tell apart, raised through the sandbox."""
    out: Dict[str, clickairtime.ClickAirtimeError] = {}

    def catch(code: str, call: Any) -> None:
        with pytest.raises(clickairtime.ClickAirtimeError) as e:
            call()
        assert e.value.code == code, (code, e.value)
        out[code] = e.value

    with Sandbox(processing_after=0.05, complete_after=0.2) as sb:
        v2 = sb.v2_client(retry_base_delay=0.01, max_retry_delay=0.05)
        catch("NOT_FOUND", lambda: v2.topups.get("missing-id"))
        catch("INVALID_INPUT", lambda: v2.topups.create("nope", 42, amount=1, currency="GHS"))
        sb.inject("rate_limit", retry_after=120, path="/v2/balance")
        catch("RATE_LIMITED", lambda: sb.v2_client(max_retries=0).balance.list())
        # a 5xx before the commit, unsettled within the send deadline
        lost = sb.v2_client(send_deadline=0.8, retry_base_delay=0.02, max_retry_delay=0.1)
        catch("OUTCOME_UNKNOWN", lambda: lost.topups.create("+233555000008", 42, amount=16, currency="GHS",
                                                            reference="shape-unknown"))
        v2.topups.create("+233541119902", 42, amount=5, currency="GHS", reference="shape-rc")
        catch("REFERENCE_CONFLICT", lambda: v2.topups.create("+233541119903", 42, amount=5, currency="GHS",
                                                             reference="shape-rc"))
        pending = v2.topups.create("+233555000010", 42, amount=2, currency="GHS")
        catch("STILL_PENDING", lambda: v2.topups.wait(pending.id, deadline=0.3, initial_interval=0.05))
    return out


def _accessor(row: Dict[str, Any]) -> str:
    """The core's name of an error row (`e.retry_after()` -> `retry_after`)."""
    return str(row["rust"]).rsplit(".", 1)[-1].rstrip("()")


@pytest.mark.parametrize("row", ERRORS, ids=_accessor)
def test_every_error_field_is_on_real_exceptions(row: Dict[str, Any], errors: Dict[str, Any]) -> None:
    py = row["python"]
    if row["on"] == "module":
        f = getattr(clickairtime, py)
        assert callable(f)
        if _accessor(row) == "is_definitely_not_sent":
            got = {code: f(e) for code, e in errors.items()}
            assert got == {"NOT_FOUND": True, "INVALID_INPUT": True, "RATE_LIMITED": True, "OUTCOME_UNKNOWN": False,
                           "REFERENCE_CONFLICT": True, "STILL_PENDING": False}, got
        return
    if py is None:  # the table says Python has none: not under the rules' name either
        assert not any(hasattr(e, _accessor(row)) for e in errors.values()), row["rust"]
        return
    for code, e in errors.items():
        assert hasattr(e, py), f"{code} has no .{py}"
    values = {code: getattr(e, py) for code, e in errors.items() if getattr(e, py) is not None}
    assert values, f".{py} has a value on no real exception"
    if py in ("code", "cause_kind"):
        assert all(v in clickairtime.errors.ERROR_CLASSES for v in values.values()), values
    if py == "retry_after":
        assert values == {"RATE_LIMITED": 120.0}


def test_the_five_ends_read_from_the_tables_fields(errors: Dict[str, Any]) -> None:
    unknown, conflict, pending = errors["OUTCOME_UNKNOWN"], errors["REFERENCE_CONFLICT"], errors["STILL_PENDING"]
    assert isinstance(unknown, clickairtime.OutcomeUnknownError)
    assert unknown.reference == "shape-unknown" and unknown.idempotency_key and unknown.cause_kind == "API_ERROR"
    assert conflict.transaction_id and conflict.existing_reference == "shape-rc" and conflict.reference == "shape-rc"
    assert pending.transaction_id and pending.status


def test_exceptions_have_no_attribute_the_table_does_not_name(errors: Dict[str, Any]) -> None:
    table = {r["python"] for r in ERRORS if r["on"] == "error" and r["python"]}
    for code, e in errors.items():
        extra = set(vars(e)) - table
        assert not extra, (code, sorted(extra))
