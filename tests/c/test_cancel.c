/* Cancellation in C, against the in-process sandbox: a ca_cancel token fired from another thread or from a
 * signal handler stops a wait on a top-up that stays processing (+233555000010) within a bound, and the sale
 * stands; a list walk stops; a send cancelled before anything of it can have been received sends nothing
 * (the sandbox received no write), also while it waits for a rate-limit slot; a send already written runs to
 * its real outcome. */
#define _POSIX_C_SOURCE 200809L
#include "test_common.h"

#include <pthread.h>
#include <signal.h>
#include <time.h>

static ca_t_env env;
static ca_error *err = NULL;

/* How long a cancelled call may take to notice, beyond the moment it is cancelled (generous: valgrind). */
#define CANCEL_BOUND_MS 2500

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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

/* ---------------------------------------------------------------- a thread that cancels after a delay */

typedef struct {
    const ca_cancel *token;
    long after_ms;
    long long fired_at;
} canceller;

static void *cancel_later(void *arg) {
    canceller *c = arg;
    ca_t_sleep_ms(c->after_ms);
    c->fired_at = now_ms();
    ca_cancel_cancel(c->token);
    return NULL;
}

static void test_token(void) {
    ca_cancel *c = NULL;
    CHECK_RC(CA_OK, ca_cancel_new(&c, &err));
    CHECK(!ca_cancel_is_cancelled(c));
    ca_cancel_cancel(c);
    CHECK(ca_cancel_is_cancelled(c));
    ca_cancel_cancel(c); /* again: still cancelled, nothing else */
    CHECK(ca_cancel_is_cancelled(c));
    ca_cancel_cancel(NULL);
    CHECK(!ca_cancel_is_cancelled(NULL));
    ca_cancel_free(c);
    ca_cancel_free(NULL);
    CHECK(ca_result_proves_not_sent(CA_ERR_CANCELLED));
    CHECK_STR("CANCELLED", ca_result_name(CA_ERR_CANCELLED) + 7);
}

static void test_wait_cancelled_from_another_thread(void) {
    ca_v2_topup_request *req = NULL;
    ca_topup *sent = NULL, *done = NULL, *again = NULL;
    ca_cancel *token = NULL;
    pthread_t th;
    CHECK_RC(CA_OK, ca_v2_topup_request_new_amount("+233555000010", 42, "5", "GHS", &req, &err));
    CHECK_RC(CA_OK, ca_v2_topup_create(env.v2, req, &sent, &err));
    size_t before = committed("v2");
    CHECK_RC(CA_OK, ca_cancel_new(&token, &err));
    /* a long first interval (5 s): the cancel must wake the wait in the middle of its sleep */
    canceller c = {token, 300, 0};
    long long start = now_ms();
    pthread_create(&th, NULL, cancel_later, &c);
    CHECK_RC(CA_ERR_CANCELLED,
             ca_v2_topup_wait_cancellable(env.v2, ca_topup_id(sent), 60000, 5000, 5000, token, &done, &err));
    long long end = now_ms();
    pthread_join(th, NULL);
    CHECK(done == NULL);
    CHECK(end >= c.fired_at && end - c.fired_at < CANCEL_BOUND_MS);
    CHECK(end - start < 300 + CANCEL_BOUND_MS); /* far from the 60 s deadline and the 5 s interval */
    printf("cancel: v2 wait stopped %lld ms after the cancel\n", end - c.fired_at);
    CHECK_STR("CANCELLED", ca_error_code(err));
    CHECK_STR(ca_topup_id(sent), ca_error_transaction_id(err));
    CHECK(ca_error_status(err) != NULL &&
          (strcmp(ca_error_status(err), "pending") == 0 || strcmp(ca_error_status(err), "processing") == 0));
    RESET_ERR();
    /* the sale stands: still there, still processing, nothing new created */
    CHECK_RC(CA_OK, ca_v2_topup_get(env.v2, ca_topup_id(sent), &again, &err));
    CHECK_STR("processing", ca_topup_status(again));
    CHECK(committed("v2") == before);
    /* a token cancelled before the wait: it ends at once, before any poll */
    uint64_t requests = stat_of("v2", "requests");
    start = now_ms();
    CHECK_RC(CA_ERR_CANCELLED,
             ca_v2_topup_wait_cancellable(env.v2, ca_topup_id(sent), 60000, 0, 0, token, &done, &err));
    CHECK(now_ms() - start < CANCEL_BOUND_MS);
    CHECK(stat_of("v2", "requests") == requests);
    RESET_ERR();
    /* the plain wait still ends STILL_PENDING at its deadline, and NULL is no token */
    CHECK_RC(CA_ERR_STILL_PENDING, ca_v2_topup_wait(env.v2, ca_topup_id(sent), 300, 50, 100, &done, &err));
    RESET_ERR();
    CHECK_RC(CA_ERR_NULL_ARGUMENT,
             ca_v2_topup_wait_cancellable(env.v2, ca_topup_id(sent), 300, 50, 100, NULL, &done, &err));
    CHECK_STR("cancel", ca_error_field(err));
    RESET_ERR();
    ca_topup_free(again);
    ca_topup_free(sent);
    ca_v2_topup_request_free(req);
    ca_cancel_free(token);
}

