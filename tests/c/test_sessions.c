/*
 * The session lifecycle (retrieve, list, send, cancel, rename, wait) and streaming (normal,
 * failed, approval, dropped, stalled, resumed after the end, long answers, stop, cancel) against
 * the emulator.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

#define FAULT_STREAM(kind) "{\"method\":\"POST\",\"path\":\"/api/v1/agents/*/sessions\",\"times\":1," kind "}"

/* What a stream delivered to the callback. */
struct collected {
    size_t events;
    size_t deltas;
    size_t finals;
    size_t stop_after; /* 0: never stop */
    int duplicate_cursor;
    char cursors[20000][48];
    size_t cursor_count;
    char *text;
    size_t text_len;
    size_t text_cap;
    const gumloop_client *client; /* set to try a blocking call from inside the callback */
    gumloop_code inner_code;
};

static struct collected *collected_new(void) {
    struct collected *c = calloc(1, sizeof *c);
    c->text_cap = 1 << 16;
    c->text = calloc(1, c->text_cap);
    return c;
}

static void collected_free(struct collected *c) {
    free(c->text);
    free(c);
}

/* Copies the JSON string value of `key` from `json` (no escapes expected) into `out`. */
static int string_field(const char *json, const char *key, char *out, size_t cap) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *start = strstr(json, pattern);
    if (start == NULL) {
        return 0;
    }
    start += strlen(pattern);
    const char *end = strchr(start, '"');
    size_t len = end ? (size_t)(end - start) : 0;
    if (end == NULL || len + 1 > cap) {
        return 0;
    }
    memcpy(out, start, len);
    out[len] = '\0';
    return 1;
}

static int on_event(void *user_data, const char *event_json, size_t len) {
    struct collected *c = user_data;
    CHECK(strlen(event_json) == len);
    c->events++;
    char cursor[48];
    if (string_field(event_json, "stream_cursor", cursor, sizeof cursor)) {
        for (size_t i = 0; i < c->cursor_count; i++) {
            if (strcmp(c->cursors[i], cursor) == 0) {
                c->duplicate_cursor = 1;
            }
        }
        if (c->cursor_count < sizeof c->cursors / sizeof c->cursors[0]) {
            snprintf(c->cursors[c->cursor_count++], sizeof c->cursors[0], "%s", cursor);
        }
    }
    char delta[256];
    if (contains(event_json, "\"type\":\"text-delta\"") && string_field(event_json, "delta", delta, sizeof delta)) {
        c->deltas++;
        size_t n = strlen(delta);
        if (c->text_len + n + 1 > c->text_cap) {
            c->text_cap *= 2;
            c->text = realloc(c->text, c->text_cap);
        }
        memcpy(c->text + c->text_len, delta, n + 1);
        c->text_len += n;
    }
    if (contains(event_json, "\"final\":true")) {
        c->finals++;
    }
    if (c->client != NULL) {
        char *out = NULL;
        c->inner_code = gumloop_client_get_session(c->client, "sess_any", NULL, &out);
        gumloop_string_free(out);
        c->client = NULL;
    }
    return c->stop_after != 0 && c->events >= c->stop_after;
}

static size_t words_in(const char *text) {
    size_t n = 0;
    int in_word = 0;
    for (const char *p = text; *p; p++) {
        if (*p == ' ') {
            in_word = 0;
        } else if (!in_word) {
            in_word = 1;
            n++;
        }
    }
    return n;
}

static gumloop_code stream_create(gumloop_client *client, const char *body, struct collected *c, char **out) {
    return gumloop_client_stream_session(client, "agent_pro", body, on_event, c, NULL, out);
}

