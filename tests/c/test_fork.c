/*
 * Fork safety: after the parent has used the library (its runtime and connections exist), forked
 * children keep using the same client and the one-shot call, and so does the parent.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define CHILDREN 3

/* A child's work: returns 0 when every call succeeded. */
static int child_calls(gumloop_client *client, int index) {
    char body[128];
    snprintf(body, sizeof body, "{\"session_id\":\"sess_fork_child_%d\"}", index);
    char *out = NULL;
    int failures = 0;
    gumloop_code code = gumloop_client_create_session(client, "agent_pro", body, NULL, &out);
    failures += code != GUMLOOP_OK;
    gumloop_string_free(out);
    snprintf(body, sizeof body, "sess_fork_child_%d", index);
    code = gumloop_client_get_session(client, body, NULL, &out);
    failures += code != GUMLOOP_OK || !contains(out, "\"state\":\"idle\"");
    gumloop_string_free(out);
    code = gumloop_oneshot_create_session("agent_pro", NULL, "gk_personal_ada", "user_ada", &out);
    failures += code != GUMLOOP_OK;
    gumloop_string_free(out);
    return failures;
}

int main(void) {
    admin_reset();
    gumloop_client *client = ada_client(NULL);
    char *out = NULL;
    gumloop_code code = gumloop_client_create_session(client, "agent_pro", NULL, NULL, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    gumloop_string_free(out);
    code = gumloop_oneshot_create_session("agent_pro", NULL, "gk_personal_ada", "user_ada", &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    gumloop_string_free(out);

    pid_t children[CHILDREN];
    for (int i = 0; i < CHILDREN; i++) {
        children[i] = fork();
        if (children[i] == 0) {
            _exit(child_calls(client, i) == 0 ? 0 : 1);
        }
        CHECK(children[i] > 0);
    }
    for (int i = 0; i < CHILDREN; i++) {
        int status = 0;
        CHECK(waitpid(children[i], &status, 0) == children[i]);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    /* The parent's runtime and pool still work. */
    code = gumloop_client_create_session(client, "agent_pro", NULL, NULL, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    gumloop_string_free(out);
    CHECK(admin_sessions_total() == 3 + 2 * CHILDREN);
    gumloop_client_free(client);
    admin_reset();
    return harness_finish("test_fork");
}
