"""Turn the raw numbers of one `bench/run.sh` run into a Markdown report (stdlib only).

    python3 bench/report.py --merge ROUNDS_DIR RESULTS_DIR   # per-round files → one file per side
    python3 bench/report.py RESULTS_DIR OUT.md [NOTES.md]

ROUNDS_DIR holds `<server>-<lang>-<client>.r<round>.json`, one per side and round (the sides of a language
run in alternating rounds). `--merge` writes `<server>-<lang>-<client>.json` into RESULTS_DIR: the rounds as
measured (`rounds`) and, in `results`, per op and mode the median over rounds of each round's median, p99,
mean and calls/s (with the min–max of the round medians and of the calls/s).

RESULTS_DIR also holds `rss-<lang>-<client>.json` (memory runs), `callgrind.json` (instructions per call),
`sizes.json`, `imports.json` and `run.json` (written by run.sh). NOTES.md, if given, is appended verbatim
(the profiling notes, kept by hand).

Ratios between two sides are computed round by round (the two sides ran minutes apart at most, in the same
round) and reported as the median of the per-round ratios with their min–max.
"""

from __future__ import annotations

import glob
import json
import os
import re
import statistics
import sys

LANGS = [
    ("rust", [("floor", "raw keep-alive HTTP/1.1 loop (the floor)"), ("clickairtime", "Rust core")]),
    ("c", [("clickairtime", "this SDK (libclickairtime)"), ("libcurl", "libcurl easy + jansson")]),
    ("python", [("clickairtime", "this SDK"), ("requests", "requests.Session"), ("httpx", "httpx.Client"),
                ("urllib3", "urllib3.PoolManager")]),
    ("node", [("clickairtime", "this SDK (Promise API)"), ("fetch", "global fetch (undici)")]),
]


def load(d):
    sides = {}
    for p in glob.glob(os.path.join(d, "*.json")):
        name = os.path.basename(p)[:-5]
        try:
            with open(p) as f:
                sides[name] = json.load(f)
        except (OSError, ValueError):
            continue
    return sides


def merge(rounds_dir, res_dir):
    by_side = {}
    for p in sorted(glob.glob(os.path.join(rounds_dir, "*.r*.json"))):
        m = re.match(r"(.+)\.r(\d+)\.json$", os.path.basename(p))
        if not m:
            continue
        try:
            with open(p) as f:
                doc = json.load(f)
        except (OSError, ValueError):
            continue
        by_side.setdefault(m.group(1), []).append((int(m.group(2)), doc))
    for name, docs in by_side.items():
        docs.sort(key=lambda x: x[0])
        first = docs[0][1]
        rounds = [{"round": r, "results": d.get("results", []), "server_stats": d.get("server_stats"),
                   "peak_rss_kb": d.get("peak_rss_kb"), "errors": d.get("errors", 0)} for r, d in docs]
        keys = []
        for _, d in docs:
            for x in d.get("results", []):
                if (x["op"], x["mode"]) not in keys:
                    keys.append((x["op"], x["mode"]))
        results = []
        for op, mode in keys:
            rs = [x for _, d in docs for x in d.get("results", []) if x["op"] == op and x["mode"] == mode and x["calls"]]
            if not rs:
                results.append({"op": op, "mode": mode, "concurrency": 1, "calls": 0, "rounds": 0, "seconds": 0,
                                "median_us": 0, "p99_us": 0, "mean_us": 0, "rps": 0})
                continue
            med = lambda k: statistics.median(x[k] for x in rs)  # noqa: E731
            results.append({
                "op": op, "mode": mode, "concurrency": rs[0]["concurrency"], "calls": sum(x["calls"] for x in rs),
                "rounds": len(rs), "seconds": sum(x["seconds"] for x in rs),
                "median_us": med("median_us"), "p99_us": med("p99_us"), "mean_us": med("mean_us"), "rps": med("rps"),
                "median_us_range": [min(x["median_us"] for x in rs), max(x["median_us"] for x in rs)],
                "rps_range": [min(x["rps"] for x in rs), max(x["rps"] for x in rs)],
            })
        stats = [r["server_stats"] for r in rounds if r["server_stats"]]
        errors = [e for _, d in docs for e in d.get("first_errors", [])]
        merged = {"lang": first.get("lang"), "client": first.get("client"), "server": first.get("server"),
                  "results": results, "rss": None,
                  "peak_rss_kb": max((d.get("peak_rss_kb") or 0) for _, d in docs),
                  "errors": sum(d.get("errors", 0) for _, d in docs), "first_errors": errors[:5],
                  "rounds": rounds}
        if stats:  # per process (= per round): the most any round opened
            merged["server_stats"] = {k: max(x.get(k, 0) for x in stats) for k in stats[0]}
        with open(os.path.join(res_dir, name + ".json"), "w") as f:
            json.dump(merged, f, indent=2)


