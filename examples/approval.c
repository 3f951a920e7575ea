/*
 * approval: start a run that asks for approval, wait for the ask, approve it, and stream the
 * continued run.
 *
 *   GUMLOOP_ACCESS_TOKEN=... GUMLOOP_USER_ID=... ./approval <agent_id> "<message>"
 *
 * Against the local emulator, a message containing "[approval]" makes the run pause on one
 * tool approval.
 */
#include <stdio.h>
#include <string.h>

#include "gumloop.h"

/* Prints the text of each text-delta event. */
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
    return 0;
}

static int fail(const char *what, gumloop_code code, char *json) {
    fprintf(stderr, "%s: %s %s\n", what, gumloop_code_get_name(code), json ? json : "");
    gumloop_string_free(json);
    return 1;
}

int main(int argc, char **argv) {
    const char *agent_id = argc > 1 ? argv[1] : "gumball";
    const char *message = argc > 2 ? argv[2] : "Deploy the release [approval]";

    gumloop_client *client = NULL;
    char *json = NULL;
    gumloop_code code = gumloop_client_new(NULL, &client, &json);
    if (code != GUMLOOP_OK) {
        return fail("client", code, json);
    }

    /* 1. Start the run. */
    char body[1024];
    snprintf(body, sizeof body, "{\"input\":\"%s\"}", message);
    code = gumloop_client_create_session(client, agent_id, body, NULL, &json);
    char *session_id = NULL;
    if (code != GUMLOOP_OK || gumloop_json_get_string(json, "/session/id", &session_id) != GUMLOOP_OK) {
        gumloop_client_free(client);
        return fail("create", code, json);
    }
    gumloop_string_free(json);

    /* 2. Wait: it returns when the run settles, here at approval_required with the ask. */
    code = gumloop_client_wait_session(client, session_id, NULL, NULL, &json);
    char *state = NULL;
    char *ask = NULL;
    char *title = NULL;
    if (code == GUMLOOP_OK) {
        gumloop_json_get_string(json, "/session/state", &state);
        gumloop_json_get_string(json, "/session/pending_approvals/0/action_request_id", &ask);
        gumloop_json_get_string(json, "/session/pending_approvals/0/title", &title);
    }
    if (state == NULL || strcmp(state, "approval_required") != 0 || ask == NULL) {
        gumloop_string_free(state);
        gumloop_string_free(ask);
        gumloop_string_free(title);
        gumloop_string_free(session_id);
        gumloop_client_free(client);
        return fail("wait (expected a pending approval)", code, json);
    }
    printf("approval asked: %s (%s)\n", title ? title : "", ask);
    gumloop_string_free(state);
    gumloop_string_free(title);
    gumloop_string_free(json);

    /* 3. Approve it. The answer's stream_cursor is where the continued run's stream starts. */
    snprintf(body, sizeof body,
             "{\"approval_responses\":[{\"action_request_id\":\"%s\",\"action\":\"accept\"}]}", ask);
    gumloop_string_free(ask);
    code = gumloop_client_resolve_approvals(client, session_id, body, NULL, &json);
    char *cursor = NULL;
    char *outcome = NULL;
    if (code != GUMLOOP_OK || gumloop_json_get_string(json, "/stream_cursor", &cursor) != GUMLOOP_OK) {
        gumloop_string_free(session_id);
        gumloop_client_free(client);
        return fail("resolve", code, json);
    }
    gumloop_json_get_string(json, "/results/0/outcome", &outcome);
    printf("outcome: %s\n", outcome ? outcome : "(none)");
    gumloop_string_free(outcome);
    gumloop_string_free(json);

    /* 4. Stream the continuation from that cursor. */
    code = gumloop_client_resume_stream(client, session_id, cursor, print_delta, NULL, NULL, &json);
    gumloop_string_free(cursor);
    gumloop_string_free(session_id);
    if (code != GUMLOOP_OK) {
        gumloop_client_free(client);
        return fail("stream", code, json);
    }
    printf("\n%s\n", json); /* the stream's summary */
    gumloop_string_free(json);
    gumloop_client_free(client);
    return 0;
}
