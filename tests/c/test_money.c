/* Money safety through the C ABI: the five ends of a send against the sandbox, with exact counts of the
 * transactions the sandbox holds and of the top-up writes it received.
 *
 * 1. faults on the write or the lookup (connection dropped after / before commit, 5xx, a slow answer, a
 *    late commit, a foreign or an HTML lookup answer): a verified success (the one transaction) or
 *    CA_ERR_OUTCOME_UNKNOWN with the reference that finds it — never a failure, never two sales;
 * 2. not sent: a definite refusal, nothing created (ca_result_proves_not_sent);
 * 3. refused for another sale: the duplicate window (V2 200 "existing" and 409 readings, V1 code 50) gives
 *    CA_ERR_DUPLICATE_SALE naming the other sale; a reference reused for a different sale (V2 409 / replay,
 *    V1 code 90, the journal) gives CA_ERR_REFERENCE_CONFLICT naming it; nothing new is created;
 * 4. a wait past its deadline gives CA_ERR_STILL_PENDING with the transaction id and status;
 * 5. outcome unknown: a write that may have arrived is never followed by another write before absence is
 *    proven (one POST), and the journal settles it later (recover → sent);
 * plus the journal: a second create of a reference does not write; and one client shared by four threads. */
#define _POSIX_C_SOURCE 200809L
#include "test_common.h"

#include <pthread.h>
#include <time.h>
#include <unistd.h>

static ca_t_env env;
static ca_error *err = NULL;
static char journal_path[128];

static size_t count(const char *version) {
    size_t n = 9999;
    if (ca_sandbox_transaction_count(env.sb, version, &n, NULL) != CA_OK) return 9999;
    return n;
}

/* top-up writes the sandbox received (whatever became of them) */
static uint64_t posts(const char *version) {
    uint64_t n = 9999;
    if (ca_sandbox_stat(env.sb, version, "posts", &n, NULL) != CA_OK) return 9999;
    return n;
}

static void reset(void) { CHECK_RC(CA_OK, ca_sandbox_reset(env.sb, &err)); }


/* A client of the sandbox with its own settings; journal may be NULL; bound_ms/deadline_ms 0: env's. */
static ca_v2_client *v2_client(const char *journal, uint64_t bound_ms, uint64_t deadline_ms) {
    ca_client_options *o = NULL;
    ca_v2_client *c = NULL;
    CHECK_RC(CA_OK, ca_client_options_new(&o, &err));
    CHECK_RC(CA_OK, ca_client_options_set_base_url(o, ca_sandbox_base_url(env.sb), &err));
    CHECK_RC(CA_OK, ca_client_options_set_read_timeout_ms(o, 1000, &err));
    CHECK_RC(CA_OK, ca_client_options_set_retry_base_delay_ms(o, 20, &err));
    CHECK_RC(CA_OK, ca_client_options_set_convergence_bound_ms(o, bound_ms ? bound_ms : 1000, &err));
    CHECK_RC(CA_OK, ca_client_options_set_send_deadline_ms(o, deadline_ms ? deadline_ms : 8000, &err));
    if (journal) CHECK_RC(CA_OK, ca_client_options_set_journal(o, journal, &err));
    CHECK_RC(CA_OK, ca_v2_client_new(ca_sandbox_api_key(env.sb), o, &c, &err));
    ca_client_options_free(o);
    return c;
}

static ca_v1_client *v1_client(const char *journal, uint64_t bound_ms, uint64_t deadline_ms) {
    ca_client_options *o = NULL;
    ca_v1_client *c = NULL;
    CHECK_RC(CA_OK, ca_client_options_new(&o, &err));
    CHECK_RC(CA_OK, ca_client_options_set_base_url(o, ca_sandbox_base_url(env.sb), &err));
    CHECK_RC(CA_OK, ca_client_options_set_read_timeout_ms(o, 1000, &err));
    CHECK_RC(CA_OK, ca_client_options_set_retry_base_delay_ms(o, 20, &err));
    CHECK_RC(CA_OK, ca_client_options_set_convergence_bound_ms(o, bound_ms ? bound_ms : 1000, &err));
    CHECK_RC(CA_OK, ca_client_options_set_send_deadline_ms(o, deadline_ms ? deadline_ms : 8000, &err));
    if (journal) CHECK_RC(CA_OK, ca_client_options_set_journal(o, journal, &err));
    CHECK_RC(CA_OK, ca_v1_client_new(ca_sandbox_v1_email(env.sb), ca_sandbox_v1_token(env.sb), o, &c, &err));
    ca_client_options_free(o);
    return c;
}

