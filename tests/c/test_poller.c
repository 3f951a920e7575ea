/*
 * The poller from one epoll loop on one thread: 100 creates and 100 streams in flight at once,
 * every result checked, every stream's events each once and in order (their stream_cursor
 * sequence numbers are consecutive) and before its end; calls cancelled before and during their
 * streams; bad arguments refused before anything is sent; a poller freed with calls in flight.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "harness.h"

#define CREATES 100
#define STREAMS 100
#define CALLS (CREATES + STREAMS)
#define WORDS 20

struct call {
    uint64_t id;
    int is_stream;
    int index;
    long last_seq; /* the last stream_cursor sequence number seen, -1 before any */
    int events;
    int deltas;
    int saw_final;
    int done;
    gumloop_code code;
    int ok;
};

static struct call calls[CALLS];

static struct call *find_call(uint64_t id) {
    for (int i = 0; i < CALLS; i++) {
        if (calls[i].id == id) {
            return &calls[i];
        }
    }
    return NULL;
}

/* The sequence number of an event's stream_cursor ("<session>:<seq>"), or -1. */
static long cursor_seq(const char *json) {
    const char *at = strstr(json, "\"stream_cursor\":\"");
    if (at == NULL) {
        return -1;
    }
    at += strlen("\"stream_cursor\":\"");
    const char *end = strchr(at, '"');
    const char *colon = NULL;
    for (const char *p = at; p < end; p++) {
        if (*p == ':') {
            colon = p;
        }
    }
    return colon ? strtol(colon + 1, NULL, 10) : -1;
}

static void on_event(struct call *c, const char *json) {
    long seq = cursor_seq(json);
    if (c->done || c->saw_final || seq < 0 || (c->last_seq >= 0 && seq != c->last_seq + 1)) {
        fprintf(stderr, "stream %d: event out of order (last %ld): %s\n", c->index, c->last_seq, json);
        c->ok = 0;
    }
    c->last_seq = seq;
    c->events++;
    c->deltas += contains(json, "\"type\":\"text-delta\"");
    c->saw_final |= contains(json, "\"final\":true");
}

static void on_done(struct call *c, gumloop_code code, const char *json) {
    c->done = 1;
    c->code = code;
    if (c->is_stream) {
        char events[32];
        snprintf(events, sizeof events, "\"events\":%d", c->events);
        c->ok &= code == GUMLOOP_OK && c->saw_final && c->deltas == WORDS && contains(json, events) &&
                 contains(json, "\"finish_reason\":\"stop\"");
    } else {
        char want[64];
        snprintf(want, sizeof want, "\"id\":\"sess_poll_%d\"", c->index);
        c->ok &= code == GUMLOOP_OK && contains(json, want);
    }
    if (!c->ok) {
        fprintf(stderr, "call %d: %s %s\n", c->index, gumloop_code_get_name(code), json ? json : "");
    }
}

/* Takes every ready item; returns how many calls ended. At the first stream's end, counts the
 * streams that had sent events by then. */
static int drain(gumloop_poller *poller, int *streams_with_events_at_first_end) {
    int ended = 0;
    for (;;) {
        uint64_t id = 0;
        uint32_t kind = 99;
        gumloop_code code = 99;
        char *json = NULL;
        gumloop_code rc = gumloop_poller_take_item(poller, &id, &kind, &code, &json);
        CHECK_CODE(rc, GUMLOOP_OK, json);
        if (kind == GUMLOOP_ITEM_NONE) {
            CHECK(id == 0 && json == NULL && code == GUMLOOP_OK);
            return ended;
        }
        struct call *c = find_call(id);
        CHECK(c != NULL);
        if (c != NULL && kind == GUMLOOP_ITEM_EVENT) {
            CHECK(c->is_stream && code == GUMLOOP_OK);
            on_event(c, json);
        } else if (c != NULL && kind == GUMLOOP_ITEM_DONE) {
            if (c->is_stream && *streams_with_events_at_first_end < 0) {
                int n = 0;
                for (int i = 0; i < CALLS; i++) {
                    n += calls[i].is_stream && calls[i].events > 0;
                }
                *streams_with_events_at_first_end = n;
            }
            CHECK(!c->done);
            on_done(c, code, json);
            ended++;
        }
        gumloop_string_free(json);
    }
}

