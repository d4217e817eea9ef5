/* Bulk payouts in C (ca_v2_bulk_run / ca_v1_bulk_run) against the in-process sandbox, with faults: the whole
 * file is validated before anything is sent (every bad line listed); every row is sent exactly once, through
 * the client's journal, also when writes are dropped, answered 5xx or slowly; a rerun with the same journal
 * writes nothing; progress calls count 1, 2, … up to the total, on the caller's thread; a cancel stops taking
 * rows while sends under way settle, and a rerun finishes the rest; the report's getters and CSV; the
 * client-side rate limit keeps the sandbox's own counter within it. */
#define _POSIX_C_SOURCE 200809L
#include "test_common.h"

#include <pthread.h>

static ca_t_env env;
static ca_error *err = NULL;
static char journal[128];

static uint64_t stat_of(const char *version, const char *name) {
    uint64_t v = 0;
    if (ca_sandbox_stat(env.sb, version, name, &v, NULL) != CA_OK) return (uint64_t)-1;
    return v;
}

static size_t committed(const char *version) {
    size_t n = 0;
    ca_sandbox_transaction_count(env.sb, version, &n, NULL);
    return n;
}

/* A V2 client on the sandbox with the test's journal, a short convergence bound (so a dropped write is
 * proven absent quickly and sent again) and a client-side rate limit. */
static ca_v2_client *v2_client(uint32_t per_minute) {
    ca_client_options *o = NULL;
    ca_v2_client *c = NULL;
    if (ca_client_options_new(&o, NULL) != CA_OK) exit(2);
    ca_client_options_set_base_url(o, ca_sandbox_base_url(env.sb), NULL);
    ca_client_options_set_journal(o, journal, NULL);
    ca_client_options_set_convergence_bound_ms(o, 300, NULL);
    ca_client_options_set_send_deadline_ms(o, 20000, NULL);
    ca_client_options_set_rate_limit(o, per_minute, CA_RATE_LIMIT_DOCUMENTED_PER_HOUR, NULL);
    if (ca_v2_client_new(ca_sandbox_api_key(env.sb), o, &c, &err) != CA_OK) {
        fprintf(stderr, "client: %s\n", ca_error_message(err));
        exit(2);
    }
    ca_client_options_free(o);
    return c;
}

/* ---------------------------------------------------------------- progress */

typedef struct {
    size_t calls;
    size_t last_done;
    size_t total;
    int in_order;
    int on_caller_thread;
    pthread_t caller;
    size_t sent;
    size_t cancel_after; /* 0: never */
    const ca_cancel *token;
} progress_log;

static void on_progress(const ca_bulk_row *row, size_t done, size_t total, void *user_data) {
    progress_log *p = user_data;
    p->calls++;
    if (done != p->last_done + 1) p->in_order = 0;
    if (!pthread_equal(pthread_self(), p->caller)) p->on_caller_thread = 0;
    p->last_done = done;
    p->total = total;
    if (ca_bulk_row_outcome(row) == CA_BULK_SENT) p->sent++;
    if (ca_bulk_row_reference(row) == NULL || ca_bulk_row_line(row) < 2) p->in_order = 0;
    if (p->cancel_after && done == p->cancel_after) ca_cancel_cancel(p->token);
}

static void progress_init(progress_log *p) {
    memset(p, 0, sizeof *p);
    p->in_order = 1;
    p->on_caller_thread = 1;
    p->caller = pthread_self();
}

/* A payout file of `rows` rows: amounts in GHS to MTN (network given) and the other networks (looked up),
 * one bundle; references given, except on every fifth row (derived from the batch's name). */
