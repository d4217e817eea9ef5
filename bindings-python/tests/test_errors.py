"""Every exception class of the package, each raised by a real exchange (sandbox or a local server)."""

from __future__ import annotations

import pickle
import socket
import ssl
import threading
from typing import Iterator

import pytest

import clickairtime
from clickairtime import _native, errors
from clickairtime.sandbox import Sandbox

from conftest import PHONE, closed_port, json_answer, magic, v2_count

KEY = "ce_live_0123456789abcdefghijABCDEFGHIJ01"


def test_one_class_per_core_error_code() -> None:
    codes = _native.error_codes()
    assert len(codes) == len(set(codes)) == 21
    assert set(codes) == set(errors.ERROR_CLASSES)
    classes = [errors.ERROR_CLASSES[c] for c in codes]
    assert len(set(classes)) == len(classes)
    for code, cls in errors.ERROR_CLASSES.items():
        assert issubclass(cls, clickairtime.ClickAirtimeError) and cls.code == code
        assert getattr(clickairtime, cls.__name__) is cls


def test_the_new_kinds_have_their_classes() -> None:
    for name, code in [("DuplicateSaleError", "DUPLICATE_SALE"), ("ReferenceConflictError", "REFERENCE_CONFLICT"),
                       ("StillPendingError", "STILL_PENDING"), ("JournalError", "JOURNAL"),
                       ("CancelledError", "CANCELLED")]:
        cls = getattr(clickairtime, name)
        assert cls is getattr(errors, name) and cls.code == code and errors.ERROR_CLASSES[code] is cls
        assert issubclass(cls, clickairtime.ClickAirtimeError)


def test_unknown_codes_fall_back_to_the_base_class() -> None:
    e = errors._from_native({"code": "SOMETHING_NEW", "message": "x"})
    assert type(e) is clickairtime.ClickAirtimeError and e.code == "SOMETHING_NEW"


def test_validation(v2: clickairtime.V2Client) -> None:
    with pytest.raises(clickairtime.ValidationError) as e:
        v2.topups.create("nope", 42, amount=1, currency="GHS")
    assert e.value.field == "phone_number" and e.value.http_status is None
    assert str(e.value).startswith("invalid input: phone_number:")


def test_authentication(sandbox: Sandbox) -> None:
    c = clickairtime.V2Client(KEY, base_url=sandbox.base_url)
    with pytest.raises(clickairtime.AuthenticationError) as e:
        c.balance.list()
    assert (e.value.code, e.value.http_status, e.value.api_code) == ("AUTHENTICATION", 401, "INVALID_API_KEY")


def test_permission_denied(local_server) -> None:  # type: ignore[no-untyped-def]
    srv = local_server(json_answer(403, {"success": False, "error": {"code": "IP_NOT_ALLOWED", "message": "ip"},
                                         "meta": {"request_id": "req_perm"}}))
    with pytest.raises(clickairtime.PermissionDeniedError) as e:
        clickairtime.V2Client(KEY, base_url=srv.url).balance.list()
    assert (e.value.http_status, e.value.api_code, e.value.request_id) == (403, "IP_NOT_ALLOWED", "req_perm")


def test_insufficient_balance_and_invalid_recipient(v2: clickairtime.V2Client) -> None:
    with pytest.raises(clickairtime.InsufficientBalanceError):
        v2.topups.create(magic(1), 42, amount=1, currency="GHS")
    with pytest.raises(clickairtime.InvalidRecipientError):
        v2.topups.create(magic(2), 42, amount=1, currency="GHS")


def test_not_found(v2: clickairtime.V2Client) -> None:
    with pytest.raises(clickairtime.NotFoundError) as e:
        v2.topups.get("missing-id")
    assert e.value.http_status == 404 and e.value.request_id


def test_duplicate(local_server) -> None:  # type: ignore[no-untyped-def]
    srv = local_server(json_answer(409, {"success": False, "error": {"code": "DUPLICATE_TRANSACTION", "message": "dup"}}))
    with pytest.raises(clickairtime.DuplicateError) as e:
        clickairtime.V2Client(KEY, base_url=srv.url).topups.get("abc")
    assert e.value.http_status == 409


