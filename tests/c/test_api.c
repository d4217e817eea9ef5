/* End-to-end tests of libclickairtime against the in-process sandbox: every V2 and V1 operation, errors,
 * webhooks, phone and amount helpers, result table, panic boundary. */
#define _POSIX_C_SOURCE 200809L
#include "test_common.h"

#include <time.h>

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static ca_t_env env;
static ca_error *err = NULL;

static void test_result_table(void) {
    CHECK_STR("CA_OK", ca_result_name(CA_OK));
    CHECK_STR("CA_ERR_OUTCOME_UNKNOWN", ca_result_name(113));
    CHECK_STR("CA_ERR_INSUFFICIENT_BALANCE", ca_result_name(CA_ERR_INSUFFICIENT_BALANCE));
    CHECK(ca_result_name(6) == NULL);
    CHECK(ca_result_name(100000) == NULL);
    CHECK(ca_version() != NULL && strlen(ca_version()) > 0);
    CHECK(ca_error_result(NULL) == CA_OK);
    CHECK(ca_error_message(NULL) == NULL);
    /* the codes of issue 10, appended: numbers never move */
    CHECK(CA_ERR_DUPLICATE_SALE == 116 && CA_ERR_REFERENCE_CONFLICT == 117 && CA_ERR_STILL_PENDING == 118 &&
          CA_ERR_JOURNAL == 119 && CA_ERR_CANCELLED == 120 && CA_ERR_OTHER == 199);
    CHECK_STR("CA_ERR_DUPLICATE_SALE", ca_result_name(116));
    CHECK_STR("CA_ERR_REFERENCE_CONFLICT", ca_result_name(117));
    CHECK_STR("CA_ERR_STILL_PENDING", ca_result_name(118));
    CHECK_STR("CA_ERR_JOURNAL", ca_result_name(119));
    CHECK_STR("CA_ERR_CANCELLED", ca_result_name(120));
    CHECK(ca_result_name(121) == NULL);
    /* which ends prove that nothing was sold */
    CHECK(!ca_result_proves_not_sent(CA_OK));
    CHECK(!ca_result_proves_not_sent(CA_ERR_OUTCOME_UNKNOWN));
    CHECK(!ca_result_proves_not_sent(CA_ERR_STILL_PENDING));
    CHECK(!ca_result_proves_not_sent(CA_ERR_PANIC));
    CHECK(!ca_result_proves_not_sent(CA_ERR_OTHER));
    CHECK(!ca_result_proves_not_sent(6));
    CHECK(ca_result_proves_not_sent(CA_ERR_NULL_ARGUMENT));
    CHECK(ca_result_proves_not_sent(CA_ERR_INSUFFICIENT_BALANCE));
    CHECK(ca_result_proves_not_sent(CA_ERR_CONNECTION));
    CHECK(ca_result_proves_not_sent(CA_ERR_DUPLICATE_SALE));
    CHECK(ca_result_proves_not_sent(CA_ERR_REFERENCE_CONFLICT));
    CHECK(ca_result_proves_not_sent(CA_ERR_JOURNAL));
    /* the new error getters are NULL-safe */
    CHECK(ca_error_cause_kind(NULL) == CA_OK);
    CHECK(ca_error_status(NULL) == NULL);
    CHECK(ca_error_existing_reference(NULL) == NULL);
    CHECK(ca_error_transaction_id(NULL) == NULL);
    CHECK(ca_meta_origin(NULL) == NULL);
}

static void test_panic_boundary(void) {
    CHECK_RC(CA_ERR_PANIC, ca_test_panic(&err));
    CHECK(err != NULL);
    CHECK_STR("PANIC", ca_error_code(err));
    CHECK(ca_error_result(err) == CA_ERR_PANIC);
    CHECK(strstr(ca_error_message(err), "panic") != NULL);
    RESET_ERR();
    CHECK(ca_test_panic(NULL) == CA_ERR_PANIC);
}

static void test_v2_catalog(void) {
    ca_catalog *cat = NULL;
    CHECK_RC(CA_OK, ca_v2_lookup(env.v2, "+233541112259", 0, &cat, &err));
    CHECK(ca_catalog_network_id(cat) == 42);
    CHECK_STR("MTN Ghana", ca_catalog_network_name(cat));
    CHECK_STR("GH", ca_catalog_country_code(cat));
    CHECK_STR("GHS", ca_catalog_currency(cat));
    CHECK_STR("+233541112259", ca_catalog_phone_number(cat));
    CHECK_STR("12.35", ca_catalog_exchange_rate(cat));
    CHECK(ca_catalog_custom_airtime_available(cat));
    CHECK_STR("1", ca_catalog_custom_airtime_min(cat));
    CHECK_STR("5000", ca_catalog_custom_airtime_max(cat));
    CHECK(ca_catalog_bundle_count(cat) == 2);
    CHECK_STR("101", ca_catalog_bundle_id(cat, 0));
    CHECK(ca_catalog_bundle_id(cat, 2) == NULL);
    CHECK(ca_catalog_bundle_name(cat, 0) != NULL);
    CHECK(ca_catalog_bundle_type(cat, 0) != NULL);
    CHECK(ca_catalog_bundle_price_usd(cat, 0) != NULL);
    CHECK(ca_catalog_bundle_price_usd_f64(cat, 0) > 0.0);
    CHECK(isnan(ca_catalog_bundle_price_usd_f64(cat, 9)));
    /* the same pointer comes back twice: strings are owned by the handle */
    CHECK(ca_catalog_bundle_id(cat, 0) == ca_catalog_bundle_id(cat, 0));
    const ca_meta *m = ca_catalog_meta(cat);
    CHECK(m != NULL);
    CHECK(ca_meta_http_status(m) == 200);
    CHECK(ca_meta_request_id(m) != NULL && strncmp(ca_meta_request_id(m), "req_", 4) == 0);
    CHECK(ca_meta_origin(m) == NULL); /* not a send */
    uint64_t limit = 0, remaining = 0;
    CHECK(ca_meta_rate_limit(m, &limit, &remaining, NULL));
    CHECK(limit > 0 && remaining < limit);
    char *json = NULL;
    CHECK_RC(CA_OK, ca_catalog_to_json(cat, &json, &err));
    CHECK(json != NULL && strstr(json, "\"MTN Ghana\"") != NULL);
    ca_string_free(json);
    json = NULL;
    CHECK_RC(CA_OK, ca_meta_to_json(m, &json, &err));
    CHECK(json != NULL && strstr(json, "request_id") != NULL);
    ca_string_free(json);
    ca_catalog_free(cat);

    cat = NULL;
    CHECK_RC(CA_OK, ca_v2_lookup(env.v2, NULL, 23, &cat, &err));
    CHECK(ca_catalog_network_id(cat) == 23);
    CHECK(ca_catalog_phone_number(cat) == NULL);
    ca_catalog_free(cat);

    cat = (ca_catalog *)&env; /* sentinel: outputs are written only on success */
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_lookup(env.v2, "0541112259", 0, &cat, &err));
    CHECK(cat == (ca_catalog *)&env);
    CHECK_STR("phone_number", ca_error_field(err));
    CHECK_STR("INVALID_INPUT", ca_error_code(err));
    CHECK(ca_error_http_status(err) == 0);
    RESET_ERR();
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_lookup(env.v2, NULL, 0, &cat, &err));
    RESET_ERR();
    CHECK_RC(CA_ERR_API, ca_v2_lookup(env.v2, "+19995550000", 0, &cat, &err));
    CHECK_STR("HLR_LOOKUP_FAILED", ca_error_api_code(err));
    CHECK(ca_error_http_status(err) == 400);
    CHECK(ca_error_request_id(err) != NULL);
    RESET_ERR();

    cat = NULL;
    CHECK_RC(CA_OK, ca_v2_products(env.v2, 42, &cat, &err));
    CHECK(ca_catalog_bundle_count(cat) == 2);
    ca_catalog_free(cat);
    CHECK_RC(CA_ERR_NOT_FOUND, ca_v2_products(env.v2, 999, &cat, &err));
    CHECK_STR("NETWORK_NOT_FOUND", ca_error_api_code(err));
    RESET_ERR();

    ca_network_list *nets = NULL;
    CHECK_RC(CA_OK, ca_v2_networks(env.v2, "GH", &nets, &err));
    CHECK(ca_network_list_count(nets) == 3);
    CHECK(ca_network_list_id(nets, 0) > 0);
    CHECK(ca_network_list_name(nets, 0) != NULL);
    CHECK_STR("GH", ca_network_list_country_code(nets, 1));
    CHECK_STR("GHS", ca_network_list_currency(nets, 2));
    CHECK(ca_network_list_name(nets, 3) == NULL);
    CHECK(ca_network_list_meta(nets) != NULL);
    json = NULL;
    CHECK_RC(CA_OK, ca_network_list_to_json(nets, &json, &err));
    ca_string_free(json);
    ca_network_list_free(nets);
    nets = NULL;
    CHECK_RC(CA_OK, ca_v2_networks(env.v2, NULL, &nets, &err));
    CHECK(ca_network_list_count(nets) == 7);
    ca_network_list_free(nets);
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_networks(env.v2, "GHA", &nets, &err));
    CHECK_STR("country_code", ca_error_field(err));
    RESET_ERR();

    ca_country_list *cs = NULL;
    CHECK_RC(CA_OK, ca_v2_countries(env.v2, &cs, &err));
    CHECK(ca_country_list_count(cs) >= 5);
    CHECK(ca_country_list_code(cs, 0) != NULL || ca_country_list_name(cs, 0) != NULL);
    (void)ca_country_list_currency(cs, 0);
    CHECK(ca_country_list_meta(cs) != NULL);
    json = NULL;
    CHECK_RC(CA_OK, ca_country_list_to_json(cs, &json, &err));
    ca_string_free(json);
    ca_country_list_free(cs);
}

