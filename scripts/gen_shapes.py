#!/usr/bin/env python3
"""The one result shape, generated from the Rust core: every public field of every result type, and its name
in Rust, Python, Node and C. Writes docs/SHAPES.md (for people) and docs/shapes.json (for each binding's
test). `--check` fails when either file is out of date (run by scripts/test-rust.sh).

Rules (the same everywhere): Rust field `a.b` -> Python attribute `a.b` -> Node `camelCase(a).camelCase(b)`
-> C getter `ca_<model>_<a>_<b>` (a trailing `.value` of an amount is dropped: `ca_topup_amount`). Every
result is the record itself with its `meta` attached (Rust derefs `Response<T>` to `T`; Python `.meta`; Node
`.meta`; C `ca_<model>_meta`)."""
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "core" / "src"

# result types, the C prefix of their getters, and the file they live in
MODELS = [
    ("TopUp", "topup", "v2/topup_record.rs"),
    ("Money", None, "v2/topup_record.rs"),
    ("NetworkRef", None, "v2/topup_record.rs"),
    ("Sms", None, "v2/topup_record.rs"),
    ("Catalog", "catalog", "v2/catalog.rs"),
    ("Network", "network", "v2/catalog.rs"),
    ("Products", None, "v2/catalog.rs"),
    ("CustomAirtime", None, "v2/catalog.rs"),
    ("Bundle", "bundle", "v2/catalog.rs"),
    ("ExchangeRate", None, "v2/catalog.rs"),
    ("Country", "country", "v2/catalog.rs"),
    ("Balance", "balance", "v2/balance.rs"),
    ("AvailableBalance", None, "v2/balance.rs"),
    ("Wallet", "wallet", "v2/balance.rs"),
    ("Transaction", "transaction", "v1/transactions.rs"),
    ("TxWallet", None, "v1/transactions.rs"),
    ("Provider", None, "v1/transactions.rs"),
    ("Product", "product", "v1/products.rs"),
    ("Service", "service", "v1/products.rs"),
    ("AccountBalance", "account_balance", "v1/balances.rs"),
    ("Meta", "meta", "response.rs"),
    ("Pagination", None, "response.rs"),
    ("RateLimit", None, "response.rs"),
    ("JournalEntry", "journal_entry", "journal/mod.rs"),
    ("WebhookEvent", "webhook_event", "v2/webhooks.rs"),
]
TOP = [m for m, c, _ in MODELS if c]
NESTED = {m for m, c, _ in MODELS}


def fields(model, path):
    text = (CORE / path).read_text()
    m = re.search(r"pub struct " + model + r"\b[^{]*\{(.*?)\n\}", text, re.S)
    if not m:
        sys.exit(f"gen_shapes: struct {model} not found in {path}")
    out = []
    doc = []
    for line in m.group(1).splitlines():
        s = line.strip()
        if s.startswith("///"):
            doc.append(s[3:].strip())
            continue
        f = re.match(r"pub (\w+): (.+),$", s)
        if f:
            out.append((f.group(1), f.group(2), " ".join(doc)))
            doc = []
        elif s and not s.startswith("#") and not s.startswith("//"):
            doc = []
    return out


def camel(name):
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def nested_type(ty):
    for n in sorted(NESTED, key=len, reverse=True):
        if re.search(r"\b" + n + r"\b", ty):
            return n
    return None


def flatten(model, table, prefix=()):
    rows = []
    for name, ty, doc in table[model]:
        path = prefix + (name,)
        inner = nested_type(ty)
        if inner and inner != model and inner not in TOP_ONLY_LINKS:
            rows.append((path, ty, doc, True))
            rows.extend(flatten(inner, table, path))
        else:
            rows.append((path, ty, doc, False))
    return rows


# nested types that are results of their own (not flattened into their parent's C getters)
TOP_ONLY_LINKS = {"Meta", "Network", "Bundle", "Country", "Wallet", "Product", "Service", "TopUp"}


def c_name(prefix, path):
    parts = list(path)
    if len(parts) > 1 and parts[-1] == "value":
        parts = parts[:-1]
    return f"ca_{prefix}_" + "_".join(parts)


def build():
    table = {m: fields(m, p) for m, _, p in MODELS}
    shapes = []
    for model, prefix, _ in MODELS:
        if not prefix:
            continue
        for path, ty, doc, is_group in flatten(model, table):
            shapes.append(
                {
                    "model": model,
                    "rust": ".".join(path),
                    "python": ".".join(path),
                    "node": ".".join(camel(p) for p in path),
                    "c": None if is_group else c_name(prefix, path),
                    "type": ty,
                    "group": is_group,
                    "doc": doc,
                }
            )
    return shapes


def markdown(shapes):
    out = [
        "# One shape in every language",
        "",
        "Generated from the Rust core by `scripts/gen_shapes.py` (do not edit by hand; `--check` runs in the",
        "tests, and each binding's test checks its names against `docs/shapes.json`).",
        "",
        "Every call returns the record itself with its `meta` attached: Rust `Response<T>` (derefs to `T`,",
        "`.meta`), Python the model with `.meta`, Node the object with `.meta`, C the handle with",
        "`ca_<model>_meta()`. Amounts are exact decimals (Python `Decimal`, Node and C decimal strings, C also",
        "`_f64` for display); times are ISO 8601 text plus `_unix_ms` in C.",
        "",
    ]
    model = None
    for s in shapes:
        if s["model"] != model:
            model = s["model"]
            out += ["", f"## {model}", "", "| Rust | Python | Node | C getter | type |", "|---|---|---|---|---|"]
        c = f"`{s['c']}`" if s["c"] else "(group)"
        out.append(f"| `{s['rust']}` | `{s['python']}` | `{s['node']}` | {c} | `{s['type']}` |")
    return "\n".join(out) + "\n"


def main():
    shapes = build()
    md = markdown(shapes)
    js = json.dumps(shapes, indent=1) + "\n"
    targets = {ROOT / "docs" / "SHAPES.md": md, ROOT / "docs" / "shapes.json": js}
    if "--check" in sys.argv:
        stale = [str(p.relative_to(ROOT)) for p, t in targets.items() if not p.exists() or p.read_text() != t]
        if stale:
            sys.exit(f"out of date: {', '.join(stale)}; run scripts/gen_shapes.py")
        print(f"shapes: {len(shapes)} fields up to date")
        return
    (ROOT / "docs").mkdir(exist_ok=True)
    for p, t in targets.items():
        p.write_text(t)
    print(f"wrote {len(shapes)} fields")


if __name__ == "__main__":
    main()
