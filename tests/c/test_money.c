/* Money safety under faults, and one client shared by several threads.
 *
 * For each fault the sandbox can inflict on a send — the connection dropped after the transaction was
 * committed (+233555000007), a 5xx before anything was committed (+233555000008), an answer slower than the
 * client's read timeout (+233555000009), and a connection dropped before commit (injected fault) — with V2
 * and with V1: exactly one transaction exists on the sandbox afterwards, and the call either returned it or
 * said CA_ERR_OUTCOME_UNKNOWN with the reference that finds it. Never a failure, never two sales. */
#define _POSIX_C_SOURCE 200809L
#include "test_common.h"

#include <pthread.h>

static ca_t_env env;
static ca_error *err = NULL;

static size_t count(const char *version) {
    size_t n = 9999;
    if (ca_sandbox_transaction_count(env.sb, version, &n, NULL) != CA_OK) return 9999;
    return n;
}

static void v2_case(const char *phone, const char *reference, const char *fault, unsigned expected_attempts) {
    ca_v2_topup_request *req = NULL;
    ca_topup *t = NULL, *found = NULL;
    CHECK_RC(CA_OK, ca_sandbox_reset(env.sb, &err));
    if (fault) CHECK_RC(CA_OK, ca_sandbox_inject_fault(env.sb, fault, 1, "POST", "/v2/topups", 0, 0, &err));
    CHECK_RC(CA_OK, ca_v2_topup_request_new_amount(phone, 42, "20", "GHS", &req, &err));
    CHECK_RC(CA_OK, ca_v2_topup_request_set_reference(req, reference, &err));
    ca_result rc = ca_v2_topup_create(env.v2, req, &t, &err);
    ca_t_checks++;
    if (rc != CA_OK && rc != CA_ERR_OUTCOME_UNKNOWN) {
        ca_t_failures++;
        fprintf(stderr, "FAIL v2 %s (%s): %s: %s\n", phone, fault ? fault : "magic", ca_result_name(rc), ca_error_message(err));
    }
    CHECK(count("v2") == 1);
    if (rc == CA_OK) {
        CHECK_STR(reference, ca_topup_reference(t));
        CHECK_STR(reference, ca_meta_reference(ca_topup_meta(t)));
        if (expected_attempts) CHECK(ca_meta_attempts(ca_topup_meta(t)) == expected_attempts);
    } else if (rc == CA_ERR_OUTCOME_UNKNOWN) {
        CHECK_STR(reference, ca_error_reference(err));
    }
    /* whichever way, the reference finds the one transaction */
    CHECK_RC(CA_OK, ca_v2_topup_reconcile(env.v2, reference, &found, &err));
    CHECK(found != NULL);
    if (found && t) CHECK_STR(ca_topup_id(t), ca_topup_id(found));
    ca_topup_free(found);
    ca_topup_free(t);
    ca_v2_topup_request_free(req);
    RESET_ERR();
}

static void v1_case(const char *msisdn, const char *ext_ref, const char *fault, unsigned expected_attempts) {
    ca_v1_topup_request *req = NULL;
    ca_transaction *t = NULL, *found = NULL;
    CHECK_RC(CA_OK, ca_sandbox_reset(env.sb, &err));
    if (fault) CHECK_RC(CA_OK, ca_sandbox_inject_fault(env.sb, fault, 1, "POST", "/adp", 0, 0, &err));
    CHECK_RC(CA_OK, ca_v1_topup_request_new_amount(msisdn, "5", &req, &err));
    CHECK_RC(CA_OK, ca_v1_topup_request_set_ext_ref_id(req, ext_ref, &err));
    ca_result rc = ca_v1_send_topup(env.v1, req, &t, &err);
    ca_t_checks++;
    if (rc != CA_OK && rc != CA_ERR_OUTCOME_UNKNOWN) {
        ca_t_failures++;
        fprintf(stderr, "FAIL v1 %s (%s): %s: %s\n", msisdn, fault ? fault : "magic", ca_result_name(rc), ca_error_message(err));
    }
    CHECK(count("v1") == 1);
    if (rc == CA_OK) {
        CHECK_STR(ext_ref, ca_transaction_ext_ref_id(t));
        CHECK_STR(ext_ref, ca_meta_reference(ca_transaction_meta(t)));
        if (expected_attempts) CHECK(ca_meta_attempts(ca_transaction_meta(t)) == expected_attempts);
    } else if (rc == CA_ERR_OUTCOME_UNKNOWN) {
        CHECK_STR(ext_ref, ca_error_reference(err));
    }
    CHECK_RC(CA_OK, ca_v1_reconcile(env.v1, ext_ref, &found, &err));
    CHECK(found != NULL);
    if (found && t && ca_transaction_id(t)) CHECK_STR(ca_transaction_id(t), ca_transaction_id(found));
    ca_transaction_free(found);
    ca_transaction_free(t);
    ca_v1_topup_request_free(req);
    RESET_ERR();
}

