/*
 * Credentials and logs from C: the OAuth authorization URL and sign-in, an expired token met by ten
 * threads at once and refreshed exactly once (the new pair taken by the caller), a revoked refresh
 * token ending in a clear error, credentials replaced on a live client, and log records pulled
 * through the queue and its descriptor, holding no secret.
 */
#define _POSIX_C_SOURCE 200809L

#include <poll.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define REDIRECT "http://127.0.0.1:8765/callback"
#define THREADS 10

/* Copies the text after `"key":"` up to the next quote in `json` into `out` (tokens and codes
 * have no escapes). */
static int value_of(const char *json, const char *key, char *out, size_t cap) {
    char needle[64];
    snprintf(needle, sizeof needle, "\"%s\":\"", key);
    const char *at = json ? strstr(json, needle) : NULL;
    if (at == NULL) {
        return 0;
    }
    at += strlen(needle);
    size_t n = strcspn(at, "\"");
    if (n + 1 > cap) {
        return 0;
    }
    memcpy(out, at, n);
    out[n] = '\0';
    return 1;
}

struct tokens {
    char access[128];
    char refresh[128];
};

/* Builds the authorization URL, has the emulator approve it, exchanges the code. */
static void sign_in(struct tokens *tokens) {
    char params[512];
    snprintf(params, sizeof params,
             "{\"client_id\":\"gumloop_cli\",\"redirect_uri\":\"" REDIRECT "\","
             "\"scopes\":[\"gumloop_api\",\"userinfo\"],\"base_url\":\"%s\"}",
             getenv("GUMLOOP_BASE_URL"));
    char *built = NULL;
    gumloop_code code = gumloop_oauth_build_authorization_url(params, &built);
    CHECK_CODE(code, GUMLOOP_OK, built);
    char url[1024], verifier[128], state[64];
    CHECK(value_of(built, "url", url, sizeof url));
    CHECK(value_of(built, "code_verifier", verifier, sizeof verifier));
    CHECK(value_of(built, "state", state, sizeof state));
    CHECK(contains(url, "/oauth/authorize?response_type=code&client_id=gumloop_cli&redirect_uri="));
    CHECK(contains(url, "&scope=gumloop_api+userinfo&state=") && contains(url, "&code_challenge_method=S256"));
    gumloop_string_free(built);

    char body[1200];
    snprintf(body, sizeof body, "{\"url\":\"%s\"}", url);
    char *approved = admin_request("POST", "/oauth/approve", body);
    char auth_code[128], returned_state[64];
    CHECK(value_of(approved, "code", auth_code, sizeof auth_code));
    CHECK(value_of(approved, "state", returned_state, sizeof returned_state));
    CHECK(strcmp(returned_state, state) == 0);
    free(approved);

    /* A client with only a client_id signs in; it has no token of its own. */
    char options[256];
    snprintf(options, sizeof options, "{\"base_url\":\"%s\",\"client_id\":\"gumloop_cli\"}", getenv("GUMLOOP_BASE_URL"));
    gumloop_client *signer = NULL;
    char *json = NULL;
    code = gumloop_client_new(options, &signer, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    code = gumloop_client_oauth_exchange_code(signer, "gumloop_cli", auth_code, REDIRECT, verifier, NULL, NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(value_of(json, "access_token", tokens->access, sizeof tokens->access));
    CHECK(value_of(json, "refresh_token", tokens->refresh, sizeof tokens->refresh));
    gumloop_string_free(json);
    /* The code is used once. */
    code = gumloop_client_oauth_exchange_code(signer, "gumloop_cli", auth_code, REDIRECT, verifier, NULL, NULL, &json);
    CHECK_CODE(code, GUMLOOP_ERR_BAD_REQUEST, json);
    CHECK(contains(json, "\"code\":\"invalid_grant\""));
    gumloop_string_free(json);
    gumloop_client_free(signer);
}

static gumloop_client *refreshing_client(const struct tokens *tokens) {
    char options[768];
    snprintf(options, sizeof options,
             "{\"base_url\":\"%s\",\"client_id\":\"gumloop_cli\",\"access_token\":\"%s\",\"refresh_token\":\"%s\"}",
             getenv("GUMLOOP_BASE_URL"), tokens->access, tokens->refresh);
    gumloop_client *client = NULL;
    char *json = NULL;
    gumloop_code code = gumloop_client_new(options, &client, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    gumloop_string_free(json);
    return client;
}

static void expire_tokens(void) {
    free(admin_request("POST", "/oauth/expire", "{}"));
}

static void test_authorization_url_arguments(void) {
    char *json = NULL;
    CHECK_CODE(gumloop_oauth_build_authorization_url(NULL, &json), GUMLOOP_ERR_NULL_ARGUMENT, json);
    gumloop_string_free(json);
    CHECK_CODE(gumloop_oauth_build_authorization_url("{", &json), GUMLOOP_ERR_INVALID_JSON, json);
    gumloop_string_free(json);
    CHECK_CODE(gumloop_oauth_build_authorization_url("{\"client_id\":\"c\",\"redirect_uri\":\"r\",\"scope\":\"x\"}", &json),
               GUMLOOP_ERR_INVALID_ARGUMENT, json);
    CHECK(contains(json, "\"param\":\"scope\""));
    gumloop_string_free(json);
    CHECK(gumloop_oauth_build_authorization_url("{}", NULL) == GUMLOOP_ERR_NULL_ARGUMENT);
}

struct worker {
    gumloop_client *client;
    pthread_barrier_t *barrier;
    gumloop_code code;
};

static void *call_agent(void *arg) {
    struct worker *w = arg;
    pthread_barrier_wait(w->barrier);
    char *json = NULL;
    w->code = gumloop_client_get_agent(w->client, "agent_pro", NULL, &json);
    gumloop_string_free(json);
    return NULL;
}

static void test_ten_threads_one_refresh(void) {
    admin_reset();
    struct tokens tokens;
    sign_in(&tokens);
    gumloop_client *client = refreshing_client(&tokens);
    expire_tokens();
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, THREADS);
    pthread_t threads[THREADS];
    struct worker workers[THREADS];
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (struct worker){client, &barrier, GUMLOOP_ERR_INTERNAL};
        pthread_create(&threads[i], NULL, call_agent, &workers[i]);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        CHECK(workers[i].code == GUMLOOP_OK);
    }
    pthread_barrier_destroy(&barrier);
    char *stats = admin_request("GET", "/oauth", NULL);
    CHECK(contains(stats, "\"refreshes\":1,") || contains(stats, "\"refreshes\":1}"));
    free(stats);
    CHECK(gumloop_client_get_refresh_count(client) == 1);
    CHECK(gumloop_client_get_refresh_count(NULL) == 0);

    char *pair = NULL;
    CHECK_CODE(gumloop_client_take_tokens(client, &pair), GUMLOOP_OK, pair);
    char rotated[128];
    CHECK(value_of(pair, "refresh_token", rotated, sizeof rotated));
    CHECK(strcmp(rotated, tokens.refresh) != 0);
    CHECK(contains(pair, "\"refresh_count\":1"));
    gumloop_string_free(pair);
    pair = (char *)1;
    CHECK_CODE(gumloop_client_take_tokens(client, &pair), GUMLOOP_OK, NULL);
    CHECK(pair == NULL);
    CHECK(gumloop_client_take_tokens(NULL, &pair) == GUMLOOP_ERR_NULL_ARGUMENT);
    gumloop_string_free(pair);
    gumloop_client_free(client);
}

static void test_revoked_refresh_token(void) {
    admin_reset();
    struct tokens tokens;
    sign_in(&tokens);
    gumloop_client *client = refreshing_client(&tokens);
    char *json = NULL;
    gumloop_code code = gumloop_client_oauth_revoke(client, "gumloop_cli", tokens.refresh, NULL, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(json != NULL && strcmp(json, "{}") == 0);
    gumloop_string_free(json);
    expire_tokens();
    code = gumloop_client_get_agent(client, "agent_pro", NULL, &json);
    CHECK_CODE(code, GUMLOOP_ERR_UNAUTHORIZED, json);
    CHECK(contains(json, "\"code\":\"token_expired\""));
    CHECK(contains(json, "\"refresh\":{") && contains(json, "\"invalid_grant\""));
    CHECK(!contains(json, tokens.refresh) && !contains(json, tokens.access));
    gumloop_string_free(json);
    gumloop_client_free(client);
}

/* Waits on the poller's descriptor for call `id` to end; returns its code, its JSON in *json. */
static gumloop_code poller_done(gumloop_poller *poller, uint64_t id, char **json) {
    for (;;) {
        struct pollfd p = {gumloop_poller_get_fd(poller), POLLIN, 0};
        poll(&p, 1, 5000);
        uint64_t call = 0;
        uint32_t kind = GUMLOOP_ITEM_NONE;
        gumloop_code code = GUMLOOP_OK;
        char *item = NULL;
        while (gumloop_poller_take_item(poller, &call, &kind, &code, &item) == GUMLOOP_OK && kind != GUMLOOP_ITEM_NONE) {
            if (kind == GUMLOOP_ITEM_DONE && call == id) {
                *json = item;
                return code;
            }
            gumloop_string_free(item);
        }
    }
}

/* An event loop's view: the call ends through the poller, then the count says a refresh
 * happened and the pair is taken on the caller's side. The OAuth operations run by name. */
static void test_refresh_through_the_poller(void) {
    admin_reset();
    struct tokens tokens;
    sign_in(&tokens);
    gumloop_client *client = refreshing_client(&tokens);
    gumloop_poller *poller = NULL;
    char *json = NULL;
    CHECK_CODE(gumloop_poller_new(NULL, &poller, &json), GUMLOOP_OK, json);
    expire_tokens();
    const uint64_t before = gumloop_client_get_refresh_count(client);
    uint64_t id = 0;
    gumloop_code code = gumloop_poller_start_call(poller, client, "get_agent", "{\"agent_id\":\"agent_pro\"}", NULL, 0, &id, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    code = poller_done(poller, id, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    gumloop_string_free(json);
    CHECK(gumloop_client_get_refresh_count(client) == before + 1);
    char *pair = NULL;
    CHECK_CODE(gumloop_client_take_tokens(client, &pair), GUMLOOP_OK, pair);
    char rotated[128];
    CHECK(value_of(pair, "refresh_token", rotated, sizeof rotated));
    gumloop_string_free(pair);

    char args[256];
    snprintf(args, sizeof args, "{\"client_id\":\"gumloop_cli\",\"token\":\"%s\"}", rotated);
    code = gumloop_poller_start_call(poller, client, "oauth_revoke", args, NULL, 0, &id, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    code = poller_done(poller, id, &json);
    CHECK_CODE(code, GUMLOOP_OK, json);
    CHECK(json != NULL && strcmp(json, "{}") == 0);
    gumloop_string_free(json);
    /* A missing argument is named before anything starts. */
    code = gumloop_poller_start_call(poller, client, "oauth_revoke", "{\"client_id\":\"gumloop_cli\"}", NULL, 0, &id, &json);
    CHECK_CODE(code, GUMLOOP_ERR_NULL_ARGUMENT, json);
    CHECK(contains(json, "\"param\":\"token\""));
    gumloop_string_free(json);
    gumloop_poller_free(poller);
    gumloop_client_free(client);
}

static void test_set_credentials(void) {
    admin_reset();
    gumloop_client *client = ada_client("\"access_token\":\"gk_wrong\"");
    char *json = NULL;
    CHECK_CODE(gumloop_client_get_agent(client, "agent_pro", NULL, &json), GUMLOOP_ERR_UNAUTHORIZED, json);
    gumloop_string_free(json);
    CHECK_CODE(gumloop_client_set_credentials(client, "{\"access_token\":\"gk_personal_ada\"}", &json), GUMLOOP_OK, json);
    CHECK(contains(json, "\"generation\":1"));
    gumloop_string_free(json);
    CHECK_CODE(gumloop_client_get_agent(client, "agent_pro", NULL, &json), GUMLOOP_OK, json);
    gumloop_string_free(json);
    /* Refused changes change nothing and send nothing. */
    size_t before = admin_api_requests();
    CHECK_CODE(gumloop_client_set_credentials(client, "{\"acces_token\":\"x\"}", &json), GUMLOOP_ERR_INVALID_ARGUMENT, json);
    gumloop_string_free(json);
    CHECK_CODE(gumloop_client_set_credentials(client, "{\"refresh_token\":\"r\"}", &json), GUMLOOP_ERR_INVALID_ARGUMENT, json);
    CHECK(contains(json, "client_id"));
    gumloop_string_free(json);
    CHECK_CODE(gumloop_client_set_credentials(client, NULL, &json), GUMLOOP_ERR_NULL_ARGUMENT, json);
    gumloop_string_free(json);
    CHECK_CODE(gumloop_client_set_credentials(NULL, "{}", &json), GUMLOOP_ERR_NULL_ARGUMENT, json);
    gumloop_string_free(json);
    CHECK(admin_api_requests() == before);
    CHECK_CODE(gumloop_client_get_agent(client, "agent_pro", NULL, &json), GUMLOOP_OK, json);
    gumloop_string_free(json);
    gumloop_client_free(client);
}

static int log_readable(void) {
    struct pollfd p = {gumloop_log_get_fd(), POLLIN, 0};
    return poll(&p, 1, 0) == 1 && (p.revents & POLLIN) != 0;
}

static void test_logs(void) {
    admin_reset();
    char *json = NULL;
    CHECK_CODE(gumloop_log_set_level("verbose", &json), GUMLOOP_ERR_INVALID_ARGUMENT, json);
    gumloop_string_free(json);
    CHECK_CODE(gumloop_log_set_level("debug", &json), GUMLOOP_OK, json);
    CHECK(contains(json, "\"level\":\"off\""));
    gumloop_string_free(json);
    CHECK(gumloop_log_get_fd() >= 0 && !log_readable());

    gumloop_client *client = ada_client("\"team_id\":\"team_pro\"");
    admin_fault("{\"method\":\"GET\",\"path\":\"/api/v1/agents/agent_pro\",\"status\":503,\"times\":1}");
    CHECK_CODE(gumloop_client_get_agent(client, "agent_pro", NULL, &json), GUMLOOP_OK, json);
    gumloop_string_free(json);
    CHECK(log_readable());
    char *records = NULL;
    CHECK_CODE(gumloop_log_take(&records), GUMLOOP_OK, records);
    CHECK(!log_readable());
    CHECK(count_of(records, "\"event\":\"attempt\"") == 2);
    CHECK(count_of(records, "\"event\":\"retry\"") == 1);
    CHECK(contains(records, "\"status\":503") && contains(records, "\"status\":200"));
    CHECK(count_of(records, "\"operation\":\"get_agent\"") == 3);
    CHECK(contains(records, "\"dropped\":0"));
    CHECK(!contains(records, "gk_personal_ada") && !contains(records, "user_ada") && !contains(records, "team_pro"));
    gumloop_string_free(records);

    /* A child made by fork() starts with an empty queue and a descriptor of its own; the
     * parent's records stay the parent's. */
    CHECK_CODE(gumloop_client_get_agent(client, "agent_pro", NULL, &json), GUMLOOP_OK, json);
    gumloop_string_free(json);
    const int parent_fd = gumloop_log_get_fd();
    fflush(stdout);
    const pid_t child = fork();
    if (child == 0) {
        char *taken = NULL;
        int ok = gumloop_log_take(&taken) == GUMLOOP_OK && contains(taken, "\"records\":[]") &&
                 gumloop_log_get_fd() != parent_fd && gumloop_log_get_fd() >= 0;
        gumloop_string_free(taken);
        char *answer = NULL;
        ok = ok && gumloop_client_get_agent(client, "agent_pro", NULL, &answer) == GUMLOOP_OK && log_readable();
        gumloop_string_free(answer);
        ok = ok && gumloop_log_take(&taken) == GUMLOOP_OK && count_of(taken, "\"event\":\"attempt\"") == 1;
        gumloop_string_free(taken);
        _exit(ok ? 0 : 1);
    }
    int status = -1;
    CHECK(child > 0 && waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(log_readable());
    CHECK_CODE(gumloop_log_take(&records), GUMLOOP_OK, records);
    CHECK(count_of(records, "\"event\":\"attempt\"") == 1);
    gumloop_string_free(records);

    CHECK_CODE(gumloop_log_set_level("off", &json), GUMLOOP_OK, json);
    gumloop_string_free(json);
    gumloop_client_free(client);
}

int main(void) {
    test_authorization_url_arguments();
    test_ten_threads_one_refresh();
    test_revoked_refresh_token();
    test_refresh_through_the_poller();
    test_set_credentials();
    test_logs();
    return harness_finish("test_auth");
}