/* Send one V2 top-up; returns the result, keeps the top-up in *t (or NULL) and the error in err. */
static ca_result send2(ca_v2_client *c, const char *phone, const char *amount, const char *reference, ca_topup **t) {
    ca_v2_topup_request *req = NULL;
    *t = NULL;
    RESET_ERR();
    if (ca_v2_topup_request_new_amount(phone, 42, amount, "GHS", &req, &err) != CA_OK) return ca_error_result(err);
    if (reference && ca_v2_topup_request_set_reference(req, reference, &err) != CA_OK) return ca_error_result(err);
    ca_result rc = ca_v2_topup_create(c, req, t, &err);
    ca_v2_topup_request_free(req);
    return rc;
}

static ca_result send1(ca_v1_client *c, const char *msisdn, const char *amount, const char *ext_ref, ca_transaction **t) {
    ca_v1_topup_request *req = NULL;
    *t = NULL;
    RESET_ERR();
    if (ca_v1_topup_request_new_amount(msisdn, amount, &req, &err) != CA_OK) return ca_error_result(err);
    if (ext_ref && ca_v1_topup_request_set_ext_ref_id(req, ext_ref, &err) != CA_OK) return ca_error_result(err);
    ca_result rc = ca_v1_send_topup(c, req, t, &err);
    ca_v1_topup_request_free(req);
    return rc;
}

/* ------------------------------------------------------------------------------- 1. faults, settled */

/* expect_origin: the origin a success must have (NULL: any); expected_attempts 0: any */
static void v2_case(const char *phone, const char *reference, const char *fault, const char *fault_path,
                    uint64_t delay_ms, const char *expect_origin, unsigned expected_attempts) {
    ca_topup *t = NULL, *found = NULL;
    reset();
    if (fault)
        CHECK_RC(CA_OK, ca_sandbox_inject_fault(env.sb, fault, 1, fault_path ? "GET" : "POST",
                                                fault_path ? fault_path : "/v2/topups", delay_ms, 0, &err));
    ca_result rc = send2(env.v2, phone, "20", reference, &t);
    ca_t_checks++;
    if (rc != CA_OK && rc != CA_ERR_OUTCOME_UNKNOWN) {
        ca_t_failures++;
        fprintf(stderr, "FAIL v2 %s (%s): %s: %s\n", phone, fault ? fault : "magic", ca_result_name(rc), ca_error_message(err));
    }
    if (fault && strcmp(fault, "late_commit") == 0) ca_t_sleep_ms((long)delay_ms + 300); /* let the late write land */
    CHECK(count("v2") == 1);
    if (rc == CA_OK) {
        const ca_meta *m = ca_topup_meta(t);
        CHECK_STR(reference, ca_topup_reference(t));
        CHECK_STR(reference, ca_meta_reference(m));
        CHECK(ca_meta_origin(m) != NULL);
        if (expect_origin) CHECK_STR(expect_origin, ca_meta_origin(m));
        CHECK(ca_meta_replayed(m) == (strcmp(ca_meta_origin(m), "created") != 0));
        if (expected_attempts) CHECK(ca_meta_attempts(m) == expected_attempts);
        CHECK(ca_meta_attempts(m) == posts("v2") || (fault && strcmp(fault, "late_commit") == 0));
    } else if (rc == CA_ERR_OUTCOME_UNKNOWN) {
        CHECK_STR(reference, ca_error_reference(err));
        CHECK(ca_error_idempotency_key(err) != NULL);
        CHECK(ca_error_cause_kind(err) != CA_OK);
        CHECK(!ca_result_proves_not_sent(rc));
    }
    /* whichever way, the reference finds the one transaction */
    CHECK_RC(CA_OK, ca_v2_topup_reconcile(env.v2, reference, &found, &err));
    CHECK(found != NULL);
    if (found && t) CHECK_STR(ca_topup_id(t), ca_topup_id(found));
    ca_topup_free(found);
    ca_topup_free(t);
    RESET_ERR();
}