static ca_topup *send_v2(const char *phone, const char *amount, const char *reference, ca_result expected) {
    ca_v2_topup_request *req = NULL;
    ca_topup *t = NULL;
    CHECK_RC(CA_OK, ca_v2_topup_request_new_amount(phone, 42, amount, "GHS", &req, &err));
    if (reference) CHECK_RC(CA_OK, ca_v2_topup_request_set_reference(req, reference, &err));
    CHECK_RC(expected, ca_v2_topup_create(env.v2, req, &t, &err));
    ca_v2_topup_request_free(req);
    return t;
}

static ca_topup *send_v2_with(ca_v2_client *c, const char *phone, const char *amount, const char *reference,
                              ca_result expected) {
    ca_v2_topup_request *req = NULL;
    ca_topup *t = NULL;
    CHECK_RC(CA_OK, ca_v2_topup_request_new_amount(phone, 42, amount, "GHS", &req, &err));
    if (reference) CHECK_RC(CA_OK, ca_v2_topup_request_set_reference(req, reference, &err));
    CHECK_RC(expected, ca_v2_topup_create(c, req, &t, &err));
    ca_v2_topup_request_free(req);
    return t;
}

/* Handles before the write: references, derived idempotency keys, prepared requests. */
static void test_handles(void) {
    char ref[CA_REFERENCE_BUFFER_SIZE], ref2[CA_REFERENCE_BUFFER_SIZE];
    char key[CA_IDEMPOTENCY_KEY_BUFFER_SIZE], key2[CA_IDEMPOTENCY_KEY_BUFFER_SIZE];
    char small[8];
    size_t n = 0;
    CHECK_RC(CA_OK, ca_new_reference(ref, sizeof ref, &n, &err));
    CHECK(n == 39 && strlen(ref) == n && strncmp(ref, "ca-", 3) == 0);
    CHECK_RC(CA_OK, ca_new_reference(ref2, sizeof ref2, NULL, &err));
    CHECK(strcmp(ref, ref2) != 0);
    memset(small, 'Q', sizeof small);
    CHECK_RC(CA_ERR_BUFFER_TOO_SMALL, ca_new_reference(small, sizeof small, &n, &err));
    CHECK(small[0] == 'Q' && n == 39);
    RESET_ERR();
    CHECK_RC(CA_OK, ca_v2_idempotency_key_for("RECEIPT-7", key, sizeof key, &n, &err));
    CHECK(n == 44 && strncmp(key, "ca2-", 4) == 0);
    CHECK_RC(CA_OK, ca_v2_idempotency_key_for("RECEIPT-7", key2, sizeof key2, NULL, &err));
    CHECK_STR(key, key2); /* the same reference, the same key: in every process, after a crash */
    CHECK_RC(CA_OK, ca_v2_idempotency_key_for("RECEIPT-8", key2, sizeof key2, NULL, &err));
    CHECK(strcmp(key, key2) != 0);
    CHECK_RC(CA_ERR_BUFFER_TOO_SMALL, ca_v2_idempotency_key_for("RECEIPT-7", small, sizeof small, NULL, &err));
    CHECK(small[0] == 'Q');
    RESET_ERR();

    /* V2: nothing is fixed until set or prepared; prepare fixes both; the send carries exactly them */
    ca_v2_topup_request *req = NULL;
    ca_topup *t = NULL;
    char fixed[64];
    CHECK_RC(CA_OK, ca_v2_topup_request_new_amount("+233541112259", 42, "41", "GHS", &req, &err));
    CHECK(ca_v2_topup_request_reference(req) == NULL);
    CHECK(ca_v2_topup_request_idempotency_key(req) == NULL);
    CHECK_RC(CA_OK, ca_v2_topup_request_prepare(req, &err));
    CHECK(ca_v2_topup_request_reference(req) != NULL && strncmp(ca_v2_topup_request_reference(req), "ca-", 3) == 0);
    snprintf(fixed, sizeof fixed, "%s", ca_v2_topup_request_reference(req));
    CHECK_RC(CA_OK, ca_v2_idempotency_key_for(fixed, key, sizeof key, NULL, &err));
    CHECK_STR(key, ca_v2_topup_request_idempotency_key(req));
    CHECK_RC(CA_OK, ca_v2_topup_request_prepare(req, &err)); /* again: nothing changes */
    CHECK_STR(fixed, ca_v2_topup_request_reference(req));
    CHECK_STR(key, ca_v2_topup_request_idempotency_key(req));
    CHECK_RC(CA_OK, ca_v2_topup_create(env.v2, req, &t, &err));
    CHECK_STR(fixed, ca_topup_reference(t));
    CHECK_STR(fixed, ca_meta_reference(ca_topup_meta(t)));
    CHECK_STR(key, ca_meta_idempotency_key(ca_topup_meta(t)));
    CHECK_STR("created", ca_meta_origin(ca_topup_meta(t)));
    ca_topup_free(t);
    /* a reference of your own: the key follows from it at once; a key of your own wins */
    CHECK_RC(CA_OK, ca_v2_topup_request_set_reference(req, "RECEIPT-7", &err));
    CHECK_STR("RECEIPT-7", ca_v2_topup_request_reference(req));
    CHECK_RC(CA_OK, ca_v2_idempotency_key_for("RECEIPT-7", key, sizeof key, NULL, &err));
    CHECK_STR(key, ca_v2_topup_request_idempotency_key(req));
    CHECK_RC(CA_OK, ca_v2_topup_request_set_idempotency_key(req, "my-own-key-7", &err));
    CHECK_STR("my-own-key-7", ca_v2_topup_request_idempotency_key(req));
    CHECK_RC(CA_OK, ca_v2_topup_request_prepare(req, &err));
    CHECK_STR("RECEIPT-7", ca_v2_topup_request_reference(req));
    CHECK_STR("my-own-key-7", ca_v2_topup_request_idempotency_key(req));
    ca_v2_topup_request_free(req);
    CHECK(ca_v2_topup_request_reference(NULL) == NULL);
    CHECK(ca_v2_topup_request_idempotency_key(NULL) == NULL);

    /* V1 */
    ca_v1_topup_request *r1 = NULL;
    ca_transaction *tx = NULL;
    CHECK_RC(CA_OK, ca_v1_topup_request_new_amount("233541112259", "4", &r1, &err));
    CHECK(ca_v1_topup_request_ext_ref_id(r1) == NULL);
    CHECK_RC(CA_OK, ca_v1_topup_request_prepare(r1, &err));
    CHECK(ca_v1_topup_request_ext_ref_id(r1) != NULL && strncmp(ca_v1_topup_request_ext_ref_id(r1), "ca-", 3) == 0);
    snprintf(fixed, sizeof fixed, "%s", ca_v1_topup_request_ext_ref_id(r1));
    CHECK_RC(CA_OK, ca_v1_topup_request_prepare(r1, &err));
    CHECK_STR(fixed, ca_v1_topup_request_ext_ref_id(r1));
    CHECK_RC(CA_OK, ca_v1_send_topup(env.v1, r1, &tx, &err));
    CHECK_STR(fixed, ca_transaction_ext_ref_id(tx));
    CHECK_STR(fixed, ca_meta_reference(ca_transaction_meta(tx)));
    ca_transaction_free(tx);
    CHECK_RC(CA_OK, ca_v1_topup_request_set_ext_ref_id(r1, "V1-RECEIPT-9", &err));
    CHECK_STR("V1-RECEIPT-9", ca_v1_topup_request_ext_ref_id(r1));
    ca_v1_topup_request_free(r1);
    CHECK(ca_v1_topup_request_ext_ref_id(NULL) == NULL);
}

