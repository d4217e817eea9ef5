/* Minimal test harness for the C tests of libclickairtime: checks count, failures print where and why. */
#ifndef CA_TEST_COMMON_H
#define CA_TEST_COMMON_H

#include "clickairtime.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(_POSIX_C_SOURCE)
#include <dirent.h>
#include <time.h>
#include <unistd.h>
#endif

#ifdef CA_T_SHARED_COUNTERS
/* a test program of several files: one of them defines these two (see test_api.h) */
extern int ca_t_checks;
extern int ca_t_failures;
#else
static int ca_t_checks = 0;
static int ca_t_failures = 0;
#endif

#define CHECK(cond)                                                                  \
    do {                                                                             \
        ca_t_checks++;                                                               \
        if (!(cond)) {                                                               \
            ca_t_failures++;                                                         \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);          \
        }                                                                            \
    } while (0)

/* Run a ca_result call with a fresh error; compare the result; keep the error in `err` (caller frees). */
#define CHECK_RC(expected, call)                                                                    \
    do {                                                                                            \
        ca_t_checks++;                                                                              \
        ca_result rc_ = (call);                                                                     \
        if (rc_ != (ca_result)(expected)) {                                                         \
            ca_t_failures++;                                                                        \
            fprintf(stderr, "FAIL %s:%d: %s\n  returned %s, expected %s: %s\n", __FILE__, __LINE__, \
                    #call, ca_result_name(rc_), ca_result_name(expected),                           \
                    err ? ca_error_message(err) : "(no error)");                                   \
        }                                                                                           \
    } while (0)

#define CHECK_STR(expected, actual)                                                                 \
    do {                                                                                            \
        const char *a_ = (actual);                                                                  \
        const char *e_ = (expected);                                                                \
        ca_t_checks++;                                                                              \
        if (a_ == NULL || strcmp(a_, e_) != 0) {                                                    \
            ca_t_failures++;                                                                        \
            fprintf(stderr, "FAIL %s:%d: %s == \"%s\" (got %s%s%s)\n", __FILE__, __LINE__, #actual, \
                    e_, a_ ? "\"" : "", a_ ? a_ : "NULL", a_ ? "\"" : "");                          \
        }                                                                                           \
    } while (0)

/* Free and clear the error of the last call. */
#define RESET_ERR()            \
    do {                       \
        ca_error_free(err);    \
        err = NULL;            \
    } while (0)

#if defined(_POSIX_C_SOURCE)
/* Remove a journal and what SQLite and the SDK keep next to it (-wal, -shm, the -owners/ lock folder). */
static inline void ca_t_remove_journal(const char *path) {
    char side[512];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-owners", path);
    DIR *d = opendir(side);
    if (d) {
        struct dirent *e;
        char file[1024];
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.') continue;
            snprintf(file, sizeof file, "%s/%s", side, e->d_name);
            unlink(file);
        }
        closedir(d);
        rmdir(side);
    }
}

/* Sleep `ms` milliseconds. */
static inline void ca_t_sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}
#endif

static inline int ca_t_summary(const char *name) {
    printf("%s: %d checks, %d failures\n", name, ca_t_checks, ca_t_failures);
    return ca_t_failures == 0 ? 0 : 1;
}

/* A sandbox and V1/V2 clients pointed at it. */
typedef struct {
    ca_sandbox *sb;
    ca_v2_client *v2;
    ca_v1_client *v1;
} ca_t_env;

static inline void ca_t_env_start(ca_t_env *env, ca_sandbox_options *sopts, ca_client_options *copts_in) {
    ca_error *err = NULL;
    ca_client_options *copts = copts_in;
    memset(env, 0, sizeof *env);
    if (ca_sandbox_start_with(sopts, &env->sb, &err) != CA_OK) {
        fprintf(stderr, "cannot start sandbox: %s\n", ca_error_message(err));
        exit(2);
    }
    if (copts == NULL && ca_client_options_new(&copts, NULL) != CA_OK) exit(2);
    if (ca_client_options_set_base_url(copts, ca_sandbox_base_url(env->sb), NULL) != CA_OK) exit(2);
    if (ca_v2_client_new(ca_sandbox_api_key(env->sb), copts, &env->v2, &err) != CA_OK ||
        ca_v1_client_new(ca_sandbox_v1_email(env->sb), ca_sandbox_v1_token(env->sb), copts, &env->v1, &err) != CA_OK) {
        fprintf(stderr, "cannot create clients: %s\n", ca_error_message(err));
        exit(2);
    }
    if (copts_in == NULL) ca_client_options_free(copts);
}

static inline void ca_t_env_stop(ca_t_env *env) {
    ca_v2_client_free(env->v2);
    ca_v1_client_free(env->v1);
    ca_sandbox_free(env->sb);
    memset(env, 0, sizeof *env);
}

#endif