static void test_v1_wait_cancelled(void) {
    ca_v1_topup_request *req = NULL;
    ca_transaction *sent = NULL, *done = NULL;
    ca_cancel *token = NULL;
    pthread_t th;
    CHECK_RC(CA_OK, ca_v1_topup_request_new_amount("233555000010", "5", &req, &err));
    CHECK_RC(CA_OK, ca_v1_topup_request_set_async(req, true, &err));
    CHECK_RC(CA_OK, ca_v1_topup_request_prepare(req, &err));
    CHECK_RC(CA_OK, ca_v1_send_topup(env.v1, req, &sent, &err));
    CHECK_RC(CA_OK, ca_cancel_new(&token, &err));
    canceller c = {token, 300, 0};
    pthread_create(&th, NULL, cancel_later, &c);
    CHECK_RC(CA_ERR_CANCELLED, ca_v1_wait_cancellable(env.v1, ca_v1_topup_request_ext_ref_id(req), 60000, 5000,
                                                      5000, token, &done, &err));
    long long end = now_ms();
    pthread_join(th, NULL);
    CHECK(done == NULL);
    CHECK(end - c.fired_at < CANCEL_BOUND_MS);
    printf("cancel: v1 wait stopped %lld ms after the cancel\n", end - c.fired_at);
    CHECK_STR(ca_v1_topup_request_ext_ref_id(req), ca_error_reference(err));
    CHECK(ca_error_status(err) != NULL);
    RESET_ERR();
    ca_transaction_free(sent);
    ca_v1_topup_request_free(req);
    ca_cancel_free(token);
}

/* ---------------------------------------------------------------- a signal handler cancels */

static ca_cancel *volatile alarm_token = NULL;

static void on_alarm(int sig) {
    (void)sig;
    ca_cancel_cancel(alarm_token); /* async-signal-safe */
}

static void test_wait_cancelled_from_a_signal_handler(void) {
    ca_v2_topup_request *req = NULL;
    ca_topup *sent = NULL, *done = NULL;
    ca_cancel *token = NULL;
    struct sigaction sa, old;
    CHECK_RC(CA_OK, ca_v2_topup_request_new_amount("+233555000010", 42, "6", "GHS", &req, &err));
    CHECK_RC(CA_OK, ca_v2_topup_create(env.v2, req, &sent, &err));
    CHECK_RC(CA_OK, ca_cancel_new(&token, &err));
    alarm_token = token;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, &old);
    long long start = now_ms();
    alarm(1);
    CHECK_RC(CA_ERR_CANCELLED,
             ca_v2_topup_wait_cancellable(env.v2, ca_topup_id(sent), 60000, 200, 400, token, &done, &err));
    long long took = now_ms() - start;
    CHECK(took >= 900 && took < 1000 + CANCEL_BOUND_MS);
    printf("cancel: a SIGALRM handler stopped the wait after %lld ms\n", took);
    RESET_ERR();
    alarm(0);
    sigaction(SIGALRM, &old, NULL);
    alarm_token = NULL;
    ca_topup_free(sent);
    ca_v2_topup_request_free(req);
    ca_cancel_free(token);
}

static void test_list_walk_cancelled(void) {
    ca_topup_list *all = NULL, *walked = NULL;
    ca_cancel *token = NULL;
    CHECK_RC(CA_OK, ca_cancel_new(&token, &err));
    CHECK_RC(CA_OK, ca_v2_topup_list_all(env.v2, NULL, &all, &err));
    CHECK_RC(CA_OK, ca_v2_topup_list_all_cancellable(env.v2, NULL, token, &walked, &err));
    CHECK(ca_topup_list_count(walked) == ca_topup_list_count(all));
    ca_topup_list_free(walked);
    walked = (ca_topup_list *)&env;
    ca_cancel_cancel(token);
    uint64_t requests = stat_of("v2", "requests");
    CHECK_RC(CA_ERR_CANCELLED, ca_v2_topup_list_all_cancellable(env.v2, NULL, token, &walked, &err));
    CHECK(walked == (ca_topup_list *)&env); /* nothing written on failure */
    CHECK(stat_of("v2", "requests") == requests);
    RESET_ERR();
    ca_topup_list_free(all);
    ca_cancel_free(token);
}

