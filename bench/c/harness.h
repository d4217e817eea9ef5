/* Shared harness of the C benchmark sides (bench_sdk.c, bench_curl.c): the common command line, the
 * sequential / concurrent / memory loops (bounded in count and time), percentiles, RSS and the JSON result
 * file in the same shape as every other language's side (see bench/README.md). Header-only. */
#ifndef BENCH_HARNESS_H
#define BENCH_HARNESS_H

#define _GNU_SOURCE
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    const char *url, *key, *server, *id, *amount, *out, *tag, *ops;
    long n, warmup, conc, conc_calls, rss_calls;
    double max_seconds;
} opts_t;

/* One call: returns 0 on success, else writes a message into err (size 256). `ctx` is the worker's. */
typedef int (*call_fn)(void *ctx, long i, char *err);

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void die(const char *msg) {
    fprintf(stderr, "bench: %s\n", msg);
    exit(2);
}

static opts_t parse_opts(int argc, char **argv) {
    opts_t o = {0};
    o.key = "ce_live_bench000000000000000000000000000";
    o.server = "canned";
    o.id = "a1b2c3d4-e5f6-7890-abcd-ef1234567890";
    o.amount = "50";
    o.tag = "bench";
    o.ops = "";
    o.n = 2000;
    o.warmup = 200;
    o.max_seconds = 60;
    o.out = "";
    o.url = "";
    for (int i = 1; i < argc; i += 2) {
        const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
        if (!strcmp(k, "--url")) o.url = v;
        else if (!strcmp(k, "--key")) o.key = v;
        else if (!strcmp(k, "--server")) o.server = v;
        else if (!strcmp(k, "--id")) o.id = v;
        else if (!strcmp(k, "--amount")) o.amount = v;
        else if (!strcmp(k, "--out")) o.out = v;
        else if (!strcmp(k, "--tag")) o.tag = v;
        else if (!strcmp(k, "--ops")) o.ops = v;
        else if (!strcmp(k, "--n")) o.n = atol(v);
        else if (!strcmp(k, "--warmup")) o.warmup = atol(v);
        else if (!strcmp(k, "--conc")) o.conc = atol(v);
        else if (!strcmp(k, "--conc-calls")) o.conc_calls = atol(v);
        else if (!strcmp(k, "--rss-calls")) o.rss_calls = atol(v);
        else if (!strcmp(k, "--max-seconds")) o.max_seconds = atof(v);
        else {
            fprintf(stderr, "bench: unknown argument %s\n", k);
            exit(2);
        }
    }
    if (!*o.url) die("--url is required");
    return o;
}

static long status_kb(const char *field) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return 0;
    char line[256];
    long v = 0;
    size_t n = strlen(field);
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, field, n)) {
            v = atol(line + n);
            break;
        }
    fclose(f);
    return v;
}

/* ---- results: a growing JSON text ---- */
typedef struct {
    char *buf;
    size_t len, cap;
    int count;
} sbuf_t;

static void sb_printf(sbuf_t *s, const char *fmt, ...) {
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int need = vsnprintf(s->buf ? s->buf + s->len : NULL, s->buf ? s->cap - s->len : 0, fmt, ap);
        va_end(ap);
        if (s->buf && (size_t)need < s->cap - s->len) {
            s->len += (size_t)need;
            return;
        }
        s->cap = (s->cap + (size_t)need + 1) * 2;
        s->buf = realloc(s->buf, s->cap);
        if (!s->buf) die("out of memory");
    }
}

static sbuf_t g_results, g_errors;
static int g_error_count;
static pthread_mutex_t g_err_lock = PTHREAD_MUTEX_INITIALIZER;

