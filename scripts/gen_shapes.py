#!/usr/bin/env python3
"""The one result shape, generated from the Rust core: every public field of every result type, the helpers on
them, and the fields of the error, with their names in Rust, Python, Node and C. Writes docs/SHAPES.md (for
people) and docs/shapes.json (`{"fields": [...], "helpers": [...], "errors": [...]}`, for each binding's test).
`--check` fails when either file is out of date (run by scripts/test-rust.sh).

Rules (the same everywhere): Rust field `a.b` -> Python attribute `a.b` -> Node `camelCase(a).camelCase(b)`
-> C getter `ca_<model>_<a>_<b>` (a trailing `.value` of an amount is dropped: `ca_topup_amount`). Every
result is the record itself with its `meta` attached (Rust derefs `Response<T>` to `T`; Python `.meta`; Node
`.meta`; C `ca_<model>_meta`).

Helpers: a `pub fn` of a result type (`Transaction::delivered_amount`) or a `pub fn …(&self) -> bool` of a
field's type defined in the model's file (`TopUpStatus::is_terminal`, reached as `topup.status.is_terminal()`) -> Python read-only
property of the same name -> Node property `camelCase(name)` -> C `ca_<model>_<name>`. Every one found in the
core must be listed in HELPERS (and every listed one must exist): the script fails otherwise. Serialisation:
Rust serde derives (read from the struct) -> Python `to_dict()`, `to_json()`, `Model.from_dict(d)` -> Node
nothing (results are plain objects: `JSON.stringify(x)`, `meta` not enumerable) -> C `ca_<model>_to_json`.

Errors: every `pub fn name(&self)` of `impl Error` in core/src/error.rs -> Python exception attribute `name` ->
Node `ClickAirtimeError` property `camelCase(name)` -> C `ca_error_<name>`; plus the listed `ErrorKind`
verdicts (module functions in every binding). Exceptions to these rules are the tables HELPERS, C_TO_JSON,
ERRORS and ERROR_KIND below, each with its reason."""
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

# Helpers of the result types (see the module doc for the rules and how they are found): (model, the field
# whose type holds the method or None for the model's own, the Rust method) -> where a binding differs from the
# rules: its name, or None when it has none (then `note` says what to do instead).
HELPERS = {
    ("TopUp", "status", "is_terminal"): {},
    ("TopUp", "status", "is_success"): {},
    ("Transaction", "state", "is_terminal"): {},
    ("Transaction", "state", "is_success"): {},
    ("Transaction", None, "delivered_amount"): {},
    ("JournalEntry", "state", "is_open"): {},
}

# C's `_to_json` of a model whose name is not `ca_<model>_to_json`: the V1 answer handles (`ca_product` is a
# typedef of `ca_v1_product`, `ca_account_balance` of `ca_v1_balance`); a service only as part of its list.
C_TO_JSON = {
    "Product": "ca_v1_product_to_json",
    "AccountBalance": "ca_v1_balance_to_json",
    "Service": None,
}
C_TO_JSON_NOTE = {"Service": "C: only the whole list, `ca_v1_service_list_to_json`"}

# The error's accessors (`impl Error` in core/src/error.rs) where a binding differs from the rules, or a note
# on what a value means there. Every key must be an accessor of the core (the script fails otherwise).
ERRORS = {
    # the kind is the stable code string everywhere (`ErrorKind::as_str`); C has the `ca_result` number too
    "kind": {
        "python": "code",
        "node": "code",
        "c": "ca_error_code",
        "c_also": ["ca_error_result"],
        "note": "the code string (`ErrorKind::as_str`); Python also raises one exception class per kind; "
        "C `ca_error_result` is the `ca_result`",
    },
    "message": {"note": "bindings carry `e.to_string()`: the kind's label, this message and its context"},
    "http_status": {"note": "C: 0 when none"},
    # Node and C in milliseconds (and the name says so); C tells "said 0" from "said nothing" apart
    "retry_after": {
        "node": "retryAfterMs",
        "c": "ca_error_retry_after_ms",
        "c_also": ["ca_error_has_retry_after"],
        "note": "Python seconds (float); Node and C milliseconds; C `ca_error_has_retry_after`: said or not",
    },
    "cause_kind": {"note": "a code string (Python, Node), a `ca_result` (C)"},
    # no binding has it: they branch on the code
    "is_outcome_unknown": {
        "python": None,
        "node": None,
        "c": None,
        "note": "Python `isinstance(e, OutcomeUnknownError)`; Node `e.code === 'OUTCOME_UNKNOWN'`; "
        "C `ca_error_result(e) == CA_ERR_OUTCOME_UNKNOWN`",
    },
}

