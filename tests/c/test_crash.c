/* Crash safety of the journal through the C ABI: child processes sending through a journaled client are
 * killed with SIGKILL in the middle of a send, and a fresh client on the same journal file (this process)
 * settles what they left, as a till does at start-up.
 *
 * Children (forked and exec'd before this process starts any thread — so under valgrind, whose default is
 * --trace-children=no, they run natively — each blocked on a pipe until it gets its orders):
 * - v2-after  V2 sale to +233555000009 (committed, answer delayed 30 s): killed once the sandbox committed it;
 * - v1-after  V1 sale under a `late_commit` fault (received, committed 6 s later): killed once the sandbox
 *             received the POST;
 * - v2-before V2 sale to a black hole (a socket that never reads): killed once the journal recorded the write,
 *             so the POST never reached the sandbox;
 * - v1-before the same for V1;
 * - v2-idle   opens the journal, then blocks before sending: killed there.
 * Then: pending lists the four interrupted sends, `in_flight`; recover settles them without writing — `sent`
 * with the transaction id for the "after" sales (v2-after on the first call: a dead process's sends are
 * resumed at once), `not_sent` for the "before" ones once the convergence bound (here the sandbox's, 8 s)
 * has passed; selling every reference again writes only the "before" and "idle" ones, once; at the end the
 * sandbox holds exactly one transaction per reference and the journal nothing open. */
#define _POSIX_C_SOURCE 200809L
#include "test_common.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* the children's send deadline: they are killed well before it (a send that ends by itself fails the test) */
#define CHILD_SEND_DEADLINE_MS 10000

enum { V2_AFTER, V1_AFTER, V2_BEFORE, V1_BEFORE, V2_IDLE, KIDS };
static const char *const NAMES[KIDS] = {"v2-after", "v1-after", "v2-before", "v1-before", "v2-idle"};
static const char *const REFS[KIDS] = {"CRASH-V2-AFTER", "CRASH-V1-AFTER", "CRASH-V2-BEFORE", "CRASH-V1-BEFORE",
                                       "CRASH-V2-IDLE"};
static const char *const PHONES[KIDS] = {"+233555000009", "233541112259", "+233241112259", "233201112259",
                                         "+233201112259"};
static const char *const AMOUNTS[KIDS] = {"20", "5", "21", "6", "22"};
static int is_v1(int k) { return k == V1_AFTER || k == V1_BEFORE; }

typedef struct {
    pid_t pid;
    int orders;  /* parent -> child: one line of orders */
    int ready;   /* child -> parent: 'R' once its journal is open */
    int killed;
} kid;

static kid kids[KIDS];
static ca_error *err = NULL;
static ca_sandbox *sb = NULL;
static char journal_path[128];

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}


/* ------------------------------------------------------------------------------------------- child */