/* ---------------------------------------------------------------- sends */

static void test_cancelled_send_sends_nothing(void) {
    char path[128];
    ca_client_options *o = NULL;
    ca_v2_client *c = NULL;
    ca_v2_topup_request *req = NULL;
    ca_topup *t = NULL;
    ca_cancel *token = NULL;
    ca_journal_entry *e = NULL;
    snprintf(path, sizeof path, "/tmp/ca-test-cancel-%ld.journal", (long)getpid());
    ca_t_remove_journal(path);
    CHECK_RC(CA_OK, ca_client_options_new(&o, &err));
    CHECK_RC(CA_OK, ca_client_options_set_base_url(o, ca_sandbox_base_url(env.sb), &err));
    CHECK_RC(CA_OK, ca_client_options_set_journal(o, path, &err));
    CHECK_RC(CA_OK, ca_v2_client_new(ca_sandbox_api_key(env.sb), o, &c, &err));
    CHECK_RC(CA_OK, ca_cancel_new(&token, &err));
    ca_cancel_cancel(token);

    CHECK_RC(CA_OK, ca_v2_topup_request_new_amount("+233541112259", 42, "9", "GHS", &req, &err));
    CHECK_RC(CA_OK, ca_v2_topup_request_set_reference(req, "CANCEL-1", &err));
    uint64_t posts = stat_of("v2", "posts");
    size_t before = committed("v2");
    t = (ca_topup *)&env;
    CHECK_RC(CA_ERR_CANCELLED, ca_v2_topup_create_cancellable(c, req, token, &t, &err));
    CHECK(t == (ca_topup *)&env);
    CHECK(ca_result_proves_not_sent(ca_error_result(err)));
    CHECK_STR("CANCEL-1", ca_error_reference(err));
    CHECK(strstr(ca_error_message(err), "nothing was sent") != NULL);
    RESET_ERR();
    CHECK(stat_of("v2", "posts") == posts);
    CHECK(committed("v2") == before);
    /* the journal holds nothing open for it: it is not pending, and selling it again is a plain sale */
    CHECK_RC(CA_OK, ca_v2_client_journal_entry(c, "CANCEL-1", &e, &err));
    CHECK(e == NULL || !ca_journal_entry_is_open(e));
    ca_journal_entry_free(e);
    t = NULL;
    CHECK_RC(CA_OK, ca_v2_topup_create(c, req, &t, &err));
    CHECK_STR("created", ca_meta_origin(ca_topup_meta(t)));
    CHECK(stat_of("v2", "posts") == posts + 1);
    CHECK(committed("v2") == before + 1);
    ca_topup_free(t);
    ca_v2_topup_request_free(req);

    /* V1 alike */
    ca_v1_topup_request *r1 = NULL;
    ca_transaction *tx = (ca_transaction *)&env;
    CHECK_RC(CA_OK, ca_v1_topup_request_new_amount("233541112259", "4", &r1, &err));
    posts = stat_of("v1", "posts");
    CHECK_RC(CA_ERR_CANCELLED, ca_v1_send_topup_cancellable(env.v1, r1, token, &tx, &err));
    CHECK(tx == (ca_transaction *)&env);
    CHECK(ca_error_reference(err) != NULL);
    RESET_ERR();
    CHECK(stat_of("v1", "posts") == posts);
    CHECK_RC(CA_ERR_NULL_ARGUMENT, ca_v1_send_topup_cancellable(env.v1, r1, NULL, &tx, &err));
    CHECK_STR("cancel", ca_error_field(err));
    RESET_ERR();
    CHECK(stat_of("v1", "posts") == posts);
    ca_v1_topup_request_free(r1);

    ca_cancel_free(token);
    ca_v2_client_free(c);
    ca_client_options_free(o);
    ca_t_remove_journal(path);
}

typedef struct {
    const ca_v2_client *client;
    const ca_v2_topup_request *req;
    const ca_cancel *token;
    ca_result rc;
    ca_topup *topup;
    ca_error *error;
} send_job;

static void *send_in_thread(void *arg) {
    send_job *j = arg;
    j->rc = ca_v2_topup_create_cancellable(j->client, j->req, j->token, &j->topup, &j->error);
    return NULL;
}

