/* The host-idiom issue in C, against the in-process sandbox: the one result shape (every getter named in
 * docs/shapes.json, on live records: V1 wallet.amount, pagination has_prev, bundle local_amount, network
 * product_count / supports_custom_airtime …), "absent" told apart from 0 (retry-after, Option fields),
 * configuration from the environment, and phone numbers as people type them. */
#define _POSIX_C_SOURCE 200809L
#include "test_common.h"

static ca_t_env env;
static ca_error *err = NULL;

static void test_topup_shape(void) {
    ca_v2_topup_request *req = NULL;
    ca_topup *t = NULL;
    /* a number as people write it: the send normalises it to E.164 */
    CHECK_RC(CA_OK, ca_v2_topup_request_new_amount("+233 (54) 111-2259", 42, "12.5", "GHS", &req, &err));
    CHECK_RC(CA_OK, ca_v2_topup_request_set_sms(req, "Enjoy your airtime", &err));
    CHECK_RC(CA_OK, ca_v2_topup_request_add_metadata(req, "till", "7", &err));
    CHECK_RC(CA_OK, ca_v2_topup_create(env.v2, req, &t, &err));
    CHECK_STR("+233541112259", ca_topup_phone_number(t));
    CHECK(ca_topup_network_id(t) == 42);
    CHECK_STR("MTN Ghana", ca_topup_network_name(t));
    CHECK_STR("Ghana", ca_topup_network_country(t));
    CHECK_STR("GH", ca_topup_network_country_code(t));
    CHECK(ca_topup_sms_enabled(t));
    CHECK_STR("Enjoy your airtime", ca_topup_sms_message(t));
    CHECK(ca_topup_metadata(t) != NULL && strstr(ca_topup_metadata(t), "\"till\":\"7\"") != NULL);
    CHECK(ca_topup_metadata(t) == ca_topup_metadata(t)); /* owned by the handle: the same pointer */
    CHECK_STR("12.5", ca_topup_amount(t));
    CHECK(ca_topup_sms_enabled(NULL) == false && ca_topup_metadata(NULL) == NULL);
    ca_topup_free(t);
    ca_v2_topup_request_free(req);

    /* without SMS or metadata: the SMS is disabled, its message absent */
    req = NULL;
    t = NULL;
    CHECK_RC(CA_OK, ca_v2_topup_request_new_amount("+233201234567", 23, "3", "GHS", &req, &err));
    CHECK_RC(CA_OK, ca_v2_topup_create(env.v2, req, &t, &err));
    CHECK(!ca_topup_sms_enabled(t));
    CHECK(ca_topup_sms_message(t) == NULL);
    ca_topup_free(t);
    ca_v2_topup_request_free(req);
}