/* The journal through the C API: options, errors, entries and their getters, pending, recover. */
static void test_journal_api(void) {
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
    sleep_ms(600);
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

static void test_v2_topups(void) {
    ca_topup *t = send_v2("+233541112259", "50", "SALE-1", CA_OK);
    CHECK(t != NULL);
    CHECK(ca_topup_id(t) != NULL);
    CHECK_STR("pending", ca_topup_status(t));
    CHECK(!ca_topup_is_terminal(t));
    CHECK_STR("SALE-1", ca_topup_reference(t));
    CHECK_STR("50", ca_topup_amount(t));
    CHECK(ca_topup_amount_f64(t) == 50.0);
    CHECK_STR("GHS", ca_topup_amount_currency(t));
    CHECK_STR("4.05", ca_topup_cost(t));
    CHECK(fabs(ca_topup_cost_f64(t) - 4.05) < 1e-9);
    CHECK_STR("USD", ca_topup_cost_currency(t));
    CHECK_STR("+233541112259", ca_topup_phone_number(t));
    CHECK(ca_topup_network_id(t) == 42);
    CHECK_STR("MTN Ghana", ca_topup_network_name(t));
    CHECK(ca_topup_product_id(t) == NULL);
    CHECK(ca_topup_created_at(t) != NULL);
    CHECK(ca_topup_created_at_unix_ms(t) > 1700000000000LL);
    const ca_meta *m = ca_topup_meta(t);
    CHECK(ca_meta_http_status(m) == 201);
    CHECK_STR("SALE-1", ca_meta_reference(m));
    CHECK(ca_meta_idempotency_key(m) != NULL);
    CHECK(!ca_meta_replayed(m));
    CHECK_STR("created", ca_meta_origin(m));
    CHECK(ca_meta_attempts(m) == 1);
    char key[CA_IDEMPOTENCY_KEY_BUFFER_SIZE];
    CHECK_RC(CA_OK, ca_v2_idempotency_key_for("SALE-1", key, sizeof key, NULL, &err));
    CHECK_STR(key, ca_meta_idempotency_key(m)); /* derived from the reference */
    char *json = NULL;
    CHECK_RC(CA_OK, ca_topup_to_json(t, &json, &err));
    CHECK(json != NULL && strstr(json, "\"value\":\"50\"") != NULL);
    ca_string_free(json);

    ca_topup *done = NULL;
    CHECK_RC(CA_OK, ca_v2_topup_wait(env.v2, ca_topup_id(t), 10000, 50, 200, &done, &err));
    CHECK_STR("completed", ca_topup_status(done));
    CHECK(ca_topup_is_terminal(done) && ca_topup_is_success(done));
    CHECK(ca_topup_completed_at(done) != NULL);
    CHECK(ca_topup_completed_at_unix_ms(done) >= ca_topup_created_at_unix_ms(done));
    ca_topup_free(done);

    ca_topup *got = NULL;
    CHECK_RC(CA_OK, ca_v2_topup_get(env.v2, ca_topup_id(t), &got, &err));
    CHECK_STR(ca_topup_id(t), ca_topup_id(got));
    ca_topup_free(got);
    CHECK_RC(CA_ERR_NOT_FOUND, ca_v2_topup_get(env.v2, "00000000-0000-0000-0000-000000000000", &got, &err));
    RESET_ERR();

    ca_topup *found = NULL;
    CHECK_RC(CA_OK, ca_v2_topup_reconcile(env.v2, "SALE-1", &found, &err));
    CHECK(found != NULL);
    CHECK_STR(ca_topup_id(t), ca_topup_id(found));
    ca_topup_free(found);
    found = (ca_topup *)&env;
    CHECK_RC(CA_OK, ca_v2_topup_reconcile(env.v2, "NEVER-SENT-1", &found, &err));
    CHECK(found == NULL);

    /* a bundle */
    ca_v2_topup_request *req = NULL;
    ca_topup *b = NULL;
    CHECK_RC(CA_OK, ca_v2_topup_request_new_product("+233241112259", 42, "101", &req, &err));
    CHECK_RC(CA_OK, ca_v2_topup_request_set_sms(req, NULL, &err));
    CHECK_RC(CA_OK, ca_v2_topup_request_add_metadata(req, "till", "3", &err));
    CHECK_RC(CA_OK, ca_v2_topup_request_set_idempotency_key(req, "key-bundle-1", &err));
    CHECK_RC(CA_OK, ca_v2_topup_create(env.v2, req, &b, &err));
    CHECK_STR("101", ca_topup_product_id(b));
    CHECK_STR("key-bundle-1", ca_meta_idempotency_key(ca_topup_meta(b)));
    CHECK(strncmp(ca_meta_reference(ca_topup_meta(b)), "ca-", 3) == 0);
    ca_topup_free(b);
    ca_v2_topup_request_free(req);

    /* listing */
    ca_v2_topup_filter *f = NULL;
    ca_topup_list *l = NULL;
    CHECK_RC(CA_OK, ca_v2_topup_filter_new(&f, &err));
    CHECK_RC(CA_OK, ca_v2_topup_filter_set(f, "reference", "SALE-1", &err));
    CHECK_RC(CA_OK, ca_v2_topup_list(env.v2, f, &l, &err));
    CHECK(ca_topup_list_count(l) == 1);
    CHECK_STR(ca_topup_id(t), ca_topup_id(ca_topup_list_get(l, 0)));
    CHECK(ca_topup_list_get(l, 1) == NULL);
    ca_topup_list_free(l);
    ca_v2_topup_filter_free(f);

    f = NULL;
    CHECK_RC(CA_OK, ca_v2_topup_filter_new(&f, &err));
    CHECK_RC(CA_OK, ca_v2_topup_filter_set_page(f, 1, 1, &err));
    CHECK_RC(CA_OK, ca_v2_topup_list(env.v2, f, &l, &err));
    uint32_t page = 0, per_page = 0, pages = 0;
    uint64_t total = 0;
    bool has_next = false;
    CHECK(ca_meta_pagination(ca_topup_list_meta(l), &page, &per_page, &total, &pages, &has_next));
    CHECK(page == 1 && per_page == 1 && total == 2 && pages == 2 && has_next);
    ca_topup_list_free(l);
    CHECK_RC(CA_OK, ca_v2_topup_list_all(env.v2, f, &l, &err));
    CHECK(ca_topup_list_count(l) == 2);
    json = NULL;
    CHECK_RC(CA_OK, ca_topup_list_to_json(l, &json, &err));
    CHECK(json != NULL && json[0] == '[');
    ca_string_free(json);
    ca_topup_list_free(l);
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_topup_filter_set(f, "colour", "red", &err));
    RESET_ERR();
    CHECK_RC(CA_OK, ca_v2_topup_filter_set(f, "sort", "-price", &err));
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_topup_list(env.v2, f, &l, &err));
    CHECK_STR("sort", ca_error_field(err));
    RESET_ERR();
    ca_v2_topup_filter_free(f);
    CHECK_RC(CA_OK, ca_v2_topup_list(env.v2, NULL, &l, &err));
    CHECK(ca_topup_list_count(l) == 2);
    ca_topup_list_free(l);
    ca_topup_free(t);

    /* a delivery that fails after creation is reported by the status, not as an error */
    t = send_v2("+233555000003", "10", "SALE-FAILS", CA_OK);
    done = NULL;
    CHECK_RC(CA_OK, ca_v2_topup_wait(env.v2, ca_topup_id(t), 10000, 50, 200, &done, &err));
    CHECK_STR("failed", ca_topup_status(done));
    CHECK(ca_topup_is_terminal(done) && !ca_topup_is_success(done));
    CHECK_STR("delivery_failed", ca_topup_failure_reason(done));
    ca_topup_free(done);
    ca_topup_free(t);

    /* a wait that passes its deadline: the top-up exists and is on its way (never "not sent") */
    t = send_v2("+233555000010", "10", "SALE-STUCK", CA_OK);
    done = NULL;
    CHECK_RC(CA_ERR_STILL_PENDING, ca_v2_topup_wait(env.v2, ca_topup_id(t), 300, 50, 100, &done, &err));
    CHECK(done == NULL);
    CHECK_STR("STILL_PENDING", ca_error_code(err));
    CHECK_STR(ca_topup_id(t), ca_error_transaction_id(err));
    CHECK(ca_error_status(err) != NULL);
    CHECK(ca_error_cause_kind(err) == CA_OK);
    CHECK(!ca_result_proves_not_sent(ca_error_result(err)));
    RESET_ERR();
    ca_topup_free(t);
}

