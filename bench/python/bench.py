"""The Python sides: this SDK vs requests.Session, httpx.Client and urllib3.PoolManager.

Each does the same work: GET a top-up and decode it (JSON → the amount as ``Decimal``, as a money-handling
caller must), POST a top-up (Bearer key, a fresh UUID ``Idempotency-Key``, a JSON body) and decode the answer.
Sequential latency after a warm-up, then a concurrent phase on ``--conc`` threads, then (optionally) a memory
run. Same options and result file as every other side (see bench/README.md).

    python bench.py --client clickairtime|requests|httpx|urllib3 --url URL [--n N] [--conc 8] ... --out F
    python bench.py --import-time MODULE     # prints the seconds one import of MODULE takes
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import uuid
from decimal import Decimal

PHONE = "+233541112259"


def parse_args(argv):
    o = {
        "client": "clickairtime", "url": "", "key": "ce_live_bench000000000000000000000000000",
        "server": "canned", "id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890", "amount": "50", "n": 2000,
        "warmup": 200, "conc": 0, "conc_calls": 0, "rss_calls": 0, "max_seconds": 60.0, "out": "",
        "tag": "bench", "ops": "",
    }
    ints = {"n", "warmup", "conc", "conc_calls", "rss_calls"}
    it = iter(argv)
    for k in it:
        name = k[2:].replace("-", "_")
        if not k.startswith("--") or name not in o:
            sys.exit(f"bench: unknown argument {k}")
        v = next(it, "")
        o[name] = int(v) if name in ints else float(v) if name == "max_seconds" else v
    if not o["url"]:
        sys.exit("bench: --url is required")
    return o


def status_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def summary(op, mode, concurrency, lat_ns, wall):
    lat_ns.sort()
    n = len(lat_ns)

    def pct(p):
        if not n:
            return 0.0
        idx = min(max(-(-int(p * n * 1000000) // 1000000), 1), n) - 1
        return lat_ns[idx] / 1000.0

    return {
        "op": op, "mode": mode, "concurrency": concurrency, "calls": n, "seconds": wall,
        "median_us": pct(0.5), "p99_us": pct(0.99), "mean_us": (sum(lat_ns) / n / 1000.0) if n else 0.0,
        "rps": n / wall if wall > 0 else 0.0,
    }


def check(data_id, amount, want_id, want_amount, what):
    if (want_id is not None and data_id != want_id) or amount != want_amount:
        raise AssertionError(f"{what}: wrong data: id {data_id!r} amount {amount!r}")


# ----------------------------------------------------------------------------------------------- clients
# Each factory returns (get, post): get() and post(reference) raise on any failure or wrong data.


def make_clickairtime(o, shared):
    import clickairtime
    from clickairtime import V2Client

    if "client" not in shared:
        # libphonenumber's rules loaded on this thread before the client exists (see rust_client.rs)
        clickairtime.to_e164("+233541112259")
        shared["client"] = V2Client(o["key"], base_url=o["url"])
    client = shared["client"]
    topups = client.topups
    want = Decimal(o["amount"])
    tid = o["id"]

    def get():
        t = topups.get(tid)
        check(t.id, t.amount.value, tid, want, "GET")

    def post(reference):
        t = topups.create(PHONE, 42, amount=want, currency="GHS", reference=reference)
        check(t.id, t.amount.value, None, want, "POST")
        if not t.id:
            raise AssertionError("POST: no id")

    return get, post


def _payload(o, reference):
    return {"phone_number": PHONE, "network_id": 42, "amount": {"value": json.loads(o["amount"]), "currency": "GHS"},
            "reference": reference}


def _decode(body_obj, want, tid, what):
    d = body_obj["data"]
    check(d["id"], Decimal(str(d["amount"]["value"])), tid, want, what)
    if not d["id"]:
        raise AssertionError(f"{what}: no id")


def make_requests(o, shared):
    import requests

    s = requests.Session()  # one per thread: a Session is not documented as thread-safe
    s.headers.update({"Authorization": f"Bearer {o['key']}", "Accept": "application/json"})
    get_url = f"{o['url']}/v2/topups/{o['id']}"
    post_url = f"{o['url']}/v2/topups"
    want, tid = Decimal(o["amount"]), o["id"]

    def get():
        r = s.get(get_url, timeout=30)
        if r.status_code != 200:
            raise AssertionError(f"GET: HTTP {r.status_code}")
        _decode(r.json(), want, tid, "GET")

    def post(reference):
        r = s.post(post_url, json=_payload(o, reference), headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=30)
        if r.status_code != 201:
            raise AssertionError(f"POST: HTTP {r.status_code}: {r.text[:200]}")
        _decode(r.json(), want, None, "POST")

    return get, post


def make_httpx(o, shared):
    import httpx

    if "client" not in shared:  # httpx.Client is thread-safe: one shared pool
        shared["client"] = httpx.Client(
            headers={"Authorization": f"Bearer {o['key']}", "Accept": "application/json"}, timeout=30,
            limits=httpx.Limits(max_keepalive_connections=max(o["conc"], 8), max_connections=max(o["conc"], 8) * 2))
    c = shared["client"]
    get_url = f"{o['url']}/v2/topups/{o['id']}"
    post_url = f"{o['url']}/v2/topups"
    want, tid = Decimal(o["amount"]), o["id"]

    def get():
        r = c.get(get_url)
        if r.status_code != 200:
            raise AssertionError(f"GET: HTTP {r.status_code}")
        _decode(r.json(), want, tid, "GET")

    def post(reference):
        r = c.post(post_url, json=_payload(o, reference), headers={"Idempotency-Key": str(uuid.uuid4())})
        if r.status_code != 201:
            raise AssertionError(f"POST: HTTP {r.status_code}: {r.text[:200]}")
        _decode(r.json(), want, None, "POST")

    return get, post


def make_urllib3(o, shared):
    import urllib3

    if "client" not in shared:  # PoolManager is thread-safe: one shared pool
        shared["client"] = urllib3.PoolManager(maxsize=max(o["conc"], 1), timeout=30.0)
    pm = shared["client"]
    base_headers = {"Authorization": f"Bearer {o['key']}", "Accept": "application/json"}
    get_url = f"{o['url']}/v2/topups/{o['id']}"
    post_url = f"{o['url']}/v2/topups"
    want, tid = Decimal(o["amount"]), o["id"]

    def get():
        r = pm.request("GET", get_url, headers=base_headers)
        if r.status != 200:
            raise AssertionError(f"GET: HTTP {r.status}")
        _decode(json.loads(r.data), want, tid, "GET")

    def post(reference):
        body = json.dumps(_payload(o, reference)).encode()
        headers = dict(base_headers)
        headers["Content-Type"] = "application/json"
        headers["Idempotency-Key"] = str(uuid.uuid4())
        r = pm.request("POST", post_url, body=body, headers=headers)
        if r.status != 201:
            raise AssertionError(f"POST: HTTP {r.status}: {r.data[:200]!r}")
        _decode(json.loads(r.data), want, None, "POST")

    return get, post


def make_clickairtime_native(o, shared):
    """Diagnostic: the native layer alone, without the Python client's argument checks and wrappers (its
    results are the same native model objects the SDK returns)."""
    import clickairtime
    from clickairtime import V2Client

    if "client" not in shared:
        # libphonenumber's rules loaded on this thread before the client exists (see rust_client.rs)
        clickairtime.to_e164("+233541112259")
        shared["client"] = V2Client(o["key"], base_url=o["url"])
    native = shared["client"]._n
    want = Decimal(o["amount"])
    tid = o["id"]

    def get():
        t = native.topups_get(tid)
        check(t.id, t.amount.value, tid, want, "GET")

    def post(reference):
        t = native.topups_create(PHONE, 42, amount=o["amount"], currency="GHS", reference=reference)
        check(t.id, t.amount.value, None, want, "POST")

    return get, post


def make_clickairtime_nolog(o, shared):
    """Diagnostic: this SDK with the forwarding of core log records to Python logging turned off."""
    from clickairtime import _native

    _native.set_log_forwarding(False)
    return make_clickairtime(o, shared)


FACTORIES = {"clickairtime-native": make_clickairtime_native, "clickairtime-nolog": make_clickairtime_nolog,
             "clickairtime": make_clickairtime, "requests": make_requests, "httpx": make_httpx,
             "urllib3": make_urllib3}

# ------------------------------------------------------------------------------------------------- loops


def sequential(op, o, call, errors):
    if o["ops"] and op not in o["ops"].split(","):  # --ops get|post: one operation per process (instruction counts)
        return summary(op, "seq", 1, [], 0.0)
    t0 = time.monotonic()
    for i in range(o["warmup"]):
        try:
            call(i)
        except Exception as e:  # noqa: BLE001 - every failure is reported
            errors.append(f"{op} warm-up: {e!r}")
            break
        if time.monotonic() - t0 > o["max_seconds"]:
            break
    lat = []
    clock = time.perf_counter_ns
    start = time.monotonic()
    for i in range(o["n"]):
        t = clock()
        try:
            call(o["warmup"] + i)
        except Exception as e:  # noqa: BLE001
            errors.append(f"{op}: {e!r}")
            if len(errors) > 5:
                break
        lat.append(clock() - t)
        if time.monotonic() - start > o["max_seconds"]:
            break
    return summary(op, "seq", 1, lat, time.monotonic() - start)


def concurrent(op, o, make_call, errors):
    workers = max(o["conc"], 1)
    per = -(-o["conc_calls"] // workers)
    barrier = threading.Barrier(workers + 1)
    lats = [[] for _ in range(workers)]
    lock = threading.Lock()

    def run(w, call):
        warm = max(o["warmup"] // workers, 5)
        try:
            for i in range(warm):
                call(w * 1000000 + i)
        except Exception as e:  # noqa: BLE001
            with lock:
                errors.append(f"{op} conc warm-up: {e!r}")
        barrier.wait()
        clock = time.perf_counter_ns
        start = time.monotonic()
        out = lats[w]
        for i in range(per):
            t = clock()
            try:
                call(w * 1000000 + warm + i)
            except Exception as e:  # noqa: BLE001
                with lock:
                    errors.append(f"{op} conc: {e!r}")
                break
            out.append(clock() - t)
            if time.monotonic() - start > o["max_seconds"]:
                break

    threads = [threading.Thread(target=run, args=(w, make_call(w)), daemon=True) for w in range(workers)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.monotonic()
    for t in threads:
        t.join()
    wall = time.monotonic() - start
    return summary(op, "conc", workers, [x for l in lats for x in l], wall)


def rss_run(o, call, errors):
    total = o["rss_calls"]
    step = max(total // 10, 1)
    samples = [[0, status_kb("VmRSS:")]]
    start = time.monotonic()
    done = 0
    for i in range(total):
        try:
            call(i)
        except Exception as e:  # noqa: BLE001
            errors.append(f"rss: {e!r}")
            break
        done = i + 1
        if done % step == 0:
            samples.append([done, status_kb("VmRSS:")])
        if time.monotonic() - start > o["max_seconds"] * 3:
            break
    return {"calls": done, "seconds": time.monotonic() - start, "samples": samples,
            "peak_rss_kb": status_kb("VmHWM:")}


def main(argv):
    if argv[:1] == ["--import-time"]:
        t = time.perf_counter()
        __import__(argv[1])
        print(f"{time.perf_counter() - t:.6f}")
        return 0
    o = parse_args(argv)
    make = FACTORIES[o["client"]]
    errors = []
    results = []
    shared = {}
    get, post = make(o, shared)
    tag = o["tag"]
    fixed = os.environ.get("BENCH_REFERENCE")  # bench/run.sh: nginx answers every POST with this reference
    results.append(sequential("get", o, lambda i: get(), errors))
    results.append(sequential("post", o, lambda i: post(fixed or f"{tag}-{i}"), errors))
    if o["conc"] > 0 and o["conc_calls"] > 0:
        def make_get(w):
            g, _ = make(o, shared)
            return lambda i: g()

        def make_post(w):
            _, p = make(o, shared)
            return lambda i: p(fixed or f"{tag}-c{w}-{i}")

        results.append(concurrent("get", o, make_get, errors))
        results.append(concurrent("post", o, make_post, errors))
    rss = rss_run(o, lambda i: get(), errors) if o["rss_calls"] > 0 else None
    doc = {"lang": "python", "client": o["client"], "server": o["server"], "results": results, "rss": rss,
           "peak_rss_kb": status_kb("VmHWM:"), "errors": len(errors), "first_errors": errors[:5]}
    text = json.dumps(doc, indent=2)
    if o["out"]:
        with open(o["out"], "w") as f:
            f.write(text)
    else:
        print(text)
    for e in errors[:5]:
        print(f"bench python/{o['client']}: {e}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
