/*
 * gumloop_oneshot_create_session and gumloop_client_create_session against the emulator: success paths,
 * every error the emulator can produce, and bad input that must be refused before sending.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define FAULT_CREATE(kind) "{\"method\":\"POST\",\"path\":\"/api/v1/agents/*/sessions\",\"times\":1," kind "}"

static gumloop_code create(gumloop_client *client, const char *agent, const char *body, char **out) {
    return gumloop_client_create_session(client, agent, body, NULL, out);
}

static void test_success(gumloop_client *client) {
    char *out = NULL;
    admin_reset();

    gumloop_code code = create(client, "agent_pro", NULL, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(contains(out, "\"state\":\"idle\""));
    CHECK(contains(out, "\"agent_id\":\"agent_pro\""));
    CHECK(contains(out, "\"queue_position\":null"));
    gumloop_string_free(out);

    code = create(client, "agent_pro", "{\"input\":\"Summarise our pipeline\"}", &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(contains(out, "\"state\":\"processing\""));
    gumloop_string_free(out);

    code = create(client, "agent_pro",
                  "{\"session_id\":\"sess_c_chosen_1\",\"name\":\"Chosen\",\"metadata\":{\"ticket\":\"T-1\"}}", &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(contains(out, "\"id\":\"sess_c_chosen_1\""));
    CHECK(contains(out, "\"name\":\"Chosen\""));
    gumloop_string_free(out);

    code = create(client, "gumball", "{}", &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(contains(out, "\"state\":\"idle\""));
    gumloop_string_free(out);

    /* The request carried what it should, and an unknown field went through untouched. */
    admin_reset();
    code = create(client, "agent_pro", "{\"input\":\"hi\",\"future_field\":{\"x\":[1,2.50,3]}}", &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    gumloop_string_free(out);
    char *log = admin_request("GET", "/requests", NULL);
    CHECK(contains(log, "future_field"));
    CHECK(contains(log, "2.50"));
    CHECK(contains(log, "Bearer gk_personal_ada"));
    CHECK(contains(log, "user_ada"));
    CHECK(contains(log, "gumloop-ffi/"));
    free(log);
}

static void test_one_shot(void) {
    char *out = NULL;
    admin_reset();
    gumloop_code code = gumloop_oneshot_create_session("agent_pro", "{\"input\":\"one shot\"}", "gk_personal_ada",
                                               "user_ada", &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(contains(out, "\"state\":\"processing\""));
    gumloop_string_free(out);

    code = gumloop_oneshot_create_session("agent_pro", NULL, "gt_oauth_ada", NULL, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    gumloop_string_free(out);

    code = gumloop_oneshot_create_session("agent_pro", NULL, "gk_wrong_key", "user_ada", &out);
    CHECK_CODE(code, GUMLOOP_ERR_UNAUTHORIZED, out);
    CHECK(!contains(out, "gk_wrong_key"));
    gumloop_string_free(out);
}

static void expect_error(gumloop_client *client, const char *agent, const char *body, gumloop_code expected,
                         int status, const char *server_code) {
    char *out = NULL;
    gumloop_code code = create(client, agent, body, &out);
    CHECK_CODE(code, expected, out);
    char want[128];
    snprintf(want, sizeof want, "\"status\":%d", status);
    CHECK(contains(out, want));
    if (server_code != NULL) {
        snprintf(want, sizeof want, "\"code\":\"%s\"", server_code);
        CHECK(contains(out, want));
    }
    snprintf(want, sizeof want, "\"kind\":\"%s\"", gumloop_code_get_name(expected));
    CHECK(contains(out, want));
    CHECK(contains(out, "\"message\":\""));
    CHECK(contains(out, "\"body\":{"));
    gumloop_string_free(out);
}

static void test_server_errors(gumloop_client *client) {
    admin_reset();
    char *out = NULL;
    gumloop_code code = create(client, "agent_pro", "{\"session_id\":\"sess_c_dup\"}", &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    gumloop_string_free(out);
    expect_error(client, "agent_pro", "{\"session_id\":\"sess_c_dup\"}", GUMLOOP_ERR_CONFLICT, 409,
                 "session_already_exists");
    expect_error(client, "agent_does_not_exist", NULL, GUMLOOP_ERR_NOT_FOUND, 404, NULL);
    expect_error(client, "agent_private", NULL, GUMLOOP_ERR_FORBIDDEN, 403, NULL);

    /* 401: a wrong key, and a personal key whose x-auth-key is missing. */
    gumloop_client *bad = NULL;
    char *err = NULL;
    CHECK_CODE(gumloop_client_new("{\"access_token\":\"gk_nope\",\"user_id\":\"user_ada\",\"max_retries\":0}", &bad, &err), GUMLOOP_OK,
               err);
    expect_error(bad, "agent_pro", NULL, GUMLOOP_ERR_UNAUTHORIZED, 401, NULL);
    gumloop_client_free(bad);
    CHECK_CODE(gumloop_client_new("{\"access_token\":\"gk_personal_ada\"}", &bad, &err), GUMLOOP_OK, err);
    expect_error(bad, "agent_pro", NULL, GUMLOOP_ERR_UNAUTHORIZED, 401, NULL);
    gumloop_client_free(bad);

    /* 403: a team key without its team. */
    CHECK_CODE(gumloop_client_new("{\"access_token\":\"gk_team_pro\",\"user_id\":\"user_ada\"}", &bad, &err),
               GUMLOOP_OK, err);
    expect_error(bad, "agent_pro", NULL, GUMLOOP_ERR_FORBIDDEN, 403, NULL);
    gumloop_client_free(bad);
    CHECK_CODE(gumloop_client_new("{\"access_token\":\"gk_team_pro\",\"user_id\":\"user_ada\",\"team_id\":\"team_pro\"}",
                                  &bad, &err),
               GUMLOOP_OK, err);
    code = create(bad, "agent_pro", NULL, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    gumloop_string_free(out);
    gumloop_client_free(bad);

    /* 429: the free plan allows 5 concurrent runs. */
    admin_reset();
    for (int i = 0; i < 5; i++) {
        code = create(client, "agent_free", "{\"input\":\"[slow:5000] busy\"}", &out);
        CHECK_CODE(code, GUMLOOP_OK, out);
        gumloop_string_free(out);
    }
    code = create(client, "agent_free", "{\"input\":\"one too many\"}", &out);
    CHECK_CODE(code, GUMLOOP_ERR_RATE_LIMITED, out);
    CHECK(contains(out, "\"status\":429"));
    CHECK(contains(out, "\"retry_after_ms\":1000"));
    CHECK(contains(out, "\"retryable\":true"));
    gumloop_string_free(out);
    admin_reset();

    /* Statuses the emulator produces on demand. */
    admin_fault(FAULT_CREATE("\"status\":503,\"retry_after\":2"));
    code = create(client, "agent_pro", NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_SERVER, out);
    CHECK(contains(out, "\"status\":503"));
    CHECK(contains(out, "\"retry_after_ms\":2000"));
    gumloop_string_free(out);
    admin_fault(FAULT_CREATE("\"status\":400"));
    code = create(client, "agent_pro", NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_BAD_REQUEST, out);
    gumloop_string_free(out);
    admin_fault(FAULT_CREATE("\"status\":500"));
    code = create(client, "agent_pro", NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_SERVER, out);
    gumloop_string_free(out);
}

static void test_transport_errors(gumloop_client *client) {
    char *out = NULL;
    gumloop_code code;
    admin_reset();

    admin_fault(FAULT_CREATE("\"garbage\":true"));
    code = create(client, "agent_pro", NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_RESPONSE, out);
    CHECK(contains(out, "\"status\":200"));
    gumloop_string_free(out);

    admin_fault(FAULT_CREATE("\"truncate\":true"));
    code = create(client, "agent_pro", NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_CONNECTION_LOST, out);
    gumloop_string_free(out);

    admin_fault(FAULT_CREATE("\"reset\":\"before_response\""));
    code = create(client, "agent_pro", NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_CONNECTION_LOST, out);
    gumloop_string_free(out);

    /* A redirect to another origin is not followed: one request only, no credential leaves. */
    const char *base = getenv("GUMLOOP_BASE_URL");
    char fault[512];
    char other[256];
    snprintf(other, sizeof other, "%s", base);
    char *host = strstr(other, "127.0.0.1");
    CHECK(host != NULL);
    if (host != NULL) {
        char rest[256];
        snprintf(rest, sizeof rest, "%s", host + strlen("127.0.0.1"));
        snprintf(host, sizeof other - (size_t)(host - other), "localhost%s", rest);
    }
    admin_reset();
    snprintf(fault, sizeof fault, FAULT_CREATE("\"redirect\":\"%s/agents/agent_pro/sessions\""), other);
    admin_fault(fault);
    code = create(client, "agent_pro", NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_REDIRECT, out);
    CHECK(admin_api_requests() == 1);
    gumloop_string_free(out);

    /* A redirect within the same origin is followed. */
    admin_reset();
    snprintf(fault, sizeof fault, FAULT_CREATE("\"redirect\":\"%s/agents/agent_pro/sessions\""), base);
    admin_fault(fault);
    code = create(client, "agent_pro", NULL, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(admin_api_requests() == 2);
    gumloop_string_free(out);

    /* Timeouts. */
    gumloop_client *hasty = ada_client("\"timeout_ms\":300,\"max_retries\":0");
    admin_fault(FAULT_CREATE("\"delay_ms\":1500"));
    code = create(hasty, "agent_pro", NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_TIMEOUT, out);
    CHECK(contains(out, "\"retryable\":false"));
    gumloop_string_free(out);
    gumloop_client_free(hasty);

    /* Nothing listens on port 1. */
    gumloop_client *nowhere = ada_client("\"base_url\":\"http://127.0.0.1:1/api/v1\",\"max_retries\":0");
    code = create(nowhere, "agent_pro", NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_CONNECT, out);
    gumloop_string_free(out);
    gumloop_client_free(nowhere);

    /* A response larger than the cap. */
    gumloop_client *small = ada_client("\"max_response_bytes\":64");
    code = create(small, "agent_pro", NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_RESPONSE_TOO_LARGE, out);
    gumloop_string_free(out);
    gumloop_client_free(small);
}

/* Bad input: the documented code, an error document naming the problem, and no request sent. */
static void expect_refused(gumloop_code code, gumloop_code expected, char **out_json, const char *param) {
    char *out = *out_json;
    *out_json = NULL;
    CHECK_CODE(code, expected, out);
    CHECK(out != NULL);
    if (param != NULL) {
        char want[128];
        snprintf(want, sizeof want, "\"param\":\"%s\"", param);
        CHECK(contains(out, want));
    }
    CHECK(contains(out, "\"status\":null"));
    gumloop_string_free(out);
}

static void test_bad_input(gumloop_client *client) {
    char *out = NULL;
    admin_reset();
    const char bad_utf8[] = {'a', (char)0xff, 'b', 0};

    expect_refused(create(NULL, "agent_pro", NULL, &out), GUMLOOP_ERR_NULL_ARGUMENT, &out, "client");
    expect_refused(create(client, NULL, NULL, &out), GUMLOOP_ERR_NULL_ARGUMENT, &out, "agent_id");
    CHECK_CODE(create(client, "agent_pro", NULL, NULL), GUMLOOP_ERR_NULL_ARGUMENT, NULL);
    expect_refused(create(client, bad_utf8, NULL, &out), GUMLOOP_ERR_INVALID_UTF8, &out, "agent_id");
    expect_refused(create(client, "agent_pro", bad_utf8, &out), GUMLOOP_ERR_INVALID_UTF8, &out, "body_json");
    expect_refused(create(client, "agent_pro", "{\"input\":", &out), GUMLOOP_ERR_INVALID_JSON, &out, "body_json");
    expect_refused(create(client, "agent_pro", "[1,2]", &out), GUMLOOP_ERR_INVALID_ARGUMENT, &out, "body_json");
    expect_refused(create(client, "", NULL, &out), GUMLOOP_ERR_INVALID_ARGUMENT, &out, "agent_id");
    expect_refused(create(client, "..", NULL, &out), GUMLOOP_ERR_INVALID_ARGUMENT, &out, "agent_id");
    expect_refused(create(client, "agent_pro", "{\"name\":\"   \"}", &out), GUMLOOP_ERR_INVALID_ARGUMENT, &out, "name");
    expect_refused(create(client, "agent_pro", "{\"input\":42}", &out), GUMLOOP_ERR_INVALID_ARGUMENT, &out, "input");
    expect_refused(create(client, "agent_pro", "{\"metadata\":\"x\"}", &out), GUMLOOP_ERR_INVALID_ARGUMENT, &out,
                   "metadata");
    expect_refused(create(client, "agent_pro", "{\"stream\":true}", &out), GUMLOOP_ERR_USE_STREAMING_CALL, &out,
                   "stream");

    expect_refused(gumloop_oneshot_create_session(NULL, NULL, "gk_personal_ada", "user_ada", &out), GUMLOOP_ERR_NULL_ARGUMENT,
                   &out, "agent_id");
    expect_refused(gumloop_oneshot_create_session("agent_pro", NULL, "tok\r\nX-Injected: 1", "user_ada", &out),
                   GUMLOOP_ERR_INVALID_ARGUMENT, &out, "access_token");
    expect_refused(gumloop_oneshot_create_session("agent_pro", NULL, "gk_personal_ada", "user\nada", &out),
                   GUMLOOP_ERR_INVALID_ARGUMENT, &out, "user_id");
    expect_refused(gumloop_oneshot_create_session("agent_pro", NULL, "", "user_ada", &out), GUMLOOP_ERR_INVALID_ARGUMENT, &out,
                   "access_token");

    /* The agent ID is one path segment, whatever it contains. */
    CHECK(admin_api_requests() == 0);
    gumloop_code code = create(client, "a/../b", NULL, &out);
    CHECK_CODE(code, GUMLOOP_ERR_NOT_FOUND, out);
    gumloop_string_free(out);
    char *log = admin_request("GET", "/requests", NULL);
    CHECK(contains(log, "/api/v1/agents/a%2F..%2Fb/sessions"));
    free(log);
}

static void test_client_options(void) {
    gumloop_client *client = (gumloop_client *)&client; /* must be overwritten with NULL */
    char *out = NULL;
    gumloop_code code = gumloop_client_new("{\"access_token\":\"t\",\"timeuot_ms\":5}", &client, &out);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_OPTION, out);
    CHECK(client == NULL);
    CHECK(contains(out, "\"param\":\"timeuot_ms\""));
    gumloop_string_free(out);

    code = gumloop_client_new("{\"access_token\":\"t\",\"base_url\":\"http://example.com/api/v1\"}", &client, &out);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_OPTION, out);
    gumloop_string_free(out);

    code = gumloop_client_new("not json", &client, &out);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_JSON, out);
    gumloop_string_free(out);

    code = gumloop_client_new("{\"access_token\":\"secret_tok_123\",\"user_id\":\"u\\r\\n\"}", &client, &out);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_OPTION, out);
    CHECK(!contains(out, "secret_tok_123"));
    gumloop_string_free(out);

    CHECK_CODE(gumloop_client_new("{}", NULL, &out), GUMLOOP_ERR_NULL_ARGUMENT, out);
    gumloop_string_free(out);
    CHECK_CODE(gumloop_client_new("{}", &client, NULL), GUMLOOP_ERR_NULL_ARGUMENT, NULL);

    code = gumloop_client_new("{\"access_token\":\"gk_personal_ada\"}", &client, &out);
    CHECK_CODE(code, GUMLOOP_OK, out);
    CHECK(client != NULL);
    CHECK(out == NULL);
    gumloop_client_free(client);
    gumloop_client_free(NULL);
    gumloop_string_free(NULL);
}

static void test_codes_and_version(void) {
    CHECK(strcmp(gumloop_version_get(), GUMLOOP_VERSION_STRING) == 0);
    CHECK(GUMLOOP_VERSION_NUMBER == GUMLOOP_VERSION_MAJOR * 10000 + GUMLOOP_VERSION_MINOR * 100 + GUMLOOP_VERSION_PATCH);
    CHECK(strcmp(gumloop_code_get_name(GUMLOOP_OK), "GUMLOOP_OK") == 0);
    CHECK(strcmp(gumloop_code_get_name(GUMLOOP_ERR_CONFLICT), "GUMLOOP_ERR_CONFLICT") == 0);
    CHECK(strcmp(gumloop_code_get_name(123456u), "GUMLOOP_ERR_UNKNOWN") == 0);
    CHECK(strlen(gumloop_code_get_message(GUMLOOP_ERR_TIMEOUT)) > 0);
    CHECK(strlen(gumloop_code_get_message(0xffffffffu)) > 0);
}

int main(void) {
    /* These tests check how each failure maps to a code, so nothing is retried here;
     * tests/c/test_reliability.c covers retries. */
    gumloop_client *client = ada_client("\"max_retries\":0");
    test_codes_and_version();
    test_client_options();
    test_success(client);
    test_one_shot();
    test_server_errors(client);
    test_transport_errors(client);
    test_bad_input(client);
    gumloop_client_free(client);
    admin_reset();
    return harness_finish("test_create");
}