static void test_v2_errors(void) {
    ca_topup *t = (ca_topup *)&env;
    ca_v2_topup_request *req = NULL;
    CHECK_RC(CA_OK, ca_v2_topup_request_new_amount("+233555000001", 42, "10", "GHS", &req, &err));
    CHECK_RC(CA_OK, ca_v2_topup_request_set_reference(req, "SALE-POOR", &err));
    CHECK_RC(CA_ERR_INSUFFICIENT_BALANCE, ca_v2_topup_create(env.v2, req, &t, &err));
    CHECK(t == (ca_topup *)&env);
    CHECK_STR("INSUFFICIENT_BALANCE", ca_error_code(err));
    CHECK_STR("INSUFFICIENT_BALANCE", ca_error_api_code(err));
    CHECK(ca_error_http_status(err) == 400);
    CHECK_STR("SALE-POOR", ca_error_reference(err));
    CHECK(ca_error_idempotency_key(err) != NULL);
    CHECK(ca_error_request_id(err) != NULL);
    CHECK(ca_error_body(err) != NULL);
    /* a plain refusal: no cause, no status, no other sale */
    CHECK(ca_error_cause_kind(err) == CA_OK);
    CHECK(ca_error_status(err) == NULL);
    CHECK(ca_error_existing_reference(err) == NULL);
    CHECK(ca_error_transaction_id(err) == NULL);
    CHECK(ca_result_proves_not_sent(ca_error_result(err)));
    RESET_ERR();
    ca_v2_topup_request_free(req);

    send_v2("+233555000002", "10", NULL, CA_ERR_INVALID_RECIPIENT);
    CHECK(ca_error_reference(err) != NULL && strncmp(ca_error_reference(err), "ca-", 3) == 0);
    RESET_ERR();
    send_v2("+233555000013", "10", "SALE-DF", CA_ERR_DELIVERY_FAILED);
    RESET_ERR();
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_topup_request_new_amount("+233541112259", 42, "0", "GHS", &req, &err));
    RESET_ERR();
    /* validation happens before anything is sent */
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_topup_request_new_amount("+233541112259", 42, "1.23456", "GHS", &req, &err));
    CHECK_STR("amount", ca_error_field(err));
    RESET_ERR();
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_topup_request_new_amount("+233541112259", 42, "ten", "GHS", &req, &err));
    RESET_ERR();
    CHECK_RC(CA_OK, ca_v2_topup_request_new_amount("233541112259", 42, "10", "GHS", &req, &err));
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_topup_create(env.v2, req, &t, &err));
    CHECK_STR("phone_number", ca_error_field(err));
    RESET_ERR();
    ca_v2_topup_request_free(req);
    size_t n = 99;
    CHECK_RC(CA_OK, ca_sandbox_transaction_count(env.sb, "v2", &n, &err));
    CHECK(n == 4); /* SALE-1, the bundle, SALE-FAILS, SALE-STUCK: nothing from the rejected ones */
}

static void test_v2_balance(void) {
    ca_balance *b = NULL;
    CHECK_RC(CA_OK, ca_v2_balance(env.v2, &b, &err));
    CHECK(ca_balance_available(b) != NULL);
    CHECK(ca_balance_available_f64(b) > 0.0);
    CHECK_STR("USD", ca_balance_available_currency(b));
    CHECK(ca_balance_wallet_count(b) >= 1);
    const ca_wallet *w = ca_balance_wallet(b, 0);
    CHECK(w != NULL);
    CHECK(ca_balance_wallet(b, 1000) == NULL);
    CHECK(ca_wallet_id(w) != NULL);
    CHECK(ca_wallet_currency(w) != NULL);
    CHECK(ca_wallet_balance(w) != NULL);
    CHECK(!isnan(ca_wallet_balance_f64(w)));
    CHECK(ca_wallet_type(w) != NULL);
    CHECK_STR("active", ca_wallet_status(w));
    CHECK(ca_balance_meta(b) != NULL);
    char *json = NULL;
    CHECK_RC(CA_OK, ca_balance_to_json(b, &json, &err));
    ca_string_free(json);

    ca_wallet *one = NULL;
    CHECK_RC(CA_OK, ca_v2_wallet(env.v2, ca_wallet_id(w), &one, &err));
    CHECK_STR(ca_wallet_id(w), ca_wallet_id(one));
    CHECK_STR(ca_wallet_balance(w), ca_wallet_balance(one));
    CHECK(ca_wallet_meta(one) != NULL);
    json = NULL;
    CHECK_RC(CA_OK, ca_wallet_to_json(one, &json, &err));
    ca_string_free(json);
    ca_wallet_free(one);
    ca_balance_free(b);
    CHECK_RC(CA_ERR_NOT_FOUND, ca_v2_wallet(env.v2, "wal_nope", &one, &err));
    RESET_ERR();
}

static void test_credentials_stay_secret(void) {
    const char *wrong_key = "ce_live_ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ";
    ca_client_options *o = NULL;
    ca_v2_client *c = NULL;
    ca_catalog *cat = NULL;
    CHECK_RC(CA_OK, ca_client_options_new(&o, &err));
    CHECK_RC(CA_OK, ca_client_options_set_base_url(o, ca_sandbox_base_url(env.sb), &err));
    CHECK_RC(CA_OK, ca_v2_client_new(wrong_key, o, &c, &err));
    CHECK_STR(ca_sandbox_base_url(env.sb), ca_v2_client_base_url(c));
    CHECK_RC(CA_ERR_AUTHENTICATION, ca_v2_lookup(c, "+233541112259", 0, &cat, &err));
    CHECK(ca_error_http_status(err) == 401);
    CHECK(strstr(ca_error_message(err), "ZZZZZZZZ") == NULL);
    CHECK(ca_error_body(err) == NULL || strstr(ca_error_body(err), "ZZZZZZZZ") == NULL);
    RESET_ERR();
    ca_v2_client_free(c);
    c = NULL;
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_client_new("ce_live_ secret-with-space", o, &c, &err));
    CHECK_STR("api_key", ca_error_field(err));
    CHECK(strstr(ca_error_message(err), "secret-with-space") == NULL);
    RESET_ERR();

    ca_v1_client *c1 = NULL;
    ca_v1_balance_list *bl = NULL;
    CHECK_RC(CA_OK, ca_v1_client_new(ca_sandbox_v1_email(env.sb), "TOKEN-SECRET-123", o, &c1, &err));
    CHECK_RC(CA_ERR_AUTHENTICATION, ca_v1_balances(c1, &bl, &err));
    CHECK(strstr(ca_error_message(err), "TOKEN-SECRET") == NULL);
    RESET_ERR();
    ca_v1_client_free(c1);

    /* bad settings are rejected when the client is built, naming the setting */
    CHECK_RC(CA_OK, ca_client_options_set_timeout_ms(o, 0, &err));
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_client_new(ca_sandbox_api_key(env.sb), o, &c, &err));
    CHECK_STR("timeout", ca_error_field(err));
    RESET_ERR();
    CHECK_RC(CA_OK, ca_client_options_set_timeout_ms(o, 5000, &err));
    CHECK_RC(CA_OK, ca_client_options_set_base_url(o, "http://example.com", &err));
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_client_new(ca_sandbox_api_key(env.sb), o, &c, &err));
    CHECK_STR("base_url", ca_error_field(err));
    RESET_ERR();
    CHECK_RC(CA_OK, ca_client_options_set_base_url(o, "https://api.clickairtime.com", &err));
    CHECK_RC(CA_OK, ca_client_options_add_ca_certificates_pem(o, (const uint8_t *)"junk", 4, &err));
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_client_new(ca_sandbox_api_key(env.sb), o, &c, &err));
    CHECK_STR("ca_certificates", ca_error_field(err));
    RESET_ERR();
    ca_client_options_free(o);

    /* every other setting is accepted and used */
    o = NULL;
    CHECK_RC(CA_OK, ca_client_options_new(&o, &err));
    CHECK_RC(CA_OK, ca_client_options_set_base_url(o, ca_sandbox_base_url(env.sb), &err));
    CHECK_RC(CA_OK, ca_client_options_set_connect_timeout_ms(o, 2000, &err));
    CHECK_RC(CA_OK, ca_client_options_set_read_timeout_ms(o, 5000, &err));
    CHECK_RC(CA_OK, ca_client_options_set_max_retries(o, 2, &err));
    CHECK_RC(CA_OK, ca_client_options_set_retry_base_delay_ms(o, 10, &err));
    CHECK_RC(CA_OK, ca_client_options_set_max_retry_delay_ms(o, 100, &err));
    CHECK_RC(CA_OK, ca_client_options_set_max_retry_after_ms(o, 2000, &err));
    CHECK_RC(CA_OK, ca_client_options_set_send_deadline_ms(o, 10000, &err));
    CHECK_RC(CA_OK, ca_client_options_set_convergence_bound_ms(o, 780000, &err));
    CHECK_RC(CA_OK, ca_client_options_set_proxy_from_env(o, false, &err));
    CHECK_RC(CA_OK, ca_client_options_set_user_agent_suffix(o, "test-pos/1.0", &err));
    CHECK_RC(CA_OK, ca_client_options_set_max_idle_connections_per_host(o, 2, &err));
    CHECK_RC(CA_OK, ca_client_options_set_v1_topup_path(o, "/adp/topup", &err));
    CHECK_RC(CA_OK, ca_v2_client_new(ca_sandbox_api_key(env.sb), o, &c, &err));
    CHECK_RC(CA_OK, ca_v2_lookup(c, "+233541112259", 0, &cat, &err));
    ca_catalog_free(cat);
    ca_v2_client_free(c);
    c1 = NULL;
    ca_transaction *tx = NULL;
    ca_v1_topup_request *r1 = NULL;
    CHECK_RC(CA_OK, ca_v1_client_new(ca_sandbox_v1_email(env.sb), ca_sandbox_v1_token(env.sb), o, &c1, &err));
    CHECK_RC(CA_OK, ca_v1_topup_request_new_amount("233541112259", "3", &r1, &err));
    CHECK_RC(CA_OK, ca_v1_send_topup(c1, r1, &tx, &err)); /* through /adp/topup */
    CHECK_STR("SUCCESS", ca_transaction_state(tx));
    ca_transaction_free(tx);
    ca_v1_topup_request_free(r1);
    ca_v1_client_free(c1);
    CHECK_RC(CA_OK, ca_client_options_set_proxy(o, "not a proxy url", &err));
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_client_new(ca_sandbox_api_key(env.sb), o, &c, &err));
    CHECK_STR("proxy", ca_error_field(err));
    RESET_ERR();
    ca_client_options_free(o);
}

