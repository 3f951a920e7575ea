/*
 * bench_poll: libgumloop's poller from one C epoll loop on one thread.
 *
 *   bench_poll calls --workload create_idle|retrieve [--concurrency N] [--seconds S]
 *              [--warmup S] [--session-id ID]
 *       keeps N calls in flight (a new one starts as each ends) and prints one JSON line like
 *       bench.c's: requests/s, latency percentiles, CPU per request and peak RSS.
 *   bench_poll streams [--streams N] [--prompt TEXT]
 *       opens N streams at once, waits until every one has delivered its first event, and
 *       prints the heap they hold (the allocator's in-use bytes with all N open, less those
 *       before they started) per stream, then cancels them.
 *
 * The heap is read with mallinfo2 after mallopt(M_ARENA_MAX, 1): with one arena, the runtime's
 * threads allocate where mallinfo2 counts. Reads GUMLOOP_BASE_URL and GUMLOOP_STREAM_BASE_URL.
 */
#define _GNU_SOURCE

#include "bench.h"
#include "bench_client.h"

#include <gumloop.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

/* The start time of each call in flight, by call ID (open addressing; IDs are never 0). */
typedef struct {
    uint64_t *ids;
    uint64_t *started;
    size_t mask;
} call_table;

static void table_init(call_table *t, size_t calls) {
    size_t size = 1;
    while (size < calls * 4) {
        size <<= 1;
    }
    t->ids = calloc(size, sizeof *t->ids);
    t->started = calloc(size, sizeof *t->started);
    t->mask = size - 1;
    if (t->ids == NULL || t->started == NULL) {
        fprintf(stderr, "out of memory for %zu calls\n", calls);
        exit(3);
    }
}

static void table_put(call_table *t, uint64_t id, uint64_t started) {
    size_t at = (size_t)(id * 0x9E3779B97F4A7C15u) & t->mask;
    while (t->ids[at] != 0) {
        at = (at + 1) & t->mask;
    }
    t->ids[at] = id;
    t->started[at] = started;
}

/* Removes call `id`; returns its start time, or 0 when it is unknown. */
static uint64_t table_take(call_table *t, uint64_t id) {
    size_t at = (size_t)(id * 0x9E3779B97F4A7C15u) & t->mask;
    while (t->ids[at] != id) {
        if (t->ids[at] == 0) {
            return 0;
        }
        at = (at + 1) & t->mask;
    }
    uint64_t started = t->started[at];
    /* Backward-shift deletion keeps every other probe chain whole. */
    size_t hole = at;
    for (size_t next = (hole + 1) & t->mask; t->ids[next] != 0; next = (next + 1) & t->mask) {
        size_t home = (size_t)(t->ids[next] * 0x9E3779B97F4A7C15u) & t->mask;
        if (((next - home) & t->mask) >= ((next - hole) & t->mask)) {
            t->ids[hole] = t->ids[next];
            t->started[hole] = t->started[next];
            hole = next;
        }
    }
    t->ids[hole] = 0;
    return started;
}

/* A poller whose descriptor is the only one in a new epoll set (*epoll_fd). */
static gumloop_poller *make_poller(int *epoll_fd) {
    gumloop_poller *poller = NULL;
    char *error = NULL;
    if (gumloop_poller_new(NULL, &poller, &error) != GUMLOOP_OK) {
        fprintf(stderr, "gumloop_poller_new: %s\n", error ? error : "");
        exit(1);
    }
    *epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data = {.fd = gumloop_poller_get_fd(poller)}};
    if (*epoll_fd < 0 || epoll_ctl(*epoll_fd, EPOLL_CTL_ADD, ev.data.fd, &ev) != 0) {
        perror("epoll");
        exit(1);
    }
    return poller;
}

static uint64_t start_call(gumloop_poller *poller, const gumloop_client *client, const char *operation,
                           const char *args) {
    uint64_t id = 0;
    char *error = NULL;
    gumloop_code code = gumloop_poller_start_call(poller, client, operation, args, NULL, 0, &id, &error);
    if (code != GUMLOOP_OK) {
        fprintf(stderr, "start %s: %s: %s\n", operation, gumloop_code_get_name(code), error ? error : "");
        exit(1);
    }
    return id;
}

/* Waits (at most 30 s) until the poller's descriptor is readable. */
static void wait_ready(int epoll_fd) {
    struct epoll_event ev;
    if (epoll_wait(epoll_fd, &ev, 1, 30000) != 1) {
        fprintf(stderr, "nothing ready for 30 s\n");
        exit(1);
    }
}

typedef struct {
    const char *workload;
    const char *session_id;
    long concurrency;
    double seconds;
    double warmup;
    long streams;
    const char *prompt;
} poll_options;

