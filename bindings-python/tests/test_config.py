"""Client settings: checked by core at construction, the offending setting named."""

from __future__ import annotations

import datetime as dt

import pytest

import clickairtime
from clickairtime import V1Client, V2Client, ValidationError
from clickairtime.sandbox import Sandbox


def test_sandbox_clients_normalise_the_base_url(sandbox: Sandbox) -> None:
    c = V2Client(sandbox.api_key, base_url=sandbox.base_url + "/v2/")
    assert c.base_url == sandbox.base_url
    assert c.balance.list().wallets


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"base_url": "http://api.example.com"}, "base_url"),
        ({"base_url": "ftp://x"}, "base_url"),
        ({"timeout": 0}, "timeout"),
        ({"connect_timeout": -1}, "connect_timeout"),
        ({"read_timeout": float("nan")}, "read_timeout"),
        ({"max_retries": 11}, "max_retries"),
        ({"max_retries": -1}, "max_retries"),
        ({"ca_certificates": b"not a pem"}, "ca_certificates"),
        ({"proxy": "::not a url::"}, "proxy"),
        ({"user_agent_suffix": "pos\r\nX-Evil: 1"}, "user_agent_suffix"),
    ],
)
def test_bad_settings_name_the_field(kwargs: dict, field: str) -> None:
    with pytest.raises(ValidationError) as e:
        V2Client("ce_live_0123456789abcdefghijABCDEFGHIJ01", **kwargs)
    assert e.value.field == field
    assert e.value.code == "INVALID_INPUT"
    assert isinstance(e.value, ValueError)


def test_bad_credentials_are_rejected_before_any_request() -> None:
    with pytest.raises(ValidationError) as e:
        V2Client("ce_live_with space")
    assert e.value.field == "api_key"
    with pytest.raises(ValidationError) as e:
        V1Client("not-an-email", "token")
    assert e.value.field == "email"
    with pytest.raises(ValidationError) as e:
        V1Client("pos@example.com", "tok\nen")
    assert e.value.field == "token"
    with pytest.raises(ValidationError) as e:
        V1Client("pos@example.com", "token", topup_path="/other")
    assert e.value.field == "topup_path"


def test_timedelta_and_numbers_are_both_durations(sandbox: Sandbox) -> None:
    c = sandbox.v2_client(timeout=dt.timedelta(seconds=5), read_timeout=2, connect_timeout=1.5)
    assert c.catalog.networks("GH")
    with pytest.raises(ValidationError) as e:
        sandbox.v2_client(timeout="5")  # type: ignore[arg-type]
    assert e.value.field == "timeout"


def test_last_rate_limit_reflects_headers(v2: clickairtime.V2Client) -> None:
    assert v2.last_rate_limit is None
    v2.balance.list()
    rl = v2.last_rate_limit
    assert rl is not None and rl.limit == 600 and rl.remaining is not None and rl.remaining < 600
    assert rl.reset_at is not None and rl.reset_at.tzinfo is not None
