/*
 * Secrets a server repeats: run against the hostile server's "echo-headers" scenario, whose every
 * answer is a 400 repeating the request's headers (the credentials among them) as sent,
 * percent-encoded and with '+' for each space. The error document a C caller gets (the text
 * every binding renders) must hold none of them.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define TOKEN "gk_live/Ab+Cd=9 x"
#define TOKEN_ENCODED "gk_live%2FAb%2BCd%3D9%20x"
#define TOKEN_PLUS "gk_live/Ab+Cd=9+x"
#define USER "user ada+1@example.com"
#define USER_ENCODED "user%20ada%2B1%40example.com"
#define USER_PLUS "user+ada+1@example.com"

static size_t secrets_in(const char *text) {
    const char *spellings[] = {TOKEN, TOKEN_ENCODED, TOKEN_PLUS, USER, USER_ENCODED, USER_PLUS};
    size_t found = 0;
    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
        found += count_of(text, spellings[i]);
    }
    return found;
}

int main(void) {
    const char *url = getenv("GUMLOOP_HOSTILE_URL");
    if (url == NULL) {
        fprintf(stderr, "GUMLOOP_HOSTILE_URL is not set: run under gumloop-hostile echo-headers\n");
        return 2;
    }
    char options[512];
    snprintf(options, sizeof options,
             "{\"access_token\":\"" TOKEN "\",\"user_id\":\"" USER "\",\"base_url\":\"%s/api/v1\","
             "\"stream_base_url\":\"%s/api/v1\",\"max_retries\":0}",
             url, url);
    gumloop_client *client = NULL;
    char *json = NULL;
    gumloop_code code = gumloop_client_new(options, &client, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    gumloop_string_free(json);

    size_t documents = 0, secrets = 0;
    code = gumloop_client_create_session(client, "agent_pro", "{\"input\":\"hi\"}", NULL, &json);
    CHECK_CODE(code, GUMLOOP_ERR_BAD_REQUEST, json);
    CHECK(contains(json, "[redacted]"));
    secrets += secrets_in(json), documents++;
    gumloop_string_free(json);
    code = gumloop_client_get_session(client, "sess_1", NULL, &json);
    CHECK_CODE(code, GUMLOOP_ERR_BAD_REQUEST, json);
    secrets += secrets_in(json), documents++;
    gumloop_string_free(json);
    char base[256];
    snprintf(base, sizeof base, "%s/api/v1", url);
    setenv("GUMLOOP_BASE_URL", base, 1);
    code = gumloop_oneshot_create_session("agent_pro", "{}", TOKEN, USER, &json);
    CHECK_CODE(code, GUMLOOP_ERR_BAD_REQUEST, json);
    secrets += secrets_in(json), documents++;
    gumloop_string_free(json);
    printf("secrets found in %zu error documents: %zu\n", documents, secrets);
    CHECK(secrets == 0);
    gumloop_client_free(client);
    return harness_finish("test_echo");
}