static void test_catalog_shape(void) {
    ca_catalog *cat = NULL;
    CHECK_RC(CA_OK, ca_v2_lookup(env.v2, "+233541112259", 0, &cat, &err));
    const ca_network *n = ca_catalog_network(cat);
    CHECK(n != NULL && n == ca_catalog_network(cat));
    CHECK(ca_network_id(n) == 42);
    CHECK_STR("MTN Ghana", ca_network_name(n));
    CHECK_STR("Ghana", ca_network_country(n));
    CHECK_STR("GH", ca_network_country_code(n));
    CHECK_STR("GHS", ca_network_currency(n));
    CHECK(ca_network_logo_url(n) == NULL);
    CHECK_STR("USD", ca_catalog_exchange_rate_source_currency(cat));
    CHECK_STR("GHS", ca_catalog_exchange_rate_destination_currency(cat));
    CHECK_STR("12.35", ca_catalog_exchange_rate_rate(cat));
    CHECK(ca_catalog_products_custom_airtime_available(cat));
    CHECK_STR("1", ca_catalog_products_custom_airtime_min_amount_local(cat));
    CHECK_STR("5000", ca_catalog_products_custom_airtime_max_amount_local(cat));
    CHECK_STR("GHS", ca_catalog_products_custom_airtime_local_currency(cat));
    CHECK(ca_catalog_products_fixed_bundles_count(cat) == 2);
    const ca_bundle *data = ca_catalog_products_fixed_bundles(cat, 0);
    const ca_bundle *air = ca_catalog_products_fixed_bundles(cat, 1);
    CHECK(ca_catalog_products_fixed_bundles(cat, 2) == NULL);
    CHECK_STR("101", ca_bundle_id(data));
    CHECK_STR("DATA", ca_bundle_bundle_type(data));
    CHECK_STR("500MB Data - 30 Days", ca_bundle_name(data));
    CHECK_STR("2.5", ca_bundle_price_usd(data));
    CHECK(ca_bundle_price_usd_f64(data) == 2.5);
    CHECK(ca_bundle_local_amount(data) == NULL); /* absent for a data bundle */
    CHECK(isnan(ca_bundle_local_amount_f64(data)));
    CHECK_STR("GHS", ca_bundle_local_currency(data));
    CHECK_STR("AIRTIME", ca_bundle_bundle_type(air));
    CHECK(ca_bundle_local_amount(air) != NULL && ca_bundle_local_amount_f64(air) > 0.0);
    CHECK(ca_bundle_local_value(air) != NULL);
    /* the same bundle through the old indexed getter */
    CHECK_STR(ca_catalog_bundle_id(cat, 1), ca_bundle_id(air));
    char *json = NULL;
    CHECK_RC(CA_OK, ca_bundle_to_json(air, &json, &err));
    CHECK(json != NULL && strstr(json, "\"local_amount\"") != NULL);
    ca_string_free(json);
    json = NULL;
    CHECK_RC(CA_OK, ca_network_to_json(n, &json, &err));
    CHECK(json != NULL && strstr(json, "\"MTN Ghana\"") != NULL);
    ca_string_free(json);
    ca_catalog_free(cat);

    ca_network_list *nets = NULL;
    CHECK_RC(CA_OK, ca_v2_networks(env.v2, "GH", &nets, &err));
    CHECK(ca_network_list_count(nets) == 3);
    for (size_t i = 0; i < ca_network_list_count(nets); i++) {
        const ca_network *ni = ca_network_list_get(nets, i);
        int64_t count = -1;
        bool supports = false;
        CHECK(ca_network_id(ni) == ca_network_list_id(nets, i));
        CHECK(ca_network_product_count(ni, &count) && count == 3);
        CHECK(ca_network_supports_custom_airtime(ni, &supports) && supports);
        CHECK(ca_network_product_count(ni, NULL)); /* the out pointer may be NULL */
    }
    CHECK(ca_network_list_get(nets, 3) == NULL);
    ca_network_list_free(nets);
    /* absent, not false: a catalog's network does not say how many products it has */
    cat = NULL;
    CHECK_RC(CA_OK, ca_v2_products(env.v2, 42, &cat, &err));
    int64_t untouched = 77;
    CHECK(!ca_network_product_count(ca_catalog_network(cat), &untouched) && untouched == 77);
    ca_catalog_free(cat);

    ca_country_list *cs = NULL;
    CHECK_RC(CA_OK, ca_v2_countries(env.v2, &cs, &err));
    CHECK(ca_country_list_count(cs) > 0);
    const ca_country *c0 = ca_country_list_get(cs, 0);
    CHECK(c0 != NULL);
    CHECK_STR(ca_country_list_code(cs, 0), ca_country_country_code(c0));
    CHECK_STR(ca_country_list_name(cs, 0), ca_country_name(c0));
    CHECK(ca_country_currency(c0) != NULL);
    size_t with_networks = 0;
    for (size_t i = 0; i < ca_country_list_count(cs); i++) {
        const ca_country *ci = ca_country_list_get(cs, i);
        for (size_t j = 0; j < ca_country_networks_count(ci); j++) {
            CHECK(ca_network_name(ca_country_networks(ci, j)) != NULL);
            with_networks++;
        }
        CHECK(ca_country_networks(ci, ca_country_networks_count(ci)) == NULL);
    }
    json = NULL;
    CHECK_RC(CA_OK, ca_country_to_json(c0, &json, &err));
    CHECK(json != NULL && strstr(json, "country_code") != NULL);
    ca_string_free(json);
    ca_country_list_free(cs);
    printf("shape: countries list %zu networks\n", with_networks);
}

