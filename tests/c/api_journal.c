/* test_api: the journal through the C API. */
#define _POSIX_C_SOURCE 200809L
#include "test_api.h"

/* The journal through the C API: options, errors, entries and their getters, pending, recover. */
void test_journal_api(void) {
    char path[128];
    snprintf(path, sizeof path, "/tmp/ca-test-api-%ld.journal", (long)getpid());
    ca_t_remove_journal(path);

    /* a journal that cannot be opened: an error before anything else */
    ca_client_options *bad = NULL;
    ca_v2_client *c = NULL;
    ca_v1_client *c1 = NULL;
    CHECK_RC(CA_OK, ca_client_options_new(&bad, &err));
    CHECK_RC(CA_OK, ca_client_options_set_base_url(bad, ca_sandbox_base_url(env.sb), &err));
    CHECK_RC(CA_OK, ca_client_options_set_journal(bad, "/nonexistent-dir-ca/x/j.sqlite", &err));
    CHECK_RC(CA_ERR_JOURNAL, ca_v2_client_new(ca_sandbox_api_key(env.sb), bad, &c, &err));
    CHECK(c == NULL);
    CHECK_STR("JOURNAL", ca_error_code(err));
    CHECK(strstr(ca_error_message(err), "/nonexistent-dir-ca/x/j.sqlite") != NULL);
    RESET_ERR();
    CHECK_RC(CA_ERR_JOURNAL, ca_v1_client_new(ca_sandbox_v1_email(env.sb), ca_sandbox_v1_token(env.sb), bad, &c1, &err));
    CHECK(c1 == NULL);
    RESET_ERR();
    ca_client_options_free(bad);

    /* without a journal: nothing pending, no entry, recover refused naming the journal */
    ca_journal_list *l = NULL;
    ca_journal_entry *e = (ca_journal_entry *)&env;
    CHECK_RC(CA_OK, ca_v2_client_pending(env.v2, &l, &err));
    CHECK(ca_journal_list_count(l) == 0 && ca_journal_list_get(l, 0) == NULL);
    ca_journal_list_free(l);
    l = NULL;
    CHECK_RC(CA_OK, ca_v1_client_pending(env.v1, &l, &err));
    CHECK(ca_journal_list_count(l) == 0);
    ca_journal_list_free(l);
    CHECK_RC(CA_OK, ca_v2_client_journal_entry(env.v2, "SALE-1", &e, &err));
    CHECK(e == NULL);
    e = (ca_journal_entry *)&env;
    CHECK_RC(CA_OK, ca_v1_client_journal_entry(env.v1, "V1-SALE-1", &e, &err));
    CHECK(e == NULL);
    l = (ca_journal_list *)&env;
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_client_recover(env.v2, &l, &err));
    CHECK_STR("journal", ca_error_field(err));
    CHECK(l == (ca_journal_list *)&env);
    RESET_ERR();
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v1_client_recover(env.v1, &l, &err));
    CHECK_STR("journal", ca_error_field(err));
    RESET_ERR();

    /* with one (both clients on one file) */
    ca_client_options *o = NULL;
    CHECK_RC(CA_OK, ca_client_options_new(&o, &err));
    CHECK_RC(CA_OK, ca_client_options_set_base_url(o, ca_sandbox_base_url(env.sb), &err));
    CHECK_RC(CA_OK, ca_client_options_set_journal(o, path, &err));
    CHECK_RC(CA_OK, ca_client_options_set_convergence_bound_ms(o, 500, &err));
    CHECK_RC(CA_OK, ca_client_options_set_retry_base_delay_ms(o, 20, &err));
    CHECK_RC(CA_OK, ca_v2_client_new(ca_sandbox_api_key(env.sb), o, &c, &err));
    CHECK_RC(CA_OK, ca_v1_client_new(ca_sandbox_v1_email(env.sb), ca_sandbox_v1_token(env.sb), o, &c1, &err));
    ca_topup *t = send_v2_with(c, "+233541112259", "43", "J-API-1", CA_OK);
    e = NULL;
    CHECK_RC(CA_OK, ca_v2_client_journal_entry(c, "J-API-1", &e, &err));
    CHECK(e != NULL);
    CHECK_STR("v2", ca_journal_entry_api(e));
    CHECK_STR("J-API-1", ca_journal_entry_reference(e));
    CHECK_STR(ca_meta_idempotency_key(ca_topup_meta(t)), ca_journal_entry_idempotency_key(e));
    CHECK_STR("sent", ca_journal_entry_state(e));
    CHECK(!ca_journal_entry_is_open(e));
    CHECK(ca_journal_entry_writes(e) == 1);
    CHECK_STR(ca_topup_id(t), ca_journal_entry_transaction_id(e));
    CHECK_STR("pending", ca_journal_entry_status(e));
    CHECK(ca_journal_entry_error_kind(e) == CA_OK);
    CHECK(ca_journal_entry_error_message(e) == NULL);
    CHECK(ca_journal_entry_request(e) != NULL && strstr(ca_journal_entry_request(e), "\"J-API-1\"") != NULL);
    CHECK(ca_journal_entry_record(e) != NULL && strstr(ca_journal_entry_record(e), ca_topup_id(t)) != NULL);
    CHECK(ca_journal_entry_created_at_unix_ms(e) > 1700000000000LL);
    CHECK(ca_journal_entry_updated_at_unix_ms(e) >= ca_journal_entry_created_at_unix_ms(e));
    CHECK(ca_journal_entry_last_write_at_unix_ms(e) >= ca_journal_entry_created_at_unix_ms(e));
    const ca_topup *rt = ca_journal_entry_topup(e);
    CHECK(rt != NULL);
    CHECK_STR(ca_topup_id(t), ca_topup_id(rt));
    CHECK_STR("43", ca_topup_amount(rt));
    CHECK_STR("journal", ca_meta_origin(ca_topup_meta(rt)));
    CHECK_STR("J-API-1", ca_meta_reference(ca_topup_meta(rt)));
    CHECK(ca_journal_entry_transaction(e) == NULL);
    char *json = NULL;
    CHECK_RC(CA_OK, ca_journal_entry_to_json(e, &json, &err));
    CHECK(json != NULL && strstr(json, "\"state\":\"sent\"") != NULL && strstr(json, "\"J-API-1\"") != NULL);
    ca_string_free(json);
    ca_journal_entry_free(e);
    ca_topup_free(t);
    /* a refusal is recorded not_sent, with its kind and message */
    t = send_v2_with(c, "+233555000001", "43", "J-API-POOR", CA_ERR_INSUFFICIENT_BALANCE);
    RESET_ERR();
    e = NULL;
    CHECK_RC(CA_OK, ca_v2_client_journal_entry(c, "J-API-POOR", &e, &err));
    CHECK_STR("not_sent", ca_journal_entry_state(e));
    CHECK(ca_journal_entry_error_kind(e) == CA_ERR_INSUFFICIENT_BALANCE);
    CHECK(ca_journal_entry_error_message(e) != NULL);
    CHECK(ca_journal_entry_transaction_id(e) == NULL);
    CHECK(ca_journal_entry_topup(e) == NULL);
    CHECK(ca_journal_entry_record(e) == NULL);
    ca_journal_entry_free(e);
    /* V1 */
    ca_v1_topup_request *r1 = NULL;
    ca_transaction *tx = NULL;
    CHECK_RC(CA_OK, ca_v1_topup_request_new_amount("233541112259", "3", &r1, &err));
    CHECK_RC(CA_OK, ca_v1_topup_request_set_ext_ref_id(r1, "J-API-V1", &err));
    CHECK_RC(CA_OK, ca_v1_send_topup(c1, r1, &tx, &err));
    e = NULL;
    CHECK_RC(CA_OK, ca_v1_client_journal_entry(c1, "J-API-V1", &e, &err));
    CHECK_STR("v1", ca_journal_entry_api(e));
    CHECK(ca_journal_entry_idempotency_key(e) == NULL);
    CHECK_STR("sent", ca_journal_entry_state(e));
    CHECK(ca_journal_entry_topup(e) == NULL);
    CHECK(ca_journal_entry_transaction(e) != NULL);
    CHECK_STR(ca_transaction_id(tx), ca_transaction_id(ca_journal_entry_transaction(e)));
    CHECK_STR("J-API-V1", ca_transaction_ext_ref_id(ca_journal_entry_transaction(e)));
    ca_journal_entry_free(e);
    ca_transaction_free(tx);
    ca_v1_topup_request_free(r1);
    /* nothing open */
    l = NULL;
    CHECK_RC(CA_OK, ca_v2_client_pending(c, &l, &err));
    CHECK(ca_journal_list_count(l) == 0);
    ca_journal_list_free(l);
    l = NULL;
    CHECK_RC(CA_OK, ca_v1_client_recover(c1, &l, &err));
    CHECK(ca_journal_list_count(l) == 0);
    ca_journal_list_free(l);

    /* a send that ends unknown (a 5xx, the real convergence bound, a short deadline) is listed open ... */
    ca_client_options *slow = NULL;
    ca_v2_client *cu = NULL;
    CHECK_RC(CA_OK, ca_client_options_new(&slow, &err));
    CHECK_RC(CA_OK, ca_client_options_set_base_url(slow, ca_sandbox_base_url(env.sb), &err));
    CHECK_RC(CA_OK, ca_client_options_set_journal(slow, path, &err));
    CHECK_RC(CA_OK, ca_client_options_set_send_deadline_ms(slow, 600, &err));
    CHECK_RC(CA_OK, ca_client_options_set_retry_base_delay_ms(slow, 20, &err));
    CHECK_RC(CA_OK, ca_v2_client_new(ca_sandbox_api_key(env.sb), slow, &cu, &err));
    ca_client_options_free(slow);
    CHECK_RC(CA_OK, ca_sandbox_inject_fault(env.sb, "server_error", 1, "POST", "/v2/topups", 0, 0, &err));
    t = send_v2_with(cu, "+233541112259", "44", "J-API-OPEN", CA_ERR_OUTCOME_UNKNOWN);
    CHECK_STR("J-API-OPEN", ca_error_reference(err));
    CHECK(ca_error_cause_kind(err) == CA_ERR_API);
    CHECK(strstr(ca_error_message(err), "J-API-OPEN") != NULL);
    RESET_ERR();
    l = NULL;
    CHECK_RC(CA_OK, ca_v2_client_pending(c, &l, &err));
    CHECK(ca_journal_list_count(l) == 1);
    const ca_journal_entry *le = ca_journal_list_get(l, 0);
    CHECK_STR("J-API-OPEN", ca_journal_entry_reference(le));
    CHECK_STR("unknown", ca_journal_entry_state(le));
    CHECK(ca_journal_entry_is_open(le));
    CHECK(ca_journal_entry_error_kind(le) == CA_ERR_OUTCOME_UNKNOWN);
    CHECK(ca_journal_list_get(l, 1) == NULL);
    ca_journal_list_free(l);
    /* ... and settled by recover: nothing was created, and once the (test) convergence bound has passed
     * that is proven: not_sent, NOT_FOUND */
    ca_t_sleep_ms(600);
    l = NULL;
    CHECK_RC(CA_OK, ca_v2_client_recover(c, &l, &err));
    CHECK(ca_journal_list_count(l) == 1);
    le = ca_journal_list_get(l, 0);
    CHECK_STR("not_sent", ca_journal_entry_state(le));
    CHECK(ca_journal_entry_error_kind(le) == CA_ERR_NOT_FOUND);
    CHECK(ca_journal_entry_topup(le) == NULL);
    ca_journal_list_free(l);
    /* selling it again is then safe: written once, with the same key */
    t = send_v2_with(c, "+233541112259", "44", "J-API-OPEN", CA_OK);
    CHECK_STR("created", ca_meta_origin(ca_topup_meta(t)));
    ca_topup_free(t);

    ca_v2_client_free(cu);
    ca_v1_client_free(c1);
    ca_v2_client_free(c);
    ca_client_options_free(o);
    ca_t_remove_journal(path);
}