# `impl ErrorKind` methods: each is a row of the errors table (functions of the module in every binding), or
# None when another row covers it. Every method of the core must be listed (the script fails otherwise).
ERROR_KIND = {
    "as_str": None,  # the `kind` row: the code string
    "is_definitely_not_sent": {
        "python": "is_definitely_not_sent",
        "node": "isDefinitelyNotSent",
        "c": "ca_result_proves_not_sent",
        "note": "Python takes the error, Node `e.code`, C the `ca_result`",
    },
}


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


def derives(model, path):
    """The serde traits derived by `pub struct model`."""
    text = (CORE / path).read_text()
    m = re.search(r"((?:#\[[^\n]*\]\s*\n)*)pub struct " + model + r"\b", text)
    attrs = m.group(1) if m else ""
    return [t for t in ("Serialize", "Deserialize") if re.search(r"derive\([^)]*\b" + t + r"\b", attrs)]


def impl_fns(type_name, path=None):
    """`pub fn`s with a `self` receiver of every inherent `impl type_name {` of `path` (default: all of
    core/src): [(name, return type, doc)]."""
    out = []
    for f in [CORE / path] if path else sorted(CORE.rglob("*.rs")):
        text = f.read_text()
        for m in re.finditer(r"^impl " + type_name + r" \{\n(.*?)^\}", text, re.S | re.M):
            for fn in re.finditer(r"((?:[ \t]*///[^\n]*\n)*)[ \t]*pub fn (\w+)\(([^)]*)\)\s*(?:->\s*([^{]+?))?\s*\{",
                                  m.group(1)):
                if re.match(r"\s*&?(mut )?self\b", fn.group(3)):
                    doc = " ".join(l.strip()[3:].strip() for l in fn.group(1).splitlines())
                    out.append((fn.group(2), (fn.group(4) or "()").strip(), doc))
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


def build_fields(table):
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


def base_type(ty):
    m = re.fullmatch(r"Option<(.+)>", ty)
    return m.group(1) if m else ty


def row(base, over, keys=("python", "node", "c")):
    """`base` with the binding names of `over` (a name, or None for none) and its note."""
    out = dict(base)
    for k in keys:
        if k in over:
            out[k] = over[k]
    out["c_also"] = over.get("c_also", [])
    out["note"] = over.get("note", "")
    return out


