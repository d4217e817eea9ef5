#!/usr/bin/env python3
"""Generate a C misuse test from include/clickairtime.h.

For every function of the header, with every other argument valid (live fixtures made against the sandbox):
- each pointer argument the docs do not say "may be NULL" is passed NULL: the call must return
  CA_ERR_NULL_ARGUMENT, name that argument in ca_error_field, and leave every output untouched;
- each `const char *` argument is passed invalid UTF-8: CA_ERR_INVALID_UTF8, naming the argument;
- each argument documented as "may be NULL" is passed NULL: any result but CA_ERR_NULL_ARGUMENT;
- getters and *_free are called with NULL handles: pointer getters return NULL, double getters NaN.
At the end the sandbox must hold only the fixtures' transactions: no misuse sent anything.

usage: gen_misuse.py include/clickairtime.h > target/c/test_misuse.c
"""
import re
import sys

header = open(sys.argv[1]).read()

# (doc, prototype) pairs
protos = []
for m in re.finditer(r"/\*\*(?P<doc>(?:(?!\*/).)*)\*/\s*(?P<proto>[^;{}#/]*?\bca_\w+\s*\([^;]*?\));", header, re.S):
    doc = re.sub(r"\s*\n\s*\*\s?", " ", m.group("doc"))
    protos.append((doc, " ".join(m.group("proto").split())))

FIXTURE = {
    "ca_v2_client": "fx.v2", "ca_v1_client": "fx.v1", "ca_client_options": "fx.copts",
    "ca_v2_topup_request": "fx.req2", "ca_v2_topup_filter": "fx.filter", "ca_v1_topup_request": "fx.req1",
    "ca_sandbox": "fx.sb", "ca_sandbox_options": "fx.sopts", "ca_topup": "fx.topup",
    "ca_topup_list": "fx.topups", "ca_catalog": "fx.catalog", "ca_network_list": "fx.networks",
    "ca_country_list": "fx.countries", "ca_balance": "fx.balance", "ca_wallet": "fx.wallet",
    "ca_webhook_event": "fx.event", "ca_transaction": "fx.tx", "ca_transaction_list": "fx.txs",
    "ca_v1_service_list": "fx.services", "ca_v1_product": "fx.product", "ca_v1_product_list": "fx.products",
    "ca_v1_balance": "fx.v1balance", "ca_v1_balance_list": "fx.v1balances", "ca_meta": "fx.meta",
    "ca_error": "fx.error", "ca_journal_list": "fx.jlist", "ca_journal_entry": "fx.jentry",
    "ca_cancel": "fx.cancel", "ca_bulk_options": "fx.bopts", "ca_bulk_report": "fx.breport",
    "ca_bulk_row": "fx.brow", "ca_network": "fx.network", "ca_bundle": "fx.bundle", "ca_country": "fx.country",
    "ca_service": "fx.service", "ca_product": "fx.product", "ca_account_balance": "fx.v1balance",
}
SKIP = {"ca_test_panic", "ca_version", "ca_result_name", "ca_bulk_outcome_name"}


def parse(proto):
    m = re.match(r"(?P<ret>.*?)\b(?P<name>ca_\w+)\s*\((?P<params>.*)\)$", proto)
    params = []
    for p in [x.strip() for x in m.group("params").split(",") if x.strip() and x.strip() != "void"]:
        pm = re.match(r"(?P<type>.*?)(?P<name>\w+)$", p)
        params.append((" ".join(pm.group("type").replace("*", " * ").split()), pm.group("name")))
    return m.group("ret").strip(), m.group("name"), params


def nullable(doc, pname):
    return bool(re.search(r"`%s`[^.;]*?may be NULL" % pname, doc) or re.search(r"`%s`\s*\(NULL" % pname, doc)
                or re.search(r"\(`%s` NULL\)" % pname, doc))


def base(t):
    return t.replace("const", "").replace("*", "").strip()


def is_ptr(t):
    return "*" in t