static char *payout_csv(size_t rows, const char *prefix) {
    size_t cap = 128 + rows * 96;
    char *csv = malloc(cap);
    size_t n = (size_t)snprintf(csv, cap, "reference,phone,amount,currency,product,network_id,department\n");
    const char *phones[] = {"+233 54 111 2259", "+233201234567", "+233 24 123 4567"};
    for (size_t i = 0; i < rows; i++) {
        char ref[48] = "";
        if (i % 5 != 4) snprintf(ref, sizeof ref, "%s-%03zu", prefix, i + 1);
        if (i == 7)
            n += (size_t)snprintf(csv + n, cap - n, "%s,+233541112259,,,102,42,sales\n", ref);
        else
            n += (size_t)snprintf(csv + n, cap - n, "%s,%s,%zu.%02zu,GHS,,%s,ops\n", ref, phones[i % 3], 1 + i % 9,
                                  i % 100, i % 3 == 0 ? "42" : "");
    }
    return csv;
}

/* ---------------------------------------------------------------- tests */

static void test_whole_file_validated_first(void) {
    ca_v2_client *c = v2_client(CA_RATE_LIMIT_DOCUMENTED_PER_MINUTE);
    const char *bad = "phone,amount,currency,reference\n"
                      "+233541112259,5,GHS,ok-1\n"
                      "+233541112259,12.345,GHS,bad-amount\n"
                      "0541112259,5,GHS,national-number\n"
                      "+233541112259,,GHS,no-amount\n"
                      "+233541112259,5,GHS,ok-1\n";
    ca_bulk_report *r = (ca_bulk_report *)&env;
    uint64_t posts = stat_of("v2", "posts"), requests = stat_of("v2", "requests");
    CHECK_RC(CA_ERR_INVALID_INPUT,
             ca_v2_bulk_run(c, "payday.csv", (const uint8_t *)bad, strlen(bad), NULL, NULL, NULL, NULL, &r, &err));
    CHECK(r == (ca_bulk_report *)&env);
    const char *m = err ? ca_error_message(err) : "";
    CHECK(strstr(m, "4 bad row(s)") != NULL);
    CHECK(strstr(m, "line 3: amount") != NULL);
    CHECK(strstr(m, "line 4: phone") != NULL);
    CHECK(strstr(m, "\"0541112259\"") != NULL);
    CHECK(strstr(m, "line 5: amount") != NULL);
    CHECK(strstr(m, "line 6: reference") != NULL);
    CHECK(strstr(m, "nothing was sent") != NULL);
    CHECK_STR("amount", ca_error_field(err));
    RESET_ERR();
    CHECK(stat_of("v2", "posts") == posts && stat_of("v2", "requests") == requests);

    /* a row without a reference needs the batch's name; with bytes and no path there is none */
    const char *unnamed = "phone,amount,currency\n+233541112259,5,GHS\n";
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_bulk_run(c, NULL, (const uint8_t *)unnamed, strlen(unnamed), NULL, NULL,
                                                  NULL, NULL, &r, &err));
    CHECK_STR("name", ca_error_field(err));
    CHECK(err && strstr(ca_error_message(err), "line 2") != NULL);
    RESET_ERR();
    /* a file that cannot be read; neither a file nor bytes */
    CHECK_RC(CA_ERR_INVALID_INPUT,
             ca_v2_bulk_run(c, "/nonexistent/payday.csv", NULL, 0, NULL, NULL, NULL, NULL, &r, &err));
    CHECK_STR("path", ca_error_field(err));
    RESET_ERR();
    CHECK_RC(CA_ERR_NULL_ARGUMENT, ca_v2_bulk_run(c, NULL, NULL, 0, NULL, NULL, NULL, NULL, &r, &err));
    CHECK_STR("path", ca_error_field(err));
    RESET_ERR();
    /* a header that cannot work: listed as line 1 */
    const char *nophone = "amount,currency\n5,GHS\n";
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_bulk_run(c, "x.csv", (const uint8_t *)nophone, strlen(nophone), NULL, NULL,
                                                  NULL, NULL, &r, &err));
    CHECK(err && strstr(ca_error_message(err), "line 1: header") != NULL);
    RESET_ERR();
    CHECK(r == (ca_bulk_report *)&env);
    CHECK(stat_of("v2", "posts") == posts);
    ca_v2_client_free(c);
}