def build_helpers(table):
    found = {}
    for model, prefix, path in MODELS:
        if not prefix:
            continue
        for name, ret, doc in impl_fns(model, path):
            found[(model, None, name)] = (ret, doc)
        # verdicts of the types defined with the model (not of a shared type such as `ErrorKind`)
        for fname, ty, _ in table[model]:
            for name, ret, doc in impl_fns(base_type(ty), path):
                if ret == "bool":
                    found[(model, fname, name)] = (ret, doc)
    missing = sorted(str(k) for k in HELPERS if k not in found)
    unlisted = sorted(str(k) for k in found if k not in HELPERS)
    if missing:
        sys.exit(f"gen_shapes: HELPERS names methods the core does not have: {', '.join(missing)}")
    if unlisted:
        sys.exit(f"gen_shapes: the core has helpers HELPERS does not list: {', '.join(unlisted)}")
    rows = []
    for model, prefix, path in MODELS:
        if not prefix:
            continue
        for (m, via, name), over in HELPERS.items():
            if m != model:
                continue
            ret, doc = found[(m, via, name)]
            base = {"model": model, "helper": name, "kind": "helper",
                    "rust": f"{via}.{name}()" if via else f"{name}()", "python": name, "node": camel(name),
                    "c": f"ca_{prefix}_{name}", "type": ret, "doc": doc}
            rows.append(row(base, over))
        serde = derives(model, path)
        c_json = C_TO_JSON.get(model, f"ca_{prefix}_to_json")
        for helper, rust, py, trait in (
            ("to_json", "serde_json::to_string(&x)", "to_json()", "Serialize"),
            ("to_dict", "serde_json::to_value(&x)", "to_dict()", "Serialize"),
            ("from_dict", f"serde_json::from_value::<{model}>(v)", "from_dict(d)", "Deserialize"),
        ):
            notes = [] if trait in serde else [f"Rust: `{model}` does not derive `{trait}`"]
            if helper == "to_json" and model in C_TO_JSON_NOTE:
                notes.append(C_TO_JSON_NOTE[model])
            notes.append("Node: none needed, results are plain objects (`JSON.stringify(x)`)")
            rows.append({"model": model, "helper": helper, "kind": "serialisation",
                         "rust": rust if trait in serde else None, "python": py, "node": None,
                         "c": c_json if helper == "to_json" else None, "type": "", "doc": "",
                         "c_also": [], "note": "; ".join(notes)})
    return rows


def build_errors():
    accessors = impl_fns("Error")
    names = {n for n, _, _ in accessors}
    stale = sorted(set(ERRORS) - names)
    if stale:
        sys.exit(f"gen_shapes: ERRORS names accessors core/src/error.rs does not have: {', '.join(stale)}")
    rows = []
    for name, ret, doc in accessors:
        base = {"rust": f"e.{name}()", "on": "error", "python": name, "node": camel(name),
                "c": f"ca_error_{name}", "type": ret, "doc": doc}
        rows.append(row(base, ERRORS.get(name, {})))
    kind_fns = impl_fns("ErrorKind")
    kinds = {n for n, _, _ in kind_fns}
    if set(ERROR_KIND) != kinds:
        sys.exit(f"gen_shapes: ERROR_KIND and `impl ErrorKind` differ: {sorted(set(ERROR_KIND) ^ kinds)}")
    for name, ret, doc in kind_fns:
        if ERROR_KIND[name] is None:
            continue
        base = {"rust": f"e.kind().{name}()", "on": "module", "type": ret, "doc": doc}
        rows.append(row(base, ERROR_KIND[name]))
    return rows


def build():
    table = {m: fields(m, p) for m, _, p in MODELS}
    return {"fields": build_fields(table), "helpers": build_helpers(table), "errors": build_errors()}


def cell(name):
    return f"`{name}`" if name else "—"


