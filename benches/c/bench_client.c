/* bench_client.c: the bench programs' libgumloop client (see bench_client.h). */
#define _POSIX_C_SOURCE 200809L

#include "bench_client.h"

#include "bench.h"

#include <stdio.h>
#include <stdlib.h>

gumloop_client *bench_make_client(void) {
    char options[1024];
    snprintf(options, sizeof options,
             "{\"access_token\":\"%s\",\"user_id\":\"%s\",\"base_url\":\"%s\","
             "\"stream_base_url\":\"%s\"}",
             BENCH_TOKEN, BENCH_USER, bench_env("GUMLOOP_BASE_URL"),
             bench_env("GUMLOOP_STREAM_BASE_URL"));
    gumloop_client *client = NULL;
    char *error = NULL;
    gumloop_code code = gumloop_client_new(options, &client, &error);
    if (code != GUMLOOP_OK) {
        fprintf(stderr, "gumloop_client_new: %s: %s\n", gumloop_code_get_name(code),
                error ? error : "");
        gumloop_string_free(error);
        exit(1);
    }
    return client;
}
