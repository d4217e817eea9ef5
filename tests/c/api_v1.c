/* test_api, V1: every operation of the V1 client. */
#define _POSIX_C_SOURCE 200809L
#include "test_api.h"

void test_v1(void) {
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
