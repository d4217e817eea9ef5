"""Python idiom (issue 12): configuration from the environment, close() and context managers on sync and async
clients, every user-input error a ClickAirtimeError naming its field (the sandbox's too), TimeoutError and
ConnectionError that are also the builtins, and `python -m clickairtime.sandbox`."""

from __future__ import annotations

import asyncio
import builtins
import json
import os
import signal
import subprocess
import sys
from decimal import Decimal
from typing import Any, Dict, Iterator

import pytest

import clickairtime
from clickairtime import ArgumentTypeError, ClickAirtimeError, RateLimitPolicy, V1Client, V2Client, ValidationError, aio
from clickairtime.sandbox import Sandbox

from conftest import MSISDN, PHONE, closed_port

ENV = ("CLICKAIRTIME_API_KEY", "CLICKAIRTIME_V1_EMAIL", "CLICKAIRTIME_V1_TOKEN", "CLICKAIRTIME_BASE_URL")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    for k in ENV:
        monkeypatch.delenv(k, raising=False)
    yield monkeypatch


@pytest.fixture
def sandbox_env(clean_env: pytest.MonkeyPatch, sandbox: Sandbox) -> Sandbox:
    clean_env.setenv("CLICKAIRTIME_API_KEY", sandbox.api_key)
    clean_env.setenv("CLICKAIRTIME_V1_EMAIL", sandbox.v1_email)
    clean_env.setenv("CLICKAIRTIME_V1_TOKEN", sandbox.v1_token)
    clean_env.setenv("CLICKAIRTIME_BASE_URL", sandbox.base_url)
    return sandbox


# ------------------------------------------------------------------------------------------ environment


def test_clients_read_the_environment(sandbox_env: Sandbox) -> None:
    c = V2Client()
    assert c.base_url == sandbox_env.base_url and c.balance.list().wallets
    v1 = V1Client()
    assert v1.base_url == sandbox_env.base_url and v1.balances()

    async def go() -> None:
        async with aio.V2Client() as a, aio.V1Client() as b:
            assert (await a.balance.list()).wallets and await b.balances()

    asyncio.run(go())
    # what is passed wins over the environment
    with pytest.raises(clickairtime.AuthenticationError):
        V2Client("ce_live_0123456789abcdefghijABCDEFGHIJ01").balance.list()


def test_a_missing_variable_is_named(clean_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError) as e:
        V2Client()
    assert e.value.field == "api_key" and "CLICKAIRTIME_API_KEY" in str(e.value)
    clean_env.setenv("CLICKAIRTIME_API_KEY", "   ")  # empty counts as unset
    with pytest.raises(ValidationError):
        aio.V2Client()
    with pytest.raises(ValidationError) as e:
        V1Client()
    assert e.value.field == "email" and "CLICKAIRTIME_V1_EMAIL" in str(e.value)
    clean_env.setenv("CLICKAIRTIME_V1_EMAIL", "pos@example.com")
    with pytest.raises(ValidationError) as e:
        V1Client()
    assert e.value.field == "token" and "CLICKAIRTIME_V1_TOKEN" in str(e.value)
    clean_env.setenv("CLICKAIRTIME_BASE_URL", "ftp://nowhere")
    with pytest.raises(ValidationError) as e:
        V2Client("ce_live_0123456789abcdefghijABCDEFGHIJ01")
    assert e.value.field == "base_url"


# ------------------------------------------------------------------------------------------ close


def test_close_and_context_managers(sandbox: Sandbox) -> None:
    with sandbox.v2_client() as c:
        assert not c.closed and c.balance.list().wallets
    assert c.closed and "closed" in repr(c)
    with pytest.raises(ValidationError) as e:
        c.balance.list()
    assert e.value.field == "client" and "closed" in str(e.value)
    with pytest.raises(ValidationError):
        c.topups.create(PHONE, 42, amount=1, currency="GHS")
    c.close()  # idempotent
    with sandbox.v1_client() as v1:
        v1.balances()
    with pytest.raises(ValidationError):
        v1.balances()

    async def go() -> None:
        async with aio.V2Client(sandbox.api_key, base_url=sandbox.base_url) as a:
            await a.balance.list()
        assert a.closed
        with pytest.raises(ValidationError):
            await a.balance.list()
        b = aio.V1Client(sandbox.v1_email, sandbox.v1_token, base_url=sandbox.base_url)
        await b.aclose()
        assert b.closed

    asyncio.run(go())


def test_close_releases_the_journal(sandbox: Sandbox, tmp_path: Any) -> None:
    path = str(tmp_path / "j")
    with sandbox.v2_client(journal=path) as c:
        c.topups.create(PHONE, 42, amount=1, currency="GHS", reference="close-1")
    # another client on the same file sees the sale
    with sandbox.v2_client(journal=path) as again:
        e = again.journal_entry("close-1")
        assert e is not None and e.state == "sent"