static void v1_case(const char *msisdn, const char *ext_ref, const char *fault, const char *fault_path,
                    const char *expect_origin, unsigned expected_attempts) {
    ca_transaction *t = NULL, *found = NULL;
    reset();
    if (fault)
        CHECK_RC(CA_OK, ca_sandbox_inject_fault(env.sb, fault, 1, fault_path ? "GET" : "POST",
                                                fault_path ? fault_path : "/adp", 0, 0, &err));
    ca_result rc = send1(env.v1, msisdn, "5", ext_ref, &t);
    ca_t_checks++;
    if (rc != CA_OK && rc != CA_ERR_OUTCOME_UNKNOWN) {
        ca_t_failures++;
        fprintf(stderr, "FAIL v1 %s (%s): %s: %s\n", msisdn, fault ? fault : "magic", ca_result_name(rc), ca_error_message(err));
    }
    CHECK(count("v1") == 1);
    if (rc == CA_OK) {
        const ca_meta *m = ca_transaction_meta(t);
        CHECK_STR(ext_ref, ca_transaction_ext_ref_id(t));
        CHECK_STR(ext_ref, ca_meta_reference(m));
        if (expect_origin) CHECK_STR(expect_origin, ca_meta_origin(m));
        if (expected_attempts) CHECK(ca_meta_attempts(m) == expected_attempts);
        CHECK(ca_meta_attempts(m) == posts("v1"));
    } else if (rc == CA_ERR_OUTCOME_UNKNOWN) {
        CHECK_STR(ext_ref, ca_error_reference(err));
        CHECK(ca_error_cause_kind(err) != CA_OK);
    }
    CHECK_RC(CA_OK, ca_v1_reconcile(env.v1, ext_ref, &found, &err));
    CHECK(found != NULL);
    if (found && t && ca_transaction_id(t)) CHECK_STR(ca_transaction_id(t), ca_transaction_id(found));
    ca_transaction_free(found);
    ca_transaction_free(t);
    RESET_ERR();
}

static void test_faults(void) {
    /* committed, connection closed: found by a verified lookup, written once */
    v2_case("+233555000007", "MS-V2-DROP-AFTER", NULL, NULL, 0, "recovered", 1);
    /* 500 before commit: absence proven after the (test) convergence bound, then written again, same key */
    v2_case("+233555000008", "MS-V2-5XX", NULL, NULL, 0, "created", 2);
    /* committed, answer slower than the read timeout */
    v2_case("+233555000009", "MS-V2-SLOW", NULL, NULL, 0, "recovered", 1);
    v2_case("+233541112259", "MS-V2-DROP-BEFORE", "drop_before_commit", NULL, 0, "created", 2);
    v2_case("+233541112259", "MS-V2-FAULT-AFTER", "drop_after_commit", NULL, 0, "recovered", 1);
    /* the write commits only after the client gave up on it: one top-up either way */
    v2_case("+233541112259", "MS-V2-LATE", "late_commit", NULL, 2500, NULL, 0);
    /* the first lookup answers another sale's record with our reference; the next one the real record */
    v2_case("+233555000007", "MS-V2-FOREIGN", "foreign_record", "/v2/topups", 0, "recovered", 1);
    v1_case("233555000007", "MS-V1-DROP-AFTER", NULL, NULL, "recovered", 1);
    v1_case("233555000008", "MS-V1-5XX", NULL, NULL, "created", 2);
    v1_case("233555000009", "MS-V1-SLOW", NULL, NULL, "recovered", 1);
    v1_case("233541112259", "MS-V1-DROP-BEFORE", "drop_before_commit", NULL, "created", 2);
    v1_case("233555000007", "MS-V1-FOREIGN", "foreign_record", "/adp/transactions", "recovered", 1);
    /* an HTML 404 from a proxy is not "no such transaction": never a re-send, never "not sent" */
    v1_case("233555000007", "MS-V1-HTML404", "html_404", "/adp/transactions", NULL, 1);
}