static void test_every_row_once_under_faults(void) {
    const size_t N = 24;
    ca_v2_client *c = v2_client(600);
    ca_bulk_options *bo = NULL;
    ca_bulk_report *r = NULL;
    progress_log p;
    char *csv = payout_csv(N, "PAY");
    CHECK_RC(CA_OK, ca_bulk_options_new(&bo, &err));
    CHECK_RC(CA_OK, ca_bulk_options_set_name(bo, "payday-2026-12.csv", &err));
    CHECK_RC(CA_OK, ca_bulk_options_set_concurrency(bo, 4, &err));
    /* faults on the writes: one lost after its commit, one lost before it, one 5xx before commit, two slow;
     * and on the lookups: one 5xx, one lost answer */
    CHECK_RC(CA_OK, ca_sandbox_inject_fault_skip(env.sb, "drop_after_commit", 2, 1, "POST", "/v2/topups", 0, 0, &err));
    CHECK_RC(CA_OK, ca_sandbox_inject_fault_skip(env.sb, "drop_before_commit", 5, 1, "POST", "/v2/topups", 0, 0, &err));
    CHECK_RC(CA_OK, ca_sandbox_inject_fault_skip(env.sb, "server_error", 9, 1, "POST", "/v2/topups", 0, 0, &err));
    CHECK_RC(CA_OK, ca_sandbox_inject_fault_skip(env.sb, "slow", 12, 2, "POST", "/v2/topups", 400, 0, &err));
    CHECK_RC(CA_OK, ca_sandbox_inject_fault_skip(env.sb, "server_error", 1, 1, "GET", "/v2/catalog", 0, 0, &err));
    CHECK_RC(CA_OK, ca_sandbox_inject_fault_skip(env.sb, "drop_before_commit", 2, 1, "GET", "/v2/", 0, 0, &err));
    size_t before = committed("v2");
    uint64_t posts_before = stat_of("v2", "posts");
    progress_init(&p);
    CHECK_RC(CA_OK, ca_v2_bulk_run(c, NULL, (const uint8_t *)csv, strlen(csv), bo, on_progress, &p, NULL, &r, &err));
    CHECK(ca_bulk_report_count(r) == N);
    /* the faults fired: the write dropped before its commit and the one answered 5xx were written again once
     * their absence was proven; the one dropped after its commit was found, not written again */
    uint64_t writes = stat_of("v2", "posts") - posts_before;
    CHECK(writes == N + 2);
    CHECK(ca_bulk_report_outcome_count(r, CA_BULK_SENT) == N);
    CHECK(ca_bulk_report_outcome_count(r, CA_BULK_UNKNOWN) == 0);
    CHECK(!ca_bulk_report_stopped(r));
    for (size_t i = 0; i < ca_bulk_report_count(r); i++) {
        const ca_bulk_row *row = ca_bulk_report_get(r, i);
        if (ca_bulk_row_outcome(row) != CA_BULK_SENT)
            fprintf(stderr, "  row %zu: %s %s: %s\n", ca_bulk_row_line(row),
                    ca_bulk_outcome_name(ca_bulk_row_outcome(row)), ca_result_name(ca_bulk_row_error_kind(row)),
                    ca_bulk_row_error_message(row));
    }
    /* progress: one call per row, 1, 2, … N, on this thread, each with the total */
    CHECK(p.calls == N && p.last_done == N && p.total == N);
    CHECK(p.in_order && p.on_caller_thread);
    CHECK(p.sent == N);
    /* every row exactly once at the sandbox */
    CHECK(committed("v2") == before + N);
    /* rows in file order, with their lines, references, ids, statuses, amounts, costs */
    const ca_bulk_row *first = ca_bulk_report_get(r, 0);
    CHECK(ca_bulk_row_line(first) == 2);
    CHECK_STR("PAY-001", ca_bulk_row_reference(first));
    CHECK(ca_bulk_row_transaction_id(first) != NULL);
    CHECK(ca_bulk_row_status(first) != NULL);
    CHECK_STR("1 GHS", ca_bulk_row_amount(first));
    CHECK(ca_bulk_row_cost(first) != NULL && strstr(ca_bulk_row_cost(first), "USD") != NULL);
    CHECK(ca_bulk_row_error_kind(first) == CA_OK && ca_bulk_row_error_message(first) == NULL);
    const char *origin = ca_bulk_row_origin(first);
    CHECK(origin != NULL && strcmp(origin, "journal") != 0);
    const ca_bulk_row *derived = ca_bulk_report_get(r, 4);
    CHECK(ca_bulk_row_line(derived) == 6);
    CHECK(strncmp(ca_bulk_row_reference(derived), "bulk-", 5) == 0);
    CHECK(ca_bulk_row_line(ca_bulk_report_get(r, N - 1)) == N + 1);
    CHECK(ca_bulk_report_get(r, N) == NULL);
    size_t recovered = 0;
    for (size_t i = 0; i < N; i++) {
        const char *o = ca_bulk_row_origin(ca_bulk_report_get(r, i));
        if (o && strcmp(o, "created") != 0) recovered++;
    }
    CHECK(recovered >= 1); /* the write whose answer was lost was found again, not repeated */
    char *report_csv = NULL;
    CHECK_RC(CA_OK, ca_bulk_report_to_csv(r, &report_csv, &err));
    CHECK(report_csv && strncmp(report_csv, "row,reference,outcome,origin,id,status,amount,cost,error_kind,error\n",
                                68) == 0);
    size_t lines = 0;
    for (const char *s = report_csv; s && *s; s++) lines += *s == '\n';
    CHECK(lines == N + 1);
    CHECK(report_csv && strstr(report_csv, "\n2,PAY-001,sent,") != NULL);
    ca_string_free(report_csv);
    printf("bulk: %zu rows sent once under faults (%llu writes, %zu not created by their first answer)\n", N,
           (unsigned long long)writes, recovered);
    ca_bulk_report_free(r);

    /* the same batch again, same journal: every row from the journal, nothing written */
    uint64_t posts = stat_of("v2", "posts");
    r = NULL;
    progress_init(&p);
    CHECK_RC(CA_OK, ca_v2_bulk_run(c, NULL, (const uint8_t *)csv, strlen(csv), bo, on_progress, &p, NULL, &r, &err));
    CHECK(ca_bulk_report_outcome_count(r, CA_BULK_SENT) == N);
    size_t from_journal = 0;
    for (size_t i = 0; i < N; i++) {
        const char *o = ca_bulk_row_origin(ca_bulk_report_get(r, i));
        if (o && strcmp(o, "journal") == 0) from_journal++;
    }
    CHECK(from_journal == N);
    CHECK(stat_of("v2", "posts") == posts);
    CHECK(committed("v2") == before + N);
    CHECK(p.calls == N && p.in_order && p.on_caller_thread);
    ca_bulk_report_free(r);

    /* and through a fresh client on the same journal (a new process, after a crash): still nothing written */
    ca_v2_client *c2 = v2_client(600);
    r = NULL;
    CHECK_RC(CA_OK, ca_v2_bulk_run(c2, NULL, (const uint8_t *)csv, strlen(csv), bo, NULL, NULL, NULL, &r, &err));
    CHECK(ca_bulk_report_outcome_count(r, CA_BULK_SENT) == N);
    CHECK(stat_of("v2", "posts") == posts);
    ca_bulk_report_free(r);
    ca_v2_client_free(c2);

    /* the sandbox's own counter: never more requests in a minute than the client's limit */
    uint64_t max_minute = stat_of("v2", "max_requests_per_minute");
    CHECK(max_minute > 0 && max_minute <= 600);
    free(csv);
    ca_bulk_options_free(bo);
    ca_v2_client_free(c);
}