/* Orders: "<base_url> <credential> <v1 token or -> <journal> <phone> <amount> <reference> <idle 0/1>\n". */
static void child(int orders, int ready, int v1) {
    char line[2048], base[256], cred[256], token[256], journal[256], phone[64], amount[32], ref[128];
    int idle = 0;
    size_t n = 0;
    while (n + 1 < sizeof line) {
        ssize_t r = read(orders, line + n, 1);
        if (r <= 0) _exit(90);
        if (line[n++] == '\n') break;
    }
    line[n] = 0;
    if (sscanf(line, "%255s %255s %255s %255s %63s %31s %127s %d", base, cred, token, journal, phone, amount, ref,
               &idle) != 8)
        _exit(91);
    ca_client_options *o = NULL;
    if (ca_client_options_new(&o, NULL) != CA_OK || ca_client_options_set_base_url(o, base, NULL) != CA_OK ||
        ca_client_options_set_journal(o, journal, NULL) != CA_OK ||
        ca_client_options_set_read_timeout_ms(o, 60000, NULL) != CA_OK ||
        ca_client_options_set_send_deadline_ms(o, CHILD_SEND_DEADLINE_MS, NULL) != CA_OK)
        _exit(92);
    ca_result rc;
    if (v1) {
        ca_v1_client *c = NULL;
        ca_v1_topup_request *req = NULL;
        ca_transaction *t = NULL;
        if (ca_v1_client_new(cred, token, o, &c, NULL) != CA_OK) _exit(93);
        if (write(ready, "R", 1) != 1) _exit(94);
        if (ca_v1_topup_request_new_amount(phone, amount, &req, NULL) != CA_OK ||
            ca_v1_topup_request_set_ext_ref_id(req, ref, NULL) != CA_OK)
            _exit(95);
        rc = ca_v1_send_topup(c, req, &t, NULL);
    } else {
        ca_v2_client *c = NULL;
        ca_v2_topup_request *req = NULL;
        ca_topup *t = NULL;
        if (ca_v2_client_new(cred, o, &c, NULL) != CA_OK) _exit(93);
        if (write(ready, "R", 1) != 1) _exit(94);
        if (idle) { /* blocked before sending, journal open: the parent never sends more orders */
            char more;
            while (read(orders, &more, 1) > 0) {
            }
            _exit(96);
        }
        if (ca_v2_topup_request_new_amount(phone, 42, amount, "GHS", &req, NULL) != CA_OK ||
            ca_v2_topup_request_set_reference(req, ref, NULL) != CA_OK)
            _exit(95);
        rc = ca_v2_topup_create(c, req, &t, NULL);
    }
    /* reaching this line means the send ended before the kill: the parent reports it */
    _exit(rc == CA_OK ? 97 : 98);
}

/* ------------------------------------------------------------------------------------------ parent */

static size_t count(const char *version) {
    size_t n = 9999;
    if (ca_sandbox_transaction_count(sb, version, &n, NULL) != CA_OK) return 9999;
    return n;
}

static uint64_t posts(const char *version) {
    uint64_t n = 9999;
    if (ca_sandbox_stat(sb, version, "posts", &n, NULL) != CA_OK) return 9999;
    return n;
}

static ca_client_options *options(void) {
    ca_client_options *o = NULL;
    CHECK_RC(CA_OK, ca_client_options_new(&o, &err));
    CHECK_RC(CA_OK, ca_client_options_set_base_url(o, ca_sandbox_base_url(sb), &err));
    CHECK_RC(CA_OK, ca_client_options_set_journal(o, journal_path, &err));
    /* the sandbox's bound, not the API's 13 minutes: longer than the late commit below (6 s) */
    CHECK_RC(CA_OK, ca_client_options_set_convergence_bound_ms(o, 8000, &err));
    CHECK_RC(CA_OK, ca_client_options_set_send_deadline_ms(o, 5000, &err));
    CHECK_RC(CA_OK, ca_client_options_set_retry_base_delay_ms(o, 20, &err));
    return o;
}

/* writes recorded by the journal for a reference (-1: no entry) */
static int journal_writes(ca_v2_client *v2, ca_v1_client *v1, int k) {
    ca_journal_entry *e = NULL;
    ca_result rc = is_v1(k) ? ca_v1_client_journal_entry(v1, REFS[k], &e, NULL)
                            : ca_v2_client_journal_entry(v2, REFS[k], &e, NULL);
    int w = rc == CA_OK && e ? (int)ca_journal_entry_writes(e) : -1;
    ca_journal_entry_free(e);
    return w;
}

static int ready_now(int k) {
    char c;
    return read(kids[k].ready, &c, 1) == 1 && c == 'R';
}

/* the moment to kill child k has come */
static int due(ca_v2_client *v2, ca_v1_client *v1, int k) {
    switch (k) {
    case V2_AFTER: return count("v2") >= 1; /* committed by the sandbox; its answer is 30 s away */
    case V1_AFTER: return posts("v1") >= 1; /* received; the late_commit fault commits it in 6 s */
    case V2_BEFORE:
    case V1_BEFORE: return journal_writes(v2, v1, k) >= 1; /* written down, on its way to the black hole */
    default: return ready_now(k);                           /* journal open, blocked before sending */
    }
}