/* ------------------------------------------------------------------------------------ 2. not sent */

static void test_not_sent(void) {
    ca_topup *t = NULL;
    ca_transaction *tx = NULL;
    reset();
    CHECK(send2(env.v2, "+233555000001", "20", "NS-V2", &t) == CA_ERR_INSUFFICIENT_BALANCE);
    CHECK(t == NULL);
    CHECK(ca_result_proves_not_sent(ca_error_result(err)));
    CHECK_STR("NS-V2", ca_error_reference(err));
    CHECK(count("v2") == 0 && posts("v2") == 1);
    CHECK(send1(env.v1, "233555000002", "5", "NS-V1", &tx) == CA_ERR_INVALID_RECIPIENT);
    CHECK(ca_result_proves_not_sent(ca_error_result(err)));
    CHECK(count("v1") == 0 && posts("v1") == 1);
    /* a connection refused: the request never left */
    ca_client_options *o = NULL;
    ca_v2_client *c = NULL;
    CHECK_RC(CA_OK, ca_client_options_new(&o, &err));
    CHECK_RC(CA_OK, ca_client_options_set_base_url(o, "http://127.0.0.1:9", &err));
    CHECK_RC(CA_OK, ca_client_options_set_max_retries(o, 1, &err));
    CHECK_RC(CA_OK, ca_client_options_set_retry_base_delay_ms(o, 10, &err));
    CHECK_RC(CA_OK, ca_v2_client_new(ca_sandbox_api_key(env.sb), o, &c, &err));
    CHECK(send2(c, "+233541112259", "20", "NS-REFUSED", &t) == CA_ERR_CONNECTION);
    CHECK(ca_result_proves_not_sent(ca_error_result(err)));
    CHECK_STR("NS-REFUSED", ca_error_reference(err));
    ca_v2_client_free(c);
    ca_client_options_free(o);
    RESET_ERR();
}

/* --------------------------------------------------------------------- 3. refused for another sale */

static void test_duplicate_window(void) {
    ca_topup *a = NULL, *b = NULL;
    char first_id[64];
    /* V2, the docs' reading: 200 with the existing top-up (its own reference) */
    reset();
    CHECK(send2(env.v2, "+233541112259", "33", "DW-A", &a) == CA_OK);
    snprintf(first_id, sizeof first_id, "%s", a ? ca_topup_id(a) : "?");
    CHECK(send2(env.v2, "+233541112259", "33", "DW-B", &b) == CA_ERR_DUPLICATE_SALE);
    CHECK(b == NULL);
    CHECK_STR("DUPLICATE_SALE", ca_error_code(err));
    CHECK_STR(first_id, ca_error_transaction_id(err));
    CHECK_STR("DW-A", ca_error_existing_reference(err));
    CHECK_STR("DW-B", ca_error_reference(err));
    CHECK(ca_result_proves_not_sent(CA_ERR_DUPLICATE_SALE));
    CHECK(strstr(ca_error_message(err), "duplicate") != NULL);
    CHECK(count("v2") == 1 && posts("v2") == 2);
    ca_topup_free(a);
    /* V2, the 409 reading */
    reset();
    CHECK_RC(CA_OK, ca_sandbox_set_mode(env.sb, "duplicate_mode", "conflict", &err));
    CHECK(send2(env.v2, "+233541112259", "33", "DW-C", &a) == CA_OK);
    snprintf(first_id, sizeof first_id, "%s", a ? ca_topup_id(a) : "?");
    CHECK(send2(env.v2, "+233541112259", "33", "DW-D", &b) == CA_ERR_DUPLICATE_SALE);
    CHECK_STR(first_id, ca_error_transaction_id(err));
    CHECK_STR("DW-C", ca_error_existing_reference(err));
    CHECK(ca_error_http_status(err) == 409);
    CHECK(count("v2") == 1);
    ca_topup_free(a);
    /* once the window has passed, the same sale is a new one */
    CHECK_RC(CA_OK, ca_sandbox_set_window_ms(env.sb, "duplicate_window_ms", 0, &err));
    CHECK(send2(env.v2, "+233541112259", "33", "DW-D", &b) == CA_OK);
    CHECK(count("v2") == 2);
    ca_topup_free(b);

    /* V1 code 50: a similar request within the window */
    ca_transaction *ta = NULL, *tb = NULL;
    reset();
    CHECK_RC(CA_OK, ca_sandbox_set_window_ms(env.sb, "v1_duplicate_window_ms", 5000, &err));
    CHECK(send1(env.v1, "233541112259", "7", "DW1-A", &ta) == CA_OK);
    snprintf(first_id, sizeof first_id, "%s", ta && ca_transaction_id(ta) ? ca_transaction_id(ta) : "?");
    CHECK(send1(env.v1, "233541112259", "7", "DW1-B", &tb) == CA_ERR_DUPLICATE_SALE);
    CHECK(tb == NULL);
    CHECK_STR("50", ca_error_api_code(err));
    CHECK_STR(first_id, ca_error_transaction_id(err));
    CHECK_STR("DW1-A", ca_error_existing_reference(err));
    CHECK_STR("DW1-B", ca_error_reference(err));
    CHECK(count("v1") == 1);
    ca_transaction_free(ta);
    RESET_ERR();
}

