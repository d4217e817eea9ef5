"""Turn the raw numbers of one `bench/run.sh` run into a Markdown report (stdlib only).

    python3 bench/report.py RESULTS_DIR OUT.md [NOTES.md]

RESULTS_DIR holds `<server>-<lang>-<client>.json` (one per side and server), `rss-<lang>-<client>.json`
(memory runs), `sizes.json`, `imports.json` and `run.json` (written by run.sh). NOTES.md, if given, is
appended verbatim (the profiling notes, kept by hand).
"""

from __future__ import annotations

import glob
import json
import os
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
               f"SDK is faster by (GET / POST) | connections | peak RSS MiB |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for lang, clients in LANGS:
        sdk = sides.get(f"{server}-{lang}-clickairtime")
        for client, label in clients:
            doc = sides.get(f"{server}-{lang}-{client}")
            if doc is None:
                out.append(f"| {lang} | {label} | not run | | | | | | |")
                continue
            g, p = find(doc, "get", "seq"), find(doc, "post", "seq")
            sg, sp = find(sdk, "get", "seq"), find(sdk, "post", "seq")
            rel = "—"
            if client != "clickairtime" and sdk is not None and lang != "rust":
                rel = (f"{fx(ratio(g and g['median_us'], sg and sg['median_us']))} / "
                       f"{fx(ratio(p and p['median_us'], sp and sp['median_us']))}")
            elif client == "floor" and sdk is not None:
                rel = (f"core = {fx(ratio(sg and sg['median_us'], g and g['median_us']))} / "
                       f"{fx(ratio(sp and sp['median_us'], p and p['median_us']))} of it")
            conns = doc.get("server_stats", {}).get("connections", "—")
            bad = " **(errors)**" if doc.get("errors") else ""
            out.append(f"| {lang} | {label}{bad} | {us(g and g['median_us'])} | {us(g and g['p99_us'])} | "
                       f"{us(p and p['median_us'])} | {us(p and p['p99_us'])} | {rel} | {conns} | "
                       f"{mb(doc.get('peak_rss_kb'))} |")


def conc_table(sides, server, out):
    out.append("| language | client | in flight | GET calls/s | GET p99 µs | POST calls/s | POST p99 µs | "
               "SDK throughput is (GET / POST) |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|")
    for lang, clients in LANGS:
        sdk = sides.get(f"{server}-{lang}-clickairtime")
        for client, label in clients:
            doc = sides.get(f"{server}-{lang}-{client}")
            g, p = find(doc, "get", "conc"), find(doc, "post", "conc")
            if g is None and p is None:
                continue
            sg, sp = find(sdk, "get", "conc"), find(sdk, "post", "conc")
            rel = "—"
            if client not in ("clickairtime", "floor") and sdk is not None:
                rel = f"{fx(ratio(sg and sg['rps'], g and g['rps']))} / {fx(ratio(sp and sp['rps'], p and p['rps']))}"
            out.append(f"| {lang} | {label} | {(g or p)['concurrency']} | {rps(g and g['rps'])} | "
                       f"{us(g and g['p99_us'])} | {rps(p and p['rps'])} | {us(p and p['p99_us'])} | {rel} |")


