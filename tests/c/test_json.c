/*
 * The JSON accessors (gumloop_json_get_*): a session's ID and state read from a real answer of
 * the emulator, every type, JSON Pointer escapes, and every way a lookup can fail.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* A created session's ID and state, read with the accessor (the creator also has an "id",
 * which a text search would find first: keys come sorted). */
static void test_a_session_from_the_emulator(gumloop_client *client) {
    char *json = NULL;
    gumloop_code code = gumloop_client_create_session(client, "agent_pro", "{\"name\":\"Read me\"}", NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);

    char *id = NULL;
    CHECK_CODE(gumloop_json_get_string(json, "/session/id", &id), GUMLOOP_OK, json);
    CHECK(id != NULL && strncmp(id, "sess_", 5) == 0);
    char *creator = NULL;
    CHECK_CODE(gumloop_json_get_string(json, "/session/creator/id", &creator), GUMLOOP_OK, json);
    CHECK(creator != NULL && id != NULL && strcmp(creator, id) != 0);
    char *state = NULL;
    CHECK_CODE(gumloop_json_get_string(json, "/session/state", &state), GUMLOOP_OK, json);
    CHECK(state != NULL && strcmp(state, "idle") == 0);

    /* The ID read back retrieves the same session. */
    char *again = NULL;
    code = gumloop_client_get_session(client, id, NULL, &again);
    CHECK_CODE(code, GUMLOOP_OK, again);
    char *name = NULL;
    CHECK_CODE(gumloop_json_get_string(again, "/session/name", &name), GUMLOOP_OK, again);
    CHECK(name != NULL && strcmp(name, "Read me") == 0);
    size_t messages = 99;
    CHECK_CODE(gumloop_json_get_length(again, "/session/messages", &messages), GUMLOOP_OK, again);
    CHECK(messages == 0);

    /* An error document reads the same way. */
    char *missing = NULL;
    code = gumloop_client_get_session(client, "sess_does_not_exist", NULL, &missing);
    CHECK_CODE(code, GUMLOOP_ERR_NOT_FOUND, missing);
    int64_t status = 0;
    CHECK_CODE(gumloop_json_get_int64(missing, "/error/status", &status), GUMLOOP_OK, missing);
    CHECK(status == 404);
    char *kind = NULL;
    CHECK_CODE(gumloop_json_get_string(missing, "/error/kind", &kind), GUMLOOP_OK, missing);
    CHECK(kind != NULL && strcmp(kind, "GUMLOOP_ERR_NOT_FOUND") == 0);

    gumloop_string_free(kind);
    gumloop_string_free(missing);
    gumloop_string_free(name);
    gumloop_string_free(again);
    gumloop_string_free(state);
    gumloop_string_free(creator);
    gumloop_string_free(id);
    gumloop_string_free(json);
}

static const char *const DOC = "{\"n\":2.5,\"big\":9007199254740993,\"neg\":-7,\"ok\":true,\"nil\":null,"
                               "\"list\":[\"a\",\"b\",{\"x\":1}],\"a/b\":\"slash\",\"m~n\":\"tilde\","
                               "\"nul\":\"a\\u0000b\",\"text\":\"caf\\u00e9\"}";

static void test_types_and_escapes(void) {
    double number = 0;
    CHECK(gumloop_json_get_number(DOC, "/n", &number) == GUMLOOP_OK && number == 2.5);
    int64_t integer = 0;
    CHECK(gumloop_json_get_int64(DOC, "/big", &integer) == GUMLOOP_OK && integer == INT64_C(9007199254740993));
    CHECK(gumloop_json_get_int64(DOC, "/neg", &integer) == GUMLOOP_OK && integer == -7);
    bool flag = false;
    CHECK(gumloop_json_get_bool(DOC, "/ok", &flag) == GUMLOOP_OK && flag);
    size_t length = 0;
    CHECK(gumloop_json_get_length(DOC, "/list", &length) == GUMLOOP_OK && length == 3);
    CHECK(gumloop_json_get_length(DOC, "", &length) == GUMLOOP_OK && length == 10);
    CHECK(gumloop_json_get_int64(DOC, "/list/2/x", &integer) == GUMLOOP_OK && integer == 1);

    char *text = NULL;
    CHECK(gumloop_json_get_string(DOC, "/a~1b", &text) == GUMLOOP_OK && strcmp(text, "slash") == 0);
    gumloop_string_free(text);
    CHECK(gumloop_json_get_string(DOC, "/m~0n", &text) == GUMLOOP_OK && strcmp(text, "tilde") == 0);
    gumloop_string_free(text);
    CHECK(gumloop_json_get_string(DOC, "/text", &text) == GUMLOOP_OK && strcmp(text, "caf\xc3\xa9") == 0);
    gumloop_string_free(text);
}