def markdown(data):
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
    for s in data["fields"]:
        if s["model"] != model:
            model = s["model"]
            out += ["", f"## {model}", "", "| Rust | Python | Node | C getter | type |", "|---|---|---|---|---|"]
        c = f"`{s['c']}`" if s["c"] else "(group)"
        out.append(f"| `{s['rust']}` | `{s['python']}` | `{s['node']}` | {c} | `{s['type']}` |")
    out += [
        "",
        "## Helpers",
        "",
        "What the core concludes from a record, the same in every binding: Python read-only properties, Node",
        "properties, C functions taking the handle. — means the binding has none (the note says what to use).",
        "",
        "| model | Rust | Python | Node | C | type | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for h in (h for h in data["helpers"] if h["kind"] == "helper"):
        out.append(f"| {h['model']} | `{h['rust']}` | {cell(h['python'])} | {cell(h['node'])} | {cell(h['c'])} "
                   f"| `{h['type']}` | {h['note']} |")
    out += [
        "",
        "### Serialisation",
        "",
        "Rust: the serde derives of the model (`serde_json::to_string(&x)` / `to_value` / `from_value`). Python:",
        "`x.to_dict()` (JSON-ready: decimals and times as text), `x.to_json()`, `Model.from_dict(d)`. Node: none",
        "needed, results are plain objects (`JSON.stringify(x)`; `meta` is not enumerable). C: `ca_<model>_to_json`",
        "(a new string, released with `ca_string_free`).",
        "",
        "| model | Rust | Python | Node | C | note |",
        "|---|---|---|---|---|---|",
    ]
    by_model = {}
    for h in (h for h in data["helpers"] if h["kind"] == "serialisation"):
        by_model.setdefault(h["model"], []).append(h)
    for model, hs in by_model.items():
        rust = [t for t, h in (("Serialize", hs[0]), ("Deserialize", hs[2])) if h["rust"]]
        lacks = [f"`{t}`" for t in ("Serialize", "Deserialize") if t not in rust]
        notes = [f"Rust: `{model}` does not derive {' or '.join(lacks)}"] if lacks else []
        notes += [n for h in hs for n in h["note"].split("; ") if n.startswith("C:")]
        out.append(f"| {model} | {' + '.join(rust) or '—'} | {' '.join(cell(h['python']) for h in hs)} | — "
                   f"| {cell(hs[0]['c'])} | {'; '.join(notes)} |")
    out += [
        "",
        "## Errors",
        "",
        "Every failure is the core's `Error`: Python a `ClickAirtimeError` subclass (one per kind), Node a",
        "`ClickAirtimeError`, C a `ca_error *` (from `error_out`). The five ends of a send are told apart by",
        "its kind and these fields: success (a result; `meta.origin`), not sent (`is_definitely_not_sent`),",
        "refused for another sale (`DUPLICATE_SALE`, `REFERENCE_CONFLICT`: `transaction_id`,",
        "`existing_reference`), still pending (`STILL_PENDING`: `transaction_id`, `status`), outcome unknown",
        "(`OUTCOME_UNKNOWN`: `reference`, `idempotency_key`, `cause_kind`). Absent values are `None` (Python),",
        "left out (Node), NULL (C). Bulk runs add `row_errors` (Python) / `rowErrors` (Node) to `INVALID_INPUT`.",
        "",
        "| Rust | Python | Node | C | type | note |",
        "|---|---|---|---|---|---|",
    ]
    for e in data["errors"]:
        c = ", ".join(cell(n) for n in ([e["c"]] if e["c"] else []) + e["c_also"]) or "—"
        py, node = cell(e["python"]), cell(e["node"])
        if e["on"] == "module":
            py, node = f"{py} (function)" if e["python"] else py, f"{node} (function)" if e["node"] else node
        out.append(f"| `{e['rust']}` | {py} | {node} | {c} | `{e['type']}` | {e['note']} |")
    return "\n".join(out) + "\n"


def main():
    data = build()
    md = markdown(data)
    js = json.dumps(data, indent=1) + "\n"
    targets = {ROOT / "docs" / "SHAPES.md": md, ROOT / "docs" / "shapes.json": js}
    counts = ", ".join(f"{len(v)} {k}" for k, v in data.items())
    if "--check" in sys.argv:
        stale = [str(p.relative_to(ROOT)) for p, t in targets.items() if not p.exists() or p.read_text() != t]
        if stale:
            sys.exit(f"out of date: {', '.join(stale)}; run scripts/gen_shapes.py")
        print(f"shapes: {counts} up to date")
        return
    (ROOT / "docs").mkdir(exist_ok=True)
    for p, t in targets.items():
        p.write_text(t)
    print(f"wrote {counts}")


if __name__ == "__main__":
    main()
