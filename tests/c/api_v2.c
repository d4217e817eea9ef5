/* test_api, V2: catalog, handles before the write, top-ups, errors, balance. */
#define _POSIX_C_SOURCE 200809L
#include "test_api.h"

void test_v2_catalog(void) {
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

ca_topup *send_v2(const char *phone, const char *amount, const char *reference, ca_result expected) {
    ca_v2_topup_request *req = NULL;
    ca_topup *t = NULL;
    CHECK_RC(CA_OK, ca_v2_topup_request_new_amount(phone, 42, amount, "GHS", &req, &err));
    if (reference) CHECK_RC(CA_OK, ca_v2_topup_request_set_reference(req, reference, &err));
    CHECK_RC(expected, ca_v2_topup_create(env.v2, req, &t, &err));
    ca_v2_topup_request_free(req);
    return t;
}

ca_topup *send_v2_with(ca_v2_client *c, const char *phone, const char *amount, const char *reference,
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
void test_handles(void) {
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

void test_v2_topups(void) {
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

void test_v2_errors(void) {
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

void test_v2_balance(void) {
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
