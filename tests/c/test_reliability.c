/*
 * Retries where they are provably safe, and exactly-once creation: each case checks the code,
 * the number of requests the emulator received, and the number of sessions that exist.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

#define CREATE_FAULT(kind) "{\"method\":\"POST\",\"path\":\"/api/v1/agents/*/sessions\",\"times\":1," kind "}"

static void test_busy_server_is_retried(void) {
    gumloop_client *client = ada_client(NULL);
    char *out = NULL;

    /* 503 says nothing happened: repeated after Retry-After, and the create succeeds. */
    admin_reset();
    admin_fault(CREATE_FAULT("\"status\":503,\"retry_after\":1"));
    gumloop_code code = gumloop_client_create_session(client, "agent_pro", "{\"input\":\"hi\"}", NULL, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(admin_api_requests() == 2);
    CHECK(admin_sessions_total() == 1);
    gumloop_string_free(out);

    /* Still busy after every repeat: the error says how many attempts were made. */
    admin_reset();
    admin_fault("{\"method\":\"POST\",\"path\":\"/api/v1/agents/*/sessions\",\"times\":5,\"status\":503}");
    code = gumloop_client_create_session(client, "agent_pro", NULL, NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_SERVER, out);
    CHECK(contains(out, "\"attempts\":3"));
    CHECK(admin_api_requests() == 3);
    CHECK(admin_sessions_total() == 0);
    gumloop_string_free(out);

    /* A GET is repeated after a 502. */
    admin_reset();
    code = gumloop_client_create_session(client, "agent_pro", "{\"session_id\":\"sess_get_retry\"}", NULL, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    gumloop_string_free(out);
    admin_fault("{\"method\":\"GET\",\"path\":\"/api/v1/sessions/*\",\"times\":1,\"status\":502}");
    code = gumloop_client_get_session(client, "sess_get_retry", NULL, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(admin_api_requests() == 3);
    gumloop_string_free(out);
    gumloop_client_free(client);

    /* A Retry-After longer than max_backoff is left to the caller. */
    client = ada_client("\"max_backoff_ms\":1000");
    admin_reset();
    admin_fault(CREATE_FAULT("\"status\":503,\"retry_after\":30"));
    code = gumloop_client_create_session(client, "agent_pro", NULL, NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_SERVER, out);
    CHECK(contains(out, "\"retry_after_ms\":30000"));
    CHECK(contains(out, "\"attempts\":1"));
    CHECK(admin_api_requests() == 1);
    gumloop_string_free(out);
    gumloop_client_free(client);

    /* max_retries 0 turns retries off. */
    client = ada_client("\"max_retries\":0");
    admin_reset();
    admin_fault(CREATE_FAULT("\"status\":503,\"retry_after\":1"));
    code = gumloop_client_create_session(client, "agent_pro", NULL, NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_SERVER, out);
    CHECK(admin_api_requests() == 1);
    gumloop_string_free(out);
    gumloop_client_free(client);
}

static void test_unsafe_posts_are_not_repeated(void) {
    gumloop_client *client = ada_client(NULL);
    char *out = NULL;

    /* The request reached the server and created a session, but the answer was lost: without
     * a session_id the library cannot know, so it does not repeat. */
    admin_reset();
    admin_fault(CREATE_FAULT("\"reset\":\"before_response\""));
    gumloop_code code = gumloop_client_create_session(client, "agent_pro", "{\"input\":\"hi\"}", NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_CONNECTION_LOST, out);
    CHECK(contains(out, "\"attempts\":1"));
    CHECK(admin_api_requests() == 1);
    CHECK(admin_sessions_total() == 1);
    gumloop_string_free(out);

    /* A time-out is an unknown outcome too. */
    gumloop_client *hasty = ada_client("\"timeout_ms\":300");
    admin_reset();
    admin_fault(CREATE_FAULT("\"delay_ms\":1000"));
    code = gumloop_client_create_session(hasty, "agent_pro", "{\"input\":\"hi\"}", NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_TIMEOUT, out);
    CHECK(admin_api_requests() == 1);
    gumloop_string_free(out);
    gumloop_client_free(hasty);

    /* Nothing listens: the request was never sent, so it is repeated (and fails again). */
    gumloop_client *nowhere = ada_client("\"base_url\":\"http://127.0.0.1:1/api/v1\",\"max_backoff_ms\":200");
    code = gumloop_client_create_session(nowhere, "agent_pro", NULL, NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_CONNECT, out);
    CHECK(contains(out, "\"attempts\":3"));
    gumloop_string_free(out);
    gumloop_client_free(nowhere);
    gumloop_client_free(client);
}

static void test_exactly_once_create(void) {
    gumloop_client *client = ada_client(NULL);
    char *out = NULL;

    /* The first create arrives, its answer is lost; the repeat meets 409 and the library
     * fetches the session: one session, returned as a success marked recovered. */
    admin_reset();
    admin_fault(CREATE_FAULT("\"reset\":\"before_response\""));
    gumloop_code code = gumloop_client_create_session(
        client, "agent_pro", "{\"session_id\":\"sess_exactly_once\",\"input\":\"do it once\"}", NULL, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(contains(out, "\"_gumloop\":{\"attempts\":2,\"recovered\":true}"));
    CHECK(contains(out, "\"id\":\"sess_exactly_once\""));
    CHECK(admin_sessions_total() == 1);
    gumloop_string_free(out);
    char *log = admin_request("GET", "/requests", NULL);
    CHECK(count_of(log, "\"method\":\"POST\"") == 2);
    CHECK(count_of(log, "\"method\":\"GET\"") == 1);
    free(log);

    /* The same after a time-out. The emulator's delay comes before the first request is
     * processed, so the repeat may create the session itself: either way, exactly one. */
    gumloop_client *hasty = ada_client("\"timeout_ms\":400");
    admin_reset();
    admin_fault(CREATE_FAULT("\"delay_ms\":1200"));
    code = gumloop_client_create_session(hasty, "agent_pro", "{\"session_id\":\"sess_slow_once\"}", NULL, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(contains(out, "\"id\":\"sess_slow_once\""));
    gumloop_string_free(out);
    struct timespec settle = {1, 200 * 1000 * 1000};
    nanosleep(&settle, NULL); /* let the delayed first request finish */
    CHECK(admin_sessions_total() == 1);
    gumloop_client_free(hasty);

    /* A 409 on the first attempt is a real conflict, not a recovery. */
    admin_reset();
    code = gumloop_client_create_session(client, "agent_pro", "{\"session_id\":\"sess_taken\"}", NULL, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    gumloop_string_free(out);
    code = gumloop_client_create_session(client, "agent_pro", "{\"session_id\":\"sess_taken\"}", NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_CONFLICT, out);
    gumloop_string_free(out);

    /* auto_session_id gives every create an ID, so a lost answer is recovered too. */
    gumloop_client *keyed = ada_client("\"auto_session_id\":true");
    admin_reset();
    admin_fault(CREATE_FAULT("\"reset\":\"before_response\""));
    code = gumloop_client_create_session(keyed, "agent_pro", "{\"input\":\"generated id\"}", NULL, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(contains(out, "\"recovered\":true"));
    CHECK(contains(out, "\"id\":\"sess_"));
    CHECK(admin_sessions_total() == 1);
    gumloop_string_free(out);
    gumloop_client_free(keyed);
    gumloop_client_free(client);
}

int main(void) {
    test_busy_server_is_retried();
    test_unsafe_posts_are_not_repeated();
    test_exactly_once_create();
    admin_reset();
    return harness_finish("test_reliability");
}