static void test_balance_and_meta_shape(void) {
    ca_balance *b = NULL;
    CHECK_RC(CA_OK, ca_v2_balance(env.v2, &b, &err));
    CHECK_STR(ca_balance_available(b), ca_balance_available_balance_amount(b));
    CHECK_STR("USD", ca_balance_available_balance_currency(b));
    CHECK(ca_balance_wallets_count(b) == ca_balance_wallet_count(b) && ca_balance_wallets_count(b) >= 2);
    const ca_wallet *w = ca_balance_wallets(b, 0);
    CHECK(w == ca_balance_wallet(b, 0));
    CHECK_STR(ca_wallet_type(w), ca_wallet_wallet_type(w));
    CHECK(ca_wallet_allowed_countries_count(w) >= 1);
    CHECK(ca_wallet_allowed_countries(w, 0) != NULL);
    CHECK(ca_wallet_allowed_countries(w, ca_wallet_allowed_countries_count(w)) == NULL);
    size_t ghana = 0;
    for (size_t i = 0; i < ca_balance_wallets_count(b); i++) {
        const ca_wallet *wi = ca_balance_wallets(b, i);
        for (size_t j = 0; j < ca_wallet_allowed_countries_count(wi); j++)
            if (strcmp(ca_wallet_allowed_countries(wi, j), "Ghana") == 0) ghana++;
    }
    CHECK(ghana >= 1);
    /* rate-limit headers, one getter each; pagination absent on a non-list answer */
    const ca_meta *m = ca_balance_meta(b);
    uint64_t limit = 0, remaining = 0, reset = 0;
    CHECK(ca_meta_rate_limit_limit(m, &limit) && limit > 0);
    CHECK(ca_meta_rate_limit_remaining(m, &remaining) && remaining < limit);
    CHECK(ca_meta_rate_limit_reset(m, &reset) && reset > 1700000000u);
    CHECK(ca_meta_pagination_page(m) == 0 && !ca_meta_pagination_has_next(m) && !ca_meta_pagination_has_prev(m));
    ca_balance_free(b);

    /* pages: has_prev on page 2, not on page 1 */
    ca_v2_topup_filter *f = NULL;
    ca_topup_list *l = NULL;
    CHECK_RC(CA_OK, ca_v2_topup_filter_new(&f, &err));
    CHECK_RC(CA_OK, ca_v2_topup_filter_set_page(f, 1, 1, &err));
    CHECK_RC(CA_OK, ca_v2_topup_list(env.v2, f, &l, &err));
    m = ca_topup_list_meta(l);
    CHECK(ca_meta_pagination_page(m) == 1 && ca_meta_pagination_per_page(m) == 1);
    CHECK(ca_meta_pagination_total(m) >= 2 && ca_meta_pagination_total_pages(m) >= 2);
    CHECK(ca_meta_pagination_has_next(m) && !ca_meta_pagination_has_prev(m));
    ca_topup_list_free(l);
    l = NULL;
    CHECK_RC(CA_OK, ca_v2_topup_filter_set_page(f, 2, 1, &err));
    CHECK_RC(CA_OK, ca_v2_topup_list(env.v2, f, &l, &err));
    m = ca_topup_list_meta(l);
    CHECK(ca_meta_pagination_page(m) == 2);
    CHECK(ca_meta_pagination_has_prev(m));
    ca_topup_list_free(l);
    ca_v2_topup_filter_free(f);
}