static void test_cancel_stops_taking_rows(void) {
    const size_t N = 10;
    ca_v2_client *c = v2_client(600);
    ca_bulk_options *bo = NULL;
    ca_bulk_report *r = NULL;
    ca_cancel *token = NULL;
    progress_log p;
    char *csv = payout_csv(N, "STOP");
    CHECK_RC(CA_OK, ca_bulk_options_new(&bo, &err));
    CHECK_RC(CA_OK, ca_bulk_options_set_name(bo, "stop.csv", &err));
    CHECK_RC(CA_OK, ca_bulk_options_set_concurrency(bo, 1, &err));
    CHECK_RC(CA_OK, ca_cancel_new(&token, &err));
    /* every write answered 300 ms late: the cancel comes while a write is under way */
    CHECK_RC(CA_OK, ca_sandbox_inject_fault(env.sb, "slow", 100, "POST", "/v2/topups", 300, 0, &err));
    size_t before = committed("v2");
    progress_init(&p);
    p.cancel_after = 3;
    p.token = token;
    CHECK_RC(CA_OK, ca_v2_bulk_run(c, NULL, (const uint8_t *)csv, strlen(csv), bo, on_progress, &p, token, &r, &err));
    CHECK(ca_bulk_report_stopped(r));
    size_t sent = ca_bulk_report_outcome_count(r, CA_BULK_SENT);
    size_t skipped = ca_bulk_report_outcome_count(r, CA_BULK_SKIPPED);
    CHECK(sent >= 3 && sent < N);
    CHECK(sent + skipped == N);
    CHECK(ca_bulk_report_outcome_count(r, CA_BULK_UNKNOWN) == 0);
    CHECK(committed("v2") == before + sent); /* a send under way settled; nothing after it was sent */
    /* progress came for every row that was taken (with concurrency 1: at most one after the cancel) */
    CHECK(p.calls >= sent && p.calls <= sent + 1);
    CHECK(p.in_order && p.on_caller_thread);
    printf("bulk: cancelled after 3 rows: %zu sent, %zu skipped, %zu progress calls\n", sent, skipped, p.calls);
    ca_bulk_report_free(r);
    CHECK_RC(CA_OK, ca_sandbox_reset(env.sb, &err)); /* clears the remaining faults (and the counters) */

    /* run it again with a new token: the rest is sent, the first ones come from the journal */
    ca_cancel_free(token);
    token = NULL;
    CHECK_RC(CA_OK, ca_cancel_new(&token, &err));
    r = NULL;
    CHECK_RC(CA_OK, ca_v2_bulk_run(c, NULL, (const uint8_t *)csv, strlen(csv), bo, NULL, NULL, token, &r, &err));
    CHECK(!ca_bulk_report_stopped(r));
    CHECK(ca_bulk_report_outcome_count(r, CA_BULK_SENT) == N);
    size_t from_journal = 0;
    for (size_t i = 0; i < N; i++) {
        const char *o = ca_bulk_row_origin(ca_bulk_report_get(r, i));
        if (o && strcmp(o, "journal") == 0) from_journal++;
    }
    CHECK(from_journal == sent);
    CHECK(stat_of("v2", "posts") == skipped); /* after the reset: one write per row not sent before */
    ca_bulk_report_free(r);

    /* a token cancelled before the run: nothing is sent, every row skipped */
    ca_cancel_cancel(token);
    r = NULL;
    char *csv3 = payout_csv(4, "LATER");
    uint64_t posts = stat_of("v2", "posts");
    CHECK_RC(CA_OK, ca_v2_bulk_run(c, NULL, (const uint8_t *)csv3, strlen(csv3), bo, NULL, NULL, token, &r, &err));
    CHECK(ca_bulk_report_stopped(r));
    CHECK(ca_bulk_report_outcome_count(r, CA_BULK_SKIPPED) == 4);
    CHECK(stat_of("v2", "posts") == posts);
    CHECK(ca_bulk_row_transaction_id(ca_bulk_report_get(r, 0)) == NULL);
    ca_bulk_report_free(r);
    free(csv3);
    free(csv);
    ca_cancel_free(token);
    ca_bulk_options_free(bo);
    ca_v2_client_free(c);
}

