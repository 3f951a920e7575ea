/*
 * The rest of the sessions surface from C: file upload (bytes with NULs, the caller's cap),
 * approvals (wait, resolve, resume from the cursor), the queue, access, agents, artifacts (list,
 * download into memory and into a file, storage errors without the signed query), the raw request,
 * and every function's NULL and bad arguments (refused before anything is sent); a download through
 * the poller with its bytes and its info taken once; the library's description; the blocking call
 * by name with a call's own request options.
 */
#define _POSIX_C_SOURCE 200809L

#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* Copies the JSON string value of the first `key` in `json` (no escapes) into `out`. */
static int string_field(const char *json, const char *key, char *out, size_t cap) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *start = json ? strstr(json, pattern) : NULL;
    if (start == NULL) {
        return 0;
    }
    start += strlen(pattern);
    const char *end = strchr(start, '"');
    if (end == NULL || (size_t)(end - start) + 1 > cap) {
        return 0;
    }
    memcpy(out, start, (size_t)(end - start));
    out[end - start] = '\0';
    return 1;
}

/* Copies the first ID in `json` that starts with `prefix` (e.g. "sess_") into `out`. */
static int id_with_prefix(const char *json, const char *prefix, char *out, size_t cap) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"id\":\"%s", prefix);
    const char *start = json ? strstr(json, pattern) : NULL;
    return start != NULL && string_field(start, "id", out, cap);
}