def round_values(doc, op, mode, key):
    """{round: value} of one op/mode of a merged side (a side without rounds counts as round 1)."""
    out = {}
    for rd in (doc or {}).get("rounds") or [{"round": 1, "results": (doc or {}).get("results", [])}]:
        for x in rd.get("results", []):
            if x["op"] == op and x["mode"] == mode and x["calls"] and x.get(key):
                out[rd["round"]] = x[key]
    return out


def round_ratio(num, den, op, mode, key, den_op=None):
    """Median, min and max over the rounds both sides ran of num[key] / den[key]; None if no common round."""
    a, b = round_values(num, op, mode, key), round_values(den, den_op or op, mode, key)
    rs = [a[r] / b[r] for r in a if r in b and b[r]]
    if not rs:
        return None
    return statistics.median(rs), min(rs), max(rs), len(rs)


def frr(v, spread=True):
    """A round ratio as '1.23x (1.10–1.40)'."""
    if v is None:
        return "—"
    if not spread or v[3] < 2:
        return f"{v[0]:.2f}x"
    return f"{v[0]:.2f}x ({v[1]:.2f}–{v[2]:.2f})"


def find(doc, op, mode):
    for r in (doc or {}).get("results", []):
        if r["op"] == op and r["mode"] == mode and r["calls"] > 0:
            return r
    return None


def us(v):
    if v is None:
        return "—"
    return f"{v:,.0f}" if v >= 100 else f"{v:.1f}"


def rps(v):
    return "—" if v is None else f"{v:,.0f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fx(v):
    return "—" if v is None else f"{v:.2f}x"


def mb(kb):
    return "—" if not kb else f"{kb / 1024:.1f}"