static void test_v1(void) {
    ca_v1_topup_request *req = NULL;
    ca_transaction *tx = NULL;
    CHECK_RC(CA_OK, ca_v1_topup_request_new_amount("233541112259", "5", &req, &err));
    CHECK_RC(CA_OK, ca_v1_topup_request_set_ext_ref_id(req, "V1-SALE-1", &err));
    CHECK_RC(CA_OK, ca_v1_topup_request_set_send_sms(req, true, &err));
    CHECK_RC(CA_OK, ca_v1_send_topup(env.v1, req, &tx, &err));
    CHECK_STR("SUCCESS", ca_transaction_state(tx));
    CHECK(ca_transaction_is_terminal(tx) && ca_transaction_is_success(tx));
    CHECK_STR("V1-SALE-1", ca_transaction_ext_ref_id(tx));
    CHECK(ca_transaction_id(tx) != NULL);
    CHECK_STR("5", ca_transaction_amount(tx));
    CHECK(ca_transaction_amount_f64(tx) == 5.0);
    CHECK(ca_transaction_currency(tx) != NULL);
    CHECK(ca_transaction_message(tx) != NULL);
    int64_t code = -1;
    CHECK(ca_transaction_code(tx, &code) && code == 1);
    CHECK_STR("V1-SALE-1", ca_meta_reference(ca_transaction_meta(tx)));
    CHECK(!ca_meta_replayed(ca_transaction_meta(tx)));
    CHECK_STR("created", ca_meta_origin(ca_transaction_meta(tx)));
    CHECK(ca_meta_idempotency_key(ca_transaction_meta(tx)) == NULL); /* V1 has none */
    char *json = NULL;
    CHECK_RC(CA_OK, ca_transaction_to_json(tx, &json, &err));
    CHECK(json != NULL && strstr(json, "V1-SALE-1") != NULL);
    ca_string_free(json);
    char first_id[64];
    snprintf(first_id, sizeof first_id, "%s", ca_transaction_id(tx));
    ca_transaction_free(tx);

    /* the same sale again: the API's code 90 resolves, verified, to this sale's record (no second one) */
    tx = NULL;
    CHECK_RC(CA_OK, ca_v1_send_topup(env.v1, req, &tx, &err));
    CHECK(ca_meta_replayed(ca_transaction_meta(tx)));
    CHECK_STR("replayed", ca_meta_origin(ca_transaction_meta(tx)));
    CHECK_STR(first_id, ca_transaction_id(tx));
    ca_transaction_free(tx);
    ca_v1_topup_request_free(req);

    /* ASYNC + wait */
    req = NULL;
    CHECK_RC(CA_OK, ca_v1_topup_request_new_product("233541112259", 4201, &req, &err));
    CHECK_RC(CA_OK, ca_v1_topup_request_set_amount(req, "7.5", &err));
    CHECK_RC(CA_OK, ca_v1_topup_request_set_async(req, true, &err));
    CHECK_RC(CA_OK, ca_v1_topup_request_set_ext_ref_id(req, "V1-SALE-2", &err));
    tx = NULL;
    CHECK_RC(CA_OK, ca_v1_send_topup(env.v1, req, &tx, &err));
    CHECK_STR("PENDING", ca_transaction_state(tx));
    CHECK(!ca_transaction_is_terminal(tx));
    ca_transaction_free(tx);
    ca_v1_topup_request_free(req);
    tx = NULL;
    CHECK_RC(CA_OK, ca_v1_wait(env.v1, "V1-SALE-2", 10000, 50, 200, &tx, &err));
    CHECK_STR("SUCCESS", ca_transaction_state(tx));
    CHECK_STR("7.5", ca_transaction_amount(tx));
    CHECK(ca_transaction_effective_amount(tx) != NULL);
    CHECK(!isnan(ca_transaction_effective_amount_f64(tx)));
    CHECK(ca_transaction_wallet_currency(tx) != NULL);
    (void)ca_transaction_fx_rate(tx);
    (void)ca_transaction_country(tx);
    (void)ca_transaction_account_id(tx);
    (void)ca_transaction_provider_transaction_id(tx);
    (void)ca_transaction_provider_reference(tx);
    ca_transaction_free(tx);

    /* lookups */
    ca_transaction_list *l = NULL;
    CHECK_RC(CA_OK, ca_v1_transactions(env.v1, NULL, NULL, "V1-SALE-1", &l, &err));
    CHECK(ca_transaction_list_count(l) == 1);
    CHECK_STR(first_id, ca_transaction_id(ca_transaction_list_get(l, 0)));
    CHECK_STR("233541112259", ca_transaction_msisdn(ca_transaction_list_get(l, 0)));
    CHECK_STR("MTN Ghana", ca_transaction_network(ca_transaction_list_get(l, 0)));
    CHECK_STR("Ghana", ca_transaction_country(ca_transaction_list_get(l, 0)));
    CHECK(ca_transaction_list_get(l, 1) == NULL);
    CHECK(ca_transaction_list_meta(l) != NULL);
    json = NULL;
    CHECK_RC(CA_OK, ca_transaction_list_to_json(l, &json, &err));
    ca_string_free(json);
    ca_transaction_list_free(l);
    l = NULL;
    CHECK_RC(CA_OK, ca_v1_transactions(env.v1, NULL, "233541112259", NULL, &l, &err));
    CHECK(ca_transaction_list_count(l) >= 2);
    ca_transaction_list_free(l);
    l = NULL;
    CHECK_RC(CA_OK, ca_v1_transactions(env.v1, first_id, NULL, NULL, &l, &err));
    CHECK(ca_transaction_list_count(l) == 1);
    ca_transaction_list_free(l);
    l = NULL;
    CHECK_RC(CA_OK, ca_v1_transactions(env.v1, NULL, NULL, "NO-SUCH-REF", &l, &err));
    CHECK(ca_transaction_list_count(l) == 0);
    ca_transaction_list_free(l);
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v1_transactions(env.v1, NULL, NULL, NULL, &l, &err));
    RESET_ERR();
    tx = NULL;
    CHECK_RC(CA_OK, ca_v1_reconcile(env.v1, "V1-SALE-1", &tx, &err));
    CHECK_STR(first_id, ca_transaction_id(tx));
    ca_transaction_free(tx);
    tx = (ca_transaction *)&env;
    CHECK_RC(CA_OK, ca_v1_reconcile(env.v1, "NO-SUCH-REF", &tx, &err));
    CHECK(tx == NULL);

    /* failures */
    req = NULL;
    CHECK_RC(CA_OK, ca_v1_topup_request_new_amount("233555000001", "5", &req, &err));
    CHECK_RC(CA_OK, ca_v1_topup_request_set_ext_ref_id(req, "V1-POOR", &err));
    CHECK_RC(CA_ERR_INSUFFICIENT_BALANCE, ca_v1_send_topup(env.v1, req, &tx, &err));
    CHECK(ca_error_http_status(err) == 403);
    CHECK_STR("20", ca_error_api_code(err));
    CHECK_STR("V1-POOR", ca_error_reference(err));
    RESET_ERR();
    ca_v1_topup_request_free(req);
    req = NULL;
    CHECK_RC(CA_OK, ca_v1_topup_request_new_amount("233555000002", "5", &req, &err));
    CHECK_RC(CA_ERR_INVALID_RECIPIENT, ca_v1_send_topup(env.v1, req, &tx, &err));
    CHECK_STR("30", ca_error_api_code(err));
    RESET_ERR();
    ca_v1_topup_request_free(req);
    req = NULL;
    CHECK_RC(CA_OK, ca_v1_topup_request_new_amount("233555000003", "5", &req, &err));
    tx = NULL;
    CHECK_RC(CA_OK, ca_v1_send_topup(env.v1, req, &tx, &err)); /* a provider failure is a record, not an error */
    CHECK_STR("FAILED", ca_transaction_state(tx));
    CHECK(ca_transaction_is_terminal(tx) && !ca_transaction_is_success(tx));
    ca_transaction_free(tx);
    ca_v1_topup_request_free(req);
    req = NULL;
    CHECK_RC(CA_OK, ca_v1_topup_request_new_amount("12345", "5", &req, &err));
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v1_send_topup(env.v1, req, &tx, &err));
    CHECK_STR("msisdn", ca_error_field(err));
    RESET_ERR();
    ca_v1_topup_request_free(req);

    /* catalog and balances */
    ca_v1_service_list *sl = NULL;
    CHECK_RC(CA_OK, ca_v1_product_catalog(env.v1, &sl, &err));
    CHECK(ca_v1_service_list_count(sl) == 7);
    CHECK(ca_v1_service_list_service_id(sl, 0) > 0);
    CHECK(ca_v1_service_list_provider_name(sl, 0) != NULL);
    CHECK(ca_v1_service_list_provider_name(sl, 7) == NULL);
    CHECK(ca_v1_service_list_meta(sl) != NULL);
    json = NULL;
    CHECK_RC(CA_OK, ca_v1_service_list_to_json(sl, &json, &err));
    CHECK(json != NULL && strstr(json, "MTN_Ghana") != NULL);
    ca_string_free(json);
    ca_v1_service_list_free(sl);
    ca_v1_product_list *pl = NULL;
    CHECK_RC(CA_OK, ca_v1_products(env.v1, 42, &pl, &err));
    CHECK(ca_v1_product_list_count(pl) == 2);
    const ca_v1_product *p0 = ca_v1_product_list_get(pl, 0);
    CHECK(ca_v1_product_id(p0) == 4201 || ca_v1_product_id(p0) == 4202);
    CHECK(ca_v1_product_type(p0) != NULL);
    CHECK(ca_v1_product_list_meta(pl) != NULL);
    json = NULL;
    CHECK_RC(CA_OK, ca_v1_product_list_to_json(pl, &json, &err));
    ca_string_free(json);
    ca_v1_product_list_free(pl);
    ca_v1_product *p = NULL;
    CHECK_RC(CA_OK, ca_v1_get_product(env.v1, 4202, &p, &err));
    CHECK(ca_v1_product_id(p) == 4202);
    CHECK_STR("FIXED_PRODUCT", ca_v1_product_type(p));
    CHECK(ca_v1_product_amount(p) != NULL && ca_v1_product_amount_f64(p) > 0);
    (void)ca_v1_product_name(p);
    (void)ca_v1_product_currency(p);
    (void)ca_v1_product_service_id(p);
    (void)ca_v1_product_description(p);
    CHECK(ca_v1_product_meta(p) != NULL);
    json = NULL;
    CHECK_RC(CA_OK, ca_v1_product_to_json(p, &json, &err));
    ca_string_free(json);
    ca_v1_product_free(p);
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v1_get_product(env.v1, 0, &p, &err));
    RESET_ERR();

    ca_v1_balance_list *bl = NULL;
    CHECK_RC(CA_OK, ca_v1_balances(env.v1, &bl, &err));
    CHECK(ca_v1_balance_list_count(bl) >= 1);
    const ca_v1_balance *b0 = ca_v1_balance_list_get(bl, 0);
    CHECK(ca_v1_balance_account_id(b0) != NULL);
    CHECK(ca_v1_balance_amount(b0) != NULL && !isnan(ca_v1_balance_amount_f64(b0)));
    (void)ca_v1_balance_service_name(b0);
    (void)ca_v1_balance_service_country(b0);
    (void)ca_v1_balance_currency(b0);
    CHECK(ca_v1_balance_list_meta(bl) != NULL);
    json = NULL;
    CHECK_RC(CA_OK, ca_v1_balance_list_to_json(bl, &json, &err));
    ca_string_free(json);
    ca_v1_balance *one = NULL;
    CHECK_RC(CA_OK, ca_v1_get_balance(env.v1, ca_v1_balance_account_id(b0), &one, &err));
    CHECK_STR(ca_v1_balance_account_id(b0), ca_v1_balance_account_id(one));
    CHECK(ca_v1_balance_meta(one) != NULL);
    json = NULL;
    CHECK_RC(CA_OK, ca_v1_balance_to_json(one, &json, &err));
    ca_string_free(json);
    ca_v1_balance_free(one);
    ca_v1_balance_list_free(bl);
    CHECK_STR(ca_sandbox_base_url(env.sb), ca_v1_client_base_url(env.v1));

    /* a wait past its deadline: STILL_PENDING with the reference, the id and the last state */
    req = NULL;
    tx = NULL;
    CHECK_RC(CA_OK, ca_v1_topup_request_new_amount("233555000010", "5", &req, &err));
    CHECK_RC(CA_OK, ca_v1_topup_request_set_ext_ref_id(req, "V1-STUCK", &err));
    CHECK_RC(CA_OK, ca_v1_send_topup(env.v1, req, &tx, &err));
    ca_transaction *still = NULL;
    CHECK_RC(CA_ERR_STILL_PENDING, ca_v1_wait(env.v1, "V1-STUCK", 300, 50, 100, &still, &err));
    CHECK(still == NULL);
    CHECK_STR("V1-STUCK", ca_error_reference(err));
    CHECK_STR(ca_transaction_id(tx), ca_error_transaction_id(err));
    CHECK_STR("PROCESSING", ca_error_status(err));
    RESET_ERR();
    ca_transaction_free(tx);
    ca_v1_topup_request_free(req);
}

