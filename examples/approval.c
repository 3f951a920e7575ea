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

/* Copies the string value of the first "key" in compact JSON into out (a real program would use
 * a JSON parser here). */
static int string_field(const char *json, const char *key, char *out, size_t cap) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *start = strstr(json, pattern);
    if (start == NULL) {
        return 0;
    }
    start += strlen(pattern);
    const char *end = strchr(start, '"');
    if (end == NULL || (size_t)(end - start) >= cap) {
        return 0;
    }
    memcpy(out, start, (size_t)(end - start));
    out[end - start] = '\0';
    return 1;
}

/* Prints the text of each text-delta event. */
static int print_delta(void *user_data, const char *event_json, size_t len) {
    (void)user_data;
    (void)len;
    char delta[512];
    if (strstr(event_json, "\"type\":\"text-delta\"") && string_field(event_json, "delta", delta, sizeof delta)) {
        fputs(delta, stdout);
        fflush(stdout);
    }
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
    char session_id[128];
    const char *id_at = code == GUMLOOP_OK ? strstr(json, "\"id\":\"sess_") : NULL;
    if (id_at == NULL || !string_field(id_at, "id", session_id, sizeof session_id)) {
        gumloop_client_free(client);
        return fail("create", code, json);
    }
    gumloop_string_free(json);

    /* 2. Wait: it returns when the run settles, here at approval_required with the ask. */
    code = gumloop_client_wait_session(client, session_id, NULL, NULL, &json);
    char ask[128];
    if (code != GUMLOOP_OK || strstr(json, "\"state\":\"approval_required\"") == NULL ||
        !string_field(json, "action_request_id", ask, sizeof ask)) {
        gumloop_client_free(client);
        return fail("wait (expected a pending approval)", code, json);
    }
    char title[256] = "";
    string_field(json, "title", title, sizeof title);
    printf("approval asked: %s (%s)\n", title, ask);
    gumloop_string_free(json);

    /* 3. Approve it. The answer's stream_cursor is where the continued run's stream starts. */
    snprintf(body, sizeof body,
             "{\"approval_responses\":[{\"action_request_id\":\"%s\",\"action\":\"accept\"}]}", ask);
    code = gumloop_client_resolve_approvals(client, session_id, body, NULL, &json);
    char cursor[160];
    if (code != GUMLOOP_OK || !string_field(json, "stream_cursor", cursor, sizeof cursor)) {
        gumloop_client_free(client);
        return fail("resolve", code, json);
    }
    char outcome[32] = "";
    string_field(json, "outcome", outcome, sizeof outcome);
    printf("outcome: %s\n", outcome);
    gumloop_string_free(json);

    /* 4. Stream the continuation from that cursor. */
    code = gumloop_client_resume_stream(client, session_id, cursor, print_delta, NULL, NULL, &json);
    if (code != GUMLOOP_OK) {
        gumloop_client_free(client);
        return fail("stream", code, json);
    }
    printf("\n%s\n", json); /* the stream's summary */
    gumloop_string_free(json);
    gumloop_client_free(client);
    return 0;
}