static void test_faults(void) {
    v2_case("+233555000007", "MS-V2-DROP-AFTER", NULL, 1);
    v2_case("+233555000008", "MS-V2-5XX", NULL, 2);
    v2_case("+233555000009", "MS-V2-SLOW", NULL, 1);
    v2_case("+233541112259", "MS-V2-DROP-BEFORE", "drop_before_commit", 2);
    v2_case("+233541112259", "MS-V2-FAULT-AFTER", "drop_after_commit", 1);
    v1_case("233555000007", "MS-V1-DROP-AFTER", NULL, 1);
    v1_case("233555000008", "MS-V1-5XX", NULL, 2);
    v1_case("233555000009", "MS-V1-SLOW", NULL, 1);
    v1_case("233541112259", "MS-V1-DROP-BEFORE", "drop_before_commit", 2);
}

/* ---------------------------------------------------------------------------------------- threads */

#define THREADS 4
#define SALES 3

typedef struct {
    int index;
    char v2_ids[SALES][64];
    char v1_ids[SALES][64];
    int failures;
} worker;

static void *work(void *arg) {
    worker *w = (worker *)arg;
    for (int i = 0; i < SALES; i++) {
        char phone[32], ref[32];
        ca_error *e = NULL;
        ca_v2_topup_request *r2 = NULL;
        ca_topup *t = NULL;
        snprintf(phone, sizeof phone, "+2335411122%d%d", w->index, i);
        snprintf(ref, sizeof ref, "T%d-S%d", w->index, i);
        if (ca_v2_topup_request_new_amount(phone, 42, "15", "GHS", &r2, &e) != CA_OK ||
            ca_v2_topup_request_set_reference(r2, ref, &e) != CA_OK || ca_v2_topup_create(env.v2, r2, &t, &e) != CA_OK) {
            fprintf(stderr, "thread %d v2 sale %d: %s\n", w->index, i, ca_error_message(e));
            w->failures++;
        } else {
            snprintf(w->v2_ids[i], sizeof w->v2_ids[i], "%s", ca_topup_id(t));
        }
        ca_topup_free(t);
        ca_v2_topup_request_free(r2);
        ca_error_free(e);
        e = NULL;

        ca_v1_topup_request *r1 = NULL;
        ca_transaction *tx = NULL;
        if (ca_v1_topup_request_new_amount("233541112259", "2", &r1, &e) != CA_OK ||
            ca_v1_topup_request_set_ext_ref_id(r1, ref, &e) != CA_OK || ca_v1_send_topup(env.v1, r1, &tx, &e) != CA_OK ||
            ca_transaction_id(tx) == NULL) {
            fprintf(stderr, "thread %d v1 sale %d: %s\n", w->index, i, e ? ca_error_message(e) : "no id");
            w->failures++;
        } else {
            snprintf(w->v1_ids[i], sizeof w->v1_ids[i], "%s", ca_transaction_id(tx));
        }
        ca_transaction_free(tx);
        ca_v1_topup_request_free(r1);
        ca_error_free(e);
    }
    return NULL;
}

static void test_shared_client(void) {
    pthread_t th[THREADS];
    worker ws[THREADS];
    CHECK_RC(CA_OK, ca_sandbox_reset(env.sb, &err));
    for (int i = 0; i < THREADS; i++) {
        memset(&ws[i], 0, sizeof ws[i]);
        ws[i].index = i;
        CHECK(pthread_create(&th[i], NULL, work, &ws[i]) == 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        CHECK(ws[i].failures == 0);
    }
    CHECK(count("v2") == THREADS * SALES);
    CHECK(count("v1") == THREADS * SALES);
    /* every sale got its own transaction */
    int distinct = 1;
    for (int a = 0; a < THREADS * SALES; a++)
        for (int b = a + 1; b < THREADS * SALES; b++) {
            const worker *wa = &ws[a / SALES], *wb = &ws[b / SALES];
            if (strcmp(wa->v2_ids[a % SALES], wb->v2_ids[b % SALES]) == 0) distinct = 0;
            if (strcmp(wa->v1_ids[a % SALES], wb->v1_ids[b % SALES]) == 0) distinct = 0;
        }
    CHECK(distinct);
}

int main(void) {
    ca_sandbox_options *so = NULL;
    ca_client_options *co = NULL;
    if (ca_sandbox_options_new(&so, NULL) != CA_OK || ca_client_options_new(&co, NULL) != CA_OK) return 2;
    ca_sandbox_options_set_number(so, "slow_delay_ms", 3000, NULL);
    ca_sandbox_options_set_number(so, "duplicate_window_ms", 1, NULL);
    /* the read timeout is shorter than the sandbox's slow answer */
    ca_client_options_set_read_timeout_ms(co, 1000, NULL);
    ca_client_options_set_retry_base_delay_ms(co, 20, NULL);
    ca_t_env_start(&env, so, co);
    ca_sandbox_options_free(so);
    ca_client_options_free(co);

    test_faults();
    test_shared_client();

    ca_error_free(err);
    ca_t_env_stop(&env);
    return ca_t_summary("test_money");
}