static void test_stream_normal(gumloop_client *client) {
    admin_reset();
    struct collected *c = collected_new();
    char *out = NULL;
    gumloop_code code = stream_create(client, "{\"input\":\"[words:50] tell me\"}", c, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(contains(out, "\"final\":true"));
    CHECK(contains(out, "\"finish_reason\":\"stop\""));
    CHECK(contains(out, "\"resumes\":0"));
    char want[64];
    snprintf(want, sizeof want, "\"events\":%zu", c->events);
    CHECK(contains(out, want));
    CHECK(c->deltas == 50);
    CHECK(words_in(c->text) == 50);
    CHECK(c->finals == 1);
    CHECK(!c->duplicate_cursor);

    /* The transcript holds the same answer the deltas spelled out. */
    char session_id[64] = {0};
    CHECK(string_field(out, "session_id", session_id, sizeof session_id));
    gumloop_string_free(out);
    code = gumloop_client_get_session(client, session_id, NULL, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(contains(out, "\"state\":\"completed\""));
    CHECK(contains(out, c->text));
    gumloop_string_free(out);

    /* Resuming a finished run: one final event, not resumable. */
    struct collected *again = collected_new();
    code = gumloop_client_resume_stream(client, session_id, c->cursors[0], on_event, again, NULL, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(contains(out, "\"finish_reason\":\"not_resumable\""));
    CHECK(again->events == 1);
    gumloop_string_free(out);
    collected_free(again);

    /* Send a message on the same session and stream its run. */
    struct collected *next = collected_new();
    code = gumloop_client_stream_message(client, session_id, "{\"input\":\"[words:5] more\"}", on_event, next, NULL,
                                      &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(next->deltas == 5);
    CHECK(next->finals == 1);
    gumloop_string_free(out);
    collected_free(next);
    collected_free(c);
}

static void test_stream_outcomes(gumloop_client *client) {
    admin_reset();
    struct collected *c = collected_new();
    char *out = NULL;
    gumloop_code code = stream_create(client, "{\"input\":\"[fail] this breaks\"}", c, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(contains(out, "\"finish_reason\":\"error\""));
    gumloop_string_free(out);
    collected_free(c);

    c = collected_new();
    code = stream_create(client, "{\"input\":\"[approval] needs a yes\"}", c, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    char session_id[64] = {0};
    CHECK(string_field(out, "session_id", session_id, sizeof session_id));
    gumloop_string_free(out);
    code = gumloop_client_get_session(client, session_id, NULL, &out);
    CHECK(contains(out, "\"state\":\"approval_required\""));
    gumloop_string_free(out);
    collected_free(c);

    /* 10,000 words, each delivered once. */
    c = collected_new();
    code = stream_create(client, "{\"input\":\"[words:10000] a long one\"}", c, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(c->deltas == 10000);
    CHECK(words_in(c->text) == 10000);
    CHECK(!c->duplicate_cursor);
    gumloop_string_free(out);
    collected_free(c);
}

static void test_stream_resume(gumloop_client *client) {
    /* Dropped mid-stream: resumed from the last cursor, each event once. */
    admin_reset();
    admin_fault(FAULT_STREAM("\"drop_stream_after\":5"));
    struct collected *c = collected_new();
    char *out = NULL;
    gumloop_code code = stream_create(client, "{\"input\":\"[words:40] [slow:800] dropped\"}", c, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(!contains(out, "\"resumes\":0"));
    CHECK(c->deltas == 40);
    CHECK(words_in(c->text) == 40);
    CHECK(c->finals == 1);
    CHECK(!c->duplicate_cursor);
    gumloop_string_free(out);
    collected_free(c);

    /* Stalled: the idle timeout notices, and the stream resumes on a new connection. */
    gumloop_client *impatient = ada_client("\"stream_idle_timeout_ms\":300");
    admin_reset();
    admin_fault(FAULT_STREAM("\"stall_stream_after\":4"));
    c = collected_new();
    code = gumloop_client_stream_session(impatient, "agent_pro", "{\"input\":\"[words:20] [slow:1000] stalled\"}",
                                        on_event, c, NULL, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(!contains(out, "\"resumes\":0"));
    CHECK(c->deltas == 20);
    CHECK(!c->duplicate_cursor);
    gumloop_string_free(out);
    collected_free(c);
    gumloop_client_free(impatient);
}

struct canceller {
    gumloop_cancel_token *cancel;
};

static void *cancel_soon(void *arg) {
    struct canceller *k = arg;
    struct timespec pause = {0, 200 * 1000 * 1000};
    nanosleep(&pause, NULL);
    gumloop_cancel_token_trigger(k->cancel);
    return NULL;
}

static void test_stream_stop_and_cancel(gumloop_client *client) {
    admin_reset();
    /* The callback stops after 3 events. */
    struct collected *c = collected_new();
    c->stop_after = 3;
    char *out = NULL;
    gumloop_code code = stream_create(client, "{\"input\":\"[words:30] stop early\"}", c, &out);
    CHECK_CODE(code, GUMLOOP_ERR_CANCELLED, out);
    CHECK(c->events == 3);
    if (!contains(out, "\"events\":3")) {
        fprintf(stderr, "stop document: %s\n", out);
    }
    CHECK(contains(out, "\"events\":3"));
    CHECK(contains(out, "\"last_cursor\":\""));
    gumloop_string_free(out);
    collected_free(c);

    /* Another thread cancels a slow stream. */
    struct canceller k = {gumloop_cancel_token_new()};
    CHECK(gumloop_cancel_token_is_triggered(k.cancel) == 0);
    pthread_t thread;
    pthread_create(&thread, NULL, cancel_soon, &k);
    c = collected_new();
    code = gumloop_client_stream_session(client, "agent_pro", "{\"input\":\"[words:5] [slow:5000] slow\"}", on_event,
                                        c, k.cancel, &out);
    pthread_join(thread, NULL);
    CHECK_CODE(code, GUMLOOP_ERR_CANCELLED, out);
    CHECK(gumloop_cancel_token_is_triggered(k.cancel) == 1);
    gumloop_string_free(out);
    /* A triggered token refuses at once. */
    code = gumloop_client_get_session(client, "sess_x", k.cancel, &out);
    CHECK_CODE(code, GUMLOOP_ERR_CANCELLED, out);
    gumloop_string_free(out);
    gumloop_cancel_token_free(k.cancel);
    collected_free(c);

    /* A blocking call from inside the callback is refused, not deadlocked. */
    c = collected_new();
    c->client = client;
    code = stream_create(client, "{\"input\":\"[words:3] reentrant\"}", c, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK_CODE(c->inner_code, GUMLOOP_ERR_WRONG_THREAD, NULL);
    gumloop_string_free(out);
    collected_free(c);

    /* Bad input to a streaming call. */
    code = gumloop_client_stream_session(client, "agent_pro", "{}", NULL, NULL, NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_NULL_ARGUMENT, out);
    gumloop_string_free(out);
    code = gumloop_client_stream_session(client, "agent_pro", "{\"stream\":false}", on_event, c, NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_ARGUMENT, out);
    gumloop_string_free(out);
    code = gumloop_client_resume_stream(client, "sess_x", "", on_event, c, NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_ARGUMENT, out);
    gumloop_string_free(out);
    CHECK(admin_api_requests() == 3);
}

/* The session ID of an envelope: the `"id"` whose value starts with `sess_`. */
static void session_id_of(const char *envelope, char *out, size_t cap) {
    const char *id = strstr(envelope, "\"id\":\"sess_");
    CHECK(id != NULL && string_field(id, "id", out, cap));
}

static void test_lifecycle(gumloop_client *client) {
    admin_reset();
    char *out = NULL;
    char id[64] = {0};
    gumloop_code code = gumloop_client_create_session(client, "agent_pro", "{\"input\":\"[slow:1500] working\"}", NULL,
                                                      &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    session_id_of(out, id, sizeof id);
    gumloop_string_free(out);

    code = gumloop_client_send_message(client, id, "{\"input\":\"too soon\"}", NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_CONFLICT, out);
    CHECK(contains(out, "interaction_not_in_terminal_state"));
    gumloop_string_free(out);

    code = gumloop_client_wait_session(client, id, "{\"timeout_ms\":200,\"poll_interval_ms\":50}", NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_TIMEOUT, out);
    CHECK(contains(out, "\"last_state\":\"processing\""));
    gumloop_string_free(out);

    code = gumloop_client_wait_session(client, id, "{\"poll_interval_ms\":50}", NULL, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(contains(out, "\"state\":\"completed\""));
    gumloop_string_free(out);

    code = gumloop_client_send_message(client, id, "{\"input\":\"[slow:5000] again\"}", NULL, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(contains(out, "\"state\":\"processing\""));
    gumloop_string_free(out);

    code = gumloop_client_send_message(client, id, "{\"input\":\"later\",\"delivery\":\"queued\"}", NULL, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(contains(out, "\"message_id\""));
    gumloop_string_free(out);
    char *log = admin_request("GET", "/requests", NULL);
    CHECK(contains(log, "\"idempotency-key\":\""));
    free(log);

    code = gumloop_client_cancel_session(client, id, NULL, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(contains(out, "\"state\":\"failed\""));
    gumloop_string_free(out);

    code = gumloop_client_rename_session(client, id, "  Renamed  ", NULL, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(contains(out, "\"name\":\"Renamed\""));
    gumloop_string_free(out);
    code = gumloop_client_rename_session(client, id, "   ", NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_ARGUMENT, out);
    gumloop_string_free(out);

    code = gumloop_client_get_session(client, "sess_missing", NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_NOT_FOUND, out);
    gumloop_string_free(out);

    /* Paging: 5 sessions, 2 a page, every one seen once. */
    admin_reset();
    for (int i = 0; i < 5; i++) {
        char body[64];
        snprintf(body, sizeof body, "{\"session_id\":\"sess_page_%d\"}", i);
        code = gumloop_client_create_session(client, "agent_pro", body, NULL, &out);
        CHECK_CODE(code, GUMLOOP_OK, out);
        gumloop_string_free(out);
    }
    char query[256] = "{\"page_size\":2}";
    int seen = 0, pages = 0;
    for (;;) {
        code = gumloop_client_list_sessions(client, "agent_pro", query, NULL, &out);
        CHECK_CODE(code, GUMLOOP_OK, out);
        if (code != GUMLOOP_OK) {
            gumloop_string_free(out);
            break;
        }
        pages++;
        seen += (int)count_of(out, "\"id\":\"sess_page_");
        char cursor[200];
        int more = string_field(out, "next_cursor", cursor, sizeof cursor);
        gumloop_string_free(out);
        if (!more || pages > 10) {
            break;
        }
        snprintf(query, sizeof query, "{\"page_size\":2,\"cursor\":\"%s\"}", cursor);
    }
    CHECK(seen == 5);
    CHECK(pages == 3);
    code = gumloop_client_list_sessions(client, "agent_pro", "{\"page_size\":500}", NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_ARGUMENT, out);
    gumloop_string_free(out);
}

int main(void) {
    gumloop_client *client = ada_client(NULL);
    test_lifecycle(client);
    test_stream_normal(client);
    test_stream_outcomes(client);
    test_stream_resume(client);
    test_stream_stop_and_cancel(client);
    gumloop_client_free(client);
    admin_reset();
    return harness_finish("test_sessions");
}