def test_delivery_failed(v2: clickairtime.V2Client) -> None:
    with pytest.raises(clickairtime.DeliveryFailedError) as e:
        v2.topups.create(magic(13), 42, amount=1, currency="GHS")
    assert e.value.api_code == "DELIVERY_FAILED"


def test_rate_limited(sandbox: Sandbox, v2: clickairtime.V2Client) -> None:
    sandbox.inject("rate_limit", retry_after=120, path="/v2/balance")
    with pytest.raises(clickairtime.RateLimitError) as e:
        v2.balance.list()
    assert e.value.http_status == 429 and e.value.retry_after == 120.0


def test_api_error(v2: clickairtime.V2Client) -> None:
    with pytest.raises(clickairtime.ApiError) as e:
        v2.catalog.lookup("+19995551234")
    assert e.value.code == "API_ERROR" and e.value.api_code == "HLR_LOOKUP_FAILED"


def test_timeout(sandbox: Sandbox) -> None:
    sandbox.inject("slow", delay=1.0, path="/v2/balance", count=5)
    c = sandbox.v2_client(read_timeout=0.2, max_retries=0)
    with pytest.raises(clickairtime.TimeoutError) as e:
        c.balance.list()
    assert e.value.code == "TIMEOUT"


def test_connection() -> None:
    c = clickairtime.V2Client(KEY, base_url=f"http://127.0.0.1:{closed_port()}", max_retries=0)
    with pytest.raises(clickairtime.ConnectionError) as e:
        c.balance.list()
    assert e.value.code == "CONNECTION" and e.value.http_status is None


# A self-signed certificate for "localhost" (made for this test; no CA trusts it).
SELF_SIGNED_CERT = """-----BEGIN CERTIFICATE-----
MIIDCzCCAfOgAwIBAgIUR44kpfTKkfG/n3prxbLWh9tLZdYwDQYJKoZIhvcNAQEL
BQAwFDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMjExMTMxM1oYDzIxMjYx
MDI5MTExMzEzWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwggEiMA0GCSqGSIb3DQEB
AQUAA4IBDwAwggEKAoIBAQCvp0kyU6Mo6Yp2JMw77AHIpFFmbZoN/sAp+EKCqRN5
rAAUv5fYqqkPec0CoUCrZ/Oy9lgfeybRNx9dKUpRLU6QsHSlNANSkmtHxlJ8Lr5J
5/sSmHV3Q0cFyo9YSqsfToQl3b0S94jRR0p8sh7PAYsxobOWLtmnqw1u7TJn8eEQ
cC+c+4kQuiW14iPtnk0a6B/oZACj7sh0QKQs93dXw1PtS5gQa48fMyDcSdH2CXQn
RrUoXMeV91n5WzfJX5GHDwElI7ZR7X5x5hAbKRqByeIqVmEiijceX7imn+M0Lwpu
wmN2nqgyrlRcjWhBg8Xgb6Obr1/xSgEFqZcEYqBAJ5nNAgMBAAGjUzBRMB0GA1Ud
DgQWBBQl/H6DvX+eh72ofC0GMw9TzYyBWTAfBgNVHSMEGDAWgBQl/H6DvX+eh72o
fC0GMw9TzYyBWTAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4IBAQA0
sEm6rTdt6GDeP5YaLXbBceMAPi0TgdVes9P+R/9pVwLr36kN/GOIpok8J/961Xzb
wRWiWLl2wwpnZ8MKfUz7YGS/gLRNCrNyFdydel8Ey4RgE0dheG8XTC+DkoZIDabQ
6jKXVLR7z8QUnBTt1oq9sSO0vyEUsFJ5rnbXpfiA7YCU29ht2RnOxL0Nu6p7vc7M
/JQRJaJMiUu0Mqnxvd/qLzLK0Lt99sp1uio8nfe1cRVmz/3ZVQ0Y4Vv3a+J1oxI4
N116Zc3tcNuOWkaiGwrnwGd/V1oyybH2OrVApvOZG7lsZmVbPUJLlSxRhocz0OGr
SItyWJN5FWIaZt0bXZZA
-----END CERTIFICATE-----
"""
SELF_SIGNED_KEY = """-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCvp0kyU6Mo6Yp2
JMw77AHIpFFmbZoN/sAp+EKCqRN5rAAUv5fYqqkPec0CoUCrZ/Oy9lgfeybRNx9d
KUpRLU6QsHSlNANSkmtHxlJ8Lr5J5/sSmHV3Q0cFyo9YSqsfToQl3b0S94jRR0p8
sh7PAYsxobOWLtmnqw1u7TJn8eEQcC+c+4kQuiW14iPtnk0a6B/oZACj7sh0QKQs
93dXw1PtS5gQa48fMyDcSdH2CXQnRrUoXMeV91n5WzfJX5GHDwElI7ZR7X5x5hAb
KRqByeIqVmEiijceX7imn+M0LwpuwmN2nqgyrlRcjWhBg8Xgb6Obr1/xSgEFqZcE
YqBAJ5nNAgMBAAECggEAO9cDJix9FKZ/H6GInE9aCjcEbh8fkO39HC8xxV6BPn2c
p3Tf75WwM4/8ig1SQTKQQKMQwWTMhBDB1BSJd182eS9MBa3TBfHQr2p+VkT8WaQ4
kgyzU9ZtHylzLRJ++pLejSHd1FTU3OrrEtEBkucFOvrJ+ftq9eZdlLEk72llEZp9
9vUb4TahuXrvAAexC77XqvC1qYrlNw+ejfmCyqzWkvZBobCbjVJIxhOi02VFpb6N
/1nDbEupi+3ZJ4QP/fRtey2qMniX1+YHjRM2SvY/bx8W/Bev13b+JijkrbnRwjT/
IYus2jJGqC19s2ZOHUCf4ceAMRMR9korPIDRjxKqpwKBgQDW3AWz/qjz/thlhmEs
zLkNdTpi/txH9103qJ2USFGo+IUlAeyV6e0ZGKyiNBi6epP7U/iR5cT0MxXm63kj
X4rug/+lhxdtnF4PcI4RUmG1yPvJq0uRz3o5cX0sxnEajOlX5TdVJRDBoUWs67bQ
DZytTryO34sWCSAQJM5ALMWG+wKBgQDRSXbovLT6YLruXG3//pBbpZSxEkaRIyN9
bD4hRhWtaYajlQmes1Q8YNtRNy/RSf6s2duapEba5RfVkoZMMPiAUdDqB4Ag9h6g
/E4SEFJU2gqBOxLqF5dXjkMILPDV7Z1ttl9yxSi+7D05coX7/d8EbBv2pKdEum7f
ldh46akn1wKBgQDOz5XFvXgO89yDTKe4oY32AEKlC0ApHVbivjB/jGTdyekOyB1b
54DKyU9SCedLh7VtE1SNyqabj5ijX0CI5ewqzW+Detb4MKzxG5wD3FIk0kJZycHB
pf210SF1ucUgk0X/zqhGEplgZ8VTPsgG1zNaNhGVTGLqYPo1z9efOfkfhQKBgFoC
eIucLVHJrFu7kOuadkeULSECtSrSq/7TQN1aoRQV4HwWKy7//WiCV5DUZVJjuo5o
nBQkNv0JrniCLhQys42somcklqyWbZHbMVB/iIlJxV7TI01enA5h9t5bRbEcIqr+
1oor1VxXifVdFdbM1s+2F0i6g94BOJIchh9qjv+9AoGAGJDLA6YfNJuIWgvLbxyW
CUWRYn2zLLe77lkaU94enQEyDx+EmA68RQZ1c5Huic8PtioclCiLqGlFm1hKffme
k7FCz9J0JfJL99qn4zJhSJ9iQ2epmfrmUsXNU74tvYjzDA7ah06uthgVoPbwdWhp
hQgpjlQC8VZ2eMK0SfGBboc=
-----END PRIVATE KEY-----
"""