static gumloop_poller *new_poller(int *epoll_fd) {
    gumloop_poller *poller = NULL;
    char *json = NULL;
    gumloop_code code = gumloop_poller_new(NULL, &poller, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(json == NULL && poller != NULL);
    int fd = gumloop_poller_get_fd(poller);
    CHECK(fd >= 0);
    *epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data = {.fd = fd}};
    CHECK(epoll_ctl(*epoll_fd, EPOLL_CTL_ADD, fd, &ev) == 0);
    return poller;
}

static uint64_t start(gumloop_poller *poller, gumloop_client *client, const char *op, const char *args) {
    uint64_t id = 0;
    char *json = NULL;
    gumloop_code code = gumloop_poller_start_call(poller, client, op, args, NULL, 0, &id, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(id != 0 && json == NULL);
    return id;
}

static void many_calls_from_one_loop(gumloop_client *client) {
    int epoll_fd = -1;
    gumloop_poller *poller = new_poller(&epoll_fd);
    for (int i = 0; i < CALLS; i++) {
        char args[256];
        calls[i] = (struct call){.index = i, .last_seq = -1, .ok = 1, .is_stream = i % 2};
        if (calls[i].is_stream) {
            snprintf(args, sizeof args,
                     /* The enterprise agent's team runs 100 at once (no 429 to retry). */
                     "{\"agent_id\":\"agent_ent\",\"body\":{\"input\":\"[words:%d] [slow:400] story %d\"}}",
                     WORDS, i);
        } else {
            snprintf(args, sizeof args, "{\"agent_id\":\"agent_pro\",\"body\":{\"session_id\":\"sess_poll_%d\"}}", i);
        }
        calls[i].id = start(poller, client, calls[i].is_stream ? "stream_session" : "create_session", args);
    }
    /* Every call is in flight; this thread only waits in epoll_wait and takes what is ready. */
    int ended = 0, wakeups = 0, first_end = -1;
    while (ended < CALLS) {
        struct epoll_event ev;
        int n = epoll_wait(epoll_fd, &ev, 1, 30000);
        CHECK(n == 1);
        if (n != 1) {
            break;
        }
        wakeups++;
        ended += drain(poller, &first_end);
    }
    int ok = 0;
    for (int i = 0; i < CALLS; i++) {
        ok += calls[i].ok && calls[i].done;
    }
    CHECK(ok == CALLS);
    /* Concurrency, by order: when the first stream ended, other streams had already sent events
     * (they ran at once, interleaved on this one thread; one call at a time would give 1). */
    printf("streams with events when the first stream ended: %d of %d; wake-ups: %d\n", first_end, STREAMS,
           wakeups);
    CHECK(first_end > 1);
    /* The retired IDs are unknown now. */
    char *json = NULL;
    CHECK_CODE(gumloop_poller_cancel_call(poller, calls[0].id, &json), GUMLOOP_ERR_INVALID_ARGUMENT, json);
    CHECK(contains(json, "\"param\":\"call_id\""));
    gumloop_string_free(json);
    gumloop_poller_free(poller);
    close(epoll_fd);
}

static void cancelling(gumloop_client *client) {
    int epoll_fd = -1;
    gumloop_poller *poller = new_poller(&epoll_fd);
    /* A long stream cancelled at once (an event may beat the cancel), and one cancelled after its
     * first event. */
    const char *slow = "{\"agent_id\":\"agent_pro\",\"body\":{\"input\":\"[words:50] [slow:60000] long\"}}";
    uint64_t early = start(poller, client, "stream_session", slow);
    uint64_t mid = start(poller, client, "stream_session", slow);
    char *json = NULL;
    CHECK_CODE(gumloop_poller_cancel_call(poller, early, &json), GUMLOOP_OK, json);
    CHECK(json == NULL);
    int early_done = 0, early_events = 0, mid_events = 0, mid_done = 0;
    while (!(early_done && mid_done)) {
        struct epoll_event ev;
        CHECK(epoll_wait(epoll_fd, &ev, 1, 30000) == 1);
        for (;;) {
            uint64_t id = 0;
            uint32_t kind = 0;
            gumloop_code code = 0;
            char *item = NULL;
            CHECK_CODE(gumloop_poller_take_item(poller, &id, &kind, &code, &item), GUMLOOP_OK, item);
            if (kind == GUMLOOP_ITEM_NONE) {
                break;
            }
            if (id == early && kind == GUMLOOP_ITEM_EVENT) {
                /* On a loaded machine the first event may come in before the cancel does. */
                CHECK(!early_done);
                early_events++;
            } else if (id == early) {
                char expected[32];
                snprintf(expected, sizeof expected, "\"events\":%d", early_events);
                CHECK(kind == GUMLOOP_ITEM_DONE && code == GUMLOOP_ERR_CANCELLED);
                CHECK(contains(item, expected));
                early_done = 1;
            } else if (id == mid && kind == GUMLOOP_ITEM_EVENT) {
                CHECK(!mid_done);
                if (++mid_events == 1) {
                    char *cancel_json = NULL;
                    CHECK_CODE(gumloop_poller_cancel_call(poller, mid, &cancel_json), GUMLOOP_OK, cancel_json);
                    /* Cancelling again before its end is taken changes nothing. */
                    CHECK_CODE(gumloop_poller_cancel_call(poller, mid, &cancel_json), GUMLOOP_OK, cancel_json);
                }
            } else if (id == mid) {
                char events[32];
                snprintf(events, sizeof events, "\"events\":%d", mid_events);
                CHECK(kind == GUMLOOP_ITEM_DONE && code == GUMLOOP_ERR_CANCELLED);
                CHECK(contains(item, events));
                mid_done = 1;
            }
            gumloop_string_free(item);
        }
    }
    CHECK(mid_events >= 1);
    gumloop_poller_free(poller);
    close(epoll_fd);
}

static void refusals(gumloop_client *client) {
    int epoll_fd = -1;
    gumloop_poller *poller = new_poller(&epoll_fd);
    admin_reset();
    struct {
        const char *op, *args;
        gumloop_code code;
        const char *param;
    } bad[] = {
        {"create_sessions", "{\"agent_id\":\"a\"}", GUMLOOP_ERR_INVALID_ARGUMENT, "operation"},
        {"create_session", "{\"body\":{}}", GUMLOOP_ERR_NULL_ARGUMENT, "agent_id"},
        {"create_session", "{\"agent_id\":5}", GUMLOOP_ERR_INVALID_ARGUMENT, "agent_id"},
        {"create_session", "{\"agent_id\":\"a\",\"bogus\":1}", GUMLOOP_ERR_INVALID_ARGUMENT, "bogus"},
        {"create_session", "{\"agent_id\":\"a\",\"body\":{\"name\":\"\"}}", GUMLOOP_ERR_INVALID_ARGUMENT, "name"},
        {"create_session", "{\"agent_id\":\"a\",\"body\":{\"stream\":true}}", GUMLOOP_ERR_USE_STREAMING_CALL, NULL},
        {"stream_session", "{\"agent_id\":\"a\",\"body\":{\"stream\":false}}", GUMLOOP_ERR_INVALID_ARGUMENT, "stream"},
        {"resume_stream", "{\"session_id\":\"s\",\"cursor\":\"\"}", GUMLOOP_ERR_INVALID_ARGUMENT, "cursor"},
        {"wait_session", "{\"session_id\":\"s\",\"options\":{\"nope\":1}}", GUMLOOP_ERR_INVALID_ARGUMENT, "nope"},
        {"get_session", "{\"session_id\":", GUMLOOP_ERR_INVALID_JSON, "args_json"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t id = 7;
        char *json = NULL;
        gumloop_code code = gumloop_poller_start_call(poller, client, bad[i].op, bad[i].args, NULL, 0, &id, &json);
        CHECK_CODE(code, bad[i].code, json);
        CHECK(id == 0);
        if (bad[i].param != NULL) {
            char want[64];
            snprintf(want, sizeof want, "\"param\":\"%s\"", bad[i].param);
            CHECK(contains(json, want));
        }
        gumloop_string_free(json);
    }
    uint8_t byte = 1;
    uint64_t id = 0;
    char *json = NULL;
    CHECK_CODE(gumloop_poller_start_call(poller, client, "get_session", "{\"session_id\":\"s\"}", &byte, 1, &id, &json),
               GUMLOOP_ERR_INVALID_ARGUMENT, json);
    CHECK(contains(json, "\"param\":\"data\""));
    gumloop_string_free(json);
    CHECK_CODE(gumloop_poller_start_call(NULL, client, "get_session", "{}", NULL, 0, &id, &json),
               GUMLOOP_ERR_NULL_ARGUMENT, json);
    gumloop_string_free(json);
    CHECK(gumloop_poller_take_item(poller, NULL, NULL, NULL, NULL) == GUMLOOP_ERR_NULL_ARGUMENT);
    CHECK_CODE(gumloop_poller_take_item(poller, NULL, NULL, NULL, &json), GUMLOOP_ERR_NULL_ARGUMENT, json);
    gumloop_string_free(json);
    CHECK(gumloop_poller_get_fd(NULL) == -1);
    gumloop_poller *none = NULL;
    CHECK_CODE(gumloop_poller_new("{\"workers\":2}", &none, &json), GUMLOOP_ERR_INVALID_OPTION, json);
    CHECK(none == NULL && contains(json, "\"param\":\"workers\""));
    gumloop_string_free(json);
    /* Nothing reached the server, and nothing is ready. */
    CHECK(admin_api_requests() == 0);
    uint32_t kind = 9;
    gumloop_code code = 9;
    CHECK_CODE(gumloop_poller_take_item(poller, &id, &kind, &code, &json), GUMLOOP_OK, json);
    CHECK(kind == GUMLOOP_ITEM_NONE);
    /* A not-found session is an outcome, not a refusal. */
    uint64_t missing = start(poller, client, "get_session", "{\"session_id\":\"sess_nobody\"}");
    for (kind = GUMLOOP_ITEM_NONE; kind == GUMLOOP_ITEM_NONE;) {
        struct epoll_event ev;
        CHECK(epoll_wait(epoll_fd, &ev, 1, 30000) == 1);
        CHECK_CODE(gumloop_poller_take_item(poller, &id, &kind, &code, &json), GUMLOOP_OK, json);
    }
    CHECK(id == missing && kind == GUMLOOP_ITEM_DONE && code == GUMLOOP_ERR_NOT_FOUND);
    gumloop_string_free(json);
    /* Freed with calls in flight: they are cancelled, nothing leaks, nothing waits. */
    for (int i = 0; i < 10; i++) {
        start(poller, client, "stream_session",
              "{\"agent_id\":\"agent_pro\",\"body\":{\"input\":\"[words:50] [slow:60000] abandoned\"}}");
    }
    gumloop_poller_free(poller);
    gumloop_poller_free(NULL);
    close(epoll_fd);
}

int main(void) {
    admin_reset();
    gumloop_client *client = ada_client(NULL);
    many_calls_from_one_loop(client);
    cancelling(client);
    refusals(client);
    gumloop_client_free(client);
    admin_reset();
    return harness_finish("test_poller");
}