static void test_reference_conflict(void) {
    ca_topup *a = NULL, *b = NULL;
    char first_id[64];
    /* V2: the same reference for a different sale (the derived key is the same: the API's 409 names it) */
    reset();
    CHECK(send2(env.v2, "+233541112259", "34", "RC-1", &a) == CA_OK);
    snprintf(first_id, sizeof first_id, "%s", a ? ca_topup_id(a) : "?");
    CHECK(send2(env.v2, "+233241112259", "35", "RC-1", &b) == CA_ERR_REFERENCE_CONFLICT);
    CHECK(b == NULL);
    CHECK_STR("REFERENCE_CONFLICT", ca_error_code(err));
    CHECK_STR(first_id, ca_error_transaction_id(err));
    CHECK_STR("RC-1", ca_error_existing_reference(err));
    CHECK(ca_result_proves_not_sent(CA_ERR_REFERENCE_CONFLICT));
    CHECK(count("v2") == 1);
    /* the same under the "replay" reading (200 with the first top-up's record) */
    CHECK_RC(CA_OK, ca_sandbox_set_mode(env.sb, "idempotency_mode", "replay", &err));
    CHECK(send2(env.v2, "+233241112259", "35", "RC-1", &b) == CA_ERR_REFERENCE_CONFLICT);
    CHECK_STR(first_id, ca_error_transaction_id(err));
    CHECK(count("v2") == 1);
    /* ... while the same sale again is this sale, replayed: no second top-up */
    CHECK(send2(env.v2, "+233541112259", "34", "RC-1", &b) == CA_OK);
    CHECK(b != NULL && strcmp(ca_topup_id(b), first_id) == 0);
    CHECK_STR("replayed", ca_meta_origin(ca_topup_meta(b)));
    CHECK(ca_meta_replayed(ca_topup_meta(b)));
    CHECK(count("v2") == 1);
    ca_topup_free(b);
    ca_topup_free(a);

    /* V1 code 90: the extRefId belongs to another sale */
    ca_transaction *ta = NULL, *tb = NULL;
    reset();
    CHECK(send1(env.v1, "233541112259", "8", "RC1-1", &ta) == CA_OK);
    snprintf(first_id, sizeof first_id, "%s", ta && ca_transaction_id(ta) ? ca_transaction_id(ta) : "?");
    CHECK(send1(env.v1, "233241112259", "9", "RC1-1", &tb) == CA_ERR_REFERENCE_CONFLICT);
    CHECK_STR(first_id, ca_error_transaction_id(err));
    CHECK_STR("RC1-1", ca_error_existing_reference(err));
    CHECK(count("v1") == 1);
    /* the same sale again: the API's code 90 resolves to our own record */
    CHECK(send1(env.v1, "233541112259", "8", "RC1-1", &tb) == CA_OK);
    CHECK(tb != NULL && ca_transaction_id(tb) && strcmp(ca_transaction_id(tb), first_id) == 0);
    CHECK_STR("replayed", ca_meta_origin(ca_transaction_meta(tb)));
    CHECK(count("v1") == 1);
    ca_transaction_free(tb);
    ca_transaction_free(ta);
    RESET_ERR();
}

