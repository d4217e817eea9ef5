/* A point-of-sale top-up, end to end, the way a till must do it: a crash-safe sales journal, earlier sales
 * settled at start-up, the number looked up, the top-up sent once with the receipt number as its reference,
 * the outcome waited for, and for every result a message that is TRUE (the cashier reads it aloud).
 *
 * It runs against the sandbox embedded in libclickairtime, so it needs no account and no network:
 *     pos [phone] [amount] [receipt]        e.g.  pos +233541112259 20 R-0001
 * The number is taken as the customer says it: "+233 54 111 2259", or national, "054 111 2259", read in the
 * till's country (POS_COUNTRY, default GH). Ctrl-C while waiting for the operator stops watching: the sale
 * stands and the receipt says so (a cancel token fired from the SIGINT handler).
 * Try +233555000001 (insufficient balance), +233555000002 (invalid number), +233555000003 (delivery fails),
 * +233555000007 (connection lost after the sale: found again, never sold twice), +233555000010 (stays
 * processing: on its way). Selling a receipt number again is recognised from the journal: nothing new is sold.
 *
 * Environment: POS_JOURNAL (the journal file; default pos-journal.sqlite here), and for demonstrations
 * POS_WAIT_MS (how long to wait for the operator; default 60000) and POS_SEND_DEADLINE_MS (the budget of a
 * send; default 120000). Against the real API: drop the sandbox, pass your key, no base URL. */
#define _POSIX_C_SOURCE 200809L /* sigaction */
#include "clickairtime.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ctrl-C: stop watching the sale (the wait ends CA_ERR_CANCELLED; the sale itself stands) */
static ca_cancel *stop_waiting = NULL;

static void on_sigint(int sig) {
    (void)sig;
#if defined(_WIN32)
    signal(SIGINT, on_sigint); /* Windows restores the default before calling a handler */
#endif
    ca_cancel_cancel(stop_waiting); /* async-signal-safe: one atomic store */
}

/* Ctrl-C stays caught however often it comes. Under ISO C (gcc -std=c99, MSVC) signal() catches one signal
   and then restores the default, so a second SIGINT (timeout(1) sends one to the program and one to its
   group) killed the till mid-wait: POSIX gets sigaction, Windows a handler that re-arms itself. */
static void catch_ctrl_c(void (*handler)(int)) {
#if defined(_WIN32)
    signal(SIGINT, handler);
#else
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
#endif
}

static const char *or_dash(const char *s) { return s ? s : "-"; }

static unsigned long long env_ms(const char *name, unsigned long long dflt) {
    const char *v = getenv(name);
    return v && *v ? strtoull(v, NULL, 10) : dflt;
}

/* Why nothing was sold, for a result that proves it (ca_result_proves_not_sent). Returns the exit code. */
static int nothing_sold(ca_result rc, const ca_error *err) {
    printf("\n*** NOTHING WAS SOLD ***\n");
    switch (rc) {
    case CA_ERR_INVALID_INPUT:
        printf("Nothing was sold: check the %s (%s).\n", or_dash(ca_error_field(err)), ca_error_message(err));
        return 2;
    case CA_ERR_INVALID_RECIPIENT:
        printf("Nothing was sold: the operator refused the number. Ask the customer to check it.\n");
        return 2;
    case CA_ERR_INSUFFICIENT_BALANCE:
        printf("Nothing was sold: airtime float too low. Call your supervisor. The customer was not charged.\n");
        return 3;
    case CA_ERR_DELIVERY_FAILED:
        printf("Nothing was sold: the operator could not deliver. The customer may try again.\n");
        return 3;
    case CA_ERR_RATE_LIMITED:
        if (ca_error_has_retry_after(err))
            printf("Nothing was sold: too many sales right now. Wait %llu seconds and sell again (same receipt).\n",
                   (unsigned long long)(ca_error_retry_after_ms(err) + 999) / 1000);
        else
            printf("Nothing was sold: too many sales right now. Wait a minute and sell again (same receipt).\n");
        return 4;
    case CA_ERR_AUTHENTICATION:
    case CA_ERR_PERMISSION_DENIED:
        printf("Nothing was sold: this till is not authorised. Call support.\n");
        return 5;
    case CA_ERR_CONNECTION:
    case CA_ERR_TIMEOUT:
    case CA_ERR_TLS:
        printf("Nothing was sold: no connection to Click Airtime (%s). Sell again when it is back (same receipt).\n",
               ca_error_message(err));
        return 7;
    case CA_ERR_JOURNAL:
        printf("Nothing was sold: the sales journal cannot be written (%s). Fix it before selling.\n",
               ca_error_message(err));
        return 7;
    default:
        printf("Nothing was sold: %s (%s, support ref %s).\n", ca_error_message(err), ca_result_name(rc),
               or_dash(ca_error_request_id(err)));
        return 8;
    }
}

