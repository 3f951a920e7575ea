/*
 * queue: while a run is busy, queue the next message, edit it, look at the queue, and send it
 * on.
 *
 *   GUMLOOP_ACCESS_TOKEN=... GUMLOOP_USER_ID=... ./queue <agent_id> "<first message>"
 */
#include <stdio.h>

#include "gumloop.h"

static int fail(const char *what, gumloop_code code, char *json) {
    fprintf(stderr, "%s: %s %s\n", what, gumloop_code_get_name(code), json ? json : "");
    gumloop_string_free(json);
    return 1;
}

int main(int argc, char **argv) {
    const char *agent_id = argc > 1 ? argv[1] : "gumball";
    const char *first = argc > 2 ? argv[2] : "Draft the quarterly report";

    gumloop_client *client = NULL;
    char *json = NULL;
    gumloop_code code = gumloop_client_new(NULL, &client, &json);
    if (code != GUMLOOP_OK) {
        return fail("client", code, json);
    }
    char body[1024];
    snprintf(body, sizeof body, "{\"input\":\"%s\"}", first); /* first must not need JSON escaping */
    code = gumloop_client_create_session(client, agent_id, body, NULL, &json);
    char *session_id = NULL;
    if (code != GUMLOOP_OK || gumloop_json_get_string(json, "/session/id", &session_id) != GUMLOOP_OK) {
        gumloop_client_free(client);
        return fail("create", code, json);
    }
    gumloop_string_free(json);

    /* 1. Queue a message: it waits until the run is done. */
    code = gumloop_client_queue_message(client, session_id, "{\"input\":\"Then email it to the team\"}", NULL, &json);
    char *queued_id = NULL;
    if (code != GUMLOOP_OK || gumloop_json_get_string(json, "/queued_message/id", &queued_id) != GUMLOOP_OK) {
        gumloop_string_free(session_id);
        gumloop_client_free(client);
        return fail("queue", code, json);
    }
    gumloop_string_free(json);

    /* 2. Edit it, and list the queue. */
    code = gumloop_client_edit_queued_message(client, session_id, queued_id,
                                              "{\"input\":\"Then email it to the whole company\"}", NULL, &json);
    gumloop_string_free(json);
    code = code == GUMLOOP_OK ? gumloop_client_list_queue(client, session_id, NULL, &json) : code;
    size_t waiting = 0;
    if (code != GUMLOOP_OK || gumloop_json_get_length(json, "/queue", &waiting) != GUMLOOP_OK) {
        gumloop_string_free(queued_id);
        gumloop_string_free(session_id);
        gumloop_client_free(client);
        return fail("edit and list", code, json);
    }
    char *text = NULL;
    gumloop_json_get_string(json, "/queue/0/input", &text);
    printf("queued: %zu message(s), first: %s\n", waiting, text ? text : "(no text)");
    gumloop_string_free(text);
    gumloop_string_free(json);

    /* 3. Send it now instead of waiting for the run to end. */
    code = gumloop_client_send_queued_message(client, session_id, queued_id, NULL, &json);
    gumloop_string_free(queued_id);
    gumloop_string_free(session_id);
    char *state = NULL;
    if (code != GUMLOOP_OK || gumloop_json_get_string(json, "/session/state", &state) != GUMLOOP_OK) {
        gumloop_client_free(client);
        return fail("send queued", code, json);
    }
    printf("sent; the session is %s\n", state);
    gumloop_string_free(state);
    gumloop_string_free(json);
    gumloop_client_free(client);
    return 0;
}