static int calls_main(const poll_options *o) {
    int retrieve = strcmp(o->workload, "retrieve") == 0;
    if (!retrieve && strcmp(o->workload, "create_idle") != 0) {
        fprintf(stderr, "calls: --workload create_idle|retrieve\n");
        return 2;
    }
    if (retrieve && o->session_id == NULL) {
        fprintf(stderr, "--workload retrieve needs --session-id\n");
        return 2;
    }
    char args[256];
    const char *operation = retrieve ? "get_session" : "create_session";
    if (retrieve) {
        snprintf(args, sizeof args, "{\"session_id\":\"%s\"}", o->session_id);
    } else {
        snprintf(args, sizeof args, "{\"agent_id\":\"" BENCH_AGENT "\",\"body\":" BENCH_BODY_IDLE "}");
    }
    gumloop_client *client = bench_make_client();
    int epoll_fd = -1;
    gumloop_poller *poller = make_poller(&epoll_fd);
    call_table table;
    table_init(&table, (size_t)o->concurrency);
    size_t cap = 1u << 20, len = 0;
    uint64_t *latencies = malloc(cap * sizeof *latencies);
    if (latencies == NULL) {
        return 3;
    }
    for (long i = 0; i < o->concurrency; i++) {
        table_put(&table, start_call(poller, client, operation, args), bench_now_ns());
    }
    uint64_t now = bench_now_ns();
    uint64_t measure_from = now + (uint64_t)(o->warmup * 1e9);
    uint64_t measure_to = measure_from + (uint64_t)(o->seconds * 1e9);
    double cpu_from = 0, cpu_to = 0;
    long in_flight = o->concurrency, errors = 0, measuring = 0;
    while (in_flight > 0) {
        wait_ready(epoll_fd);
        for (;;) {
            uint64_t id = 0;
            uint32_t kind = 0;
            gumloop_code code = 0;
            char *json = NULL;
            gumloop_poller_take_item(poller, &id, &kind, &code, &json);
            if (kind == GUMLOOP_ITEM_NONE) {
                break;
            }
            now = bench_now_ns();
            uint64_t started = table_take(&table, id);
            if (code != GUMLOOP_OK) {
                if (errors++ == 0) {
                    fprintf(stderr, "call failed: %s: %s\n", gumloop_code_get_name(code), json ? json : "");
                }
            } else if (measuring && now < measure_to) {
                if (len == cap) {
                    cap *= 2;
                    uint64_t *grown = realloc(latencies, cap * sizeof *grown);
                    if (grown == NULL) {
                        return 3;
                    }
                    latencies = grown;
                }
                latencies[len++] = now - started;
            }
            gumloop_string_free(json);
            in_flight--;
            if (!measuring && now >= measure_from) {
                measuring = 1;
                cpu_from = bench_cpu_seconds();
            } else if (measuring && cpu_to == 0 && now >= measure_to) {
                cpu_to = bench_cpu_seconds();
            }
            if (now < measure_to) {
                table_put(&table, start_call(poller, client, operation, args), now);
                in_flight++;
            }
        }
    }
    double cpu = (cpu_to > 0 ? cpu_to : bench_cpu_seconds()) - cpu_from;
    /* The calls that ended inside the measured window, and that window's CPU time. */
    double seconds = o->seconds;
    qsort(latencies, len, sizeof *latencies, bench_compare_u64);
    double p50 = len ? (double)latencies[len / 2] / 1e3 : 0, p99 = len ? (double)latencies[len * 99 / 100] / 1e3 : 0;
    printf("{\"label\":\"libgumloop poller (C epoll)\",\"workload\":\"%s\",\"threads\":1,"
           "\"concurrency\":%ld,\"requests\":%zu,\"errors\":%ld,\"seconds\":%.4f,\"rps\":%.1f,"
           "\"p50_us\":%.1f,\"p99_us\":%.1f,\"cpu_s\":%.4f,\"cpu_us_per_req\":%.2f,\"max_rss_kb\":%ld}\n",
           o->workload, o->concurrency, len, errors, seconds, (double)len / seconds, p50, p99, cpu,
           len ? cpu * 1e6 / (double)len : 0.0, bench_status_kb("VmHWM"));
    free(latencies);
    free(table.ids);
    free(table.started);
    gumloop_poller_free(poller);
    close(epoll_fd);
    gumloop_client_free(client);
    return errors > 0;
}

/* Takes every ready item; counts the first event of each stream in *opened and the ends in
 * *ended (with their failures in *failed). `first` marks the streams that sent an event. */
static void drain_streams(gumloop_poller *poller, call_table *first, long *opened, long *ended, long *failed) {
    for (;;) {
        uint64_t id = 0;
        uint32_t kind = 0;
        gumloop_code code = 0;
        char *json = NULL;
        gumloop_poller_take_item(poller, &id, &kind, &code, &json);
        gumloop_string_free(json);
        if (kind == GUMLOOP_ITEM_NONE) {
            return;
        }
        if (kind == GUMLOOP_ITEM_EVENT && table_take(first, id) != 0) {
            (*opened)++;
        } else if (kind == GUMLOOP_ITEM_DONE) {
            (*ended)++;
            *failed += code != GUMLOOP_OK && code != GUMLOOP_ERR_CANCELLED;
            table_take(first, id);
        }
    }
}