def valid_arg(t, name, i):
    """C expression of a valid value for parameter `name` of type t; out-pointers use slot i."""
    stars = t.count("*")
    b = base(t)
    if name == "error_out":
        return "&err"
    if stars == 2:
        return "(%s **)&out[%d]" % (b, i) if b != "char" else "(char **)&out[%d]" % i
    if stars == 1:
        if b == "char" and t.startswith("const"):
            return '"x"'
        if b == "char":
            return "buf"
        if b == "uint8_t":
            return '(const uint8_t *)"{}"'
        if b == "void":
            return "NULL"
        if b in ("size_t", "int64_t", "uint64_t", "uint32_t", "bool"):
            return "(%s *)&scalar_out[%d]" % (b, i)
        return "(%s)%s" % (t, FIXTURE[b])
    if b.endswith("_fn"):
        return "NULL"
    if name == "buf_len":
        return "sizeof buf"
    if name in ("body_len", "pem_len"):
        return "2"
    if b == "double":
        return "1.0"
    if b == "bool":
        return "false"
    if name == "index":
        return "0"
    return "1"


lines = []
emit = lines.append
count_calls = 0

for doc, proto in protos:
    ret, fname, params = parse(proto)
    if fname in SKIP:
        continue
    returns_result = ret == "ca_result" and any(n == "error_out" for _, n in params)
    ptr_idx = [i for i, (t, n) in enumerate(params) if is_ptr(t) and n != "error_out"]
    outs = [(i, base(t)) for i, (t, n) in enumerate(params) if t.count("*") == 2 and n != "error_out"]

    def call(args):
        return "%s(%s)" % (fname, ", ".join(args))

    if fname.endswith("_free"):
        emit("    %s(NULL);" % fname)
        count_calls += 1
        continue

    variants = []
    for i in ptr_idx:
        t, n = params[i]
        if returns_result:
            kind = "nullable" if nullable(doc, n) else "null"
        else:
            kind = "getter_null"
        variants.append((i, "NULL", kind))
        if returns_result and base(t) == "char" and t.startswith("const"):
            variants.append((i, '"\\xff\\xfe"', "utf8"))
    for i, value, kind in variants:
        args = [valid_arg(t, n, j) for j, (t, n) in enumerate(params)]
        args[i] = value
        t, n = params[i]
        count_calls += 1
        emit("    /* %s: %s = %s */" % (fname, n, "invalid UTF-8" if kind == "utf8" else "NULL"))
        emit("    reset_outs();")
        if not returns_result:
            if ret.endswith("*"):
                emit('    if (%d == 0) CHECKM(%s == NULL, "%s(NULL handle) returns NULL");' % (i, call(args), fname))
            elif ret == "double":
                emit('    if (%d == 0) CHECKM(isnan(%s), "%s(NULL handle) returns NaN");' % (i, call(args), fname))
            else:
                emit("    (void)%s;" % call(args))
            continue
        emit("    rc = %s;" % call(args))
        if kind == "nullable":
            emit('    CHECKM(rc != CA_ERR_NULL_ARGUMENT, "%s accepts NULL %s");' % (fname, n))
            emit("    free_outs_%s(rc);" % fname)
        else:
            want = "CA_ERR_NULL_ARGUMENT" if kind == "null" else "CA_ERR_INVALID_UTF8"
            emit('    expect(rc, %s, "%s", "%s");' % (want, fname, n))
            emit('    CHECKM(outs_untouched(), "%s leaves outputs untouched on failure");' % fname)
    # a helper that frees what a successful call wrote
    fn = ["static void free_outs_%s(ca_result rc) {" % fname, "    if (rc != CA_OK) { ca_error_free(err); err = NULL; return; }"]
    for i, b in outs:
        if b == "char":
            fn.append("    if (out[%d] != SENTINEL) ca_string_free((char *)out[%d]);" % (i, i))
        else:
            fn.append("    if (out[%d] != SENTINEL) %s_free((%s *)out[%d]);" % (i, b, b, i))
    fn.append("}")
    if any(kind == "nullable" for _, _, kind in variants):
        lines.insert(0, "\n".join(fn))

helpers = [l for l in lines if l.startswith("static void free_outs_")]
body = [l for l in lines if not l.startswith("static void free_outs_")]