# ------------------------------------------------------------------------------------------ errors


def test_timeout_and_connection_errors_are_the_builtins_too() -> None:
    assert issubclass(clickairtime.TimeoutError, builtins.TimeoutError)
    assert issubclass(clickairtime.ConnectionError, builtins.ConnectionError)
    c = V2Client("ce_live_0123456789abcdefghijABCDEFGHIJ01", base_url=f"http://127.0.0.1:{closed_port()}",
                  max_retries=0)
    with pytest.raises(builtins.ConnectionError) as e:  # the builtin catches it
        c.balance.list()
    assert isinstance(e.value, clickairtime.ConnectionError) and e.value.code == "CONNECTION"
    assert isinstance(e.value, OSError) and str(e.value) == e.value.message
    t = clickairtime.TimeoutError("too slow", http_status=None)
    assert isinstance(t, builtins.TimeoutError) and t.code == "TIMEOUT" and str(t) == "too slow"
    import pickle

    back = pickle.loads(pickle.dumps(e.value))
    assert type(back) is clickairtime.ConnectionError and back.code == "CONNECTION"


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda c: c.topups.create(PHONE, "42", amount=1, currency="GHS"), "network_id"),
        (lambda c: c.topups.create(12345, 42, amount=1, currency="GHS"), "phone_number"),
        (lambda c: c.topups.create(PHONE, 42, amount=1, currency=5), "currency"),
        (lambda c: c.topups.create(PHONE, 42, amount=1.5, currency="GHS"), "amount"),
        (lambda c: c.topups.create(PHONE, 42, amount=1, currency="GHS", sms="yes"), "sms"),
        (lambda c: c.topups.create(PHONE, 42, amount=1, currency="GHS", metadata=[1]), "metadata"),
        (lambda c: c.topups.list(page="2"), "page"),
        (lambda c: c.topups.list(per_page=2**70), "per_page"),
        (lambda c: c.topups.get(None), "id"),
        (lambda c: c.topups.wait("x", deadline="5"), "deadline"),
        (lambda c: c.catalog.lookup(network_id=4.2), "network_id"),
        (lambda c: c.catalog.products("42"), "network_id"),
        (lambda c: c.balance.get(7), "wallet_id"),
        (lambda c: c.verify_webhook({"a": 1}, "00", "1"), "body"),
        (lambda c: c.bulk(12345), "source"),
        (lambda c: c.bulk(b"phone,amount\n"), "name"),
        (lambda c: c.bulk([{"phone": PHONE, "amount": 1, "currency": "GHS"}], concurrency=0, name="x"), "concurrency"),
    ],
)
def test_every_argument_error_is_a_clickairtime_error_naming_the_field(v2: V2Client, call: Any, field: str) -> None:
    with pytest.raises(ValidationError) as e:
        call(v2)
    assert isinstance(e.value, ClickAirtimeError) and e.value.code == "INVALID_INPUT"
    assert e.value.field == field, (e.value.field, str(e.value))
    assert not isinstance(e.value, OverflowError)