static int streams_main(const poll_options *o) {
    gumloop_client *client = bench_make_client();
    int epoll_fd = -1;
    gumloop_poller *poller = make_poller(&epoll_fd);
    char args[512];
    snprintf(args, sizeof args, "{\"agent_id\":\"" BENCH_AGENT "\",\"body\":{\"input\":\"%s\"}}", o->prompt);
    /* One whole stream first, so that what is made once (the runtime, the TLS settings, the
     * connection pool) is in the baseline and not counted per stream. */
    call_table first;
    table_init(&first, (size_t)o->streams);
    long opened = 0, ended = 0, failed = 0;
    table_put(&first, start_call(poller, client, "stream_session", "{\"agent_id\":\"" BENCH_AGENT
                                                                   "\",\"body\":{\"input\":\"[words:5] [slow:0]\"}}"),
              1);
    while (ended < 1) {
        wait_ready(epoll_fd);
        drain_streams(poller, &first, &opened, &ended, &failed);
    }
    malloc_trim(0);
    struct mallinfo2 before = mallinfo2();
    long rss_before = bench_status_kb("VmRSS");
    uint64_t *ids = calloc((size_t)o->streams, sizeof *ids);
    if (ids == NULL) {
        return 3;
    }
    opened = ended = failed = 0;
    for (long i = 0; i < o->streams; i++) {
        ids[i] = start_call(poller, client, "stream_session", args);
        table_put(&first, ids[i], 1);
    }
    while (opened + ended < o->streams) {
        wait_ready(epoll_fd);
        drain_streams(poller, &first, &opened, &ended, &failed);
    }
    struct mallinfo2 open = mallinfo2();
    long rss_open = bench_status_kb("VmRSS");
    /* Every stream is open (has sent an event) unless it ended already: the prompt's pacing
     * keeps them open for its whole length. */
    for (long i = 0; i < o->streams; i++) {
        char *error = NULL;
        gumloop_poller_cancel_call(poller, ids[i], &error);
        gumloop_string_free(error);
    }
    while (ended < o->streams) {
        wait_ready(epoll_fd);
        drain_streams(poller, &first, &opened, &ended, &failed);
    }
    double heap = (double)open.uordblks - (double)before.uordblks;
    printf("{\"label\":\"libgumloop poller (C epoll)\",\"streams\":%ld,\"open\":%ld,\"failed\":%ld,"
           "\"heap_before_kb\":%.1f,\"heap_open_kb\":%.1f,\"heap_per_stream_kib\":%.2f,"
           "\"rss_per_stream_kib\":%.2f,\"max_rss_kb\":%ld}\n",
           o->streams, opened, failed, (double)before.uordblks / 1024, (double)open.uordblks / 1024,
           heap / 1024 / (double)o->streams, (double)(rss_open - rss_before) / (double)o->streams,
           bench_status_kb("VmHWM"));
    free(ids);
    free(first.ids);
    free(first.started);
    gumloop_poller_free(poller);
    close(epoll_fd);
    gumloop_client_free(client);
    return failed > 0 || opened < o->streams;
}

static void usage(const char *program) {
    fprintf(stderr,
            "usage: %s calls --workload create_idle|retrieve [--concurrency N] [--seconds S] "
            "[--warmup S] [--session-id ID]\n"
            "       %s streams [--streams N] [--prompt TEXT]\n",
            program, program);
    exit(2);
}

int main(int argc, char **argv) {
    /* Before any thread starts: one arena, so that mallinfo2 sees every thread's allocations. */
    mallopt(M_ARENA_MAX, 1);
    poll_options o = {"create_idle", NULL, 1000, 3.0, 0.5, 1000, "[words:50] [slow:30000] open"};
    if (argc < 2) {
        usage(argv[0]);
    }
    for (int i = 2; i < argc; i += 2) {
        const char *arg = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (value == NULL) {
            usage(argv[0]);
        } else if (strcmp(arg, "--workload") == 0) {
            o.workload = value;
        } else if (strcmp(arg, "--session-id") == 0) {
            o.session_id = value;
        } else if (strcmp(arg, "--concurrency") == 0) {
            o.concurrency = atol(value);
        } else if (strcmp(arg, "--seconds") == 0) {
            o.seconds = atof(value);
        } else if (strcmp(arg, "--warmup") == 0) {
            o.warmup = atof(value);
        } else if (strcmp(arg, "--streams") == 0) {
            o.streams = atol(value);
        } else if (strcmp(arg, "--prompt") == 0) {
            o.prompt = value;
        } else {
            usage(argv[0]);
        }
    }
    if (o.concurrency < 1 || o.streams < 1 || o.seconds <= 0) {
        usage(argv[0]);
    }
    if (strcmp(argv[1], "calls") == 0) {
        return calls_main(&o);
    }
    if (strcmp(argv[1], "streams") == 0) {
        return streams_main(&o);
    }
    usage(argv[0]);
    return 2;
}
