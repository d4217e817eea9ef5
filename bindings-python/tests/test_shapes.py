"""One shape in every language (issue 12): docs/shapes.json, generated from the Rust core, names every field of
every model in Rust, Python, Node and C. Every `python` path must be an attribute of the Python model, present
on real objects from the sandbox (each model Python returns), with a value on at least one sample unless the
field is optional; and the Python models have no field the table does not name."""

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

SHAPES = json.loads((Path(__file__).resolve().parents[2] / "docs" / "shapes.json").read_text("utf-8"))
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
