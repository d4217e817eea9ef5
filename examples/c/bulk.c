/* A bulk payout from a back office: a CSV file of top-ups (staff bonuses, rewards, agents' bundles) paid in one
 * run, every row once, with a progress line per row, and a report at the end.
 *
 *     bulk FILE.csv [REPORT.csv]        e.g.  bulk examples/c/payouts.csv
 *
 * The file has a header row and its columns in any order: phone, amount + currency (or product), and optional
 * reference, network_id, sms; other columns are kept as metadata. The whole file is checked before anything
 * is sent: a bad row stops it, with every bad line listed. Every row goes through the sales journal
 * (BULK_JOURNAL, default bulk-journal.sqlite here) and the documented rate limit (60 a minute, 1,000 an hour),
 * so running the same file again — after a crash, a kill, a Ctrl-C — pays nobody twice: rows already paid come
 * back from the journal, the rest are sent. Ctrl-C stops taking rows; sends under way settle first.
 *
 * Credentials come from the environment (CLICKAIRTIME_API_KEY, CLICKAIRTIME_BASE_URL) when CLICKAIRTIME_API_KEY
 * is set; otherwise it runs against the sandbox embedded in libclickairtime.
 *
 * Exit status: 0 every row paid; 3 some row not paid (see the report); 6 some row's outcome unknown (do not pay
 * it another way: run the file again later); 4 stopped before the end; 2 a bad file; 1 a setup failure. */
#define _POSIX_C_SOURCE 200809L
#include "clickairtime.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ca_cancel *stop = NULL;

static void on_sigint(int sig) {
    (void)sig;
#if defined(_WIN32)
    signal(SIGINT, on_sigint); /* Windows restores the default before calling a handler */
#endif
    ca_cancel_cancel(stop); /* async-signal-safe */
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

/* One line per row, as it ends (called on this thread; the sends go on meanwhile). */
static void on_progress(const ca_bulk_row *row, size_t done, size_t total, void *user_data) {
    (void)user_data;
    ca_bulk_outcome outcome = ca_bulk_row_outcome(row);
    printf("[%3zu/%zu] line %-4zu %-30s %-8s", done, total, ca_bulk_row_line(row), ca_bulk_row_reference(row),
           ca_bulk_outcome_name(outcome));
    if (outcome == CA_BULK_SENT)
        printf(" %s %s (%s)\n", or_dash(ca_bulk_row_amount(row)), or_dash(ca_bulk_row_status(row)),
               or_dash(ca_bulk_row_origin(row)));
    else
        printf(" %s: %s\n", ca_result_name(ca_bulk_row_error_kind(row)), or_dash(ca_bulk_row_error_message(row)));
    fflush(stdout);
}

int main(int argc, char **argv) {
    const char *file = argc > 1 ? argv[1] : "payouts.csv";
    const char *report_path = argc > 2 ? argv[2] : NULL;
    const char *journal = getenv("BULK_JOURNAL") && *getenv("BULK_JOURNAL") ? getenv("BULK_JOURNAL")
                                                                              : "bulk-journal.sqlite";
    ca_error *err = NULL;
    ca_sandbox *sandbox = NULL;
    ca_client_options *opts = NULL;
    ca_v2_client *client = NULL;
    ca_bulk_report *report = NULL;
    char *report_csv = NULL;
    ca_result rc;
    int status = 1;

    if ((rc = ca_cancel_new(&stop, &err)) != CA_OK || (rc = ca_client_options_new(&opts, &err)) != CA_OK ||
        (rc = ca_client_options_set_journal(opts, journal, &err)) != CA_OK ||
        (rc = ca_client_options_set_rate_limit(opts, CA_RATE_LIMIT_DOCUMENTED_PER_MINUTE,
                                               CA_RATE_LIMIT_DOCUMENTED_PER_HOUR, &err)) != CA_OK)
        goto out;
    if (getenv("CLICKAIRTIME_API_KEY") && *getenv("CLICKAIRTIME_API_KEY")) {
        rc = ca_v2_client_new_from_env(opts, &client, &err);
    } else {
        printf("(no CLICKAIRTIME_API_KEY: paying the embedded sandbox)\n");
        if ((rc = ca_sandbox_start(&sandbox, &err)) == CA_OK &&
            (rc = ca_client_options_set_base_url(opts, ca_sandbox_base_url(sandbox), &err)) == CA_OK)
            rc = ca_v2_client_new(ca_sandbox_api_key(sandbox), opts, &client, &err);
    }
    if (rc != CA_OK) goto out;

    catch_ctrl_c(on_sigint);
    /* the file's name names the batch: rows without a reference get one derived from it, the same every run */
    rc = ca_v2_bulk_run(client, file, NULL, 0, NULL, on_progress, NULL, stop, &report, &err);
    catch_ctrl_c(SIG_IGN); /* the run has ended: a late Ctrl-C must not cut off the report */
    if (rc == CA_ERR_INVALID_INPUT) {
        printf("\nNOTHING WAS PAID: fix the file first.\n%s\n", ca_error_message(err));
        status = 2;
        goto out;
    }
    if (rc != CA_OK) goto out;

    size_t sent = ca_bulk_report_outcome_count(report, CA_BULK_SENT);
    size_t unknown = ca_bulk_report_outcome_count(report, CA_BULK_UNKNOWN);
    size_t skipped = ca_bulk_report_outcome_count(report, CA_BULK_SKIPPED);
    size_t journal_rows = 0;
    for (size_t i = 0; i < ca_bulk_report_count(report); i++) {
        const char *origin = ca_bulk_row_origin(ca_bulk_report_get(report, i));
        if (origin && strcmp(origin, "journal") == 0) journal_rows++;
    }
    printf("\n%zu rows: %zu paid (%zu of them paid by an earlier run: nothing sent again), %zu not paid, %zu refused, "
           "%zu unknown, %zu not attempted\n",
           ca_bulk_report_count(report), sent, journal_rows, ca_bulk_report_outcome_count(report, CA_BULK_NOT_SENT),
           ca_bulk_report_outcome_count(report, CA_BULK_REFUSED), unknown, skipped);
    if ((rc = ca_bulk_report_to_csv(report, &report_csv, &err)) != CA_OK) goto out;
    if (report_path) {
        FILE *f = fopen(report_path, "w");
        if (!f || fputs(report_csv, f) < 0 || fclose(f) != 0) {
            perror(report_path);
            goto out;
        }
        printf("report written to %s\n", report_path);
    } else {
        printf("\n%s", report_csv);
    }
    if (ca_bulk_report_stopped(report) && skipped > 0) {
        printf("Stopped before the end: run the same file again to pay the rest (nobody is paid twice).\n");
        status = 4;
    } else if (unknown > 0) {
        printf("Some outcomes are unknown: do NOT pay them another way; run the same file again later.\n");
        status = 6;
    } else {
        status = sent == ca_bulk_report_count(report) ? 0 : 3;
    }

out:
    if (status == 1 && err) fprintf(stderr, "bulk: %s\n", ca_error_message(err));
    ca_string_free(report_csv);
    ca_bulk_report_free(report);
    ca_v2_client_free(client);
    ca_client_options_free(opts);
    ca_sandbox_free(sandbox);
    ca_cancel_free(stop);
    ca_error_free(err);
    return status;
}
