/* A point-of-sale top-up, end to end: look the number up, send the top-up with the receipt number as its
 * reference, wait for the outcome, print a receipt, and handle every failure the way a till should.
 *
 * It runs against the sandbox embedded in libclickairtime, so it needs no account and no network:
 *     pos [phone] [amount] [receipt]        e.g.  pos +233541112259 20 R-0001
 * Try +233555000001 (insufficient balance), +233555000002 (invalid number), +233555000003 (delivery fails)
 * or +233555000007 (connection lost after the sale: recovered, never sold twice). */
#include "clickairtime.h"

#include <stdio.h>
#include <string.h>

static const char *or_dash(const char *s) { return s ? s : "-"; }

/* What the cashier is told for each failure. Returns the exit code. */
static int explain(ca_result rc, const ca_error *err, const ca_v2_client *client) {
    printf("\n*** SALE NOT COMPLETED ***\n");
    switch (rc) {
    case CA_ERR_INVALID_INPUT:
        printf("Check the %s: %s\n", or_dash(ca_error_field(err)), ca_error_message(err));
        return 2;
    case CA_ERR_INVALID_RECIPIENT:
        printf("The number was refused by the operator. Ask the customer to check it.\n");
        return 2;
    case CA_ERR_INSUFFICIENT_BALANCE:
        printf("Airtime float too low. Call your supervisor. Nothing was charged.\n");
        return 3;
    case CA_ERR_DELIVERY_FAILED:
        printf("The operator could not deliver. Nothing was charged; the customer may try again.\n");
        return 3;
    case CA_ERR_RATE_LIMITED:
        printf("Too many sales right now: wait %llu ms and try again.\n", (unsigned long long)ca_error_retry_after_ms(err));
        return 4;
    case CA_ERR_AUTHENTICATION:
    case CA_ERR_PERMISSION_DENIED:
        printf("This till is not authorised. Call support.\n");
        return 5;
    case CA_ERR_OUTCOME_UNKNOWN: {
        /* Maybe sold. Never sell again blindly: keep the reference and look it up. */
        const char *ref = ca_error_reference(err);
        printf("Sale status UNKNOWN. Do NOT sell again. Reference: %s\n", or_dash(ref));
        ca_topup *found = NULL;
        if (ref && ca_v2_topup_reconcile(client, ref, &found, NULL) == CA_OK) {
            if (found) printf("Found it: %s is %s.\n", ca_topup_id(found), ca_topup_status(found));
            else printf("Not found: it was never created; selling again with the same reference is safe.\n");
            ca_topup_free(found);
        }
        return 6;
    }
    case CA_ERR_TIMEOUT:
    case CA_ERR_CONNECTION:
    case CA_ERR_TLS:
        printf("No connection to Click Airtime (%s). Nothing was sold.\n", ca_error_message(err));
        return 7;
    default:
        printf("%s: %s (request %s)\n", ca_result_name(rc), ca_error_message(err), or_dash(ca_error_request_id(err)));
        return 8;
    }
}

static void print_receipt(const ca_topup *t, const char *receipt) {
    const ca_meta *m = ca_topup_meta(t);
    printf("\n======== AIRTIME RECEIPT ========\n");
    printf("Receipt      %s\n", receipt);
    printf("Number       %s\n", or_dash(ca_topup_phone_number(t)));
    printf("Network      %s\n", or_dash(ca_topup_network_name(t)));
    printf("Amount       %s %s\n", or_dash(ca_topup_amount(t)), or_dash(ca_topup_amount_currency(t)));
    printf("Charged      %s %s\n", or_dash(ca_topup_cost(t)), or_dash(ca_topup_cost_currency(t)));
    printf("Status       %s%s%s\n", ca_topup_status(t), ca_topup_failure_reason(t) ? " - " : "",
           ca_topup_failure_reason(t) ? ca_topup_failure_reason(t) : "");
    printf("Transaction  %s\n", ca_topup_id(t));
    printf("Reference    %s\n", or_dash(ca_topup_reference(t)));
    printf("Time         %s\n", or_dash(ca_topup_completed_at(t) ? ca_topup_completed_at(t) : ca_topup_created_at(t)));
    printf("Support ref  %s\n", or_dash(ca_meta_request_id(m)));
    printf("=================================\n");
}

int main(int argc, char **argv) {
    const char *phone = argc > 1 ? argv[1] : "+233541112259";
    const char *amount = argc > 2 ? argv[2] : "20";
    const char *receipt = argc > 3 ? argv[3] : "R-0001";
    ca_sandbox *sandbox = NULL;
    ca_client_options *options = NULL;
    ca_v2_client *client = NULL;
    ca_catalog *catalog = NULL;
    ca_v2_topup_request *request = NULL;
    ca_topup *sent = NULL, *done = NULL;
    ca_error *err = NULL;
    ca_result rc;
    int status = 0;

    /* 1. the embedded sandbox stands in for https://api.clickairtime.com */
    if ((rc = ca_sandbox_start(&sandbox, &err)) != CA_OK ||
        (rc = ca_client_options_new(&options, &err)) != CA_OK ||
        (rc = ca_client_options_set_base_url(options, ca_sandbox_base_url(sandbox), &err)) != CA_OK ||
        (rc = ca_client_options_set_user_agent_suffix(options, "example-pos/1.0", &err)) != CA_OK ||
        (rc = ca_v2_client_new(ca_sandbox_api_key(sandbox), options, &client, &err)) != CA_OK) {
        fprintf(stderr, "setup failed: %s\n", ca_error_message(err));
        status = 1;
        goto out;
    }

    /* 2. which network, which currency */
    if ((rc = ca_v2_lookup(client, phone, 0, &catalog, &err)) != CA_OK) {
        status = explain(rc, err, client);
        goto out;
    }
    printf("%s is on %s (%s), custom amounts %s to %s %s\n", phone, ca_catalog_network_name(catalog),
           or_dash(ca_catalog_country_code(catalog)), or_dash(ca_catalog_custom_airtime_min(catalog)),
           or_dash(ca_catalog_custom_airtime_max(catalog)), or_dash(ca_catalog_currency(catalog)));

    /* 3. send it, once, with the receipt number as the reference */
    if ((rc = ca_v2_topup_request_new_amount(phone, ca_catalog_network_id(catalog), amount,
                                             ca_catalog_currency(catalog), &request, &err)) != CA_OK ||
        (rc = ca_v2_topup_request_set_reference(request, receipt, &err)) != CA_OK ||
        (rc = ca_v2_topup_create(client, request, &sent, &err)) != CA_OK) {
        status = explain(rc, err, client);
        goto out;
    }
    if (ca_meta_replayed(ca_topup_meta(sent)))
        printf("(the connection dropped; the sale was found again, not repeated)\n");

    /* 4. wait for the operator (at most 60 s here; the API guarantees an outcome within 12 minutes) */
    if ((rc = ca_v2_topup_wait(client, ca_topup_id(sent), 60000, 200, 1000, &done, &err)) != CA_OK) {
        status = explain(rc, err, client);
        goto out;
    }
    print_receipt(done, receipt);
    status = ca_topup_is_success(done) ? 0 : 3;

out:
    ca_error_free(err);
    ca_topup_free(done);
    ca_topup_free(sent);
    ca_v2_topup_request_free(request);
    ca_catalog_free(catalog);
    ca_v2_client_free(client);
    ca_client_options_free(options);
    ca_sandbox_free(sandbox);
    return status;
}