/* What the cashier is told when a send did not end in a sale. Returns the exit code. */
static int explain_send(ca_result rc, const ca_error *err, const char *receipt) {
    switch (rc) {
    case CA_ERR_DUPLICATE_SALE:
        printf("\n*** NOTHING WAS SOLD FOR RECEIPT %s ***\n", receipt);
        printf("The API refused it as a repeat of sale %s (transaction %s): same number, same amount, moments "
               "ago.\nCheck whether the customer already received that top-up before selling again.\n",
               or_dash(ca_error_existing_reference(err)), or_dash(ca_error_transaction_id(err)));
        return 9;
    case CA_ERR_REFERENCE_CONFLICT:
        printf("\n*** NOTHING WAS SOLD FOR RECEIPT %s ***\n", receipt);
        printf("This receipt number already belongs to another sale (%s, transaction %s).\n"
               "Sell it under a new receipt number.\n",
               or_dash(ca_error_existing_reference(err)), or_dash(ca_error_transaction_id(err)));
        return 9;
    default:
        if (ca_result_proves_not_sent(rc)) return nothing_sold(rc, err);
        /* CA_ERR_OUTCOME_UNKNOWN, CA_ERR_PANIC, anything not proven: it may have gone through */
        printf("\n*** SALE STATUS UNKNOWN: RECEIPT %s ***\n", receipt);
        printf("It may have gone through. Do NOT sell it again and do NOT refund.\n");
        printf("It is in the sales journal and will be checked at the next start-up (reference %s).\n",
               or_dash(ca_error_reference(err) ? ca_error_reference(err) : receipt));
        if (ca_error_cause_kind(err) != CA_OK)
            printf("(for support: %s, %s)\n", ca_result_name(ca_error_cause_kind(err)), ca_error_message(err));
        return 6;
    }
}

/* Settle what the journal holds open (a crash, a lost answer) and say what became of each sale. */
static void recover_at_startup(const ca_v2_client *client) {
    ca_journal_list *settled = NULL;
    ca_error *err = NULL;
    if (ca_v2_client_recover(client, &settled, &err) != CA_OK) {
        printf("Earlier sales could not be checked now (%s); they stay in the journal.\n", ca_error_message(err));
        ca_error_free(err);
        return;
    }
    for (size_t i = 0; i < ca_journal_list_count(settled); i++) {
        const ca_journal_entry *e = ca_journal_list_get(settled, i);
        const char *state = ca_journal_entry_state(e);
        const char *ref = ca_journal_entry_reference(e);
        if (strcmp(state, "sent") == 0) {
            const ca_topup *t = ca_journal_entry_topup(e);
            printf("Earlier sale %s: SOLD (transaction %s, %s).\n", ref, ca_journal_entry_transaction_id(e),
                   t ? ca_topup_status(t) : or_dash(ca_journal_entry_status(e)));
        } else if (strcmp(state, "not_sent") == 0) {
            printf("Earlier sale %s: NOT sold (it never reached Click Airtime). It may be sold again.\n", ref);
        } else if (strcmp(state, "refused") == 0) {
            printf("Earlier sale %s: NOT sold (refused: another sale, transaction %s, holds it).\n", ref,
                   or_dash(ca_journal_entry_transaction_id(e)));
        } else {
            printf("Earlier sale %s: still UNKNOWN. Do NOT sell it again; it is checked again at the next start.\n",
                   ref);
        }
    }
    if (ca_journal_list_count(settled) == 0) printf("No earlier sale left open.\n");
    ca_journal_list_free(settled);
}

