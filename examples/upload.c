/*
 * upload: upload a file to a session and send a message that attaches it.
 *
 *   GUMLOOP_ACCESS_TOKEN=... GUMLOOP_USER_ID=... ./upload <agent_id> <file>
 *
 * The upload answers with the stored `file_name`; a message's `attachments` name files by it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gumloop.h"

static int fail(const char *what, gumloop_code code, char *json) {
    fprintf(stderr, "%s: %s %s\n", what, gumloop_code_get_name(code), json ? json : "");
    gumloop_string_free(json);
    return 1;
}

/* Reads a whole file into memory (malloc'd); NULL when it cannot be read. */
static unsigned char *read_file(const char *path, size_t *len) {
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        return NULL;
    }
    size_t cap = 4096, used = 0;
    unsigned char *data = malloc(cap);
    size_t got;
    while (data != NULL && (got = fread(data + used, 1, cap - used, file)) > 0) {
        used += got;
        if (used == cap) {
            unsigned char *bigger = realloc(data, cap *= 2);
            if (bigger == NULL) {
                free(data);
                data = NULL;
            } else {
                data = bigger;
            }
        }
    }
    fclose(file);
    *len = used;
    return data;
}

int main(int argc, char **argv) {
    const char *agent_id = argc > 1 ? argv[1] : "gumball";
    const char *path = argc > 2 ? argv[2] : "notes.txt";
    size_t len = 0;
    unsigned char *data = read_file(path, &len);
    if (data == NULL) {
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }

    gumloop_client *client = NULL;
    char *json = NULL;
    gumloop_code code = gumloop_client_new(NULL, &client, &json);
    if (code != GUMLOOP_OK) {
        free(data);
        return fail("client", code, json);
    }

    /* 1. A session to attach the file to. */
    code = gumloop_client_create_session(client, agent_id, NULL, NULL, &json);
    char *session_id = NULL;
    if (code != GUMLOOP_OK || gumloop_json_get_string(json, "/session/id", &session_id) != GUMLOOP_OK) {
        free(data);
        gumloop_client_free(client);
        return fail("create", code, json);
    }
    gumloop_string_free(json);

    /* 2. Upload the bytes; the answer names the stored file. */
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    code = gumloop_client_upload_file(client, session_id, name, "text/plain", data, len, NULL, &json);
    free(data);
    char *stored = NULL;
    if (code != GUMLOOP_OK || gumloop_json_get_string(json, "/file_name", &stored) != GUMLOOP_OK) {
        gumloop_string_free(session_id);
        gumloop_client_free(client);
        return fail("upload", code, json);
    }
    printf("uploaded: %s\n", stored);
    gumloop_string_free(json);

    /* 3. Send a message that attaches it, and wait for the run to settle. */
    char body[1024];
    snprintf(body, sizeof body, "{\"input\":\"Summarise the attached file\",\"attachments\":[{\"file_name\":\"%s\"}]}",
             stored);
    gumloop_string_free(stored);
    code = gumloop_client_send_message(client, session_id, body, NULL, &json);
    if (code != GUMLOOP_OK) {
        gumloop_string_free(session_id);
        gumloop_client_free(client);
        return fail("send", code, json);
    }
    gumloop_string_free(json);
    code = gumloop_client_wait_session(client, session_id, NULL, NULL, &json);
    gumloop_string_free(session_id);
    char *state = NULL;
    if (code != GUMLOOP_OK || gumloop_json_get_string(json, "/session/state", &state) != GUMLOOP_OK) {
        gumloop_client_free(client);
        return fail("wait", code, json);
    }
    printf("state: %s\n", state);
    gumloop_string_free(state);
    gumloop_string_free(json);
    gumloop_client_free(client);
    return 0;
}