/* Creates a session of agent_pro with `body` and copies its ID into `sid`. */
static void create(gumloop_client *client, const char *body, char *sid, size_t cap) {
    char *json = NULL;
    gumloop_code code = gumloop_client_create_session(client, "agent_pro", body, NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(id_with_prefix(json, "sess_", sid, cap));
    gumloop_string_free(json);
}

static void test_upload(gumloop_client *client) {
    char sid[64];
    create(client, NULL, sid, sizeof sid);
    /* Bytes, not text: NULs and high bytes go through unchanged (the size counts them all). */
    const uint8_t data[8] = {0, 1, 0, 255, 'h', 'i', 0, 10};
    char *json = NULL;
    gumloop_code code =
        gumloop_client_upload_file(client, sid, "../dir/raw.bin", "application/x-demo", data, sizeof data, NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(contains(json, "\"size\":8"));
    char stored[160];
    CHECK(string_field(json, "file_name", stored, sizeof stored));
    CHECK(contains(stored, "/files/raw.bin") && !contains(stored, ".."));
    gumloop_string_free(json);

    char body[512];
    snprintf(body, sizeof body, "{\"input\":\"what is in it\",\"attachments\":[{\"file_name\":\"%s\"}]}", stored);
    code = gumloop_client_send_message(client, sid, body, NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    gumloop_string_free(json);
    code = gumloop_client_wait_session(client, sid, NULL, NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(contains(json, "\"state\":\"completed\"") && contains(json, "raw.bin"));
    gumloop_string_free(json);

    /* Bad arguments: refused before sending. */
    admin_reset();
    create(client, NULL, sid, sizeof sid);
    size_t before = admin_api_requests();
    code = gumloop_client_upload_file(client, sid, "a.bin", NULL, NULL, 3, NULL, &json);
    CHECK_CODE(code, GUMLOOP_ERR_NULL_ARGUMENT, json);
    CHECK(contains(json, "\"param\":\"data\""));
    gumloop_string_free(json);
    code = gumloop_client_upload_file(client, sid, NULL, NULL, data, 1, NULL, &json);
    CHECK_CODE(code, GUMLOOP_ERR_NULL_ARGUMENT, json);
    gumloop_string_free(json);
    code = gumloop_client_upload_file(client, sid, "", NULL, data, 1, NULL, &json);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_ARGUMENT, json);
    gumloop_string_free(json);
    code = gumloop_client_upload_file(client, sid, "a.bin", NULL, data, 1, NULL, NULL);
    CHECK(code == GUMLOOP_ERR_NULL_ARGUMENT);
    gumloop_client *capped = ada_client("\"max_upload_bytes\":4");
    code = gumloop_client_upload_file(capped, sid, "a.bin", NULL, data, sizeof data, NULL, &json);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_ARGUMENT, json);
    CHECK(contains(json, "max_upload_bytes"));
    gumloop_string_free(json);
    gumloop_client_free(capped);
    CHECK(admin_api_requests() == before);
    /* An empty file is NULL and 0. */
    code = gumloop_client_upload_file(client, sid, "empty.txt", NULL, NULL, 0, NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(contains(json, "\"size\":0"));
    gumloop_string_free(json);
}

static int count_events(void *user_data, const char *event_json, size_t len) {
    (void)event_json;
    (void)len;
    (*(size_t *)user_data)++;
    return 0;
}

static void test_approvals(gumloop_client *client) {
    char sid[64];
    create(client, "{\"input\":\"ship it [approval]\"}", sid, sizeof sid);
    char *json = NULL;
    gumloop_code code = gumloop_client_wait_session(client, sid, NULL, NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(contains(json, "\"state\":\"approval_required\""));
    char ask[96];
    CHECK(string_field(json, "action_request_id", ask, sizeof ask));
    gumloop_string_free(json);

    char body[256];
    snprintf(body, sizeof body, "{\"approval_responses\":[{\"action_request_id\":\"%s\",\"action\":\"accept\"}]}", ask);
    code = gumloop_client_resolve_approvals(client, sid, body, NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(contains(json, "\"outcome\":\"accepted\""));
    char cursor[96];
    CHECK(string_field(json, "stream_cursor", cursor, sizeof cursor));
    gumloop_string_free(json);
    size_t events = 0;
    code = gumloop_client_resume_stream(client, sid, cursor, count_events, &events, NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(events > 0 && contains(json, "\"finish_reason\":\"stop\""));
    gumloop_string_free(json);

    code = gumloop_client_resolve_approvals(client, sid, body, NULL, &json);
    CHECK_CODE(code, GUMLOOP_ERR_CONFLICT, json);
    gumloop_string_free(json);
    size_t before = admin_api_requests();
    code = gumloop_client_resolve_approvals(client, sid, "{\"approval_responses\":[]}", NULL, &json);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_ARGUMENT, json);
    gumloop_string_free(json);
    code = gumloop_client_resolve_approvals(client, sid, NULL, NULL, &json); /* NULL is no body */
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_ARGUMENT, json);
    CHECK(contains(json, "\"param\":\"approval_responses\""));
    gumloop_string_free(json);
    CHECK(admin_api_requests() == before);
}

static void test_queue_and_access(gumloop_client *client) {
    char sid[64];
    create(client, "{\"input\":\"[slow:60000] busy\"}", sid, sizeof sid);
    char *json = NULL;
    gumloop_code code = gumloop_client_queue_message(client, sid, "{\"input\":\"next\"}", NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    char qid[64];
    CHECK(id_with_prefix(json, "qmsg_", qid, sizeof qid));
    gumloop_string_free(json);
    code = gumloop_client_edit_queued_message(client, sid, qid, "{\"input\":\"next, edited\"}", NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(contains(json, "next, edited"));
    gumloop_string_free(json);
    code = gumloop_client_list_queue(client, sid, NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(count_of(json, "\"position\":") == 1);
    gumloop_string_free(json);
    code = gumloop_client_send_queued_message(client, sid, qid, NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(contains(json, "\"state\":\"processing\""));
    gumloop_string_free(json);
    code = gumloop_client_delete_queued_message(client, sid, qid, NULL, &json);
    CHECK_CODE(code, GUMLOOP_ERR_NOT_FOUND, json);
    gumloop_string_free(json);
    size_t before = admin_api_requests();
    code = gumloop_client_queue_message(client, sid, "{\"input\":\" \"}", NULL, &json);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_ARGUMENT, json);
    gumloop_string_free(json);
    code = gumloop_client_edit_queued_message(client, sid, NULL, "{\"input\":\"x\"}", NULL, &json);
    CHECK_CODE(code, GUMLOOP_ERR_NULL_ARGUMENT, json);
    gumloop_string_free(json);
    CHECK(admin_api_requests() == before);

    code = gumloop_client_get_session_access(client, sid, NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(contains(json, "\"access\""));
    gumloop_string_free(json);
    code = gumloop_client_update_session_access(
        client, sid, "{\"share\":[{\"type\":\"person\",\"email\":\"grace@example.com\",\"role\":\"viewer\"}]}", NULL,
        &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(contains(json, "\"notified\":[\"grace@example.com\"]"));
    gumloop_string_free(json);
    before = admin_api_requests();
    code = gumloop_client_update_session_access(client, sid, "{}", NULL, &json);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_ARGUMENT, json);
    gumloop_string_free(json);
    CHECK(admin_api_requests() == before);
}

static void test_agents_and_raw(gumloop_client *client) {
    char *json = NULL;
    gumloop_code code = gumloop_client_list_agents(client, "{\"page_size\":2}", NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(count_of(json, "\"creator\"") == 2 && contains(json, "\"next_cursor\":\""));
    gumloop_string_free(json);
    code = gumloop_client_list_agents(client, NULL, NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(contains(json, "\"agent_pro\"") && !contains(json, "agent_private"));
    gumloop_string_free(json);
    code = gumloop_client_get_agent(client, "agent_pro", NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(contains(json, "\"agent\""));
    gumloop_string_free(json);
    code = gumloop_client_get_agent(client, "agent_nope", NULL, &json);
    CHECK_CODE(code, GUMLOOP_ERR_NOT_FOUND, json);
    gumloop_string_free(json);

    code = gumloop_client_send_request(client, "GET", "[\"agents\",\"agent_pro\"]", NULL, NULL, NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(contains(json, "\"id\":\"agent_pro\""));
    gumloop_string_free(json);
    size_t before = admin_api_requests();
    code = gumloop_client_send_request(client, "GET", "[\"agents\",\"..\"]", NULL, NULL, NULL, &json);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_ARGUMENT, json);
    gumloop_string_free(json);
    code = gumloop_client_send_request(client, NULL, "[\"agents\"]", NULL, NULL, NULL, &json);
    CHECK_CODE(code, GUMLOOP_ERR_NULL_ARGUMENT, json);
    gumloop_string_free(json);
    code = gumloop_client_list_agents(NULL, NULL, NULL, &json);
    CHECK_CODE(code, GUMLOOP_ERR_NULL_ARGUMENT, json);
    gumloop_string_free(json);
    CHECK(admin_api_requests() == before);
    gumloop_bytes_free(NULL, 0);
}

/* Takes items from `poller` until call `id` ends; returns its code and (owned) document. */
static gumloop_code poller_end(gumloop_poller *poller, uint64_t id, char **out_json) {
    for (;;) {
        struct pollfd watch = {.fd = gumloop_poller_get_fd(poller), .events = POLLIN};
        CHECK(poll(&watch, 1, 30000) == 1);
        for (;;) {
            uint64_t call = 0;
            uint32_t kind = 0;
            gumloop_code code = GUMLOOP_OK;
            char *json = NULL;
            CHECK(gumloop_poller_take_item(poller, &call, &kind, &code, &json) == GUMLOOP_OK);
            if (kind == GUMLOOP_ITEM_NONE) {
                break;
            }
            CHECK(kind == GUMLOOP_ITEM_DONE && call == id);
            *out_json = json;
            return code;
        }
    }
}

/* download_artifact through the poller: its DONE item has the document, its bytes are taken
 * once with gumloop_poller_take_bytes, and bytes never taken are freed with the poller (the
 * LeakSanitizer run checks it). */
static void test_poller_download(gumloop_client *client, const char *aid, const char *expected) {
    gumloop_poller *poller = NULL;
    char *json = NULL;
    gumloop_code code = gumloop_poller_new(NULL, &poller, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    char args[128];
    snprintf(args, sizeof args, "{\"artifact_id\":\"%s\"}", aid);
    uint64_t id = 0;
    code = gumloop_poller_start_call(poller, client, "download_artifact", args, NULL, 0, &id, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    uint8_t *data = (uint8_t *)1;
    size_t len = 99;
    /* Not before its end is taken. */
    code = gumloop_poller_take_bytes(poller, id, &data, &len, &json);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_ARGUMENT, json);
    CHECK(data == NULL && len == 0);
    gumloop_string_free(json);
    code = poller_end(poller, id, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    char size[32];
    snprintf(size, sizeof size, "\"size\":%zu", strlen(expected));
    CHECK(contains(json, size) && contains(json, "\"filename\":\"out.txt\""));
    gumloop_string_free(json);
    code = gumloop_poller_take_bytes(poller, id, NULL, &len, &json);
    CHECK_CODE(code, GUMLOOP_ERR_NULL_ARGUMENT, json);
    gumloop_string_free(json);
    code = gumloop_poller_take_bytes(poller, id, &data, &len, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(json == NULL);
    CHECK(data != NULL && len == strlen(expected) && memcmp(data, expected, len) == 0);
    gumloop_bytes_free(data, len);
    /* Taken once. */
    code = gumloop_poller_take_bytes(poller, id, &data, &len, &json);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_ARGUMENT, json);
    CHECK(contains(json, "\"param\":\"call_id\""));
    gumloop_string_free(json);
    /* What its requests saw: taken once too. */
    code = gumloop_poller_take_call_info(poller, id, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(contains(json, "\"attempts\":") && contains(json, "\"request_id\":\"req_"));
    gumloop_string_free(json);
    code = gumloop_poller_take_call_info(poller, id, &json);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_ARGUMENT, json);
    gumloop_string_free(json);

    /* A second download whose bytes are never taken: freed with the poller. */
    code = gumloop_poller_start_call(poller, client, "download_artifact", args, NULL, 0, &id, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    code = poller_end(poller, id, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    gumloop_string_free(json);
    gumloop_poller_free(poller);
}

/* The blocking call by name, with a call's own headers, and what its requests saw. */
static void test_call_by_name(gumloop_client *client) {
    char sid[64];
    create(client, NULL, sid, sizeof sid);
    char args[256];
    snprintf(args, sizeof args,
             "{\"session_id\":\"%s\",\"request_options\":{\"extra_headers\":{\"x-call\":\"one\"},"
             "\"timeout_ms\":30000}}",
             sid);
    char *json = NULL;
    char *info = NULL;
    gumloop_code code = gumloop_client_call(client, "get_session", args, NULL, &json, &info);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(contains(json, sid));
    CHECK(info != NULL && contains(info, "\"attempts\":1") && contains(info, "\"request_id\":\"req_"));
    gumloop_string_free(json);
    gumloop_string_free(info);
    /* Without out_info_json; and refusals, which leave *out_info_json NULL. */
    code = gumloop_client_call(client, "get_session", args, NULL, &json, NULL);
    CHECK_CODE(code, GUMLOOP_OK, json);
    gumloop_string_free(json);
    size_t before = admin_api_requests();
    info = (char *)1;
    code = gumloop_client_call(client, NULL, args, NULL, &json, &info);
    CHECK_CODE(code, GUMLOOP_ERR_NULL_ARGUMENT, json);
    CHECK(info == NULL);
    gumloop_string_free(json);
    code = gumloop_client_call(client, "get_session",
                               "{\"session_id\":\"s\",\"request_options\":{\"extra_headers\":{\"Host\":\"x\"}}}",
                               NULL, &json, &info);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_ARGUMENT, json);
    CHECK(info == NULL && contains(json, "request_options.extra_headers"));
    gumloop_string_free(json);
    code = gumloop_client_call(client, "get_session", "{}", NULL, NULL, &info);
    CHECK(code == GUMLOOP_ERR_NULL_ARGUMENT && info == NULL);
    CHECK(admin_api_requests() == before);
}

/* The description is static JSON, the same pointer every time, listing the bytes operation. */
static void test_description(void) {
    const char *description = gumloop_description_get();
    CHECK(description != NULL && description == gumloop_description_get());
    CHECK(contains(description, "\"version\":\"" GUMLOOP_VERSION_STRING "\""));
    CHECK(contains(description, "\"name\":\"download_artifact\""));
    CHECK(contains(description, "\"result\":\"bytes\""));
    CHECK(contains(description, "\"name\":\"GUMLOOP_ERR_RATE_LIMITED\""));
}

static void test_artifacts(gumloop_client *client) {
    char sid[64];
    create(client, "{\"input\":\"[artifact:out.txt]\"}", sid, sizeof sid);
    char *json = NULL;
    gumloop_code code = gumloop_client_wait_session(client, sid, NULL, NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    gumloop_string_free(json);
    char query[128];
    snprintf(query, sizeof query, "{\"session_id\":\"%s\"}", sid);
    code = gumloop_client_list_artifacts(client, "agent_pro", query, NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    char aid[64];
    CHECK(id_with_prefix(json, "art_", aid, sizeof aid));
    gumloop_string_free(json);
    code = gumloop_client_get_artifact_download(client, aid, NULL, NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(contains(json, "\"download_url\""));
    gumloop_string_free(json);

    uint8_t *data = NULL;
    size_t len = 99;
    code = gumloop_client_download_artifact(client, aid, NULL, NULL, &data, &len, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    char expected[128];
    snprintf(expected, sizeof expected, "Artifact out.txt of session %s\n", sid);
    CHECK(data != NULL && len == strlen(expected) && memcmp(data, expected, len) == 0);
    CHECK(contains(json, "\"filename\":\"out.txt\"") && !contains(json, "download_url"));
    gumloop_bytes_free(data, len);
    gumloop_string_free(json);
    test_poller_download(client, aid, expected);

    code = gumloop_client_download_artifact(client, aid, "{\"max_bytes\":5}", NULL, &data, &len, &json);
    CHECK_CODE(code, GUMLOOP_ERR_RESPONSE_TOO_LARGE, json);
    CHECK(data == NULL && len == 0);
    gumloop_string_free(json);

    char path[512];
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/gumloop-artifact-%s.txt", tmp && *tmp ? tmp : "/tmp", sid);
    code = gumloop_client_download_artifact_to_file(client, aid, path, NULL, NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    FILE *file = fopen(path, "rb");
    char got[128] = "";
    size_t read = file ? fread(got, 1, sizeof got - 1, file) : 0;
    if (file) {
        fclose(file);
    }
    CHECK(read == strlen(expected) && memcmp(got, expected, read) == 0);
    remove(path);
    gumloop_string_free(json);

    /* A storage failure names the storage path, never the signed query. */
    admin_fault("{\"listener\":\"storage\",\"method\":\"GET\",\"path\":\"/artifacts/**\",\"times\":3,\"status\":500}");
    code = gumloop_client_download_artifact(client, aid, NULL, NULL, &data, &len, &json);
    CHECK_CODE(code, GUMLOOP_ERR_SERVER, json);
    CHECK(!contains(json, "signature=") && !contains(json, "expires="));
    gumloop_string_free(json);

    size_t before = admin_api_requests();
    code = gumloop_client_download_artifact(client, aid, NULL, NULL, NULL, &len, &json);
    CHECK_CODE(code, GUMLOOP_ERR_NULL_ARGUMENT, json);
    gumloop_string_free(json);
    code = gumloop_client_download_artifact(client, aid, "{\"colour\":1}", NULL, &data, &len, &json);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_ARGUMENT, json);
    gumloop_string_free(json);
    code = gumloop_client_download_artifact_to_file(client, aid, NULL, NULL, NULL, &json);
    CHECK_CODE(code, GUMLOOP_ERR_NULL_ARGUMENT, json);
    gumloop_string_free(json);
    CHECK(admin_api_requests() == before);
}

int main(void) {
    admin_reset();
    gumloop_client *client = ada_client(NULL);
    test_upload(client);
    test_approvals(client);
    test_queue_and_access(client);
    test_agents_and_raw(client);
    test_artifacts(client);
    test_description();
    test_call_by_name(client);
    gumloop_client_free(client);
    admin_reset();
    return harness_finish("test_surface");
}