print(r'''/* GENERATED by tests/c/gen_misuse.py from include/clickairtime.h: do not edit. */
#define _POSIX_C_SOURCE 200809L
#include "test_common.h"

#define SENTINEL ((void *)&fx)
#define CHECKM(cond, what)                                                 \
    do {                                                                   \
        ca_t_checks++;                                                     \
        if (!(cond)) {                                                     \
            ca_t_failures++;                                               \
            fprintf(stderr, "FAIL: %s\n", what);                           \
        }                                                                  \
    } while (0)

static struct {
    ca_sandbox *sb; ca_sandbox_options *sopts; ca_v2_client *v2; ca_v1_client *v1; ca_client_options *copts;
    ca_v2_topup_request *req2; ca_v2_topup_filter *filter; ca_v1_topup_request *req1;
    ca_topup *topup; ca_topup_list *topups; ca_catalog *catalog; ca_network_list *networks;
    ca_country_list *countries; ca_balance *balance; ca_wallet *wallet; ca_webhook_event *event;
    ca_transaction *tx; ca_transaction_list *txs; ca_v1_service_list *services; ca_v1_product *product;
    ca_v1_product_list *products; ca_v1_balance *v1balance; ca_v1_balance_list *v1balances;
    const ca_meta *meta; ca_error *error; ca_journal_list *jlist; ca_journal_entry *jentry;
    ca_cancel *cancel; ca_bulk_options *bopts; ca_bulk_report *breport; const ca_bulk_row *brow;
    const ca_network *network; const ca_bundle *bundle; const ca_country *country; const ca_service *service;
} fx;
static char journal_path[128];
static ca_error *err = NULL;
static void *out[12];
static uint64_t scalar_out[12];
static char buf[128];
static ca_result rc;

static void reset_outs(void) {
    for (int i = 0; i < 12; i++) { out[i] = SENTINEL; scalar_out[i] = 0xABABABABu; }
    memset(buf, 'Q', sizeof buf);
    ca_error_free(err);
    err = NULL;
}

static int outs_untouched(void) {
    for (int i = 0; i < 12; i++) if (out[i] != SENTINEL || scalar_out[i] != 0xABABABABu) return 0;
    return buf[0] == 'Q';
}

static void expect(ca_result got, ca_result want, const char *fn, const char *arg) {
    ca_t_checks++;
    if (got != want || err == NULL || ca_error_result(err) != want || ca_error_field(err) == NULL ||
        strcmp(ca_error_field(err), arg) != 0) {
        ca_t_failures++;
        fprintf(stderr, "FAIL: %s with bad %s: %s (want %s), field %s\n", fn, arg, ca_result_name(got),
                ca_result_name(want), err && ca_error_field(err) ? ca_error_field(err) : "-");
    }
    ca_error_free(err);
    err = NULL;
}

#define OK(call)                                                                     \
    do {                                                                             \
        if ((call) != CA_OK) {                                                       \
            fprintf(stderr, "fixture failed: %s: %s\n", #call, ca_error_message(err)); \
            exit(2);                                                                 \
        }                                                                            \
    } while (0)

static void make_fixtures(void) {
    OK(ca_sandbox_options_new(&fx.sopts, &err));
    OK(ca_sandbox_start_with(fx.sopts, &fx.sb, &err));
    OK(ca_client_options_new(&fx.copts, &err));
    OK(ca_client_options_set_base_url(fx.copts, ca_sandbox_base_url(fx.sb), &err));
    /* the clients keep a journal, so its entries and lists are live fixtures too */
    snprintf(journal_path, sizeof journal_path, "/tmp/ca-test-misuse-%ld.journal", (long)getpid());
    ca_t_remove_journal(journal_path);
    OK(ca_client_options_set_journal(fx.copts, journal_path, &err));
    OK(ca_v2_client_new(ca_sandbox_api_key(fx.sb), fx.copts, &fx.v2, &err));
    OK(ca_v1_client_new(ca_sandbox_v1_email(fx.sb), ca_sandbox_v1_token(fx.sb), fx.copts, &fx.v1, &err));
    OK(ca_v2_topup_request_new_amount("+233541112259", 42, "10", "GHS", &fx.req2, &err));
    OK(ca_v2_topup_filter_new(&fx.filter, &err));
    OK(ca_v1_topup_request_new_amount("233541112259", "5", &fx.req1, &err));
    OK(ca_v2_topup_create(fx.v2, fx.req2, &fx.topup, &err));
    OK(ca_v2_topup_list(fx.v2, NULL, &fx.topups, &err));
    OK(ca_v2_lookup(fx.v2, "+233541112259", 0, &fx.catalog, &err));
    OK(ca_v2_networks(fx.v2, NULL, &fx.networks, &err));
    OK(ca_v2_countries(fx.v2, &fx.countries, &err));
    OK(ca_v2_balance(fx.v2, &fx.balance, &err));
    OK(ca_v2_wallet(fx.v2, ca_wallet_id(ca_balance_wallet(fx.balance, 0)), &fx.wallet, &err));
    OK(ca_webhook_parse((const uint8_t *)"{\"id\":\"a\",\"status\":\"completed\"}", 31, &fx.event, &err));
    OK(ca_v1_send_topup(fx.v1, fx.req1, &fx.tx, &err));
    OK(ca_v1_transactions(fx.v1, NULL, "233541112259", NULL, &fx.txs, &err));
    OK(ca_v1_product_catalog(fx.v1, &fx.services, &err));
    OK(ca_v1_get_product(fx.v1, 4201, &fx.product, &err));
    OK(ca_v1_products(fx.v1, 42, &fx.products, &err));
    OK(ca_v1_balances(fx.v1, &fx.v1balances, &err));
    OK(ca_v1_get_balance(fx.v1, ca_v1_balance_account_id(ca_v1_balance_list_get(fx.v1balances, 0)), &fx.v1balance, &err));
    fx.meta = ca_topup_meta(fx.topup);
    OK(ca_v2_client_pending(fx.v2, &fx.jlist, &err));
    OK(ca_v2_client_journal_entry(fx.v2, ca_meta_reference(fx.meta), &fx.jentry, &err));
    if (fx.jentry == NULL) exit(2);
    if (ca_test_panic(&fx.error) != CA_ERR_PANIC) exit(2);
    OK(ca_cancel_new(&fx.cancel, &err));
    OK(ca_bulk_options_new(&fx.bopts, &err));
    /* a bulk file with a header and no row: a live report that sent nothing */
    OK(ca_v2_bulk_run(fx.v2, "misuse.csv", (const uint8_t *)"phone,amount,currency\n", 22, fx.bopts, NULL, NULL,
                      fx.cancel, &fx.breport, &err));
    fx.brow = ca_bulk_report_get(fx.breport, 0);
    fx.network = ca_network_list_get(fx.networks, 0);
    fx.bundle = ca_catalog_products_fixed_bundles(fx.catalog, 0);
    fx.country = ca_country_list_get(fx.countries, 0);
    fx.service = ca_v1_service_list_get(fx.services, 0);
    if (!fx.network || !fx.bundle || !fx.country || !fx.service) exit(2);
}

static void free_fixtures(void) {
    ca_bulk_report_free(fx.breport); ca_bulk_options_free(fx.bopts); ca_cancel_free(fx.cancel);
    ca_journal_entry_free(fx.jentry); ca_journal_list_free(fx.jlist);
    ca_error_free(fx.error); ca_v1_balance_free(fx.v1balance); ca_v1_balance_list_free(fx.v1balances);
    ca_v1_product_list_free(fx.products); ca_v1_product_free(fx.product); ca_v1_service_list_free(fx.services);
    ca_transaction_list_free(fx.txs); ca_transaction_free(fx.tx); ca_webhook_event_free(fx.event);
    ca_wallet_free(fx.wallet); ca_balance_free(fx.balance); ca_country_list_free(fx.countries);
    ca_network_list_free(fx.networks); ca_catalog_free(fx.catalog); ca_topup_list_free(fx.topups);
    ca_topup_free(fx.topup); ca_v1_topup_request_free(fx.req1); ca_v2_topup_filter_free(fx.filter);
    ca_v2_topup_request_free(fx.req2); ca_v1_client_free(fx.v1); ca_v2_client_free(fx.v2);
    ca_client_options_free(fx.copts); ca_sandbox_free(fx.sb); ca_sandbox_options_free(fx.sopts);
    ca_t_remove_journal(journal_path);
}
''')
print("\n".join(helpers))
print("\nint main(void) {\n    make_fixtures();")
print("\n".join(body))
print(r'''
    /* no misuse sent a top-up: only the fixtures' two sales exist */
    size_t n1 = 0, n2 = 0;
    OK(ca_sandbox_transaction_count(fx.sb, "v1", &n1, &err));
    OK(ca_sandbox_transaction_count(fx.sb, "v2", &n2, &err));
    CHECKM(n1 == 1 && n2 == 1, "misuse sent nothing");
    ca_error_free(err);
    free_fixtures();
    printf("(%d misuse calls generated)\n", ''' + str(count_calls) + r''');
    return ca_t_summary("test_misuse");
}''')