static void test_cancelled_while_waiting_for_a_rate_limit_slot(void) {
    /* a client allowed one request a minute: its second send waits for a slot, and the cancel ends it there,
     * before anything of it left */
    ca_client_options *o = NULL;
    ca_v2_client *c = NULL;
    ca_v2_topup_request *req = NULL;
    ca_topup *t = NULL;
    ca_cancel *token = NULL;
    pthread_t th;
    CHECK_RC(CA_OK, ca_client_options_new(&o, &err));
    CHECK_RC(CA_OK, ca_client_options_set_base_url(o, ca_sandbox_base_url(env.sb), &err));
    CHECK_RC(CA_OK, ca_client_options_set_rate_limit(o, 1, CA_RATE_LIMIT_DOCUMENTED_PER_HOUR, &err));
    CHECK_RC(CA_OK, ca_v2_client_new(ca_sandbox_api_key(env.sb), o, &c, &err));
    CHECK_RC(CA_OK, ca_v2_topup_request_new_amount("+233201234567", 23, "2", "GHS", &req, &err));
    CHECK_RC(CA_OK, ca_v2_topup_create(c, req, &t, &err));
    ca_topup_free(t);
    ca_v2_topup_request_free(req);
    req = NULL;
    CHECK_RC(CA_OK, ca_v2_topup_request_new_amount("+233201234567", 23, "3", "GHS", &req, &err));
    CHECK_RC(CA_OK, ca_cancel_new(&token, &err));
    uint64_t posts = stat_of("v2", "posts");
    send_job j = {c, req, token, CA_OK, NULL, NULL};
    long long start = now_ms();
    pthread_create(&th, NULL, send_in_thread, &j);
    ca_t_sleep_ms(400);
    long long fired = now_ms();
    ca_cancel_cancel(token);
    pthread_join(th, NULL);
    long long end = now_ms();
    CHECK(j.rc == CA_ERR_CANCELLED);
    CHECK(j.topup == NULL);
    CHECK(end - fired < CANCEL_BOUND_MS && end - start > 300);
    CHECK(stat_of("v2", "posts") == posts);
    printf("cancel: a send waiting for its rate-limit slot ended %lld ms after the cancel, nothing sent\n",
           end - fired);
    ca_error_free(j.error);
    ca_cancel_free(token);
    ca_v2_topup_request_free(req);
    ca_v2_client_free(c);
    ca_client_options_free(o);
}

static void test_written_send_runs_to_its_outcome(void) {
    /* the answer to the write is held back 1.5 s; the cancel comes after the sandbox received the write: the
     * send is not abandoned, it returns the sale */
    ca_v2_topup_request *req = NULL;
    ca_cancel *token = NULL;
    pthread_t th;
    CHECK_RC(CA_OK, ca_sandbox_inject_fault(env.sb, "slow", 1, "POST", "/v2/topups", 1500, 0, &err));
    CHECK_RC(CA_OK, ca_v2_topup_request_new_amount("+233541112259", 42, "11", "GHS", &req, &err));
    CHECK_RC(CA_OK, ca_v2_topup_request_prepare(req, &err));
    CHECK_RC(CA_OK, ca_cancel_new(&token, &err));
    uint64_t posts = stat_of("v2", "posts");
    size_t before = committed("v2");
    send_job j = {env.v2, req, token, CA_OK, NULL, NULL};
    pthread_create(&th, NULL, send_in_thread, &j);
    long long deadline = now_ms() + 10000;
    while (stat_of("v2", "posts") == posts && now_ms() < deadline) ca_t_sleep_ms(10);
    CHECK(stat_of("v2", "posts") == posts + 1);
    ca_cancel_cancel(token);
    pthread_join(th, NULL);
    CHECK(j.rc == CA_OK);
    CHECK(j.topup != NULL);
    if (j.topup) {
        CHECK_STR("created", ca_meta_origin(ca_topup_meta(j.topup)));
        CHECK_STR(ca_v2_topup_request_reference(req), ca_topup_reference(j.topup));
    }
    CHECK(committed("v2") == before + 1);
    CHECK(stat_of("v2", "posts") == posts + 1); /* written once */
    if (j.error) fprintf(stderr, "  send: %s\n", ca_error_message(j.error));
    ca_error_free(j.error);
    ca_topup_free(j.topup);
    ca_cancel_free(token);
    ca_v2_topup_request_free(req);
}

int main(void) {
    ca_sandbox_options *so = NULL;
    if (ca_sandbox_options_new(&so, NULL) != CA_OK) return 2;
    ca_sandbox_options_set_number(so, "processing_after_ms", 20, NULL);
    ca_sandbox_options_set_number(so, "complete_after_ms", 80, NULL);
    ca_t_env_start(&env, so, NULL);
    ca_sandbox_options_free(so);

    test_token();
    test_wait_cancelled_from_another_thread();
    test_v1_wait_cancelled();
    test_wait_cancelled_from_a_signal_handler();
    test_list_walk_cancelled();
    test_cancelled_send_sends_nothing();
    test_cancelled_while_waiting_for_a_rate_limit_slot();
    test_written_send_runs_to_its_outcome();

    ca_error_free(err);
    ca_t_env_stop(&env);
    return ca_t_summary("test_cancel");
}