static void test_v1_shape(void) {
    ca_v1_topup_request *req = NULL;
    ca_transaction *tx = NULL;
    /* an msisdn as people write it */
    CHECK_RC(CA_OK, ca_v1_topup_request_new_amount("+233 54 111 2259", "5", &req, &err));
    CHECK_RC(CA_OK, ca_v1_send_topup(env.v1, req, &tx, &err));
    CHECK(ca_transaction_is_success(tx));
    CHECK_STR(ca_transaction_id(tx), ca_transaction_transaction_id(tx));
    /* the answer to a send has no `status` flag: absent, not false (nothing written) */
    bool status = true;
    CHECK(!ca_transaction_status(tx, &status) && status);
    char ext_ref[64];
    snprintf(ext_ref, sizeof ext_ref, "%s", ca_meta_reference(ca_transaction_meta(tx)));
    /* V1 wallet.amount: what the wallet was debited, in its currency (the docs' FX reconciliation field) */
    CHECK(ca_transaction_wallet_amount(tx) != NULL);
    CHECK(ca_transaction_wallet_amount_f64(tx) > 0.0);
    CHECK(ca_transaction_wallet_currency(tx) != NULL);
    CHECK(ca_transaction_wallet_fx_rate(tx) == ca_transaction_fx_rate(tx));
    CHECK(ca_transaction_provider_reference_code(tx) == ca_transaction_provider_reference(tx));
    ca_transaction_free(tx);
    ca_v1_topup_request_free(req);

    /* the lookup's record of it: the msisdn as E.164 digits, the status flag, TopupAmount as sent */
    ca_transaction_list *txs = NULL;
    CHECK_RC(CA_OK, ca_v1_transactions(env.v1, NULL, NULL, ext_ref, &txs, &err));
    CHECK(ca_transaction_list_count(txs) == 1);
    const ca_transaction *t0 = ca_transaction_list_get(txs, 0);
    CHECK_STR("233541112259", ca_transaction_msisdn(t0));
    status = false;
    CHECK(ca_transaction_status(t0, &status) && status);
    CHECK(ca_transaction_status(t0, NULL));
    CHECK_STR("5", ca_transaction_topup_amount(t0));
    CHECK_STR("5", ca_transaction_amount(t0));
    CHECK_STR("5", ca_transaction_delivered_amount(t0));
    CHECK(ca_transaction_delivered_amount_f64(t0) == 5.0);
    CHECK(ca_transaction_delivered_amount(NULL) == NULL);
    CHECK(ca_transaction_wallet_amount(t0) != NULL);
    ca_transaction_list_free(txs);

    ca_v1_service_list *services = NULL;
    CHECK_RC(CA_OK, ca_v1_product_catalog(env.v1, &services, &err));
    CHECK(ca_v1_service_list_count(services) > 0);
    const ca_service *s0 = ca_v1_service_list_get(services, 0);
    CHECK(ca_service_service_id(s0) == ca_v1_service_list_service_id(services, 0));
    CHECK_STR(ca_v1_service_list_provider_name(services, 0), ca_service_provider_name(s0));
    CHECK(ca_v1_service_list_get(services, ca_v1_service_list_count(services)) == NULL);
    int64_t service_id = ca_service_service_id(s0);
    ca_v1_service_list_free(services);

    ca_v1_product_list *products = NULL;
    CHECK_RC(CA_OK, ca_v1_products(env.v1, service_id, &products, &err));
    const ca_product *p = ca_v1_product_list_get(products, 1);
    CHECK(ca_product_id(p) == service_id * 100 + 2);
    CHECK_STR("FIXED_PRODUCT", ca_product_product_type(p));
    CHECK(ca_product_amount(p) != NULL && ca_product_currency(p) != NULL);
    CHECK(ca_product_name(p) != NULL);
    CHECK(ca_product_service_id(p) != NULL || ca_product_service_id(p) == NULL); /* may be absent */
    CHECK(ca_product_description(p) == ca_v1_product_description(p));
    ca_v1_product_list_free(products);

    ca_v1_balance_list *balances = NULL;
    CHECK_RC(CA_OK, ca_v1_balances(env.v1, &balances, &err));
    const ca_account_balance *ab = ca_v1_balance_list_get(balances, 0);
    CHECK(ca_account_balance_account_id(ab) != NULL);
    CHECK(ca_account_balance_balance(ab) != NULL);
    CHECK(ca_account_balance_service_name(ab) != NULL);
    CHECK(ca_account_balance_service_country(ab) == ca_v1_balance_service_country(ab));
    CHECK(ca_account_balance_currency(ab) == ca_v1_balance_currency(ab));
    ca_v1_balance_list_free(balances);
}

