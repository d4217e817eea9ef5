/* The C side of this SDK: libclickairtime through include/clickairtime.h. GET a top-up and read the fields a
 * POS reads (as bench_curl.c decodes them into its struct); POST a top-up (money-safe create: the SDK adds
 * the Idempotency-Key and checks the answer) and read the same fields. The concurrent phase shares one
 * client between the threads (the client is thread-safe). */
#include "harness.h"
#include "clickairtime.h"

typedef struct {
    char id[64], status[24], phone[24], currency[8], reference[128], created_at[40];
    double amount, cost;
} topup_t;

typedef struct {
    const opts_t *o;
    ca_v2_client *client;
    char tag[64];
} ctx_t;

static void copy_str(char *dst, size_t cap, const char *s) { snprintf(dst, cap, "%s", s ? s : ""); }

static void read_topup(const ca_topup *h, topup_t *t) {
    copy_str(t->id, sizeof t->id, ca_topup_id(h));
    copy_str(t->status, sizeof t->status, ca_topup_status(h));
    copy_str(t->phone, sizeof t->phone, ca_topup_phone_number(h));
    copy_str(t->reference, sizeof t->reference, ca_topup_reference(h));
    copy_str(t->created_at, sizeof t->created_at, ca_topup_created_at(h));
    t->amount = ca_topup_amount_f64(h);
    copy_str(t->currency, sizeof t->currency, ca_topup_amount_currency(h));
    t->cost = ca_topup_cost_f64(h);
}

static int fail(ca_result r, ca_error *e, const char *what, char *err) {
    snprintf(err, 256, "%s: %s: %s", what, ca_result_name(r), e ? ca_error_message(e) : "");
    ca_error_free(e);
    return 1;
}

static int call_get(void *vctx, long i, char *err) {
    (void)i;
    ctx_t *c = vctx;
    ca_topup *h = NULL;
    ca_error *e = NULL;
    ca_result r = ca_v2_topup_get(c->client, c->o->id, &h, &e);
    if (r != CA_OK) return fail(r, e, "GET", err);
    topup_t t;
    read_topup(h, &t);
    ca_topup_free(h);
    if (strcmp(t.id, c->o->id) || t.amount != atof(c->o->amount)) {
        snprintf(err, 256, "GET: wrong data: id %s amount %g", t.id, t.amount);
        return 1;
    }
    return 0;
}

static int call_post(void *vctx, long i, char *err) {
    ctx_t *c = vctx;
    char reference[96];
    const char *fixed = getenv("BENCH_REFERENCE"); /* bench/run.sh: nginx answers every POST with it */
    if (fixed && *fixed)
        snprintf(reference, sizeof reference, "%s", fixed);
    else
        snprintf(reference, sizeof reference, "%s-%ld", c->tag, i);
    ca_v2_topup_request *req = NULL;
    ca_topup *h = NULL;
    ca_error *e = NULL;
    ca_result r = ca_v2_topup_request_new_amount("+233541112259", 42, c->o->amount, "GHS", &req, &e);
    if (r == CA_OK) r = ca_v2_topup_request_set_reference(req, reference, &e);
    if (r == CA_OK) r = ca_v2_topup_create(c->client, req, &h, &e);
    ca_v2_topup_request_free(req);
    if (r != CA_OK) return fail(r, e, "POST", err);
    topup_t t;
    read_topup(h, &t);
    ca_topup_free(h);
    if (!t.id[0] || t.amount != atof(c->o->amount)) {
        snprintf(err, 256, "POST: wrong data: id %s amount %g", t.id, t.amount);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    opts_t o = parse_opts(argc, argv);
    ca_client_options *opts = NULL;
    ca_v2_client *client = NULL;
    ca_error *e = NULL;
    /* libphonenumber's rules loaded on this thread before the client exists (see rust_client.rs) */
    char e164[32];
    if (ca_phone_to_e164("+233541112259", e164, sizeof e164, NULL, NULL) != CA_OK) return 2;
    if (ca_client_options_new(&opts, &e) != CA_OK || ca_client_options_set_base_url(opts, o.url, &e) != CA_OK ||
        ca_v2_client_new(o.key, opts, &client, &e) != CA_OK) {
        fprintf(stderr, "bench: client: %s\n", e ? ca_error_message(e) : "?");
        return 2;
    }
    ca_client_options_free(opts);
    ctx_t c = {&o, client, ""};
    snprintf(c.tag, sizeof c.tag, "%s", o.tag);
    run_sequential("get", &o, call_get, &c);
    run_sequential("post", &o, call_post, &c);
    if (o.rss_calls > 0) run_rss(&o, call_get, &c);
    if (o.conc > 0 && o.conc_calls > 0) {
        ctx_t *cs = calloc((size_t)o.conc, sizeof *cs);
        void **ctxs = calloc((size_t)o.conc, sizeof *ctxs);
        for (long w = 0; w < o.conc; w++) {
            cs[w] = (ctx_t){&o, client, ""};
            snprintf(cs[w].tag, sizeof cs[w].tag, "%s-c%ld", o.tag, w);
            ctxs[w] = &cs[w];
        }
        run_concurrent("get", &o, call_get, ctxs);
        run_concurrent("post", &o, call_post, ctxs);
        free(ctxs);
        free(cs);
    }
    ca_v2_client_free(client);
    return finish(&o, "clickairtime");
}
