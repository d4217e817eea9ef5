/* End-to-end tests of libclickairtime against the in-process sandbox: every V2 and V1 operation, errors,
 * webhooks, phone and amount helpers, result table, panic boundary.
 * One program of several files: this one (main, and what is not V1, V2, journal or helpers) and the others
 * listed in tests/c/test_api.sources; their shared state and tests are declared in test_api.h. */
#define _POSIX_C_SOURCE 200809L
#include "test_api.h"

int ca_t_checks = 0;
int ca_t_failures = 0;
ca_t_env env;
ca_error *err = NULL;

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