static void test_webhooks(void) {
    const char *key = ca_sandbox_api_key(env.sb);
    const char *body = "{\"event\":\"topup.completed\",\"data\":{\"id\":\"x1\",\"status\":\"completed\",\"reference\":\"R1\"}}";
    size_t len = strlen(body);
    char ts[32];
    snprintf(ts, sizeof ts, "%lld", (long long)time(NULL));
    char sig[CA_SIGNATURE_BUFFER_SIZE];
    CHECK_RC(CA_OK, ca_webhook_sign((const uint8_t *)body, len, ts, key, sig, sizeof sig, &err));
    CHECK(strlen(sig) == 64);
    CHECK_RC(CA_OK, ca_webhook_verify((const uint8_t *)body, len, sig, ts, key, CA_WEBHOOK_DEFAULT_TOLERANCE_S, &err));
    CHECK_RC(CA_ERR_INVALID_SIGNATURE, ca_webhook_verify((const uint8_t *)body, len - 1, sig, ts, key, 300, &err));
    CHECK_STR("INVALID_SIGNATURE", ca_error_code(err));
    RESET_ERR();
    CHECK_RC(CA_ERR_INVALID_SIGNATURE, ca_webhook_verify((const uint8_t *)body, len, sig, ts, "ce_live_other", 300, &err));
    RESET_ERR();
    /* stale: signed an hour ago */
    char old_ts[32], old_sig[CA_SIGNATURE_BUFFER_SIZE];
    snprintf(old_ts, sizeof old_ts, "%lld", (long long)time(NULL) - 3600);
    CHECK_RC(CA_OK, ca_webhook_sign((const uint8_t *)body, len, old_ts, key, old_sig, sizeof old_sig, &err));
    CHECK_RC(CA_ERR_INVALID_SIGNATURE, ca_webhook_verify((const uint8_t *)body, len, old_sig, old_ts, key, 300, &err));
    RESET_ERR();
    CHECK_RC(CA_OK, ca_webhook_verify((const uint8_t *)body, len, old_sig, old_ts, key, -1, &err));
    /* too small a buffer is left untouched */
    char small[10];
    memset(small, 'Q', sizeof small);
    CHECK_RC(CA_ERR_BUFFER_TOO_SMALL, ca_webhook_sign((const uint8_t *)body, len, ts, key, small, sizeof small, &err));
    CHECK(small[0] == 'Q' && small[9] == 'Q');
    RESET_ERR();

    ca_webhook_event *ev = NULL;
    CHECK_RC(CA_OK, ca_webhook_construct_event((const uint8_t *)body, len, sig, ts, key, 300, &ev, &err));
    CHECK_STR("topup.completed", ca_webhook_event_type(ev));
    const ca_topup *t = ca_webhook_event_topup(ev);
    CHECK_STR("x1", ca_topup_id(t));
    CHECK_STR("R1", ca_topup_reference(t));
    CHECK(ca_topup_is_success(t));
    (void)ca_webhook_event_id(ev);
    (void)ca_webhook_event_timestamp(ev);
    char *json = NULL;
    CHECK_RC(CA_OK, ca_webhook_event_to_json(ev, &json, &err));
    ca_string_free(json);
    ca_webhook_event_free(ev);
    ev = NULL;
    CHECK_RC(CA_OK, ca_v2_client_verify_webhook(env.v2, (const uint8_t *)body, len, sig, ts, &ev, &err));
    CHECK_STR("topup.completed", ca_webhook_event_type(ev));
    ca_webhook_event_free(ev);
    ev = NULL;
    CHECK_RC(CA_ERR_INVALID_SIGNATURE, ca_v2_client_verify_webhook(env.v2, (const uint8_t *)body, len, old_sig, old_ts, &ev, &err));
    CHECK(ev == NULL);
    RESET_ERR();
    const char *guide = "{\"id\":\"evt_1\",\"type\":\"transaction.completed\",\"timestamp\":\"2025-01-15T10:30:02.500Z\",\"data\":{\"transactionId\":\"t\"}}";
    CHECK_RC(CA_OK, ca_webhook_parse((const uint8_t *)guide, strlen(guide), &ev, &err));
    CHECK_STR("transaction.completed", ca_webhook_event_type(ev));
    CHECK_STR("evt_1", ca_webhook_event_id(ev));
    CHECK_STR("2025-01-15T10:30:02.500Z", ca_webhook_event_timestamp(ev));
    CHECK(ca_webhook_event_topup(ev) == NULL);
    ca_webhook_event_free(ev);
    ev = NULL;
    CHECK_RC(CA_ERR_UNEXPECTED_RESPONSE, ca_webhook_parse((const uint8_t *)"not json", 8, &ev, &err));
    RESET_ERR();
    CHECK_RC(CA_ERR_UNEXPECTED_RESPONSE, ca_webhook_parse((const uint8_t *)"", 0, &ev, &err));
    RESET_ERR();

    /* the sandbox signs real deliveries; they verify with the same functions */
    ca_v2_topup_request *req = NULL;
    ca_topup *sent = NULL, *done = NULL;
    CHECK_RC(CA_OK, ca_v2_topup_request_new_amount("+233201112259", 23, "9", "GHS", &req, &err));
    CHECK_RC(CA_OK, ca_v2_topup_request_set_callback_url(req, "http://127.0.0.1:9/hook", &err));
    CHECK_RC(CA_OK, ca_v2_topup_create(env.v2, req, &sent, &err));
    CHECK_RC(CA_OK, ca_v2_topup_wait(env.v2, ca_topup_id(sent), 10000, 50, 200, &done, &err));
    int seen = 0;
    for (int i = 0; i < 100 && !seen; i++) {
        json = NULL;
        CHECK_RC(CA_OK, ca_sandbox_webhook_deliveries_json(env.sb, &json, &err));
        seen = json != NULL && strstr(json, ca_topup_id(sent)) != NULL;
        ca_string_free(json);
        if (!seen) sleep_ms(50);
    }
    CHECK(seen);
    ca_topup_free(sent);
    ca_topup_free(done);
    ca_v2_topup_request_free(req);
}