/* ----------------------------------------------------------------------------- 4. still pending */

static void test_still_pending(void) {
    ca_topup *t = NULL, *done = NULL;
    reset();
    CHECK(send2(env.v2, "+233555000010", "20", "SP-V2", &t) == CA_OK);
    CHECK_RC(CA_ERR_STILL_PENDING, ca_v2_topup_wait(env.v2, t ? ca_topup_id(t) : "x", 300, 50, 100, &done, &err));
    CHECK(done == NULL);
    CHECK_STR("STILL_PENDING", ca_error_code(err));
    if (t) CHECK_STR(ca_topup_id(t), ca_error_transaction_id(err));
    CHECK(ca_error_status(err) != NULL &&
          (strstr(ca_error_status(err), "processing") || strstr(ca_error_status(err), "pending")));
    CHECK(!ca_result_proves_not_sent(CA_ERR_STILL_PENDING));
    CHECK(count("v2") == 1);
    ca_topup_free(t);

    ca_transaction *tx = NULL, *txd = NULL;
    CHECK(send1(env.v1, "233555000010", "5", "SP-V1", &tx) == CA_OK);
    CHECK_STR("PROCESSING", ca_transaction_state(tx));
    CHECK_RC(CA_ERR_STILL_PENDING, ca_v1_wait(env.v1, "SP-V1", 300, 50, 100, &txd, &err));
    CHECK(txd == NULL);
    CHECK_STR("SP-V1", ca_error_reference(err));
    if (tx && ca_transaction_id(tx)) CHECK_STR(ca_transaction_id(tx), ca_error_transaction_id(err));
    CHECK_STR("PROCESSING", ca_error_status(err));
    ca_transaction_free(tx);
    RESET_ERR();
}

/* --------------------------------------------------------------------------- 5. outcome unknown */