def test_a_wrong_type_is_also_a_type_error(v2: V2Client, v1: V1Client) -> None:
    with pytest.raises(TypeError) as e:
        v2.topups.create(PHONE, "42", amount=1, currency="GHS")  # type: ignore[call-overload]
    assert isinstance(e.value, ArgumentTypeError) and isinstance(e.value, ValidationError)
    with pytest.raises(ArgumentTypeError) as e1:
        v1.send_topup(MSISDN, amount=1, product_id="9")  # type: ignore[call-overload]
    assert e1.value.field == "product_id"
    with pytest.raises(ArgumentTypeError) as e2:
        V2Client(12345)  # type: ignore[arg-type]
    assert e2.value.field == "api_key"
    with pytest.raises(ArgumentTypeError) as e3:
        V2Client("ce_live_0123456789abcdefghijABCDEFGHIJ01", max_retries="3")  # type: ignore[arg-type]
    assert e3.value.field == "max_retries"
    with pytest.raises(ArgumentTypeError) as e4:
        clickairtime.to_e164(233541112259)  # type: ignore[arg-type]
    assert e4.value.field == "phone_number"


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"api_key": "bad"}, "api_key"),
        ({"api_key": 5}, "api_key"),
        ({"port": 70000}, "port"),
        ({"port": "80"}, "port"),
        ({"duplicate_mode": "maybe"}, "duplicate_mode"),
        ({"idempotency_mode": "never"}, "idempotency_mode"),
        ({"complete_after": -1}, "complete_after"),
        ({"rate_limit_per_minute": 0}, "rate_limit_per_minute"),
    ],
)
def test_sandbox_settings_are_validation_errors(kwargs: Dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as e:
        Sandbox(**kwargs)
    assert e.value.field == field and e.value.code == "INVALID_INPUT", str(e.value)


def test_sandbox_calls_are_validated_too(sandbox: Sandbox) -> None:
    with pytest.raises(ValidationError) as e:
        sandbox.inject("earthquake")
    assert e.value.field == "fault"
    with pytest.raises(ValidationError) as e:
        sandbox.inject("slow", count=-1)
    assert e.value.field == "count"
    with pytest.raises(ValidationError) as e:
        sandbox.configure(duplicate_mode="sometimes")
    assert e.value.field == "duplicate_mode"
    sb = Sandbox()
    sb.close()
    with pytest.raises(ValidationError) as e:
        sb.stats()
    assert e.value.field == "sandbox"


@pytest.mark.parametrize(
    "value, field",
    [("fast", "rate_limit"), ({"per_second": 3}, "rate_limit"), ({"per_minute": 0}, "rate_limit.per_minute"),
     ({"per_hour": "1000"}, "rate_limit.per_hour"), (60, "rate_limit")],
)
def test_rate_limit_settings(value: Any, field: str) -> None:
    with pytest.raises(ValidationError) as e:
        V2Client("ce_live_0123456789abcdefghijABCDEFGHIJ01", rate_limit=value)
    assert e.value.field == field


def test_rate_limits_are_accepted(sandbox: Sandbox) -> None:
    for value in ("documented", RateLimitPolicy(per_minute=120), {"per_hour": 5000}):
        assert sandbox.v2_client(rate_limit=value).balance.list().wallets
    assert sandbox.v1_client(rate_limit="documented").balances()


# ------------------------------------------------------------------------------------------ JSON


def test_to_dict_is_json_ready_and_to_json_reads_back(v2: V2Client) -> None:
    t = v2.topups.create(PHONE, 42, amount=Decimal("12.50"), currency="GHS", metadata={"till": 3})
    done = v2.topups.wait(t.id, deadline=10, initial_interval=0.05)
    d = json.loads(done.to_json())
    assert d["amount"]["currency"] == "GHS" and Decimal(d["amount"]["value"]) == Decimal("12.50")
    assert isinstance(d["amount"]["value"], str) and d["metadata"] == {"till": 3}
    assert d["status"] == "completed" and isinstance(d["created_at"], str)
    assert clickairtime.TopUp.from_dict(d) == done
    page = v2.topups.list()
    assert json.loads(page.to_json())[0]["id"] == page[0].id


# ------------------------------------------------------------------------------------------ python -m clickairtime.sandbox


def _env() -> Dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("CLICKAIRTIME_")}


def test_python_m_sandbox_runs_until_ctrl_c() -> None:
    # SIGINT at its default in the child: a runner started in the background (`cmd &`) ignores it, and Python
    # keeps an ignored SIGINT ignored, so Ctrl-C would never reach the sandbox
    p = subprocess.Popen([sys.executable, "-m", "clickairtime.sandbox", "--port", "0", "--complete-after", "0.1"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        seen: Dict[str, str] = {}
        assert p.stdout is not None
        while "CLICKAIRTIME_V1_TOKEN" not in seen:
            line = p.stdout.readline()
            assert line, "the sandbox printed no credentials"
            k, _, v = line.strip().partition("=")
            seen[k] = v
        assert seen["CLICKAIRTIME_SANDBOX_URL"] == seen["CLICKAIRTIME_BASE_URL"]
        assert seen["CLICKAIRTIME_BASE_URL"].startswith("http://127.0.0.1:")
        c = V2Client(seen["CLICKAIRTIME_API_KEY"], base_url=seen["CLICKAIRTIME_BASE_URL"])
        assert c.balance.list().wallets
        v1 = V1Client(seen["CLICKAIRTIME_V1_EMAIL"], seen["CLICKAIRTIME_V1_TOKEN"], base_url=seen["CLICKAIRTIME_BASE_URL"])
        assert v1.balances()
        p.send_signal(signal.SIGINT)
        assert p.wait(10) == 0
        assert p.stderr is not None and "sandbox stopped" in p.stderr.read()
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


@pytest.mark.parametrize("args, said", [(["--port", "abc"], "--port"), (["--api-key", "nope"], "api_key"),
                                        (["--bogus"], "unrecognized"), (["--complete-after", "-2"], "complete_after")])
def test_python_m_sandbox_refuses_bad_arguments(args: Any, said: str) -> None:
    r = subprocess.run([sys.executable, "-m", "clickairtime.sandbox", *args], capture_output=True, text=True,
                       env=_env(), timeout=30)
    assert r.returncode == 2 and said in r.stderr, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr
