"""Shared fixtures: every test runs against a real in-process sandbox over real HTTP on 127.0.0.1."""

from __future__ import annotations

import http.server
import json
import socket
import threading
from typing import Callable, Iterator, List, Optional, Tuple

import pytest

import clickairtime
from clickairtime.sandbox import Sandbox

# A normal Ghanaian MTN number (network 42, currency GHS) and the magic failure numbers of the sandbox.
PHONE = "+233541112259"
MSISDN = "233541112259"


def magic(n: int) -> str:
    """The E.164 magic number ending in ``n`` (see sandbox/CONTRACT.md)."""
    return f"+2335550000{n:02d}"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(processing_after=0.05, complete_after=0.2, slow_delay=1.5, duplicate_window=1.0) as sb:
        yield sb


@pytest.fixture
def v2(sandbox: Sandbox) -> clickairtime.V2Client:
    return sandbox.v2_client(retry_base_delay=0.01, max_retry_delay=0.05)


@pytest.fixture
def v1(sandbox: Sandbox) -> clickairtime.V1Client:
    return sandbox.v1_client(retry_base_delay=0.01, max_retry_delay=0.05)


Handler = Callable[[str, str, bytes], Tuple[int, List[Tuple[str, str]], bytes]]


class LocalServer:
    """A small HTTP/1.1 server on a Python thread (so it only answers while the GIL is free), answering each
    request with ``handler(method, path, body)``; it records what it saw."""

    def __init__(self, handler: Handler) -> None:
        self.seen: List[Tuple[str, str, dict, bytes]] = []
        outer = self

        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                outer.seen.append((self.command, self.path, dict(self.headers), body))
                status, headers, out = handler(self.command, self.path, body)
                self.send_response(status)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            do_GET = do_POST = _any

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def local_server() -> Iterator[Callable[[Handler], LocalServer]]:
    servers: List[LocalServer] = []

    def start(handler: Handler) -> LocalServer:
        s = LocalServer(handler)
        servers.append(s)
        return s

    yield start
    for s in servers:
        s.close()


def json_answer(status: int, payload: object, headers: Optional[List[Tuple[str, str]]] = None) -> Handler:
    body = json.dumps(payload).encode()

    def h(method: str, path: str, req: bytes) -> Tuple[int, List[Tuple[str, str]], bytes]:
        return status, [("Content-Type", "application/json")] + list(headers or []), body

    return h


def closed_port() -> int:
    """A loopback port nothing listens on."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return int(port)


def v2_count(sb: Sandbox) -> int:
    return len(sb.transactions()["v2"])


def v1_count(sb: Sandbox) -> int:
    return len(sb.transactions()["v1"])