static void test_outcome_unknown(void) {
    /* the real bound (13 minutes) and a short send deadline: a write that may have arrived is looked up,
     * never written again, and ends unknown */
    ca_v2_client *c = v2_client(NULL, 780000, 1500);
    ca_topup *t = NULL;
    reset();
    CHECK_RC(CA_OK, ca_sandbox_inject_fault(env.sb, "server_error", 1, "POST", "/v2/topups", 0, 0, &err));
    /* a long Retry-After on a re-send would have made it look "rate limited": there is no re-send */
    CHECK_RC(CA_OK, ca_sandbox_inject_fault_skip(env.sb, "rate_limit", 1, 1, "POST", "/v2/topups", 0, 3600, &err));
    CHECK(send2(c, "+233541112259", "20", "OU-V2", &t) == CA_ERR_OUTCOME_UNKNOWN);
    CHECK(t == NULL);
    CHECK_STR("OU-V2", ca_error_reference(err));
    CHECK(ca_error_idempotency_key(err) != NULL);
    CHECK(ca_error_cause_kind(err) == CA_ERR_API);
    CHECK(!ca_result_proves_not_sent(CA_ERR_OUTCOME_UNKNOWN));
    CHECK(posts("v2") == 1 && count("v2") == 0);
    ca_v2_client_free(c);

    ca_v1_client *c1 = v1_client(NULL, 780000, 1500);
    ca_transaction *tx = NULL;
    CHECK(send1(c1, "233555000008", "5", "OU-V1", &tx) == CA_ERR_OUTCOME_UNKNOWN);
    CHECK_STR("OU-V1", ca_error_reference(err));
    CHECK(ca_error_cause_kind(err) != CA_OK);
    CHECK(posts("v1") == 1 && count("v1") == 0);
    ca_v1_client_free(c1);

    /* a late commit: unknown at the till, settled by the journal's recover once it lands */
    ca_t_remove_journal(journal_path);
    c = v2_client(journal_path, 780000, 1500);
    reset();
    CHECK_RC(CA_OK, ca_sandbox_inject_fault(env.sb, "late_commit", 1, "POST", "/v2/topups", 2500, 0, &err));
    CHECK(send2(c, "+233541112259", "21", "OU-LATE", &t) == CA_ERR_OUTCOME_UNKNOWN);
    CHECK(ca_error_cause_kind(err) == CA_ERR_TIMEOUT || ca_error_cause_kind(err) == CA_ERR_CONNECTION);
    CHECK(posts("v2") == 1);
    ca_journal_list *l = NULL;
    CHECK_RC(CA_OK, ca_v2_client_pending(c, &l, &err));
    CHECK(ca_journal_list_count(l) == 1);
    const ca_journal_entry *e = ca_journal_list_get(l, 0);
    CHECK_STR("OU-LATE", ca_journal_entry_reference(e));
    CHECK_STR("unknown", ca_journal_entry_state(e));
    CHECK(ca_journal_entry_is_open(e));
    CHECK(ca_journal_entry_error_kind(e) == CA_ERR_OUTCOME_UNKNOWN);
    CHECK(ca_journal_entry_writes(e) == 1);
    ca_journal_list_free(l);
    ca_t_sleep_ms(2000); /* the write lands */
    CHECK(count("v2") == 1);
    l = NULL;
    CHECK_RC(CA_OK, ca_v2_client_recover(c, &l, &err));
    CHECK(ca_journal_list_count(l) == 1);
    e = ca_journal_list_get(l, 0);
    CHECK_STR("sent", ca_journal_entry_state(e));
    CHECK(!ca_journal_entry_is_open(e));
    CHECK(ca_journal_entry_transaction_id(e) != NULL);
    const ca_topup *rec = ca_journal_entry_topup(e);
    CHECK(rec != NULL);
    if (rec) {
        CHECK_STR(ca_journal_entry_transaction_id(e), ca_topup_id(rec));
        CHECK_STR("OU-LATE", ca_topup_reference(rec));
        CHECK_STR("recovered", ca_meta_origin(ca_topup_meta(rec)));
    }
    ca_journal_list_free(l);
    l = NULL;
    CHECK_RC(CA_OK, ca_v2_client_pending(c, &l, &err));
    CHECK(ca_journal_list_count(l) == 0);
    ca_journal_list_free(l);
    /* selling it again does not write: the journal has it */
    CHECK(send2(c, "+233541112259", "21", "OU-LATE", &t) == CA_OK);
    CHECK_STR("journal", ca_meta_origin(ca_topup_meta(t)));
    CHECK(ca_meta_attempts(ca_topup_meta(t)) == 0);
    CHECK(posts("v2") == 1 && count("v2") == 1);
    ca_topup_free(t);
    ca_v2_client_free(c);
    RESET_ERR();
}

/* ------------------------------------------------------------------------------------- journal */