static void test_phone_and_amounts(void) {
    char buf[CA_PHONE_BUFFER_SIZE];
    size_t n = 0;
    CHECK_RC(CA_OK, ca_phone_to_e164("233541112259", buf, sizeof buf, &n, &err));
    CHECK_STR("+233541112259", buf);
    CHECK(n == 13);
    CHECK_RC(CA_OK, ca_phone_to_e164("00233 54-111-2259", buf, sizeof buf, NULL, &err));
    CHECK_STR("+233541112259", buf);
    CHECK_RC(CA_OK, ca_phone_to_msisdn("+233 (54) 111 2259", buf, sizeof buf, &n, &err));
    CHECK_STR("233541112259", buf);
    CHECK(n == 12);
    /* exactly enough room: 12 digits + NUL */
    CHECK_RC(CA_OK, ca_phone_to_msisdn("+233541112259", buf, 13, &n, &err));
    char small[12];
    memset(small, 'Q', sizeof small);
    n = 777;
    CHECK_RC(CA_ERR_BUFFER_TOO_SMALL, ca_phone_to_msisdn("+233541112259", small, sizeof small, &n, &err));
    CHECK(small[0] == 'Q' && small[11] == 'Q' && n == 777);
    CHECK(strstr(ca_error_message(err), "13") != NULL);
    RESET_ERR();
    CHECK_RC(CA_ERR_BUFFER_TOO_SMALL, ca_phone_to_e164("233541112259", small, 0, NULL, &err));
    CHECK(small[0] == 'Q');
    RESET_ERR();
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_phone_to_e164("12", buf, sizeof buf, NULL, &err));
    RESET_ERR();
    CHECK_RC(CA_OK, ca_phone_validate_e164("+233541112259", &err));
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_phone_validate_e164("233541112259", &err));
    CHECK_STR("phone_number", ca_error_field(err));
    RESET_ERR();
    CHECK_RC(CA_OK, ca_phone_validate_msisdn("263719545499", &err));
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_phone_validate_msisdn("+263719545499", &err));
    CHECK_STR("msisdn", ca_error_field(err));
    RESET_ERR();

    char amount[CA_AMOUNT_BUFFER_SIZE];
    CHECK_RC(CA_OK, ca_amount_parse(" 12.50 ", amount, sizeof amount, &n, &err));
    CHECK_STR("12.50", amount);
    CHECK(n == 5);
    CHECK_RC(CA_OK, ca_amount_from_double(0.1, amount, sizeof amount, NULL, &err));
    CHECK_STR("0.1", amount);
    CHECK_RC(CA_OK, ca_amount_from_double(19.99, amount, sizeof amount, NULL, &err));
    CHECK_STR("19.99", amount);
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_amount_from_double(NAN, amount, sizeof amount, NULL, &err));
    RESET_ERR();
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_amount_from_double(-1.0, amount, sizeof amount, NULL, &err));
    RESET_ERR();
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_amount_parse("abc", amount, sizeof amount, NULL, &err));
    RESET_ERR();
    CHECK_RC(CA_ERR_BUFFER_TOO_SMALL, ca_amount_parse("12.50", amount, 5, NULL, &err));
    RESET_ERR();
}