def targets(sides, out):
    def med(lang, client, op):
        r = find(sides.get(f"canned-{lang}-{client}"), op, "seq")
        return r and r["median_us"]

    def thr(lang, client, op):
        r = find(sides.get(f"canned-{lang}-{client}"), op, "conc")
        return r and r["rps"]

    rows = []

    def speedup(name, lang, base, target):
        vals = [ratio(med(lang, base, op), med(lang, "clickairtime", op)) for op in ("get", "post")]
        rows.append((name, f"≥ {target}x", vals, all(v is not None and v >= target for v in vals)
                     if all(v is not None for v in vals) else None))

    speedup("Python SDK vs requests (sequential median)", "python", "requests", 10)
    speedup("Python SDK vs urllib3 (sequential median)", "python", "urllib3", 3)
    speedup("Node SDK vs fetch (sequential median)", "node", "fetch", 4)
    vals = [ratio(thr("node", "clickairtime", op), thr("node", "fetch", op)) for op in ("get", "post")]
    rows.append(("Node SDK vs fetch, 64 in flight (calls/s)", "≥ 2x", vals,
                 all(v >= 2 for v in vals) if all(v is not None for v in vals) else None))
    vals = [ratio(med("c", "clickairtime", op), med("c", "libcurl", op)) for op in ("get", "post")]
    rows.append(("C SDK time / libcurl time (sequential median)", "≤ 1.2x", vals,
                 all(v <= 1.2 for v in vals) if all(v is not None for v in vals) else None))
    vals = [ratio(med("rust", "clickairtime", op), med("rust", "floor", op)) for op in ("get", "post")]
    rows.append(("Rust core time / floor time (sequential median)", "≤ 1.5x", vals,
                 all(v <= 1.5 for v in vals) if all(v is not None for v in vals) else None))
    out.append("| target | wanted | GET | POST | met? |")
    out.append("|---|---|---:|---:|---|")
    for name, want, vals, met in rows:
        verdict = "not measured" if met is None else ("**met**" if met else "**missed**")
        out.append(f"| {name} | {want} | {fx(vals[0])} | {fx(vals[1])} | {verdict} |")


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


def main(argv):
    d, out_path = argv[0], argv[1]
    notes = argv[2] if len(argv) > 2 else None
    sides = load(d)
    run = sides.pop("run", {})
    sizes = sides.pop("sizes", {})
    imports = sides.pop("imports", {})
    out = ["# Benchmarks: this SDK vs the HTTP client each language already has", ""]
    out.append("Generated by `bench/run.sh` (do not edit by hand; the notes at the end come from "
               "`bench/NOTES.md`). Raw numbers: `bench/results/*.json`. Absolute times on a shared 2-core VM "
               "are noisy: read the ratios side by side, all measured in the same run against the same servers.")
    out.append("")
    if run:
        out.append(f"- run: {run.get('date', '?')}, mode `{run.get('mode', '?')}`, wall time "
                   f"**{run.get('wall_seconds', '?')} s** (builds included: {run.get('build_seconds', '?')} s)")
        out.append(f"- machine: {run.get('machine', '?')}; pinning: {run.get('pinning', '?')}")
        out.append(f"- counts: {run.get('counts', '?')}")
        if run.get("skipped"):
            out.append(f"- skipped: {', '.join(run['skipped'])}")
        if run.get("failed"):
            out.append(f"- **failed sides**: {', '.join(run['failed'])}")
    out.append("")
    out.append("Every side does the same work: **GET** `/v2/topups/:id` and decode the docs' top-up body into the "
               "language's objects (amount checked as an exact decimal where the language has one), and **POST** "
               "`/v2/topups` (Bearer key, a fresh `Idempotency-Key`, the same JSON body with a unique reference) "
               "and decode the 201 answer. Baselines decode to plain dicts/objects (less work than the SDK's typed "
               "objects). Each call's answer is checked; a wrong answer fails the run.")
    out.append("")
    for server, title in (("canned", "Canned responder (answers instantly: client cost dominates)"),
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
    targets(sides, out)
    out.append("")
    diag = sorted(k for k in sides if k.startswith("diag-"))
    if diag:
        out.append("## Diagnostics (canned responder): where the time goes")
        out.append("")
        out.append("| side | measurement | in flight | median µs | p99 µs | calls/s |")
        out.append("|---|---|---:|---:|---:|---:|")
        for k in diag:
            for r in sides[k].get("results", []):
                if r["calls"]:
                    out.append(f"| {k[5:]} | {r['op']} ({r['mode']}) | {r['concurrency']} | {us(r['median_us'])} | "
                               f"{us(r['p99_us'])} | {rps(r['rps'])} |")
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
