/* 16 threads share one client and make 1,000 calls between them; every call must succeed. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

#define THREADS 16
#define CALLS 1000

struct worker {
    gumloop_client *client;
    int index;
    int calls;
    int ok;
};

static void *work(void *arg) {
    struct worker *w = arg;
    for (int i = 0; i < w->calls; i++) {
        char body[128];
        snprintf(body, sizeof body, "{\"session_id\":\"sess_t%d_%d\"}", w->index, i);
        char *out = NULL;
        gumloop_code code = gumloop_client_create_session(w->client, "agent_pro", body, NULL, &out);
        char want[64];
        snprintf(want, sizeof want, "\"id\":\"sess_t%d_%d\"", w->index, i);
        if (code == GUMLOOP_OK && contains(out, want)) {
            w->ok++;
        } else {
            fprintf(stderr, "thread %d call %d: %s %s\n", w->index, i, gumloop_code_get_name(code), out ? out : "");
        }
        gumloop_string_free(out);
    }
    return NULL;
}

int main(void) {
    admin_reset();
    gumloop_client *client = ada_client(NULL);
    pthread_t threads[THREADS];
    struct worker workers[THREADS];
    for (int t = 0; t < THREADS; t++) {
        workers[t] = (struct worker){client, t, CALLS / THREADS + (t < CALLS % THREADS ? 1 : 0), 0};
        CHECK(pthread_create(&threads[t], NULL, work, &workers[t]) == 0);
    }
    int total = 0;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        total += workers[t].ok;
    }
    CHECK(total == CALLS);
    CHECK(admin_api_requests() == CALLS);
    gumloop_client_free(client);
    admin_reset();
    return harness_finish("test_threads");
}
