/* with_sandbox PROGRAM [ARGS...]: start a fresh in-process sandbox, point the standard environment at it
 * (CLICKAIRTIME_API_KEY, CLICKAIRTIME_BASE_URL, CLICKAIRTIME_V1_EMAIL, CLICKAIRTIME_V1_TOKEN), run PROGRAM with
 * it and exit with PROGRAM's status (124 if it ran longer than WITH_SANDBOX_TIMEOUT_S, default 120 s). Used by
 * scripts/test-c.sh to run the documentation's programs exactly as a user would against the real API. */
#define _POSIX_C_SOURCE 200809L
#include "clickairtime.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    ca_sandbox_options *so = NULL;
    ca_sandbox *sb = NULL;
    ca_error *err = NULL;
    if (argc < 2) {
        fprintf(stderr, "usage: with_sandbox PROGRAM [ARGS...]\n");
        return 2;
    }
    if (ca_sandbox_options_new(&so, &err) != CA_OK ||
        ca_sandbox_options_set_number(so, "processing_after_ms", 50, &err) != CA_OK ||
        ca_sandbox_options_set_number(so, "complete_after_ms", 200, &err) != CA_OK ||
        ca_sandbox_start_with(so, &sb, &err) != CA_OK) {
        fprintf(stderr, "with_sandbox: %s\n", ca_error_message(err));
        return 2;
    }
    setenv("CLICKAIRTIME_API_KEY", ca_sandbox_api_key(sb), 1);
    setenv("CLICKAIRTIME_BASE_URL", ca_sandbox_base_url(sb), 1);
    setenv("CLICKAIRTIME_V1_EMAIL", ca_sandbox_v1_email(sb), 1);
    setenv("CLICKAIRTIME_V1_TOKEN", ca_sandbox_v1_token(sb), 1);
    const char *limit = getenv("WITH_SANDBOX_TIMEOUT_S");
    long timeout_s = limit && *limit ? strtol(limit, NULL, 10) : 120;

    pid_t child = fork();
    if (child < 0) {
        perror("with_sandbox: fork");
        return 2;
    }
    if (child == 0) {
        execvp(argv[1], argv + 1);
        perror("with_sandbox: exec");
        _exit(127);
    }
    int status = 0;
    time_t deadline = time(NULL) + timeout_s;
    for (;;) {
        pid_t done = waitpid(child, &status, WNOHANG);
        if (done == child) break;
        if (done < 0) {
            perror("with_sandbox: waitpid");
            status = 2 << 8;
            break;
        }
        if (time(NULL) > deadline) {
            fprintf(stderr, "with_sandbox: %s ran longer than %ld s: killed\n", argv[1], timeout_s);
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
            status = 124 << 8;
            break;
        }
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    ca_sandbox_free(sb);
    ca_sandbox_options_free(so);
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    fprintf(stderr, "with_sandbox: %s died of signal %d\n", argv[1], WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return 125;
}