static void test_v1_from_a_file(void) {
    char path[160];
    ca_client_options *o = NULL;
    ca_v1_client *c = NULL;
    ca_bulk_report *r = NULL;
    progress_log p;
    snprintf(path, sizeof path, "/tmp/ca-test-bulk-%ld-agents.csv", (long)getpid());
    FILE *f = fopen(path, "w");
    fprintf(f, "msisdn,amount,sms,region\n"
               "233541112259,5,true,north\n"
               "+233 20 123 4567,7.5,,south\n"
               "233241234567,3,,\n"
               "233555000001,4,,east\n"
               "233541112259,6,,west\n");
    fclose(f);
    CHECK_RC(CA_OK, ca_client_options_new(&o, &err));
    CHECK_RC(CA_OK, ca_client_options_set_base_url(o, ca_sandbox_base_url(env.sb), &err));
    CHECK_RC(CA_OK, ca_client_options_set_journal(o, journal, &err));
    CHECK_RC(CA_OK, ca_client_options_set_rate_limit(o, CA_RATE_LIMIT_DOCUMENTED_PER_MINUTE,
                                                     CA_RATE_LIMIT_DOCUMENTED_PER_HOUR, &err));
    CHECK_RC(CA_OK, ca_v1_client_new(ca_sandbox_v1_email(env.sb), ca_sandbox_v1_token(env.sb), o, &c, &err));
    size_t before = committed("v1");
    progress_init(&p);
    CHECK_RC(CA_OK, ca_v1_bulk_run(c, path, NULL, 0, NULL, on_progress, &p, NULL, &r, &err));
    CHECK(ca_bulk_report_count(r) == 5);
    CHECK(ca_bulk_report_outcome_count(r, CA_BULK_SENT) == 4);
    CHECK(ca_bulk_report_outcome_count(r, CA_BULK_NOT_SENT) == 1);
    const ca_bulk_row *poor = ca_bulk_report_get(r, 3);
    CHECK(ca_bulk_row_outcome(poor) == CA_BULK_NOT_SENT);
    CHECK(ca_bulk_row_error_kind(poor) == CA_ERR_INSUFFICIENT_BALANCE);
    CHECK(ca_bulk_row_error_message(poor) != NULL);
    CHECK(ca_bulk_row_origin(poor) == NULL);
    /* references derived from the file's name, stable across runs */
    CHECK(strncmp(ca_bulk_row_reference(ca_bulk_report_get(r, 0)), "bulk-", 5) == 0);
    CHECK_STR("SUCCESS", ca_bulk_row_status(ca_bulk_report_get(r, 0)));
    CHECK(p.calls == 5 && p.in_order && p.on_caller_thread && p.total == 5);
    CHECK(committed("v1") == before + 4);
    char first_ref[64];
    snprintf(first_ref, sizeof first_ref, "%s", ca_bulk_row_reference(ca_bulk_report_get(r, 0)));
    ca_bulk_report_free(r);
    /* again: the four sent rows from the journal, the refused one tried again (and refused again) */
    uint64_t posts = stat_of("v1", "posts");
    r = NULL;
    CHECK_RC(CA_OK, ca_v1_bulk_run(c, path, NULL, 0, NULL, NULL, NULL, NULL, &r, &err));
    CHECK_STR(first_ref, ca_bulk_row_reference(ca_bulk_report_get(r, 0)));
    CHECK_STR("journal", ca_bulk_row_origin(ca_bulk_report_get(r, 0)));
    CHECK(ca_bulk_report_outcome_count(r, CA_BULK_SENT) == 4);
    CHECK(stat_of("v1", "posts") == posts + 1);
    CHECK(committed("v1") == before + 4);
    ca_bulk_report_free(r);
    /* bad V1 rows are listed: a product that is not a V1 product id, a V2-only amount/currency mix is fine */
    const char *bad = "phone,product\n233541112259,abc\n233541112259,0\n";
    r = NULL;
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v1_bulk_run(c, "v1.csv", (const uint8_t *)bad, strlen(bad), NULL, NULL, NULL,
                                                  NULL, &r, &err));
    CHECK(err && strstr(ca_error_message(err), "line 2: product") && strstr(ca_error_message(err), "line 3: product"));
    RESET_ERR();
    CHECK(r == NULL);
    unlink(path);
    ca_v1_client_free(c);
    ca_client_options_free(o);
}

