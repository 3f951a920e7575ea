/*
 * bench_gumloop: libgumloop from C, all threads sharing one gumloop_client.
 *
 *   bench_gumloop --workload W [--threads N] [--seconds S | --requests N] ...   (see bench.h)
 *   bench_gumloop stream --words N [--repeat R]
 *
 * The stream mode creates a session whose run answers N words with gumloop_client_stream_session
 * and counts the events delivered to a C callback; it prints one JSON line per repeat.
 * Reads GUMLOOP_BASE_URL and GUMLOOP_STREAM_BASE_URL (scripts/with-emulator.sh sets them).
 */
#define _POSIX_C_SOURCE 200809L

#include "bench.h"
#include "bench_client.h"

#include <gumloop.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every thread uses the one shared client; the state is the client itself. */
static int setup(void *shared, int index, void **state) {
    (void)index;
    *state = shared;
    return 0;
}

static void teardown(void *state) { (void)state; }

static int report_failure(gumloop_code code, char *json) {
    static int reported = 0;
    if (!reported) {
        reported = 1;
        fprintf(stderr, "request failed: %s: %s\n", gumloop_code_get_name(code), json ? json : "");
    }
    gumloop_string_free(json);
    return 1;
}

static int request(void *state, const bench_options *o) {
    const gumloop_client *client = state;
    char *json = NULL;
    gumloop_code code;
    switch (o->workload) {
    case BENCH_CREATE_IDLE:
        code = gumloop_client_create_session(client, BENCH_AGENT, BENCH_BODY_IDLE, NULL, &json);
        break;
    case BENCH_CREATE_INPUT:
        code = gumloop_client_create_session(client, BENCH_AGENT, BENCH_BODY_INPUT, NULL, &json);
        break;
    default:
        code = gumloop_client_get_session(client, o->session_id, NULL, &json);
        break;
    }
    if (code != GUMLOOP_OK) {
        return report_failure(code, json);
    }
    gumloop_string_free(json);
    return 0;
}

typedef struct {
    long events;
    size_t bytes;
    uint64_t first_ns;
} stream_count;

static int on_event(void *user_data, const char *event_json, size_t len) {
    stream_count *count = user_data;
    if (count->events == 0) {
        count->first_ns = bench_now_ns();
    }
    count->events++;
    count->bytes += len;
    (void)event_json;
    return 0;
}

static int stream_main(int argc, char **argv) {
    long words = 20000;
    int repeat = 3;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--words") == 0) {
            words = atol(argv[i + 1]);
        } else if (strcmp(argv[i], "--repeat") == 0) {
            repeat = atoi(argv[i + 1]);
        } else {
            fprintf(stderr, "usage: %s stream [--words N] [--repeat R]\n", argv[0]);
            return 2;
        }
    }
    gumloop_client *client = bench_make_client();
    char body[128];
    /* [slow:0]: the emulator sends the whole answer at once instead of pacing it over 200 ms,
     * so the client, not the server's pacing, sets the rate. */
    snprintf(body, sizeof body, "{\"input\":\"[words:%ld] [slow:0]\"}", words);
    int status = 0;
    for (int r = 0; r < repeat; r++) {
        stream_count count = {0, 0, 0};
        char *summary = NULL;
        uint64_t start = bench_now_ns();
        gumloop_code code = gumloop_client_stream_session(client, BENCH_AGENT, body, on_event, &count,
                                                         NULL, &summary);
        uint64_t end = bench_now_ns();
        if (code != GUMLOOP_OK) {
            fprintf(stderr, "stream failed: %s: %s\n", gumloop_code_get_name(code),
                    summary ? summary : "");
            status = 1;
        }
        gumloop_string_free(summary);
        double seconds = (double)(end - start) / 1e9;
        double first_ms = count.first_ns ? (double)(count.first_ns - start) / 1e6 : 0.0;
        printf("{\"label\":\"libgumloop-c\",\"words\":%ld,\"events\":%ld,\"bytes\":%zu,"
               "\"seconds\":%.4f,\"events_per_s\":%.1f,\"first_event_ms\":%.2f,\"ok\":%s}\n",
               words, count.events, count.bytes, seconds,
               seconds > 0 ? (double)count.events / seconds : 0.0, first_ms,
               code == GUMLOOP_OK ? "true" : "false");
        fflush(stdout);
    }
    gumloop_client_free(client);
    return status;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "stream") == 0) {
        return stream_main(argc, argv);
    }
    bench_options options;
    bench_parse(argc, argv, &options);
    gumloop_client *client = bench_make_client();
    bench_client c = {setup, request, teardown, client};
    int status = bench_run(&options, &c);
    gumloop_client_free(client);
    return status;
}