/* status: what to print as the status (NULL: the top-up's own) */
static void print_receipt(const ca_topup *t, const char *receipt, const char *status) {
    const ca_meta *m = ca_topup_meta(t);
    printf("\n======== AIRTIME RECEIPT ========\n");
    printf("Receipt      %s\n", receipt);
    printf("Number       %s\n", or_dash(ca_topup_phone_number(t)));
    printf("Network      %s\n", or_dash(ca_topup_network_name(t)));
    printf("Amount       %s %s\n", or_dash(ca_topup_amount(t)), or_dash(ca_topup_amount_currency(t)));
    printf("Charged      %s %s\n", or_dash(ca_topup_cost(t)), or_dash(ca_topup_cost_currency(t)));
    printf("Status       %s%s%s\n", status ? status : ca_topup_status(t), ca_topup_failure_reason(t) ? " - " : "",
           ca_topup_failure_reason(t) ? ca_topup_failure_reason(t) : "");
    printf("Transaction  %s\n", ca_topup_id(t));
    printf("Reference    %s\n", or_dash(ca_topup_reference(t)));
    printf("Time         %s\n", or_dash(ca_topup_completed_at(t) ? ca_topup_completed_at(t) : ca_topup_created_at(t)));
    printf("Support ref  %s\n", or_dash(ca_meta_request_id(m)));
    printf("=================================\n");
}

/* The end of a sale that exists: its final status, or why it is not final yet. Returns the exit code. */
static int finish(const ca_topup *t, const char *receipt) {
    if (ca_topup_is_success(t)) {
        printf("SOLD: the airtime was delivered.\n");
        return 0;
    }
    if (ca_topup_is_terminal(t)) {
        printf("NOT DELIVERED: the operator could not deliver (%s); the customer was not topped up.\n"
               "Refund the customer, or sell again under a NEW receipt number (receipt %s is used).\n",
               or_dash(ca_topup_failure_reason(t)), receipt);
        return 3;
    }
    printf("SOLD: the top-up was created and is on its way (%s). Tell the customer; check receipt %s later.\n",
           ca_topup_status(t), receipt);
    return 0;
}

