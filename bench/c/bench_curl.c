/* The C baseline: what a C point-of-sale would write without the SDK — libcurl's easy interface, one handle
 * kept alive (connection reuse), jansson to decode the answer into a C struct with the fields a POS reads.
 * Same work as bench_sdk.c: GET a top-up and decode it; POST a top-up (Bearer key, Idempotency-Key, JSON
 * body) and decode the answer. */
#include "harness.h"
#include <curl/curl.h>
#include <jansson.h>

typedef struct {
    char id[64], status[24], phone[24], currency[8], reference[128], created_at[40];
    double amount, cost;
} topup_t;

typedef struct {
    CURL *h;
    const opts_t *o;
    char get_url[512], post_url[512], auth[256], tag[64];
    char *body;
    size_t len, cap;
    struct curl_slist *get_headers;
    uint64_t rng;
} conn_t;

static size_t on_data(char *p, size_t size, size_t n, void *ud) {
    conn_t *c = ud;
    size_t add = size * n;
    if (c->len + add + 1 > c->cap) {
        c->cap = (c->len + add + 1) * 2;
        c->body = realloc(c->body, c->cap);
    }
    memcpy(c->body + c->len, p, add);
    c->len += add;
    return add;
}

static void copy_str(char *dst, size_t cap, json_t *v) {
    const char *s = json_is_string(v) ? json_string_value(v) : "";
    snprintf(dst, cap, "%s", s);
}

/* Decode an envelope {"success":true,"data":{…}} into t; 0 on success. */
static int decode(conn_t *c, topup_t *t, char *err) {
    json_error_t je;
    json_t *root = json_loadb(c->body, c->len, 0, &je);
    if (!root) {
        snprintf(err, 256, "bad JSON: %s", je.text);
        return 1;
    }
    json_t *d = json_object_get(root, "data");
    if (!json_is_object(d)) {
        json_decref(root);
        snprintf(err, 256, "no data object");
        return 1;
    }
    copy_str(t->id, sizeof t->id, json_object_get(d, "id"));
    copy_str(t->status, sizeof t->status, json_object_get(d, "status"));
    copy_str(t->phone, sizeof t->phone, json_object_get(d, "phone_number"));
    copy_str(t->reference, sizeof t->reference, json_object_get(d, "reference"));
    copy_str(t->created_at, sizeof t->created_at, json_object_get(d, "created_at"));
    json_t *a = json_object_get(d, "amount"), *k = json_object_get(d, "cost");
    t->amount = json_number_value(json_object_get(a, "value"));
    copy_str(t->currency, sizeof t->currency, json_object_get(a, "currency"));
    t->cost = json_number_value(json_object_get(k, "value"));
    json_decref(root);
    return 0;
}

static conn_t *conn_new(const opts_t *o, const char *tag) {
    conn_t *c = calloc(1, sizeof *c);
    c->o = o;
    c->h = curl_easy_init();
    if (!c->h) die("curl_easy_init failed");
    snprintf(c->get_url, sizeof c->get_url, "%s/v2/topups/%s", o->url, o->id);
    snprintf(c->post_url, sizeof c->post_url, "%s/v2/topups", o->url);
    snprintf(c->auth, sizeof c->auth, "Authorization: Bearer %s", o->key);
    snprintf(c->tag, sizeof c->tag, "%s", tag);
    c->get_headers = curl_slist_append(NULL, c->auth);
    c->get_headers = curl_slist_append(c->get_headers, "Accept: application/json");
    c->rng = (uint64_t)now_ns() ^ (uint64_t)(uintptr_t)c;
    curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c->h, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(c->h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(c->h, CURLOPT_TIMEOUT_MS, 30000L);
    curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c->h, CURLOPT_USERAGENT, "bench-curl");
    return c;
}

static int perform(conn_t *c, long want, char *err) {
    c->len = 0;
    CURLcode rc = curl_easy_perform(c->h);
    if (rc != CURLE_OK) {
        snprintf(err, 256, "curl: %s", curl_easy_strerror(rc));
        return 1;
    }
    long status = 0;
    curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &status);
    if (status != want) {
        snprintf(err, 256, "HTTP %ld", status);
        return 1;
    }
    return 0;
}

static int call_get(void *ctx, long i, char *err) {
    (void)i;
    conn_t *c = ctx;
    curl_easy_setopt(c->h, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(c->h, CURLOPT_URL, c->get_url);
    curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->get_headers);
    if (perform(c, 200, err)) return 1;
    topup_t t;
    if (decode(c, &t, err)) return 1;
    if (strcmp(t.id, c->o->id) || t.amount != atof(c->o->amount)) {
        snprintf(err, 256, "GET: wrong data: id %s amount %g", t.id, t.amount);
        return 1;
    }
    return 0;
}

static uint64_t next_rand(conn_t *c) {
    c->rng ^= c->rng << 13;
    c->rng ^= c->rng >> 7;
    c->rng ^= c->rng << 17;
    return c->rng;
}

static int call_post(void *ctx, long i, char *err) {
    conn_t *c = ctx;
    char reference[96], body[512], key[80];
    const char *fixed = getenv("BENCH_REFERENCE"); /* bench/run.sh: nginx answers every POST with it */
    if (fixed && *fixed)
        snprintf(reference, sizeof reference, "%s", fixed);
    else
        snprintf(reference, sizeof reference, "%s-%ld", c->tag, i);
    int blen = post_body(body, sizeof body, c->o->amount, reference);
    uint64_t a = next_rand(c), b = next_rand(c);
    snprintf(key, sizeof key, "Idempotency-Key: %08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
             (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff, (unsigned)((b >> 48) & 0x3fff) | 0x8000,
             (unsigned long long)(b & 0xffffffffffffull));
    struct curl_slist *h = curl_slist_append(NULL, c->auth);
    h = curl_slist_append(h, "Accept: application/json");
    h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(h, key);
    curl_easy_setopt(c->h, CURLOPT_URL, c->post_url);
    curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c->h, CURLOPT_POSTFIELDSIZE, (long)blen);
    int r = perform(c, 201, err);
    curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->get_headers);
    curl_slist_free_all(h);
    if (r) return 1;
    topup_t t;
    if (decode(c, &t, err)) return 1;
    if (!t.id[0] || t.amount != atof(c->o->amount)) {
        snprintf(err, 256, "POST: wrong data: id %s amount %g", t.id, t.amount);
        return 1;
    }
    return 0;
}

static void conn_free(conn_t *c) {
    curl_slist_free_all(c->get_headers);
    curl_easy_cleanup(c->h);
    free(c->body);
    free(c);
}

int main(int argc, char **argv) {
    opts_t o = parse_opts(argc, argv);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    conn_t *c = conn_new(&o, o.tag);
    run_sequential("get", &o, call_get, c);
    run_sequential("post", &o, call_post, c);
    if (o.rss_calls > 0) run_rss(&o, call_get, c);
    conn_free(c);
    if (o.conc > 0 && o.conc_calls > 0) {
        void **ctxs = calloc((size_t)o.conc, sizeof *ctxs);
        for (long w = 0; w < o.conc; w++) {
            char tag[64];
            snprintf(tag, sizeof tag, "%s-c%ld", o.tag, w);
            ctxs[w] = conn_new(&o, tag);
        }
        run_concurrent("get", &o, call_get, ctxs);
        run_concurrent("post", &o, call_post, ctxs);
        for (long w = 0; w < o.conc; w++) conn_free(ctxs[w]);
        free(ctxs);
    }
    curl_global_cleanup();
    return finish(&o, "libcurl");
}