static void test_sandbox_control(void) {
    ca_sandbox_options *so = NULL;
    ca_sandbox *sb = NULL;
    CHECK_RC(CA_OK, ca_sandbox_options_new(&so, &err));
    CHECK_RC(CA_OK, ca_sandbox_options_set(so, "api_key", "ce_live_0123456789abcdefghijABCDEFGHIJ01", &err));
    CHECK_RC(CA_OK, ca_sandbox_options_set(so, "v1_email", "till@shop.test", &err));
    CHECK_RC(CA_OK, ca_sandbox_options_set(so, "v1_token", "T0KEN", &err));
    CHECK_RC(CA_OK, ca_sandbox_options_set_number(so, "complete_after_ms", 200, &err));
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_sandbox_options_set(so, "colour", "x", &err));
    RESET_ERR();
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_sandbox_options_set_number(so, "port", 70000, &err));
    RESET_ERR();
    CHECK_RC(CA_OK, ca_sandbox_start_with(so, &sb, &err));
    CHECK_STR("ce_live_0123456789abcdefghijABCDEFGHIJ01", ca_sandbox_api_key(sb));
    CHECK_STR("till@shop.test", ca_sandbox_v1_email(sb));
    CHECK_STR("T0KEN", ca_sandbox_v1_token(sb));
    CHECK(ca_sandbox_port(sb) > 0);
    /* a second sandbox on the same port cannot start */
    ca_sandbox *sb2 = NULL;
    CHECK_RC(CA_OK, ca_sandbox_options_set_number(so, "port", ca_sandbox_port(sb), &err));
    CHECK_RC(CA_ERR_SANDBOX, ca_sandbox_start_with(so, &sb2, &err));
    CHECK(sb2 == NULL);
    RESET_ERR();
    CHECK_RC(CA_OK, ca_sandbox_options_set_number(so, "port", 0, &err));
    CHECK_RC(CA_OK, ca_sandbox_options_set(so, "api_key", "bad", &err));
    CHECK_RC(CA_ERR_SANDBOX, ca_sandbox_start_with(so, &sb2, &err));
    RESET_ERR();
    ca_sandbox_options_free(so);
    ca_sandbox_free(sb);

    CHECK_RC(CA_ERR_INVALID_INPUT, ca_sandbox_inject_fault(env.sb, "meteor", 1, NULL, NULL, 0, 0, &err));
    RESET_ERR();
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_sandbox_inject_fault_skip(env.sb, "meteor", 1, 1, NULL, NULL, 0, 0, &err));
    RESET_ERR();

    /* the readings of the docs, at start and at run time */
    so = NULL;
    CHECK_RC(CA_OK, ca_sandbox_options_new(&so, &err));
    CHECK_RC(CA_OK, ca_sandbox_options_set(so, "duplicate_mode", "conflict", &err));
    CHECK_RC(CA_OK, ca_sandbox_options_set(so, "idempotency_mode", "replay", &err));
    CHECK_RC(CA_OK, ca_sandbox_options_set_number(so, "v1_duplicate_window_ms", 1000, &err));
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_sandbox_options_set(so, "duplicate_mode", "sometimes", &err));
    CHECK_STR("duplicate_mode", ca_error_field(err));
    RESET_ERR();
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_sandbox_options_set(so, "idempotency_mode", "sometimes", &err));
    RESET_ERR();
    ca_sandbox_options_free(so);
    CHECK_RC(CA_OK, ca_sandbox_set_mode(env.sb, "duplicate_mode", "off", &err));
    CHECK_RC(CA_OK, ca_sandbox_set_mode(env.sb, "idempotency_mode", "conflict", &err));
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_sandbox_set_mode(env.sb, "colour", "red", &err));
    CHECK_STR("name", ca_error_field(err));
    RESET_ERR();
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_sandbox_set_mode(env.sb, "duplicate_mode", "sometimes", &err));
    RESET_ERR();
    CHECK_RC(CA_OK, ca_sandbox_set_window_ms(env.sb, "duplicate_window_ms", 5000, &err));
    CHECK_RC(CA_OK, ca_sandbox_set_window_ms(env.sb, "v1_duplicate_window_ms", 0, &err));
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_sandbox_set_window_ms(env.sb, "window", 1, &err));
    RESET_ERR();

    /* counters; a fault after the first matching request */
    uint64_t before = 0, after = 0, v = 0;
    CHECK_RC(CA_OK, ca_sandbox_stat(env.sb, "v2", "requests", &before, &err));
    CHECK(before > 0);
    CHECK_RC(CA_OK, ca_sandbox_inject_fault_skip(env.sb, "server_error", 1, 1, "GET", "/v2/balance", 0, 0, &err));
    ca_balance *b2 = NULL;
    CHECK_RC(CA_OK, ca_v2_balance(env.v2, &b2, &err)); /* let through */
    ca_balance_free(b2);
    b2 = NULL;
    CHECK_RC(CA_OK, ca_v2_balance(env.v2, &b2, &err)); /* 500, retried */
    ca_balance_free(b2);
    CHECK_RC(CA_OK, ca_sandbox_stat(env.sb, "v2", "requests", &after, &err));
    CHECK(after == before + 3);
    CHECK_RC(CA_OK, ca_sandbox_stat(env.sb, "v1", "posts", &v, &err));
    CHECK(v > 0);
    CHECK_RC(CA_OK, ca_sandbox_stat(env.sb, "v2", "committed", &v, &err));
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_sandbox_stat(env.sb, "v3", "posts", &v, &err));
    CHECK_STR("version", ca_error_field(err));
    RESET_ERR();
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_sandbox_stat(env.sb, "v2", "colour", &v, &err));
    CHECK_STR("name", ca_error_field(err));
    RESET_ERR();
    char *stats = NULL;
    CHECK_RC(CA_OK, ca_sandbox_stats_json(env.sb, &stats, &err));
    CHECK(stats != NULL && strstr(stats, "\"posts\"") != NULL && strstr(stats, "\"v1\"") != NULL);
    ca_string_free(stats);
    size_t n = 0;
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_sandbox_transaction_count(env.sb, "v3", &n, &err));
    RESET_ERR();
    /* a rate-limit fault on a read: retried within max_retry_after */
    CHECK_RC(CA_OK, ca_sandbox_inject_fault(env.sb, "rate_limit", 1, "GET", "/v2/balance", 0, 1, &err));
    ca_balance *b = NULL;
    CHECK_RC(CA_OK, ca_v2_balance(env.v2, &b, &err));
    ca_balance_free(b);
    char *json = NULL;
    CHECK_RC(CA_OK, ca_sandbox_transactions_json(env.sb, &json, &err));
    CHECK(json != NULL && strstr(json, "\"v1\"") != NULL && strstr(json, "\"v2\"") != NULL);
    ca_string_free(json);
    CHECK_RC(CA_OK, ca_sandbox_reset(env.sb, &err));
    CHECK_RC(CA_OK, ca_sandbox_transaction_count(env.sb, "v2", &n, &err));
    CHECK(n == 0);
}

static void test_rate_limited(void) {
    /* every POST for +233555000014 is answered 429 with Retry-After: 1; a client that will not wait that long
     * returns it at once, with the delay the server asked for */
    ca_client_options *o = NULL;
    ca_v2_client *c = NULL;
    ca_v2_topup_request *req = NULL;
    ca_topup *t = NULL;
    CHECK_RC(CA_OK, ca_client_options_new(&o, &err));
    CHECK_RC(CA_OK, ca_client_options_set_base_url(o, ca_sandbox_base_url(env.sb), &err));
    CHECK_RC(CA_OK, ca_client_options_set_max_retry_after_ms(o, 200, &err));
    CHECK_RC(CA_OK, ca_v2_client_new(ca_sandbox_api_key(env.sb), o, &c, &err));
    CHECK_RC(CA_OK, ca_v2_topup_request_new_amount("+233555000014", 42, "10", "GHS", &req, &err));
    CHECK_RC(CA_ERR_RATE_LIMITED, ca_v2_topup_create(c, req, &t, &err));
    CHECK(ca_error_http_status(err) == 429);
    CHECK(ca_error_retry_after_ms(err) == 1000);
    CHECK(ca_error_reference(err) != NULL);
    RESET_ERR();
    ca_v2_topup_request_free(req);
    ca_v2_client_free(c);
    ca_client_options_free(o);
}

int main(void) {
    ca_sandbox_options *so = NULL;
    if (ca_sandbox_options_new(&so, NULL) != CA_OK) return 2;
    ca_sandbox_options_set_number(so, "processing_after_ms", 20, NULL);
    ca_sandbox_options_set_number(so, "complete_after_ms", 80, NULL);
    ca_t_env_start(&env, so, NULL);
    ca_sandbox_options_free(so);

    test_result_table();
    test_panic_boundary();
    test_v2_catalog();
    test_v2_topups();
    test_v2_errors();
    test_v2_balance();
    test_handles();
    test_journal_api();
    test_credentials_stay_secret();
    test_v1();
    test_webhooks();
    test_phone_and_amounts();
    test_rate_limited();
    test_sandbox_control();

    ca_error_free(err);
    ca_t_env_stop(&env);
    return ca_t_summary("test_api");
}
