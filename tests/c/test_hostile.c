/*
 * The library against a hostile server of the tests' own (tests/hostile, scenario
 * "reject-upload": 413 as soon as the request head is read, then the connection closed with the
 * body unread). Run as `gumloop-hostile reject-upload -- test_hostile`, which sets
 * $GUMLOOP_HOSTILE_URL and reports a death by signal.
 *
 * A library worker still writing a ~50 MB body meets a closed connection (EPIPE): the host must
 * never be killed by SIGPIPE, whatever its signal settings, and its own handler must stay.
 */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define BODY_BYTES (50u * 1024u * 1024u)
#define ROUNDS 3

static volatile sig_atomic_t sigpipes_seen = 0;

static void count_sigpipe(int signal) {
    (void)signal;
    sigpipes_seen++;
}

static char *big_body(void) {
    static const char head[] = "{\"input\":\"";
    static const char tail[] = "\"}";
    char *body = malloc(BODY_BYTES + sizeof head + sizeof tail);
    if (body == NULL) {
        fprintf(stderr, "no memory for the body\n");
        exit(2);
    }
    memcpy(body, head, sizeof head - 1);
    memset(body + sizeof head - 1, 'x', BODY_BYTES);
    memcpy(body + sizeof head - 1 + BODY_BYTES, tail, sizeof tail);
    return body;
}

static void upload_rejected(gumloop_client *client, const char *body) {
    for (int round = 0; round < ROUNDS; round++) {
        char *out = NULL;
        gumloop_code code = gumloop_client_create_session(client, "agent_pro", body, NULL, &out);
        /* The 413 arrives while the body is still being written: the call ends with the server's
         * answer when the library read it first, or with the lost connection otherwise. */
        CHECK(code == GUMLOOP_ERR_PAYLOAD_TOO_LARGE || code == GUMLOOP_ERR_CONNECTION_LOST);
        CHECK(out != NULL);
        printf("  round %d: %s\n", round + 1, gumloop_code_get_name(code));
        gumloop_string_free(out);
    }
}

static int sigpipe_handler_is(void (*expected)(int)) {
    struct sigaction now;
    memset(&now, 0, sizeof now);
    if (sigaction(SIGPIPE, NULL, &now) != 0) {
        return 0;
    }
    return now.sa_handler == expected;
}

int main(void) {
    const char *url = getenv("GUMLOOP_HOSTILE_URL");
    if (url == NULL || url[0] == '\0') {
        fprintf(stderr, "GUMLOOP_HOSTILE_URL is not set: run under gumloop-hostile reject-upload --\n");
        return 2;
    }
    char extra[256];
    snprintf(extra, sizeof extra, "\"base_url\":\"%s/api/v1\",\"max_retries\":0,\"timeout_ms\":20000", url);
    gumloop_client *client = ada_client(extra);
    char *body = big_body();

    /* The default disposition: a SIGPIPE raised in this process kills it. */
    CHECK(sigpipe_handler_is(SIG_DFL));
    upload_rejected(client, body);
    CHECK(sigpipe_handler_is(SIG_DFL));

    /* A host's own handler is neither replaced nor called for the library's sockets. */
    struct sigaction handler;
    memset(&handler, 0, sizeof handler);
    handler.sa_handler = count_sigpipe;
    sigemptyset(&handler.sa_mask);
    CHECK(sigaction(SIGPIPE, &handler, NULL) == 0);
    upload_rejected(client, body);
    CHECK(sigpipe_handler_is(count_sigpipe));
    CHECK(sigpipes_seen == 0);

    free(body);
    gumloop_client_free(client);
    return harness_finish("test_hostile");
}