static void test_journal_and_event_shape(void) {
    char path[128];
    ca_client_options *o = NULL;
    ca_v2_client *c = NULL;
    ca_v2_topup_request *req = NULL;
    ca_topup *t = NULL;
    ca_journal_entry *e = NULL;
    snprintf(path, sizeof path, "/tmp/ca-test-shape-%ld.journal", (long)getpid());
    ca_t_remove_journal(path);
    CHECK_RC(CA_OK, ca_client_options_new(&o, &err));
    CHECK_RC(CA_OK, ca_client_options_set_base_url(o, ca_sandbox_base_url(env.sb), &err));
    CHECK_RC(CA_OK, ca_client_options_set_journal(o, path, &err));
    CHECK_RC(CA_OK, ca_v2_client_new(ca_sandbox_api_key(env.sb), o, &c, &err));
    CHECK_RC(CA_OK, ca_v2_topup_request_new_amount("+233541112259", 42, "7", "GHS", &req, &err));
    CHECK_RC(CA_OK, ca_v2_topup_request_set_reference(req, "SHAPE-1", &err));
    CHECK_RC(CA_OK, ca_v2_topup_create(c, req, &t, &err));
    CHECK_RC(CA_OK, ca_v2_client_journal_entry(c, "SHAPE-1", &e, &err));
    const char *created = ca_journal_entry_created_at(e);
    CHECK(created != NULL && strlen(created) == 24 && created[10] == 'T' && created[23] == 'Z');
    CHECK(ca_journal_entry_updated_at(e) != NULL && strncmp(ca_journal_entry_updated_at(e), "20", 2) == 0);
    CHECK(ca_journal_entry_last_write_at(e) != NULL);
    /* the same instant as the _unix_ms twin: compare the seconds part through the date's first digits */
    CHECK(ca_journal_entry_created_at_unix_ms(e) > 0);
    CHECK(ca_journal_entry_created_at(NULL) == NULL);
    ca_journal_entry_free(e);
    ca_topup_free(t);
    ca_v2_topup_request_free(req);
    ca_v2_client_free(c);
    ca_client_options_free(o);
    ca_t_remove_journal(path);

    const char *body = "{\"event\":\"topup.completed\",\"data\":{\"id\":\"tx-9\",\"status\":\"completed\"}}";
    ca_webhook_event *ev = NULL;
    CHECK_RC(CA_OK, ca_webhook_parse((const uint8_t *)body, strlen(body), &ev, &err));
    CHECK_STR("topup.completed", ca_webhook_event_event_type(ev));
    CHECK(ca_webhook_event_data(ev) != NULL && strstr(ca_webhook_event_data(ev), "\"tx-9\"") != NULL);
    ca_webhook_event_free(ev);
}

static void test_retry_after_absent(void) {
    ca_client_options *o = NULL;
    ca_v2_client *c = NULL;
    ca_v2_topup_request *req = NULL;
    ca_topup *t = NULL;
    CHECK_RC(CA_OK, ca_client_options_new(&o, &err));
    CHECK_RC(CA_OK, ca_client_options_set_base_url(o, ca_sandbox_base_url(env.sb), &err));
    CHECK_RC(CA_OK, ca_client_options_set_max_retry_after_ms(o, 200, &err));
    CHECK_RC(CA_OK, ca_v2_client_new(ca_sandbox_api_key(env.sb), o, &c, &err));
    /* a 429 that says how long: Retry-After 1 s */
    CHECK_RC(CA_OK, ca_v2_topup_request_new_amount("+233555000014", 42, "10", "GHS", &req, &err));
    CHECK_RC(CA_ERR_RATE_LIMITED, ca_v2_topup_create(c, req, &t, &err));
    CHECK(ca_error_has_retry_after(err));
    CHECK(ca_error_retry_after_ms(err) == 1000);
    RESET_ERR();
    ca_v2_topup_request_free(req);
    /* an error that says nothing: 0, and "absent" */
    req = NULL;
    CHECK_RC(CA_OK, ca_v2_topup_request_new_amount("+233555000001", 42, "10", "GHS", &req, &err));
    CHECK_RC(CA_ERR_INSUFFICIENT_BALANCE, ca_v2_topup_create(c, req, &t, &err));
    CHECK(!ca_error_has_retry_after(err));
    CHECK(ca_error_retry_after_ms(err) == 0);
    RESET_ERR();
    CHECK(!ca_error_has_retry_after(NULL));
    ca_v2_topup_request_free(req);
    ca_v2_client_free(c);
    ca_client_options_free(o);
}

