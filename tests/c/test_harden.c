/*
 * Hardening at the C boundary: a NULL `path_json` of the raw request is a NULL argument, and an
 * upload larger than the client's `max_upload_bytes` is refused from its length alone, before a
 * byte of `data` is read or copied and before anything is sent (blocking call and poller alike).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

static void test_null_path(gumloop_client *client) {
    size_t before = admin_api_requests();
    char *json = NULL;
    gumloop_code code = gumloop_client_send_request(client, "GET", NULL, NULL, NULL, NULL, &json);
    CHECK_CODE(code, GUMLOOP_ERR_NULL_ARGUMENT, json);
    CHECK(contains(json, "\"param\":\"path_json\""));
    gumloop_string_free(json);
    CHECK(admin_api_requests() == before);
}

/*
 * `data` holds 16 bytes but the length says 1 TiB: the call must judge the length against the
 * cap without touching the bytes (a copy first would try to allocate 1 TiB and abort the
 * process, or read far past the buffer).
 */
static void test_upload_refused_from_its_length(gumloop_client *client) {
    static const uint8_t data[16] = {0};
    const size_t claimed = (size_t)1 << 40;
    size_t before = admin_api_requests();
    char *json = NULL;
    gumloop_code code = gumloop_client_upload_file(client, "sess_none", "big.bin", NULL, data, claimed, NULL, &json);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_ARGUMENT, json);
    CHECK(contains(json, "\"param\":\"data\"") && contains(json, "max_upload_bytes"));
    gumloop_string_free(json);

    gumloop_poller *poller = NULL;
    code = gumloop_poller_new(NULL, &poller, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    gumloop_string_free(json);
    json = NULL;
    uint64_t call_id = 0;
    code = gumloop_poller_start_call(poller, client, "upload_file", "{\"session_id\":\"sess_none\",\"file_name\":\"big.bin\"}",
                                     data, claimed, &call_id, &json);
    CHECK_CODE(code, GUMLOOP_ERR_INVALID_ARGUMENT, json);
    CHECK(call_id == 0 && contains(json, "\"param\":\"data\""));
    gumloop_string_free(json);
    gumloop_poller_free(poller);
    CHECK(admin_api_requests() == before);
}

int main(void) {
    admin_reset();
    gumloop_client *client = ada_client("\"max_upload_bytes\":1024");
    test_null_path(client);
    test_upload_refused_from_its_length(client);
    gumloop_client_free(client);
    admin_reset();
    return harness_finish("test_harden");
}