def seq_table(sides, server, out):
    out.append(f"| language | client | GET median µs | GET p99 µs | POST median µs | POST p99 µs | "
               f"SDK is faster by, per round: median (min–max) — GET / POST | connections | peak RSS MiB |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for lang, clients in LANGS:
        sdk = sides.get(f"{server}-{lang}-clickairtime")
        for client, label in clients:
            doc = sides.get(f"{server}-{lang}-{client}")
            if doc is None:
                out.append(f"| {lang} | {label} | not run | | | | | | |")
                continue
            g, p = find(doc, "get", "seq"), find(doc, "post", "seq")
            rel = "—"
            if client != "clickairtime" and sdk is not None and lang != "rust":
                rel = " / ".join(frr(round_ratio(doc, sdk, op, "seq", "median_us")) for op in ("get", "post"))
            elif client == "floor" and sdk is not None:
                rel = "core = " + " / ".join(frr(round_ratio(sdk, doc, op, "seq", "median_us"))
                                             for op in ("get", "post")) + " of it"
            conns = doc.get("server_stats", {}).get("connections", "—")
            bad = " **(errors)**" if doc.get("errors") else ""
            out.append(f"| {lang} | {label}{bad} | {us(g and g['median_us'])} | {us(g and g['p99_us'])} | "
                       f"{us(p and p['median_us'])} | {us(p and p['p99_us'])} | {rel} | {conns} | "
                       f"{mb(doc.get('peak_rss_kb'))} |")


def conc_table(sides, server, out):
    out.append("| language | client | in flight | GET calls/s | GET p99 µs | POST calls/s | POST p99 µs | "
               "SDK throughput is, per round: median (min–max) — GET / POST |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|")
    for lang, clients in LANGS:
        sdk = sides.get(f"{server}-{lang}-clickairtime")
        for client, label in clients:
            doc = sides.get(f"{server}-{lang}-{client}")
            g, p = find(doc, "get", "conc"), find(doc, "post", "conc")
            if g is None and p is None:
                continue
            rel = "—"
            if client not in ("clickairtime", "floor") and sdk is not None:
                rel = " / ".join(frr(round_ratio(sdk, doc, op, "conc", "rps")) for op in ("get", "post"))
            elif client == "floor" and sdk is not None:
                rel = "core = " + " / ".join(frr(round_ratio(sdk, doc, op, "conc", "rps"))
                                             for op in ("get", "post")) + " of it"
            out.append(f"| {lang} | {label} | {(g or p)['concurrency']} | {rps(g and g['rps'])} | "
                       f"{us(g and g['p99_us'])} | {rps(p and p['rps'])} | {us(p and p['p99_us'])} | {rel} |")


CG_LABELS = {"rust:floor": "Rust floor (raw loop)", "rust:clickairtime": "Rust core", "c:clickairtime": "C SDK",
             "c:libcurl": "libcurl + jansson", "python:clickairtime": "Python SDK", "python:urllib3": "urllib3",
             "python:requests": "requests"}


def cg_ratio(cg, num, den):
    """(GET, POST) instruction ratios num / den, None where not measured."""
    a, b = cg.get(num) or {}, cg.get(den) or {}
    return [ratio(a.get(op), b.get(op)) for op in ("get", "post")]


def targets(sides, cg, imports, out):
    def side(lang, client):
        return sides.get(f"canned-{lang}-{client}")

    # (name, wanted, time ratios [get, post] or None, instruction ratios [get, post] or None, tests (get, post))
    rows = []

    def both(test):
        return (test, test)

    def faster(name, lang, base, target, cg_pair=None):
        vals = [round_ratio(side(lang, base), side(lang, "clickairtime"), op, "seq", "median_us") for op in ("get", "post")]
        rows.append((name, f"≥ {target}x", vals, cg_ratio(cg, *cg_pair) if cg_pair else None,
                     both(lambda v: v >= target)))

    faster("Python SDK vs requests.Session (sequential median)", "python", "requests", 10,
           ("python:requests", "python:clickairtime"))
    faster("Python SDK vs urllib3.PoolManager (sequential median)", "python", "urllib3", 3,
           ("python:urllib3", "python:clickairtime"))
    faster("Node SDK vs fetch (sequential median)", "node", "fetch", 4)
    vals = [round_ratio(side("node", "clickairtime"), side("node", "fetch"), op, "conc", "rps") for op in ("get", "post")]
    rows.append(("Node SDK vs fetch, 64 in flight (calls/s)", "≥ 5x", vals, None, both(lambda v: v >= 5)))
    vals = [round_ratio(side("c", "clickairtime"), side("c", "libcurl"), op, "seq", "median_us") for op in ("get", "post")]
    rows.append(("C SDK time / libcurl easy time (sequential median)", "≤ 1.0x", vals,
                 cg_ratio(cg, "c:clickairtime", "c:libcurl"), both(lambda v: v <= 1.0)))
    vals = [round_ratio(side("rust", "clickairtime"), side("rust", "floor"), op, "seq", "median_us")
            for op in ("get", "post")]
    rows.append(("Rust core / raw floor (instructions per call; time shown)", "≤ 2.5x GET, ≤ 3x POST", vals,
                 cg_ratio(cg, "rust:clickairtime", "rust:floor"), (lambda v: v <= 2.5, lambda v: v <= 3)))
    rows.append(("Python SDK instructions / Rust core instructions", "≤ 1.5x", None,
                 cg_ratio(cg, "python:clickairtime", "rust:clickairtime"), both(lambda v: v <= 1.5)))
    out.append("Time ratios: the two sides ran in alternating rounds; each cell is the median of the per-round "
               "ratios of the round medians (calls/s for the concurrent row), with the min–max over the rounds. "
               "Instruction ratios: client instructions per call under callgrind (user space, no noise, see "
               "below); for the Python-vs-baseline rows baseline / SDK, otherwise SDK / reference. A row's verdict "
               "is on time where a time goal is set, and on instructions for the instruction goals.")
    out.append("")
    out.append("| target | wanted | GET (time, per round) | POST (time, per round) | met? (time) | "
               "GET (instructions) | POST (instructions) | met? (instructions) |")
    out.append("|---|---|---:|---:|---|---:|---:|---|")
    for name, want, vals, ivals, tests in rows:
        instruction_goal = vals is None or name.startswith("Rust core")
        if vals is None:
            vals, verdict = [None, None], "—"
        else:
            meds = [v and v[0] for v in vals]
            met = None if any(v is None for v in meds) else all(t(v) for t, v in zip(tests, meds))
            verdict = "not measured" if met is None else ("**met**" if met else "**missed**")
            if instruction_goal:
                verdict = "(shown)"
        if ivals is None or all(v is None for v in ivals):
            icells, iverdict = ["—", "—"], "—"
        else:
            icells = [fx(v) for v in ivals]
            iverdict = ("partly measured" if any(v is None for v in ivals)
                        else ("**met**" if all(t(v) for t, v in zip(tests, ivals)) else "**missed**"))
        out.append(f"| {name} | {want} | {frr(vals[0])} | {frr(vals[1])} | {verdict} | {icells[0]} | {icells[1]} | "
                   f"{iverdict} |")
    py = imports.get("python:clickairtime")
    if py is not None:
        out.append(f"| `import clickairtime` (fresh process, median) | ≤ 30 ms | {py * 1000:.1f} ms | | "
                   f"{'**met**' if py <= 0.030 else '**missed**'} | | | |")


def callgrind_table(cg, out):
    refs = {"rust:clickairtime": "rust:floor", "c:clickairtime": "c:libcurl", "c:libcurl": "rust:floor",
            "python:urllib3": "python:clickairtime", "python:requests": "python:clickairtime",
            "python:clickairtime": "rust:clickairtime"}
    out.append("| client | GET instructions / call | POST instructions / call | relative to | GET | POST |")
    out.append("|---|---:|---:|---|---:|---:|")
    for name, v in cg.items():
        ref = refs.get(name)
        r = cg_ratio(cg, name, ref) if ref and ref in cg else [None, None]
        n = v.get("n") or [0, 0]
        label = CG_LABELS.get(name, name)
        out.append(f"| {label} | {rps(v.get('get'))} | {rps(v.get('post'))} | "
                   f"{CG_LABELS.get(ref, '—') if ref in cg else '—'} | {fx(r[0])} | {fx(r[1])} |")
    ns = sorted({tuple(v.get("n") or (0, 0)) for v in cg.values()}, reverse=True)
    how = " or ".join(f"(instructions of a process making {b} calls − one making {a}) / {b - a}" for a, b in ns)
    out.append("")
    out.append(f"Each number: {how} (the second for Python), "
               "the same warm-up before both, one operation per process, sequential, against the canned server. "
               "User-space instructions of the client process only (all threads): the kernel's share of each "
               "syscall and the server are not counted. Repeatable to ~1 % for the same binaries (two runs of the Rust "
               "core's GET differed by 1.2 %, of the floor's by 0.05 %).")


def memory(sides, out):
    out.append("| language | client | calls | RSS after 10% of calls MiB | RSS at the end MiB | growth KiB | "
               "peak RSS MiB | seconds |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|")
    any_row = False
    for lang, _ in LANGS:
        doc = sides.get(f"rss-{lang}-clickairtime")
        rss = (doc or {}).get("rss")
        if not rss:
            continue
        any_row = True
        s = rss["samples"]
        early = s[1][1] if len(s) > 1 else s[0][1]
        end = s[-1][1]
        out.append(f"| {lang} | clickairtime | {rss['calls']:,} | {mb(early)} | {mb(end)} | {end - early:+,} | "
                   f"{mb(rss['peak_rss_kb'])} | {rss['seconds']:.1f} |")
    if not any_row:
        out.append("| — | not run | | | | | | |")


def bulk_section(b, out):
    out.append("## Bulk throughput against the documented rate limit")
    out.append("")
    out.append(f"`bulk_rate` ({b.get('date', 'this run')}): {b['rows']} payout rows through core's bulk engine, the "
               f"client limiter at the documented tiers ({b['limit_per_minute']} a minute, {b['limit_per_hour']:,} an "
               f"hour), against a sandbox that itself answers 429 above {b['limit_per_minute']} requests a minute.")
    out.append("")
    out.append("| rows sent | time s | rows/min | server: requests | server: most in one rate window | server: 429s |")
    out.append("|---:|---:|---:|---:|---:|---:|")
    out.append(f"| {b['sent']} / {b['rows']} | {b['seconds']:.0f} | {b['rows_per_minute']:.0f} | "
               f"{b['server_requests']} | {b['server_max_requests_in_a_rate_window']} | {b['server_429s']} |")
    out.append("")
    out.append("The first minute's 60 go at once, then 60 a minute: a slot counts from when its request finished (plus "
               "250 ms), so the server, counting arrivals in its own window, never sees more than the limit. The hour "
               "tier uses the same sliding window; it is unit-tested (`core/src/ratelimit.rs`), not run for an hour "
               "here. Tests in the test command run the same limiter through many shortened windows against the "
               "sandbox (`core/tests/sandbox/ratelimit.rs`, and the CLI's 500-row bulk test).")
    out.append("")


def main(argv):
    if argv[:1] == ["--merge"]:
        merge(argv[1], argv[2])
        return
    d, out_path = argv[0], argv[1]
    notes = argv[2] if len(argv) > 2 else None
    sides = load(d)
    run = sides.pop("run", {})
    sizes = sides.pop("sizes", {})
    imports = sides.pop("imports", {})
    cg = sides.pop("callgrind", {})
    bulk = sides.pop("bulk-rate", {})
    out = ["# Benchmarks: this SDK vs the HTTP client each language already has", ""]
    out.append("Generated by `bench/run.sh` (do not edit by hand; the notes at the end come from "
               "`bench/NOTES.md`). Raw numbers: `bench/results/*.json` (every round kept). Absolute times on a 2-core "
               "VM swing up to 3x between minutes, so the sides of each language run in alternating rounds (order "
               "rotated each round): a µs column is the median of the round medians, a ratio is the median of the "
               "per-round ratios with its min–max, and the instruction counts (callgrind) measure client CPU "
               "without any noise.")
    out.append("")
    if run:
        out.append(f"- run: {run.get('date', '?')}, mode `{run.get('mode', '?')}`, wall time "
                   f"**{run.get('wall_seconds', '?')} s** (builds included: {run.get('build_seconds', '?')} s)")
        out.append(f"- machine: {run.get('machine', '?')}; pinning: {run.get('pinning', '?')}")
        out.append(f"- canned server: {run.get('canned_server', 'responder')} (bench/nginx/nginx.conf.in; the repo's "
                   "responder only where nginx could not be installed)")
        out.append(f"- counts: {run.get('counts', '?')}")
        if run.get("phase_seconds"):
            out.append("- phases: " + ", ".join(f"{k} {v} s" for k, v in run["phase_seconds"].items()))
        if run.get("skipped"):
            out.append(f"- skipped: {', '.join(run['skipped'])}")
        if run.get("failed"):
            out.append(f"- **failed sides**: {', '.join(run['failed'])}")
    out.append("")
    out.append("Every side does the same work: **GET** `/v2/topups/:id` and decode the docs' top-up body into the "
               "language's objects (amount checked as an exact decimal where the language has one), and **POST** "
               "`/v2/topups` (Bearer key, a fresh `Idempotency-Key`, the same JSON body; on the sandbox with a unique "
               "reference, on nginx with the docs' reference `invoice-12345`, which its canned record carries) "
               "and decode the 201 answer. Baselines decode to plain dicts/objects (less work than the SDK's typed "
               "objects). Each call's answer is checked; a wrong answer fails the run.")
    out.append("")
    for server, title in (("canned", "Canned server (nginx answering from memory: client cost dominates)"),
                          ("sandbox", "Sandbox (the SDK's emulator: a realistic server)")):
        if not any(k.startswith(server + "-") for k in sides):
            continue
        out.append(f"## {title}")
        out.append("")
        out.append("### Sequential latency per call (one call at a time, after warm-up)")
        out.append("")
        seq_table(sides, server, out)
        out.append("")
        out.append("### Concurrent throughput")
        out.append("")
        conc_table(sides, server, out)
        out.append("")
    out.append("## Targets (canned responder)")
    out.append("")
    targets(sides, cg, imports, out)
    out.append("")
    if cg:
        out.append("## Client instructions per call (callgrind: noise-free CPU cost of the client)")
        out.append("")
        callgrind_table(cg, out)
        out.append("")
    if bulk:
        bulk_section(bulk, out)
    diag = sorted(k for k in sides if k.startswith("diag-"))
    if diag:
        out.append("## Diagnostics (canned responder): where the time goes")
        out.append("")
        out.append("Diagnostic sides ran in the same rounds as their language's sides; the last column compares "
                   "each with its reference side round by round (time for sequential rows, calls/s for concurrent "
                   "rows).")
        out.append("")
        out.append("| side | measurement | in flight | median µs | p99 µs | calls/s | vs (same rounds) |")
        out.append("|---|---|---:|---:|---:|---:|---|")
        refs = {"rust-floor-split": ("rust-floor", "floor"), "rust-ureq_probe": ("rust-clickairtime", "Rust core"),
                "python-clickairtime-native": ("python-clickairtime", "Python SDK"),
                "python-clickairtime-nolog": ("python-clickairtime", "Python SDK"),
                "node-clickairtime-sync": ("node-clickairtime", "Node SDK"),
                "node-clickairtime-uv64": ("node-clickairtime", "Node SDK")}
        for k in diag:
            ref = refs.get(k[5:])
            rdoc = sides.get(f"canned-{ref[0]}") if ref else None
            for r in sides[k].get("results", []):
                if not r["calls"]:
                    continue
                vs = "—"
                if rdoc is not None:
                    base_op = r["op"] if find(rdoc, r["op"], r["mode"]) else ("get" if r["op"].startswith("get") else None)
                    key = "median_us" if r["mode"] == "seq" else "rps"
                    rr = round_ratio(sides[k], rdoc, r["op"], r["mode"], key, den_op=base_op) if base_op else None
                    if rr is not None:
                        what = "time" if key == "median_us" else "calls/s"
                        vs = f"{frr(rr)} of {ref[1]} {base_op} {what}"
                out.append(f"| {k[5:]} | {r['op']} ({r['mode']}) | {r['concurrency']} | {us(r['median_us'])} | "
                           f"{us(r['p99_us'])} | {rps(r['rps'])} | {vs} |")
        out.append("")
    out.append("## Memory: sequential GETs with one client (RSS must not grow)")
    out.append("")
    memory(sides, out)
    out.append("")
    out.append("## Sizes (release builds)")
    out.append("")
    out.append("| artifact | as built | stripped (`strip -s`) |")
    out.append("|---|---:|---:|")
    for name, v in sizes.items():
        built = v.get("bytes")
        stripped = v.get("stripped_bytes")
        out.append(f"| {name} | {built / 1e6:.2f} MB |" if built else f"| {name} | — |")
        out[-1] += f" {stripped / 1e6:.2f} MB |" if stripped else " — |"
    out.append("")
    out.append("## Import / require time (fresh process, median)")
    out.append("")
    out.append("| language | package | ms |")
    out.append("|---|---|---:|")
    for name, v in imports.items():
        lang, _, pkg = name.partition(":")
        out.append(f"| {lang} | {pkg} | {'—' if v is None else f'{v * 1000:.1f}'} |")
    out.append("")
    if notes and os.path.exists(notes):
        with open(notes) as f:
            out.append(f.read().rstrip())
        out.append("")
    with open(out_path, "w") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1:])