static void test_environment(void) {
    ca_v2_client *c = NULL;
    ca_v1_client *c1 = NULL;
    ca_balance *b = NULL;
    ca_client_options *o = NULL;
    unsetenv("CLICKAIRTIME_API_KEY");
    unsetenv("CLICKAIRTIME_BASE_URL");
    unsetenv("CLICKAIRTIME_V1_EMAIL");
    unsetenv("CLICKAIRTIME_V1_TOKEN");
    c = (ca_v2_client *)&env;
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_client_new_from_env(NULL, &c, &err));
    CHECK_STR("CLICKAIRTIME_API_KEY", ca_error_field(err));
    CHECK(c == (ca_v2_client *)&env);
    RESET_ERR();
    /* an empty variable counts as unset */
    setenv("CLICKAIRTIME_API_KEY", "  ", 1);
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_client_new_from_env(NULL, &c, &err));
    RESET_ERR();

    setenv("CLICKAIRTIME_API_KEY", ca_sandbox_api_key(env.sb), 1);
    setenv("CLICKAIRTIME_BASE_URL", ca_sandbox_base_url(env.sb), 1);
    c = NULL;
    CHECK_RC(CA_OK, ca_v2_client_new_from_env(NULL, &c, &err));
    CHECK_STR(ca_v2_client_base_url(env.v2), ca_v2_client_base_url(c));
    CHECK_RC(CA_OK, ca_v2_balance(c, &b, &err));
    ca_balance_free(b);
    ca_v2_client_free(c);
    /* what the options set wins over the environment */
    setenv("CLICKAIRTIME_BASE_URL", "https://api.example.invalid", 1);
    CHECK_RC(CA_OK, ca_client_options_new(&o, &err));
    CHECK_RC(CA_OK, ca_client_options_set_base_url(o, ca_sandbox_base_url(env.sb), &err));
    c = NULL;
    CHECK_RC(CA_OK, ca_v2_client_new_from_env(o, &c, &err));
    CHECK_STR(ca_v2_client_base_url(env.v2), ca_v2_client_base_url(c));
    ca_v2_client_free(c);
    /* the key never shows in an error */
    setenv("CLICKAIRTIME_BASE_URL", "ftp://nope", 1);
    c = NULL;
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_client_new_from_env(NULL, &c, &err));
    CHECK(strstr(ca_error_message(err), ca_sandbox_api_key(env.sb)) == NULL);
    RESET_ERR();
    setenv("CLICKAIRTIME_BASE_URL", ca_sandbox_base_url(env.sb), 1);

    /* V1: both variables are required; the error names the missing one */
    setenv("CLICKAIRTIME_V1_EMAIL", ca_sandbox_v1_email(env.sb), 1);
    c1 = (ca_v1_client *)&env;
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v1_client_new_from_env(NULL, &c1, &err));
    CHECK_STR("CLICKAIRTIME_V1_TOKEN", ca_error_field(err));
    CHECK(c1 == (ca_v1_client *)&env);
    RESET_ERR();
    setenv("CLICKAIRTIME_V1_TOKEN", ca_sandbox_v1_token(env.sb), 1);
    c1 = NULL;
    CHECK_RC(CA_OK, ca_v1_client_new_from_env(o, &c1, &err));
    ca_v1_balance_list *bl = NULL;
    CHECK_RC(CA_OK, ca_v1_balances(c1, &bl, &err));
    ca_v1_balance_list_free(bl);
    ca_v1_client_free(c1);
    ca_client_options_free(o);
    unsetenv("CLICKAIRTIME_API_KEY");
    unsetenv("CLICKAIRTIME_BASE_URL");
    unsetenv("CLICKAIRTIME_V1_EMAIL");
    unsetenv("CLICKAIRTIME_V1_TOKEN");
}