static void test_options(void) {
    ca_client_options *o = NULL;
    ca_v2_client *c = NULL;
    ca_bulk_options *bo = NULL;
    CHECK_RC(CA_OK, ca_client_options_new(&o, &err));
    CHECK_RC(CA_OK, ca_client_options_set_base_url(o, ca_sandbox_base_url(env.sb), &err));
    CHECK_RC(CA_OK, ca_client_options_set_rate_limit(o, 0, 1000, &err));
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_client_new(ca_sandbox_api_key(env.sb), o, &c, &err));
    CHECK_STR("rate_limit", ca_error_field(err));
    RESET_ERR();
    CHECK(c == NULL);
    ca_client_options_free(o);
    CHECK_RC(CA_OK, ca_bulk_options_new(&bo, &err));
    CHECK_RC(CA_OK, ca_bulk_options_set_concurrency(bo, 0, &err));
    CHECK_RC(CA_OK, ca_bulk_options_set_concurrency(bo, 1000, &err));
    CHECK_RC(CA_ERR_NULL_ARGUMENT, ca_bulk_options_set_name(bo, NULL, &err));
    RESET_ERR();
    ca_bulk_options_free(bo);
    CHECK_STR("sent", ca_bulk_outcome_name(CA_BULK_SENT));
    CHECK_STR("not_sent", ca_bulk_outcome_name(CA_BULK_NOT_SENT));
    CHECK_STR("refused", ca_bulk_outcome_name(CA_BULK_REFUSED));
    CHECK_STR("unknown", ca_bulk_outcome_name(CA_BULK_UNKNOWN));
    CHECK_STR("skipped", ca_bulk_outcome_name(CA_BULK_SKIPPED));
    CHECK(ca_bulk_outcome_name(5) == NULL);
    CHECK(ca_bulk_report_count(NULL) == 0 && ca_bulk_report_get(NULL, 0) == NULL);
    CHECK(ca_bulk_row_outcome(NULL) == CA_BULK_SKIPPED && ca_bulk_row_error_kind(NULL) == CA_OK);
}

int main(void) {
    ca_sandbox_options *so = NULL;
    if (ca_sandbox_options_new(&so, NULL) != CA_OK) return 2;
    ca_sandbox_options_set_number(so, "processing_after_ms", 20, NULL);
    ca_sandbox_options_set_number(so, "complete_after_ms", 80, NULL);
    ca_sandbox_options_set_number(so, "duplicate_window_ms", 0, NULL);
    ca_t_env_start(&env, so, NULL);
    ca_sandbox_options_free(so);
    snprintf(journal, sizeof journal, "/tmp/ca-test-bulk-%ld.journal", (long)getpid());
    ca_t_remove_journal(journal);

    test_options();
    test_whole_file_validated_first();
    test_every_row_once_under_faults();
    test_cancel_stops_taking_rows();
    test_v1_from_a_file();

    ca_error_free(err);
    ca_t_env_stop(&env);
    ca_t_remove_journal(journal);
    return ca_t_summary("test_bulk");
}
