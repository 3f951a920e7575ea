/*
 * quickstart: create two Gumloop agent sessions from C, an idle one and one that starts working.
 *
 *   cc -std=c11 quickstart.c -Iinclude -Ltarget/release -lgumloop -o quickstart
 *   GUMLOOP_ACCESS_TOKEN=... GUMLOOP_USER_ID=... ./quickstart <agent_id>
 *
 * The client reads its credential, user ID and base URL from the environment
 * (GUMLOOP_ACCESS_TOKEN, GUMLOOP_USER_ID, GUMLOOP_BASE_URL); without GUMLOOP_BASE_URL it talks
 * to the real service.
 */
#include <stdio.h>

#include "gumloop.h"

/* Prints the outcome of one call and frees its string; returns 0 on success. */
static int report(const char *what, gumloop_code code, char *json) {
    if (code == GUMLOOP_OK) {
        printf("%s:\n%s\n\n", what, json);
    } else {
        fprintf(stderr, "%s failed: %s (%s)\n%s\n", what, gumloop_code_get_name(code), gumloop_code_get_message(code),
                json ? json : "");
    }
    gumloop_string_free(json);
    return code == GUMLOOP_OK ? 0 : 1;
}

int main(int argc, char **argv) {
    const char *agent_id = argc > 1 ? argv[1] : "gumball";
    printf("libgumloop %s\n\n", gumloop_version_get());

    gumloop_client *client = NULL;
    char *json = NULL;
    gumloop_code code = gumloop_client_new(NULL, &client, &json);
    if (code != GUMLOOP_OK) {
        return report("creating the client", code, json);
    }

    int failures = 0;
    code = gumloop_client_create_session(client, agent_id, NULL, NULL, &json);
    failures += report("an idle session", code, json);

    code = gumloop_client_create_session(
        client, agent_id, "{\"input\":\"Summarise this week's sales calls\",\"name\":\"Quickstart\"}", NULL, &json);
    failures += report("a session with a first message", code, json);

    gumloop_client_free(client);
    return failures == 0 ? 0 : 1;
}