static void test_phone_numbers(void) {
    char buf[CA_PHONE_BUFFER_SIZE];
    size_t n = 0;
    /* a national number with the till's country */
    CHECK_RC(CA_OK, ca_phone_to_e164_in("024 123 4567", "GH", buf, sizeof buf, &n, &err));
    CHECK_STR("+233241234567", buf);
    CHECK(n == 13);
    CHECK_RC(CA_OK, ca_phone_to_e164_in("0541112259", "gh", buf, sizeof buf, NULL, &err));
    CHECK_STR("+233541112259", buf);
    /* an international number ignores the country */
    CHECK_RC(CA_OK, ca_phone_to_e164_in("00233 54.111.2259", "KE", buf, sizeof buf, NULL, &err));
    CHECK_STR("+233541112259", buf);
    CHECK_RC(CA_OK, ca_phone_to_e164("+233 (54) 111-2259", buf, sizeof buf, NULL, &err));
    CHECK_STR("+233541112259", buf);
    /* errors quote what was typed, never a number the user did not type */
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_phone_to_e164("0541112259", buf, sizeof buf, NULL, &err));
    CHECK(strstr(ca_error_message(err), "\"0541112259\"") != NULL);
    CHECK(strstr(ca_error_message(err), "+0541112259") == NULL);
    RESET_ERR();
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_phone_to_e164_in("054 111", "GH", buf, sizeof buf, NULL, &err));
    CHECK(strstr(ca_error_message(err), "054 111") != NULL);
    CHECK_STR("phone_number", ca_error_field(err));
    RESET_ERR();
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_phone_to_e164_in("0541112259", "Ghana", buf, sizeof buf, NULL, &err));
    CHECK_STR("country", ca_error_field(err));
    RESET_ERR();
    /* a buffer too small stays untouched */
    char small[5] = "xxxx";
    CHECK_RC(CA_ERR_BUFFER_TOO_SMALL, ca_phone_to_e164_in("0541112259", "GH", small, sizeof small, NULL, &err));
    CHECK(strcmp(small, "xxxx") == 0);
    RESET_ERR();
    /* a send quotes the number it was given */
    ca_v2_topup_request *req = NULL;
    ca_topup *t = NULL;
    CHECK_RC(CA_OK, ca_v2_topup_request_new_amount("0541112259", 42, "5", "GHS", &req, &err));
    CHECK_RC(CA_ERR_INVALID_INPUT, ca_v2_topup_create(env.v2, req, &t, &err));
    CHECK(strstr(ca_error_message(err), "\"0541112259\"") != NULL);
    CHECK(strstr(ca_error_message(err), "+0541112259") == NULL);
    RESET_ERR();
    ca_v2_topup_request_free(req);
}

int main(void) {
    ca_sandbox_options *so = NULL;
    if (ca_sandbox_options_new(&so, NULL) != CA_OK) return 2;
    ca_sandbox_options_set_number(so, "processing_after_ms", 20, NULL);
    ca_sandbox_options_set_number(so, "complete_after_ms", 80, NULL);
    ca_t_env_start(&env, so, NULL);
    ca_sandbox_options_free(so);

    test_topup_shape();
    test_catalog_shape();
    test_balance_and_meta_shape();
    test_v1_shape();
    test_journal_and_event_shape();
    test_retry_after_absent();
    test_environment();
    test_phone_numbers();

    ca_error_free(err);
    ca_t_env_stop(&env);
    return ca_t_summary("test_shape");
}
