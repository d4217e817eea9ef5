/* test_api: one program of several files (tests/c/test_api.c, which has main, and the files listed in
 * tests/c/test_api.sources). What they share: one check count, the sandbox and its clients, the last error. */
#ifndef CA_TEST_API_H
#define CA_TEST_API_H

#define CA_T_SHARED_COUNTERS /* ca_t_checks / ca_t_failures are defined once, in test_api.c */
#include "test_common.h"

extern ca_t_env env;    /* a sandbox and V1/V2 clients pointed at it */
extern ca_error *err;   /* the error of the last call (CHECK_RC, RESET_ERR) */

/* api_v2.c: send one V2 top-up, expecting `expected`; the top-up, or NULL (the error stays in err). */
ca_topup *send_v2(const char *phone, const char *amount, const char *reference, ca_result expected);
ca_topup *send_v2_with(ca_v2_client *c, const char *phone, const char *amount, const char *reference,
                       ca_result expected);
void test_v2_catalog(void);
void test_handles(void);
void test_v2_topups(void);
void test_v2_errors(void);
void test_v2_balance(void);
/* api_journal.c */
void test_journal_api(void);
/* api_v1.c */
void test_v1(void);
/* api_helpers.c */
void test_webhooks(void);
void test_phone_and_amounts(void);

#endif
