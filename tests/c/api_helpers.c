/* test_api: webhooks (verify, parse, sign), phone numbers and amounts. */
#define _POSIX_C_SOURCE 200809L
#include "test_api.h"

#include <time.h>

void test_webhooks(void) {
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
        if (!seen) ca_t_sleep_ms(50);
    }
    CHECK(seen);
    ca_topup_free(sent);
    ca_topup_free(done);
    ca_v2_topup_request_free(req);
}

void test_phone_and_amounts(void) {
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