int main(int argc, char **argv) {
    const char *typed = argc > 1 ? argv[1] : "+233541112259";
    const char *country = getenv("POS_COUNTRY") && *getenv("POS_COUNTRY") ? getenv("POS_COUNTRY") : "GH";
    char phone[CA_PHONE_BUFFER_SIZE] = "";
    const char *amount = argc > 2 ? argv[2] : "20";
    const char *receipt = argc > 3 ? argv[3] : "R-0001";
    const char *journal = getenv("POS_JOURNAL") && *getenv("POS_JOURNAL") ? getenv("POS_JOURNAL") : "pos-journal.sqlite";
    ca_sandbox *sandbox = NULL;
    ca_client_options *options = NULL;
    ca_v2_client *client = NULL;
    ca_catalog *catalog = NULL;
    ca_v2_topup_request *request = NULL;
    ca_topup *sent = NULL, *done = NULL;
    ca_error *err = NULL;
    ca_result rc;
    int status = 0;

    if ((rc = ca_cancel_new(&stop_waiting, &err)) != CA_OK) {
        fprintf(stderr, "setup failed: %s\n", ca_error_message(err));
        ca_error_free(err);
        return 1;
    }
    catch_ctrl_c(on_sigint);

    /* 1. the embedded sandbox stands in for https://api.clickairtime.com; the journal is the till's own */
    if ((rc = ca_sandbox_start(&sandbox, &err)) != CA_OK ||
        (rc = ca_client_options_new(&options, &err)) != CA_OK ||
        (rc = ca_client_options_set_base_url(options, ca_sandbox_base_url(sandbox), &err)) != CA_OK ||
        (rc = ca_client_options_set_user_agent_suffix(options, "example-pos/1.0", &err)) != CA_OK ||
        (rc = ca_client_options_set_journal(options, journal, &err)) != CA_OK ||
        (rc = ca_client_options_set_send_deadline_ms(options, env_ms("POS_SEND_DEADLINE_MS", 120000), &err)) != CA_OK ||
        (rc = ca_v2_client_new(ca_sandbox_api_key(sandbox), options, &client, &err)) != CA_OK) {
        if (rc == CA_ERR_JOURNAL)
            printf("The sales journal %s cannot be opened: %s\nNothing was sold. Fix it before selling.\n", journal,
                   ca_error_message(err));
        else
            fprintf(stderr, "setup failed: %s\n", ca_error_message(err));
        status = 1;
        goto out;
    }

    /* 2. at start-up: settle what a crash or a lost answer left open, and say so */
    recover_at_startup(client);

    /* 3. the number as the customer said it, in E.164; which network, which currency (a lookup sells nothing) */
    if ((rc = ca_phone_to_e164_in(typed, country, phone, sizeof phone, NULL, &err)) != CA_OK ||
        (rc = ca_v2_lookup(client, phone, 0, &catalog, &err)) != CA_OK) {
        status = nothing_sold(rc, err);
        goto out;
    }
    printf("%s is on %s (%s), custom amounts %s to %s %s\n", phone, ca_catalog_network_name(catalog),
           or_dash(ca_catalog_country_code(catalog)), or_dash(ca_catalog_custom_airtime_min(catalog)),
           or_dash(ca_catalog_custom_airtime_max(catalog)), or_dash(ca_catalog_currency(catalog)));

    /* 4. the sale, with the receipt number as its reference, fixed before anything is sent */
    if ((rc = ca_v2_topup_request_new_amount(phone, ca_catalog_network_id(catalog), amount,
                                             ca_catalog_currency(catalog), &request, &err)) != CA_OK ||
        (rc = ca_v2_topup_request_set_reference(request, receipt, &err)) != CA_OK ||
        (rc = ca_v2_topup_request_prepare(request, &err)) != CA_OK) {
        status = nothing_sold(rc, err);
        goto out;
    }
    printf("Sale %s: reference %s, idempotency key %s\n", receipt, ca_v2_topup_request_reference(request),
           ca_v2_topup_request_idempotency_key(request));

    /* 5. send it, once (the journal writes it down before the request leaves) */
    if ((rc = ca_v2_topup_create(client, request, &sent, &err)) != CA_OK) {
        status = explain_send(rc, err, receipt);
        goto out;
    }
    const char *origin = ca_meta_origin(ca_topup_meta(sent));
    if (strcmp(origin, "journal") == 0) {
        /* nothing was sent now: this is the record of the earlier sale */
        printf("Receipt %s was already sold earlier (transaction %s): nothing new was sold.\n", receipt,
               ca_topup_id(sent));
        print_receipt(sent, receipt, NULL);
        printf("(status as recorded then; check it later with the transaction id)\n");
        goto out;
    }
    if (strcmp(origin, "recovered") == 0)
        printf("(the connection dropped; the sale was found again, not repeated)\n");
    else if (strcmp(origin, "replayed") == 0)
        printf("(Click Airtime already had this sale; it was not sold twice)\n");

    /* 6. wait for the operator (the API guarantees an outcome within 12 minutes); Ctrl-C stops watching */
    printf("Waiting for the operator (Ctrl-C to stop watching; the sale stands)...\n");
    fflush(stdout);
    rc = ca_v2_topup_wait_cancellable(client, ca_topup_id(sent), env_ms("POS_WAIT_MS", 60000), 200, 1000,
                                      stop_waiting, &done, &err);
    if (rc == CA_OK) {
        print_receipt(done, receipt, NULL);
        status = finish(done, receipt);
    } else if (rc == CA_ERR_STILL_PENDING) {
        print_receipt(sent, receipt, ca_error_status(err));
        printf("SOLD: transaction %s was created and is still %s. The airtime is on its way: tell the customer.\n"
               "Check receipt %s later.\n",
               or_dash(ca_error_transaction_id(err)), or_dash(ca_error_status(err)), receipt);
        status = 0;
    } else if (rc == CA_ERR_CANCELLED) {
        print_receipt(sent, receipt, or_dash(ca_error_status(err)));
        printf("SOLD: transaction %s was created; we stopped watching it (last seen %s). The airtime is on its way:\n"
               "tell the customer. Do NOT sell it again; check receipt %s later.\n",
               ca_topup_id(sent), or_dash(ca_error_status(err)), receipt);
        status = 0;
    } else {
        /* the top-up exists; only its final status could not be read */
        print_receipt(sent, receipt, "not known yet");
        printf("SOLD: transaction %s was created, but its final status cannot be read now (%s).\n"
               "Do NOT sell it again. Check receipt %s later.\n",
               ca_topup_id(sent), ca_error_message(err), receipt);
        status = 0;
    }

out:
    /* the outcome is known (or the sale never started): a late or second Ctrl-C must not cut off what the
       cashier is told, and the handler must not outlive the token */
    catch_ctrl_c(SIG_IGN);
    ca_cancel_free(stop_waiting);
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