static void test_journal(void) {
    ca_t_remove_journal(journal_path);
    ca_v2_client *c = v2_client(journal_path, 0, 0);
    ca_v1_client *c1 = v1_client(journal_path, 0, 0); /* one file for both clients */
    ca_topup *t = NULL, *again = NULL;
    char id[64];
    reset();
    CHECK(send2(c, "+233541112259", "36", "J-1", &t) == CA_OK);
    CHECK_STR("created", ca_meta_origin(ca_topup_meta(t)));
    snprintf(id, sizeof id, "%s", t ? ca_topup_id(t) : "?");
    /* a second create of the reference: the recorded sale, no write */
    CHECK(send2(c, "+233541112259", "36", "J-1", &again) == CA_OK);
    CHECK(again != NULL && strcmp(ca_topup_id(again), id) == 0);
    CHECK_STR("journal", ca_meta_origin(ca_topup_meta(again)));
    CHECK(ca_meta_replayed(ca_topup_meta(again)));
    CHECK(posts("v2") == 1 && count("v2") == 1);
    ca_topup_free(again);
    /* a different sale under the reference: refused by the journal, no write */
    CHECK(send2(c, "+233241112259", "37", "J-1", &again) == CA_ERR_REFERENCE_CONFLICT);
    CHECK_STR("J-1", ca_error_existing_reference(err));
    CHECK_STR(id, ca_error_transaction_id(err));
    CHECK(posts("v2") == 1 && count("v2") == 1);
    /* another client (another process) on the same file sees it too */
    ca_v2_client *other = v2_client(journal_path, 0, 0);
    CHECK(send2(other, "+233541112259", "36", "J-1", &again) == CA_OK);
    CHECK_STR("journal", ca_meta_origin(ca_topup_meta(again)));
    CHECK(posts("v2") == 1);
    ca_topup_free(again);
    ca_v2_client_free(other);
    /* a definite refusal is recorded not_sent: it may be sold again (it writes again) */
    CHECK(send2(c, "+233555000001", "36", "J-POOR", &again) == CA_ERR_INSUFFICIENT_BALANCE);
    ca_journal_entry *je = NULL;
    CHECK_RC(CA_OK, ca_v2_client_journal_entry(c, "J-POOR", &je, &err));
    CHECK_STR("not_sent", ca_journal_entry_state(je));
    CHECK(ca_journal_entry_error_kind(je) == CA_ERR_INSUFFICIENT_BALANCE);
    ca_journal_entry_free(je);
    CHECK(send2(c, "+233555000001", "36", "J-POOR", &again) == CA_ERR_INSUFFICIENT_BALANCE);
    CHECK(posts("v2") == 3 && count("v2") == 1);
    ca_topup_free(t);

    /* V1 on the same journal */
    ca_transaction *tx = NULL, *tx2 = NULL;
    CHECK(send1(c1, "233541112259", "6", "J-1", &tx) == CA_OK); /* same text, other API: its own entry */
    CHECK(send1(c1, "233541112259", "6", "J-1", &tx2) == CA_OK);
    CHECK_STR("journal", ca_meta_origin(ca_transaction_meta(tx2)));
    if (tx && tx2) CHECK_STR(ca_transaction_id(tx), ca_transaction_id(tx2));
    CHECK(posts("v1") == 1 && count("v1") == 1);
    ca_transaction_free(tx2);
    CHECK(send1(c1, "233541112259", "9", "J-1", &tx2) == CA_ERR_REFERENCE_CONFLICT);
    CHECK(posts("v1") == 1);
    ca_transaction_free(tx);
    ca_v1_client_free(c1);
    ca_v2_client_free(c);
    ca_t_remove_journal(journal_path);
    RESET_ERR();
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
    reset();
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
    CHECK(posts("v2") == THREADS * SALES && posts("v1") == THREADS * SALES);
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
    snprintf(journal_path, sizeof journal_path, "/tmp/ca-test-money-%ld.journal", (long)getpid());
    if (ca_sandbox_options_new(&so, NULL) != CA_OK || ca_client_options_new(&co, NULL) != CA_OK) return 2;
    ca_sandbox_options_set_number(so, "slow_delay_ms", 3000, NULL);
    ca_sandbox_options_set_number(so, "processing_after_ms", 20, NULL);
    ca_sandbox_options_set_number(so, "complete_after_ms", 80, NULL);
    /* the read timeout is shorter than the sandbox's slow answer; the convergence bound is the sandbox's,
     * not the API's 13 minutes (never do that against the real API) */
    ca_client_options_set_read_timeout_ms(co, 1000, NULL);
    ca_client_options_set_retry_base_delay_ms(co, 20, NULL);
    ca_client_options_set_convergence_bound_ms(co, 1000, NULL);
    ca_client_options_set_send_deadline_ms(co, 8000, NULL);
    ca_t_env_start(&env, so, co);
    ca_sandbox_options_free(so);
    ca_client_options_free(co);

    test_faults();
    printf("money: faults settled (%d checks)\n", ca_t_checks);
    test_not_sent();
    test_duplicate_window();
    test_reference_conflict();
    test_still_pending();
    test_outcome_unknown();
    test_journal();
    printf("money: five ends (%d checks)\n", ca_t_checks);
    test_shared_client();

    ca_error_free(err);
    ca_t_env_stop(&env);
    ca_t_remove_journal(journal_path);
    return ca_t_summary("test_money");
}
