/*
 * stream: print an agent's answer word by word, as it streams.
 *
 *   GUMLOOP_ACCESS_TOKEN=... GUMLOOP_USER_ID=... ./stream <agent_id> "<message>"
 *
 * If the connection drops, libgumloop resumes the stream from the last event it delivered, so
 * every word is printed once.
 */
#include <stdio.h>
#include <string.h>

#include "gumloop.h"

/* Prints the `delta` of each text-delta event, read with the library's JSON accessor. */
static int print_delta(void *user_data, const char *event_json, size_t len) {
    (void)user_data;
    (void)len;
    char *type = NULL;
    char *delta = NULL;
    if (gumloop_json_get_string(event_json, "/type", &type) == GUMLOOP_OK && strcmp(type, "text-delta") == 0 &&
        gumloop_json_get_string(event_json, "/delta", &delta) == GUMLOOP_OK) {
        fputs(delta, stdout);
        fflush(stdout);
    }
    gumloop_string_free(delta);
    gumloop_string_free(type);
    return 0; /* go on */
}

int main(int argc, char **argv) {
    const char *agent_id = argc > 1 ? argv[1] : "gumball";
    const char *message = argc > 2 ? argv[2] : "Tell me about your day";

    gumloop_client *client = NULL;
    char *json = NULL;
    gumloop_code code = gumloop_client_new(NULL, &client, &json);
    if (code != GUMLOOP_OK) {
        fprintf(stderr, "%s\n", json);
        gumloop_string_free(json);
        return 1;
    }

    char body[4096];
    snprintf(body, sizeof body, "{\"input\":\"%s\"}", message); /* message must not need JSON escaping */
    code = gumloop_client_stream_session(client, agent_id, body, print_delta, NULL, NULL, &json);
    printf("\n\n%s: %s\n", gumloop_code_get_name(code), json);
    gumloop_string_free(json);
    gumloop_client_free(client);
    return code == GUMLOOP_OK ? 0 : 1;
}