static void record_error(const char *op, const char *msg) {
    pthread_mutex_lock(&g_err_lock);
    if (g_error_count < 5) {
        sb_printf(&g_errors, "%s\"", g_error_count ? "," : "");
        for (const char *p = op; *p; p++) sb_printf(&g_errors, "%c", *p);
        sb_printf(&g_errors, ": ");
        for (const char *p = msg; *p; p++)
            sb_printf(&g_errors, (*p == '"' || *p == '\\') ? "\\%c" : ((unsigned char)*p < 32 ? " " : "%c"), *p);
        sb_printf(&g_errors, "\"");
        fprintf(stderr, "bench: %s: %s\n", op, msg);
    }
    g_error_count++;
    pthread_mutex_unlock(&g_err_lock);
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void summary(const char *op, const char *mode, long concurrency, uint64_t *lat, long n, double wall) {
    qsort(lat, (size_t)n, sizeof *lat, cmp_u64);
    double sum = 0;
    for (long i = 0; i < n; i++) sum += (double)lat[i];
#define PCT(p) (n ? (double)lat[(long)((p) * n + 0.999999) < 1 ? 0 : (long)((p) * n + 0.999999) - 1] / 1000.0 : 0)
    sb_printf(&g_results,
              "%s{\"op\":\"%s\",\"mode\":\"%s\",\"concurrency\":%ld,\"calls\":%ld,\"seconds\":%.6f,"
              "\"median_us\":%.3f,\"p99_us\":%.3f,\"mean_us\":%.3f,\"rps\":%.1f}",
              g_results.count++ ? "," : "", op, mode, concurrency, n, wall, PCT(0.5), PCT(0.99),
              n ? sum / n / 1000.0 : 0, wall > 0 ? n / wall : 0);
#undef PCT
}

/* Whether `op` is among the sequential operations asked for (--ops "get" | "post"; all when empty). */
static int wants(const opts_t *o, const char *op) {
    size_t n = strlen(op);
    if (!*o->ops) return 1;
    for (const char *p = o->ops; (p = strstr(p, op)) != NULL; p += n)
        if ((p == o->ops || p[-1] == ',') && (p[n] == ',' || p[n] == 0)) return 1;
    return 0;
}

static void run_sequential(const char *op, const opts_t *o, call_fn fn, void *ctx) {
    char err[256];
    if (!wants(o, op)) return;
    double t0 = now_s();
    for (long i = 0; i < o->warmup && now_s() - t0 < o->max_seconds; i++)
        if (fn(ctx, i, err)) {
            record_error(op, err);
            break;
        }
    uint64_t *lat = calloc((size_t)o->n + 1, sizeof *lat);
    long done = 0;
    double start = now_s();
    for (long i = 0; i < o->n; i++) {
        uint64_t t = now_ns();
        int r = fn(ctx, o->warmup + i, err);
        lat[done++] = now_ns() - t;
        if (r) {
            record_error(op, err);
            if (g_error_count > 5) break;
        }
        if (now_s() - start > o->max_seconds) break;
    }
    summary(op, "seq", 1, lat, done, now_s() - start);
    free(lat);
}

typedef struct {
    const opts_t *o;
    const char *op;
    call_fn fn;
    void *ctx;
    long worker, per, done;
    uint64_t *lat;
    pthread_barrier_t *barrier;
} worker_t;

static void *worker_main(void *arg) {
    worker_t *w = arg;
    char err[256];
    long warm = w->o->warmup / (w->o->conc ? w->o->conc : 1);
    if (warm < 5) warm = 5;
    for (long i = 0; i < warm; i++)
        if (w->fn(w->ctx, w->worker * 1000000 + i, err)) {
            record_error(w->op, err);
            break;
        }
    pthread_barrier_wait(w->barrier);
    double start = now_s();
    for (long i = 0; i < w->per; i++) {
        uint64_t t = now_ns();
        int r = w->fn(w->ctx, w->worker * 1000000 + warm + i, err);
        w->lat[w->done++] = now_ns() - t;
        if (r) {
            record_error(w->op, err);
            break;
        }
        if (now_s() - start > w->o->max_seconds) break;
    }
    return NULL;
}

/* `ctxs[w]` is worker w's context (a shared client or its own handle, as the side decides). */
static void run_concurrent(const char *op, const opts_t *o, call_fn fn, void **ctxs) {
    long workers = o->conc ? o->conc : 1;
    long per = (o->conc_calls + workers - 1) / workers;
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, (unsigned)workers + 1);
    worker_t *ws = calloc((size_t)workers, sizeof *ws);
    pthread_t *th = calloc((size_t)workers, sizeof *th);
    for (long w = 0; w < workers; w++) {
        ws[w] = (worker_t){o, op, fn, ctxs[w], w, per, 0, calloc((size_t)per + 1, sizeof(uint64_t)), &barrier};
        pthread_create(&th[w], NULL, worker_main, &ws[w]);
    }
    pthread_barrier_wait(&barrier);
    double start = now_s();
    for (long w = 0; w < workers; w++) pthread_join(th[w], NULL);
    double wall = now_s() - start;
    uint64_t *all = calloc((size_t)(per * workers) + 1, sizeof *all);
    long n = 0;
    for (long w = 0; w < workers; w++) {
        memcpy(all + n, ws[w].lat, (size_t)ws[w].done * sizeof *all);
        n += ws[w].done;
        free(ws[w].lat);
    }
    summary(op, "conc", workers, all, n, wall);
    free(all);
    free(ws);
    free(th);
    pthread_barrier_destroy(&barrier);
}

static sbuf_t g_rss;

static void run_rss(const opts_t *o, call_fn fn, void *ctx) {
    char err[256];
    long step = o->rss_calls / 10 ? o->rss_calls / 10 : 1, done = 0;
    sb_printf(&g_rss, "{\"samples\":[[0,%ld]", status_kb("VmRSS:"));
    double start = now_s();
    for (long i = 0; i < o->rss_calls; i++) {
        if (fn(ctx, i, err)) {
            record_error("rss", err);
            break;
        }
        done = i + 1;
        if (done % step == 0) sb_printf(&g_rss, ",[%ld,%ld]", done, status_kb("VmRSS:"));
        if (now_s() - start > o->max_seconds * 3) break;
    }
    sb_printf(&g_rss, "],\"calls\":%ld,\"seconds\":%.3f,\"peak_rss_kb\":%ld}", done, now_s() - start,
              status_kb("VmHWM:"));
}

/* Write the result file; returns the process exit code (1 if any call failed). */
static int finish(const opts_t *o, const char *client) {
    FILE *f = *o->out ? fopen(o->out, "w") : stdout;
    if (!f) die("cannot write the result file");
    fprintf(f,
            "{\"lang\":\"c\",\"client\":\"%s\",\"server\":\"%s\",\"results\":[%s],\"rss\":%s,"
            "\"peak_rss_kb\":%ld,\"errors\":%d,\"first_errors\":[%s]}\n",
            client, o->server, g_results.buf ? g_results.buf : "", g_rss.buf ? g_rss.buf : "null",
            status_kb("VmHWM:"), g_error_count, g_errors.buf ? g_errors.buf : "");
    if (f != stdout) fclose(f);
    return g_error_count ? 1 : 0;
}

/* The POST body every side sends (the docs' custom-amount request, with a per-call reference). */
static inline int post_body(char *buf, size_t cap, const char *amount, const char *reference) {
    return snprintf(buf, cap,
                    "{\"phone_number\":\"+233541112259\",\"network_id\":42,\"amount\":{\"value\":%s,"
                    "\"currency\":\"GHS\"},\"reference\":\"%s\"}",
                    amount, reference);
}

#endif
