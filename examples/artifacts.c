/*
 * artifacts: run an agent that produces a file, find the file among the agent's artifacts, and
 * download it.
 *
 *   GUMLOOP_ACCESS_TOKEN=... GUMLOOP_USER_ID=... ./artifacts <agent_id> "<message>" <output path>
 *
 * The download goes to a temporary file beside the output path and is renamed when complete;
 * Gumloop credentials are never sent to the storage host.
 */
#include <stdio.h>

#include "gumloop.h"

static int fail(const char *what, gumloop_code code, char *json) {
    fprintf(stderr, "%s: %s %s\n", what, gumloop_code_get_name(code), json ? json : "");
    gumloop_string_free(json);
    return 1;
}

int main(int argc, char **argv) {
    const char *agent_id = argc > 1 ? argv[1] : "gumball";
    const char *message = argc > 2 ? argv[2] : "Write the report as a file";
    const char *output = argc > 3 ? argv[3] : "report.txt";

    gumloop_client *client = NULL;
    char *json = NULL;
    gumloop_code code = gumloop_client_new(NULL, &client, &json);
    if (code != GUMLOOP_OK) {
        return fail("client", code, json);
    }
    char body[1024];
    snprintf(body, sizeof body, "{\"input\":\"%s\"}", message); /* message must not need JSON escaping */
    code = gumloop_client_create_session(client, agent_id, body, NULL, &json);
    char *session_id = NULL;
    if (code != GUMLOOP_OK || gumloop_json_get_string(json, "/session/id", &session_id) != GUMLOOP_OK) {
        gumloop_client_free(client);
        return fail("create", code, json);
    }
    gumloop_string_free(json);

    /* 1. Wait for the run, then list the artifacts it made. */
    code = gumloop_client_wait_session(client, session_id, NULL, NULL, &json);
    gumloop_string_free(json);
    char query[256];
    snprintf(query, sizeof query, "{\"session_id\":\"%s\"}", session_id);
    gumloop_string_free(session_id);
    code = code == GUMLOOP_OK ? gumloop_client_list_artifacts(client, agent_id, query, NULL, &json) : code;
    size_t count = 0;
    if (code != GUMLOOP_OK || gumloop_json_get_length(json, "/artifacts", &count) != GUMLOOP_OK || count == 0) {
        gumloop_client_free(client);
        return fail("list artifacts (expected one)", code, json);
    }
    char *artifact_id = NULL;
    char *filename = NULL;
    gumloop_json_get_string(json, "/artifacts/0/id", &artifact_id);
    gumloop_json_get_string(json, "/artifacts/0/filename", &filename);
    printf("artifact: %s (%s)\n", filename ? filename : "?", artifact_id ? artifact_id : "?");
    gumloop_string_free(filename);
    gumloop_string_free(json);

    /* 2. Download it into a file. */
    code = gumloop_client_download_artifact_to_file(client, artifact_id, output, NULL, NULL, &json);
    gumloop_string_free(artifact_id);
    int64_t size = -1;
    if (code != GUMLOOP_OK || gumloop_json_get_int64(json, "/size", &size) != GUMLOOP_OK) {
        gumloop_client_free(client);
        return fail("download", code, json);
    }
    printf("saved %lld bytes to %s\n", (long long)size, output);
    gumloop_string_free(json);
    gumloop_client_free(client);
    return 0;
}