@pytest.fixture
def untrusted_tls_server(tmp_path) -> Iterator[int]:  # type: ignore[no-untyped-def]
    """A loopback HTTPS server whose certificate no CA signed."""
    (tmp_path / "c.pem").write_text(SELF_SIGNED_CERT)
    (tmp_path / "k.pem").write_text(SELF_SIGNED_KEY)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(tmp_path / "c.pem"), str(tmp_path / "k.pem"))
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    srv.settimeout(5)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            try:
                with ctx.wrap_socket(conn, server_side=True) as tls:
                    tls.recv(4096)
            except (OSError, ssl.SSLError):
                pass

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    yield int(srv.getsockname()[1])
    stop.set()
    srv.close()


def test_tls(untrusted_tls_server: int) -> None:
    c = clickairtime.V2Client(KEY, base_url=f"https://localhost:{untrusted_tls_server}", max_retries=0)
    with pytest.raises(clickairtime.TlsError) as e:
        c.balance.list()
    assert e.value.code == "TLS" and e.value.http_status is None


def test_untrusted_certificates_fail_without_an_answer(untrusted_tls_server: int) -> None:
    c = clickairtime.V2Client(KEY, base_url=f"https://localhost:{untrusted_tls_server}", max_retries=0)
    with pytest.raises((clickairtime.TlsError, clickairtime.ConnectionError)) as e:
        c.balance.list()
    assert "certificate" in str(e.value) and e.value.http_status is None


def test_tls_error_class_is_built_from_its_core_code() -> None:
    e = errors._from_native({"code": "TLS", "message": "tls error: bad certificate"})
    assert isinstance(e, clickairtime.TlsError) and e.code == "TLS"


def test_outcome_unknown_then_reconcile(sandbox: Sandbox) -> None:
    # every write is lost before it lands: the client must say "unknown", never "failed", and never re-send
    sandbox.inject("drop_before_commit", method="POST", path="/v2/topups", count=50)
    c = sandbox.v2_client(send_deadline=1, retry_base_delay=0.01, max_retry_delay=0.05)
    with pytest.raises(clickairtime.OutcomeUnknownError) as e:
        c.topups.create(PHONE, 42, amount=1, currency="GHS", reference="lost-1")
    assert e.value.reference == "lost-1" and e.value.idempotency_key == clickairtime.idempotency_key_for("lost-1")
    assert e.value.cause_kind == "CONNECTION"
    assert v2_count(sandbox) == 0 and sandbox.stats()["v2"]["posts"] == 1  # written once, never again
    assert c.topups.reconcile("lost-1") is None


def test_unexpected_response(sandbox: Sandbox, v2: clickairtime.V2Client) -> None:
    sandbox.inject("garbage", path="/v2/balance")
    with pytest.raises(clickairtime.UnexpectedResponseError) as e:
        v2.balance.list()
    assert e.value.body is not None and e.value.http_status == 200


def test_invalid_signature() -> None:
    with pytest.raises(clickairtime.InvalidSignatureError) as e:
        clickairtime.webhooks.verify(b"{}", "00" * 32, "1700000000", KEY, tolerance=None)
    assert e.value.code == "INVALID_SIGNATURE"


def test_errors_pickle_with_their_attributes(v2: clickairtime.V2Client) -> None:
    with pytest.raises(clickairtime.InsufficientBalanceError) as e:
        v2.topups.create(magic(1), 42, amount=1, currency="GHS", reference="pk-1")
    back = pickle.loads(pickle.dumps(e.value))
    assert type(back) is clickairtime.InsufficientBalanceError
    assert (back.reference, back.http_status, str(back)) == ("pk-1", 400, str(e.value))
    u = errors._from_native({"code": "OUTCOME_UNKNOWN", "message": "m", "reference": "r", "cause_kind": "TIMEOUT",
                             "status": "processing", "existing_reference": "x", "transaction_id": "t"})
    back2 = pickle.loads(pickle.dumps(u))
    assert type(back2) is clickairtime.OutcomeUnknownError
    assert (back2.cause_kind, back2.status, back2.existing_reference, back2.transaction_id) == (
        "TIMEOUT", "processing", "x", "t")
