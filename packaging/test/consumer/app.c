/* A program built against an unpacked release archive (pkg-config or CMake find_package), as a user would:
 * checks that the header and the library agree and that the embedded sandbox answers. */
#include "clickairtime.h"

#include <stdio.h>
#include <string.h>

int main(void) {
    ca_sandbox *sb = NULL;
    ca_error *err = NULL;
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", CLICKAIRTIME_VERSION_MAJOR, CLICKAIRTIME_VERSION_MINOR,
             CLICKAIRTIME_VERSION_PATCH);
    if (ca_version_number() != CLICKAIRTIME_VERSION_NUMBER || strcmp(ca_version(), expected) != 0) {
        fprintf(stderr, "header %s but library %s (%u)\n", expected, ca_version(), (unsigned)ca_version_number());
        return 1;
    }
    if (ca_sandbox_start(&sb, &err) != CA_OK) {
        fprintf(stderr, "sandbox: %s\n", ca_error_message(err));
        ca_error_free(err);
        return 1;
    }
    printf("clickairtime %s, sandbox at %s\n", ca_version(), ca_sandbox_base_url(sb));
    ca_sandbox_free(sb);
    return 0;
}