static void kill_kid(int k) {
    int status = 0;
    if (k == V2_BEFORE || k == V1_BEFORE) ca_t_sleep_ms(100); /* let its bytes reach the black hole */
    CHECK(kill(kids[k].pid, SIGKILL) == 0);
    CHECK(waitpid(kids[k].pid, &status, 0) == kids[k].pid);
    ca_t_checks++;
    if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
        ca_t_failures++;
        fprintf(stderr, "FAIL child %s was not killed mid-send (exit status %d)\n", NAMES[k],
                WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    kids[k].killed = 1;
}

static int find_state(ca_journal_list *l, const char *reference, char *state, size_t len, char *id, size_t idlen) {
    for (size_t i = 0; i < ca_journal_list_count(l); i++) {
        const ca_journal_entry *e = ca_journal_list_get(l, i);
        if (strcmp(ca_journal_entry_reference(e), reference) != 0) continue;
        snprintf(state, len, "%s", ca_journal_entry_state(e));
        snprintf(id, idlen, "%s", ca_journal_entry_transaction_id(e) ? ca_journal_entry_transaction_id(e) : "");
        const ca_topup *t = ca_journal_entry_topup(e);
        const ca_transaction *tx = ca_journal_entry_transaction(e);
        if (strcmp(state, "sent") == 0) {
            /* the record comes with it, verified, and it is the one the journal names */
            CHECK(t != NULL || tx != NULL);
            if (t) CHECK_STR(id, ca_topup_id(t));
            if (tx) CHECK_STR(id, ca_transaction_id(tx));
            if (t) CHECK_STR("recovered", ca_meta_origin(ca_topup_meta(t)));
            if (tx) CHECK_STR("recovered", ca_meta_origin(ca_transaction_meta(tx)));
        } else if (t != NULL || tx != NULL) {
            CHECK(!"an open or unsent entry carries no record");
        }
        return 1;
    }
    return 0;
}

/* sell reference k again through the parent's clients; returns the result, writes the origin and the id */
static ca_result resell(ca_v2_client *v2, ca_v1_client *v1, int k, char *origin, size_t len, char *id, size_t idlen) {
    ca_result rc;
    origin[0] = id[0] = 0;
    if (is_v1(k)) {
        ca_v1_topup_request *req = NULL;
        ca_transaction *t = NULL;
        CHECK_RC(CA_OK, ca_v1_topup_request_new_amount(PHONES[k], AMOUNTS[k], &req, &err));
        CHECK_RC(CA_OK, ca_v1_topup_request_set_ext_ref_id(req, REFS[k], &err));
        RESET_ERR();
        rc = ca_v1_send_topup(v1, req, &t, &err);
        if (rc == CA_OK) {
            snprintf(origin, len, "%s", ca_meta_origin(ca_transaction_meta(t)));
            snprintf(id, idlen, "%s", ca_transaction_id(t) ? ca_transaction_id(t) : "");
        }
        ca_transaction_free(t);
        ca_v1_topup_request_free(req);
    } else {
        ca_v2_topup_request *req = NULL;
        ca_topup *t = NULL;
        CHECK_RC(CA_OK, ca_v2_topup_request_new_amount(PHONES[k], 42, AMOUNTS[k], "GHS", &req, &err));
        CHECK_RC(CA_OK, ca_v2_topup_request_set_reference(req, REFS[k], &err));
        RESET_ERR();
        rc = ca_v2_topup_create(v2, req, &t, &err);
        if (rc == CA_OK) {
            snprintf(origin, len, "%s", ca_meta_origin(ca_topup_meta(t)));
            snprintf(id, idlen, "%s", ca_topup_id(t));
        }
        ca_topup_free(t);
        ca_v2_topup_request_free(req);
    }
    return rc;
}

int main(int argc, char **argv) {
    /* a child: `test_crash --child <orders fd> <ready fd> <v1>` */
    if (argc == 5 && strcmp(argv[1], "--child") == 0) child(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
    if (argc < 1) return 2;

    /* 1. the children, before anything else (no thread exists yet) */
    snprintf(journal_path, sizeof journal_path, "/tmp/ca-test-crash-%ld.journal", (long)getpid());
    ca_t_remove_journal(journal_path);
    signal(SIGPIPE, SIG_IGN); /* a child that died early must not take the parent with it */
    fflush(NULL);
    for (int k = 0; k < KIDS; k++) {
        int orders[2], ready[2];
        if (pipe(orders) != 0 || pipe(ready) != 0) return 2;
        pid_t pid = fork();
        if (pid < 0) return 2;
        if (pid == 0) {
            char fd_orders[16], fd_ready[16], v1[4];
            close(orders[1]);
            close(ready[0]);
            snprintf(fd_orders, sizeof fd_orders, "%d", orders[0]);
            snprintf(fd_ready, sizeof fd_ready, "%d", ready[1]);
            snprintf(v1, sizeof v1, "%d", is_v1(k));
            char *args[] = {argv[0], (char *)"--child", fd_orders, fd_ready, v1, NULL};
            execv(argv[0], args);
            _exit(89); /* cannot exec */
        }
        close(orders[0]);
        close(ready[1]);
        fcntl(ready[0], F_SETFL, fcntl(ready[0], F_GETFL) | O_NONBLOCK);
        kids[k].pid = pid;
        kids[k].orders = orders[1];
        kids[k].ready = ready[0];
    }

    /* 2. the sandbox (09 answers after 30 s) and a black hole (a socket nobody reads) */
    ca_sandbox_options *so = NULL;
    if (ca_sandbox_options_new(&so, NULL) != CA_OK) return 2;
    ca_sandbox_options_set_number(so, "slow_delay_ms", 30000, NULL);
    ca_sandbox_options_set_number(so, "processing_after_ms", 20, NULL);
    ca_sandbox_options_set_number(so, "complete_after_ms", 80, NULL);
    if (ca_sandbox_start_with(so, &sb, &err) != CA_OK) {
        fprintf(stderr, "cannot start sandbox: %s\n", ca_error_message(err));
        return 2;
    }
    ca_sandbox_options_free(so);
    CHECK_RC(CA_OK, ca_sandbox_inject_fault(sb, "late_commit", 1, "POST", "/adp", 6000, 0, &err));
    int hole = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr;
    socklen_t alen = sizeof addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (hole < 0 || bind(hole, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(hole, 16) != 0 ||
        getsockname(hole, (struct sockaddr *)&addr, &alen) != 0)
        return 2;
    char hole_url[64];
    snprintf(hole_url, sizeof hole_url, "http://127.0.0.1:%d", ntohs(addr.sin_port));

    /* 3. orders */
    for (int k = 0; k < KIDS; k++) {
        char line[2048];
        int before = k == V2_BEFORE || k == V1_BEFORE;
        const char *base = before ? hole_url : ca_sandbox_base_url(sb);
        const char *cred = is_v1(k) ? ca_sandbox_v1_email(sb) : ca_sandbox_api_key(sb);
        const char *token = is_v1(k) ? ca_sandbox_v1_token(sb) : "-";
        int n = snprintf(line, sizeof line, "%s %s %s %s %s %s %s %d\n", base, cred, token, journal_path, PHONES[k],
                         AMOUNTS[k], REFS[k], k == V2_IDLE);
        CHECK(write(kids[k].orders, line, (size_t)n) == n);
    }

    /* 4. a fresh client of each API on the same journal; kill every child at its moment */
    ca_client_options *o = options();
    ca_v2_client *v2 = NULL;
    ca_v1_client *v1 = NULL;
    CHECK_RC(CA_OK, ca_v2_client_new(ca_sandbox_api_key(sb), o, &v2, &err));
    CHECK_RC(CA_OK, ca_v1_client_new(ca_sandbox_v1_email(sb), ca_sandbox_v1_token(sb), o, &v1, &err));
    ca_client_options_free(o);
    int left = KIDS;
    long long give_up = now_ms() + 60000;
    while (left > 0 && now_ms() < give_up) {
        for (int k = 0; k < KIDS; k++)
            if (!kids[k].killed && due(v2, v1, k)) {
                kill_kid(k);
                left--;
            }
        ca_t_sleep_ms(10);
    }
    for (int k = 0; k < KIDS; k++) {
        if (!kids[k].killed) {
            fprintf(stderr, "FAIL child %s never reached its moment\n", NAMES[k]);
            ca_t_checks++;
            ca_t_failures++;
            kill(kids[k].pid, SIGKILL);
            waitpid(kids[k].pid, NULL, 0);
        }
        close(kids[k].orders);
        close(kids[k].ready);
    }
    printf("crash: %d children killed mid-send\n", KIDS - left);
    CHECK(count("v2") == 1 && posts("v2") == 1); /* only v2-after reached the sandbox */
    CHECK(posts("v1") == 1);

    /* 5. right after the crash: the sends are open in the journal */
    ca_journal_list *l = NULL;
    CHECK_RC(CA_OK, ca_v2_client_pending(v2, &l, &err));
    CHECK(ca_journal_list_count(l) == 2);
    for (size_t i = 0; i < ca_journal_list_count(l); i++) {
        const ca_journal_entry *e = ca_journal_list_get(l, i);
        CHECK_STR("in_flight", ca_journal_entry_state(e));
        CHECK(ca_journal_entry_is_open(e));
        CHECK(ca_journal_entry_writes(e) == 1);
        CHECK(ca_journal_entry_last_write_at_unix_ms(e) > 0);
        CHECK(ca_journal_entry_idempotency_key(e) != NULL);
    }
    ca_journal_list_free(l);
    l = NULL;
    CHECK_RC(CA_OK, ca_v1_client_pending(v1, &l, &err));
    CHECK(ca_journal_list_count(l) == 2);
    ca_journal_list_free(l);
    /* the idle child left no entry: its sale was never started */
    CHECK(journal_writes(v2, v1, V2_IDLE) == -1);

    /* 6. recover (as a till does at start-up) until everything is settled. The killed processes' owner
     * locks died with them, so their sends are resumed at once (no lease to wait out): the committed one is
     * `sent` on the first call; the late one once it has landed; the ones that never arrived `not_sent`
     * once the convergence bound has passed since their write. Never `not_sent` for a sale that exists. */
    char state[KIDS][32], jid[KIDS][64];
    memset(state, 0, sizeof state);
    memset(jid, 0, sizeof jid);
    int open_left = 4, rounds = 0, first_sent = 0, wrongly_not_sent = 0;
    give_up = now_ms() + 60000;
    while (open_left > 0 && now_ms() < give_up) {
        open_left = 0;
        ca_journal_list *r2 = NULL, *r1 = NULL;
        RESET_ERR();
        if (ca_v2_client_recover(v2, &r2, &err) != CA_OK || ca_v1_client_recover(v1, &r1, &err) != CA_OK) {
            CHECK(!"recover fails");
            fprintf(stderr, "  recover: %s\n", ca_error_message(err));
        }
        for (int k = 0; k < V2_IDLE; k++) {
            ca_journal_list *rl = is_v1(k) ? r1 : r2;
            if (find_state(rl, REFS[k], state[k], sizeof state[k], jid[k], sizeof jid[k]) &&
                (strcmp(state[k], "in_flight") == 0 || strcmp(state[k], "unknown") == 0))
                open_left++;
        }
        ca_journal_list_free(r2);
        ca_journal_list_free(r1);
        if (rounds++ == 0) first_sent = strcmp(state[V2_AFTER], "sent") == 0;
        if (strcmp(state[V2_AFTER], "not_sent") == 0 || strcmp(state[V1_AFTER], "not_sent") == 0) wrongly_not_sent = 1;
        if (open_left > 0) ca_t_sleep_ms(500);
    }
    printf("crash: settled by %d recover round(s)\n", rounds);
    CHECK(first_sent);        /* at once: no lease to wait out */
    CHECK(!wrongly_not_sent); /* never "not sent" for a sale that exists */
    for (int k = 0; k < V2_IDLE; k++) printf("crash: %-9s -> %s %s\n", NAMES[k], state[k], jid[k]);
    CHECK_STR("sent", state[V2_AFTER]);
    CHECK_STR("sent", state[V1_AFTER]);
    CHECK_STR("not_sent", state[V2_BEFORE]);
    CHECK_STR("not_sent", state[V1_BEFORE]);
    CHECK(count("v2") == 1 && count("v1") == 1);
    /* the journal names the transaction the sandbox holds */
    ca_topup *found = NULL;
    CHECK_RC(CA_OK, ca_v2_topup_reconcile(v2, REFS[V2_AFTER], &found, &err));
    CHECK(found != NULL && strcmp(ca_topup_id(found), jid[V2_AFTER]) == 0);
    ca_topup_free(found);
    ca_transaction *tfound = NULL;
    CHECK_RC(CA_OK, ca_v1_reconcile(v1, REFS[V1_AFTER], &tfound, &err));
    CHECK(tfound != NULL && ca_transaction_id(tfound) && strcmp(ca_transaction_id(tfound), jid[V1_AFTER]) == 0);
    ca_transaction_free(tfound);
    ca_journal_entry *je = NULL;
    CHECK_RC(CA_OK, ca_v2_client_journal_entry(v2, REFS[V2_BEFORE], &je, &err));
    CHECK(ca_journal_entry_error_kind(je) == CA_ERR_NOT_FOUND);
    CHECK(ca_journal_entry_error_message(je) != NULL);
    ca_journal_entry_free(je);

    /* 7. sell every reference again: the sent ones do not write; the others write once */
    for (int round = 0; round < 2; round++) {
        for (int k = 0; k < KIDS; k++) {
            char origin[32], id[64];
            ca_result rc = resell(v2, v1, k, origin, sizeof origin, id, sizeof id);
            CHECK(rc == CA_OK);
            if (rc != CA_OK) {
                fprintf(stderr, "  resell %s: %s: %s\n", NAMES[k], ca_result_name(rc), ca_error_message(err));
                continue;
            }
            int first_write = round == 0 && k != V2_AFTER && k != V1_AFTER;
            CHECK_STR(first_write ? "created" : "journal", origin);
            if (k == V2_AFTER || k == V1_AFTER) CHECK_STR(jid[k], id);
        }
        CHECK(posts("v2") == 3 && posts("v1") == 2); /* 2 (+1 idle) and 1 + 1 re-sells, once each */
        CHECK(count("v2") == 3 && count("v1") == 2);
    }
    /* exactly one transaction per reference */
    for (int k = 0; k < KIDS; k++) {
        if (is_v1(k)) {
            ca_transaction *t = NULL;
            CHECK_RC(CA_OK, ca_v1_reconcile(v1, REFS[k], &t, &err));
            CHECK(t != NULL);
            ca_transaction_free(t);
        } else {
            ca_topup *t = NULL;
            CHECK_RC(CA_OK, ca_v2_topup_reconcile(v2, REFS[k], &t, &err));
            CHECK(t != NULL);
            ca_topup_free(t);
        }
    }
    l = NULL;
    CHECK_RC(CA_OK, ca_v2_client_pending(v2, &l, &err));
    CHECK(ca_journal_list_count(l) == 0);
    ca_journal_list_free(l);
    l = NULL;
    CHECK_RC(CA_OK, ca_v1_client_pending(v1, &l, &err));
    CHECK(ca_journal_list_count(l) == 0);
    ca_journal_list_free(l);

    ca_error_free(err);
    ca_v2_client_free(v2);
    ca_v1_client_free(v1);
    close(hole);
    ca_sandbox_free(sb);
    ca_t_remove_journal(journal_path);
    return ca_t_summary("test_crash");
}