static void test_failures_set_the_zero_value(void) {
    char *text = (char *)"untouched";
    double number = 1;
    int64_t integer = 1;
    bool flag = true;
    size_t length = 1;

    /* Absent, null, another type, an index past the end or with a leading zero. */
    CHECK(gumloop_json_get_string(DOC, "/missing", &text) == GUMLOOP_ERR_NO_VALUE && text == NULL);
    CHECK(gumloop_json_get_string(DOC, "/nil", &text) == GUMLOOP_ERR_NO_VALUE && text == NULL);
    CHECK(gumloop_json_get_string(DOC, "/n", &text) == GUMLOOP_ERR_NO_VALUE);
    CHECK(gumloop_json_get_string(DOC, "/list/3", &text) == GUMLOOP_ERR_NO_VALUE);
    CHECK(gumloop_json_get_string(DOC, "/list/01", &text) == GUMLOOP_ERR_NO_VALUE);
    CHECK(gumloop_json_get_string(DOC, "/nul", &text) == GUMLOOP_ERR_NO_VALUE && text == NULL);
    CHECK(gumloop_json_get_number(DOC, "/ok", &number) == GUMLOOP_ERR_NO_VALUE && number == 0);
    CHECK(gumloop_json_get_int64(DOC, "/n", &integer) == GUMLOOP_ERR_NO_VALUE && integer == 0);
    CHECK(gumloop_json_get_bool(DOC, "/nil", &flag) == GUMLOOP_ERR_NO_VALUE && !flag);
    CHECK(gumloop_json_get_length(DOC, "/n", &length) == GUMLOOP_ERR_NO_VALUE && length == 0);

    /* Bad input: a malformed pointer, text that is not JSON, a too-deep document, NULLs. */
    CHECK(gumloop_json_get_string(DOC, "n", &text) == GUMLOOP_ERR_INVALID_ARGUMENT);
    CHECK(gumloop_json_get_string(DOC, "/a~2b", &text) == GUMLOOP_ERR_INVALID_ARGUMENT);
    CHECK(gumloop_json_get_string("{\"n\":", "/n", &text) == GUMLOOP_ERR_INVALID_JSON);
    CHECK(gumloop_json_get_string("\xff", "/n", &text) == GUMLOOP_ERR_INVALID_UTF8);
    size_t depth = 100000;
    char *deep = malloc(2 * depth + 1);
    if (deep != NULL) {
        memset(deep, '[', depth);
        memset(deep + depth, ']', depth);
        deep[2 * depth] = '\0';
        CHECK(gumloop_json_get_length(deep, "/0", &length) == GUMLOOP_ERR_INVALID_JSON);
        free(deep);
    }
    CHECK(gumloop_json_get_string(NULL, "/n", &text) == GUMLOOP_ERR_NULL_ARGUMENT && text == NULL);
    CHECK(gumloop_json_get_string(DOC, NULL, &text) == GUMLOOP_ERR_NULL_ARGUMENT);
    CHECK(gumloop_json_get_number(DOC, "/n", NULL) == GUMLOOP_ERR_NULL_ARGUMENT);
}

int main(void) {
    gumloop_client *client = ada_client(NULL);
    test_a_session_from_the_emulator(client);
    test_types_and_escapes();
    test_failures_set_the_zero_value();
    gumloop_client_free(client);
    return harness_finish("test_json");
}
