/* bench.c: the threaded request loop, its timing and its JSON report (see bench.h). */
#define _POSIX_C_SOURCE 200809L

#include "bench.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

uint64_t bench_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

const char *bench_env(const char *name) {
    const char *value = getenv(name);
    if (value == NULL || value[0] == '\0') {
        fprintf(stderr, "%s is not set: run under scripts/with-emulator.sh\n", name);
        exit(2);
    }
    return value;
}

static void usage(const char *program) {
    fprintf(stderr,
            "usage: %s --workload create_idle|create_input|retrieve [--threads N] "
            "[--seconds S | --requests N] [--warmup S] [--session-id ID] [--label TEXT]\n",
            program);
    exit(2);
}

void bench_parse(int argc, char **argv, bench_options *o) {
    memset(o, 0, sizeof *o);
    o->label = "client";
    o->workload_name = NULL;
    o->threads = 1;
    o->seconds = 3.0;
    o->warmup = 0.3;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (value == NULL) {
            usage(argv[0]);
        }
        if (strcmp(arg, "--workload") == 0) {
            o->workload_name = value;
        } else if (strcmp(arg, "--threads") == 0) {
            o->threads = atoi(value);
        } else if (strcmp(arg, "--seconds") == 0) {
            o->seconds = atof(value);
        } else if (strcmp(arg, "--requests") == 0) {
            o->requests = atol(value);
        } else if (strcmp(arg, "--warmup") == 0) {
            o->warmup = atof(value);
        } else if (strcmp(arg, "--session-id") == 0) {
            o->session_id = value;
        } else if (strcmp(arg, "--label") == 0) {
            o->label = value;
        } else {
            usage(argv[0]);
        }
        i++;
    }
    if (o->workload_name == NULL || o->threads < 1 || o->threads > 1024) {
        usage(argv[0]);
    }
    if (strcmp(o->workload_name, "create_idle") == 0) {
        o->workload = BENCH_CREATE_IDLE;
    } else if (strcmp(o->workload_name, "create_input") == 0) {
        o->workload = BENCH_CREATE_INPUT;
    } else if (strcmp(o->workload_name, "retrieve") == 0) {
        o->workload = BENCH_RETRIEVE;
        if (o->session_id == NULL) {
            fprintf(stderr, "--workload retrieve needs --session-id\n");
            exit(2);
        }
    } else {
        usage(argv[0]);
    }
}

/* One thread's latencies, in nanoseconds, in a growing array. */
typedef struct {
    uint64_t *ns;
    size_t len;
    size_t cap;
} samples;

static void samples_push(samples *s, uint64_t value) {
    if (s->len == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 65536;
        uint64_t *grown = realloc(s->ns, cap * sizeof *grown);
        if (grown == NULL) {
            fprintf(stderr, "out of memory for latency samples\n");
            exit(3);
        }
        s->ns = grown;
        s->cap = cap;
    }
    s->ns[s->len++] = value;
}

typedef struct {
    const bench_options *options;
    const bench_client *client;
    pthread_barrier_t *ready;
    int index;
    int setup_failed;
    long errors;
    uint64_t start_ns;
    uint64_t end_ns;
    samples latencies;
} worker;

static void *worker_main(void *arg) {
    worker *w = arg;
    const bench_options *o = w->options;
    void *state = NULL;
    w->setup_failed = w->client->setup(w->client->shared, w->index, &state) != 0;
    if (!w->setup_failed && o->warmup > 0) {
        uint64_t until = bench_now_ns() + (uint64_t)(o->warmup * 1e9);
        while (bench_now_ns() < until) {
            if (w->client->request(state, o) != 0) {
                break;
            }
        }
    }
    pthread_barrier_wait(w->ready);
    if (w->setup_failed) {
        return NULL;
    }
    w->start_ns = bench_now_ns();
    uint64_t deadline = w->start_ns + (uint64_t)(o->seconds * 1e9);
    uint64_t before = w->start_ns;
    for (long n = 0;; n++) {
        if (o->requests > 0 ? n >= o->requests : before >= deadline) {
            break;
        }
        int failed = w->client->request(state, o);
        uint64_t after = bench_now_ns();
        if (failed) {
            w->errors++;
        } else {
            samples_push(&w->latencies, after - before);
        }
        before = after;
    }
    w->end_ns = before;
    w->client->teardown(state);
    return NULL;
}

int bench_compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a;
    uint64_t y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The p-th percentile (0 < p <= 100) of sorted values, nearest rank. */
static double percentile_us(const uint64_t *sorted, size_t n, double p) {
    if (n == 0) {
        return 0.0;
    }
    size_t rank = (size_t)((p / 100.0) * (double)n + 0.999999);
    if (rank < 1) {
        rank = 1;
    }
    if (rank > n) {
        rank = n;
    }
    return (double)sorted[rank - 1] / 1000.0;
}

long bench_status_kb(const char *key) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    size_t n = strlen(key);
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, key, n) == 0 && line[n] == ':') {
            kb = atol(line + n + 1);
            break;
        }
    }
    if (f != NULL) {
        fclose(f);
    }
    return kb;
}

static double rusage_seconds(const struct rusage *r) {
    return (double)r->ru_utime.tv_sec + (double)r->ru_utime.tv_usec / 1e6 +
           (double)r->ru_stime.tv_sec + (double)r->ru_stime.tv_usec / 1e6;
}

double bench_cpu_seconds(void) {
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return rusage_seconds(&r);
}

int bench_run(const bench_options *o, const bench_client *client) {
    int n = o->threads;
    worker *workers = calloc((size_t)n, sizeof *workers);
    pthread_t *ids = calloc((size_t)n, sizeof *ids);
    pthread_barrier_t ready;
    if (workers == NULL || ids == NULL || pthread_barrier_init(&ready, NULL, (unsigned)n + 1) != 0) {
        fprintf(stderr, "cannot set up %d threads\n", n);
        return 1;
    }
    for (int i = 0; i < n; i++) {
        workers[i].options = o;
        workers[i].client = client;
        workers[i].ready = &ready;
        workers[i].index = i;
        if (pthread_create(&ids[i], NULL, worker_main, &workers[i]) != 0) {
            fprintf(stderr, "cannot start thread %d\n", i);
            return 1;
        }
    }
    struct rusage before;
    pthread_barrier_wait(&ready);
    uint64_t start = bench_now_ns();
    getrusage(RUSAGE_SELF, &before);
    for (int i = 0; i < n; i++) {
        pthread_join(ids[i], NULL);
    }
    struct rusage after;
    getrusage(RUSAGE_SELF, &after);

    size_t total = 0;
    long errors = 0;
    int setup_failed = 0;
    uint64_t end = start;
    for (int i = 0; i < n; i++) {
        total += workers[i].latencies.len;
        errors += workers[i].errors;
        setup_failed |= workers[i].setup_failed;
        if (workers[i].end_ns > end) {
            end = workers[i].end_ns;
        }
    }
    uint64_t *all = malloc((total ? total : 1) * sizeof *all);
    if (all == NULL) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    size_t at = 0;
    double sum_us = 0;
    for (int i = 0; i < n; i++) {
        memcpy(all + at, workers[i].latencies.ns, workers[i].latencies.len * sizeof *all);
        at += workers[i].latencies.len;
        free(workers[i].latencies.ns);
    }
    for (size_t i = 0; i < total; i++) {
        sum_us += (double)all[i] / 1000.0;
    }
    qsort(all, total, sizeof *all, bench_compare_u64);
    double seconds = (double)(end - start) / 1e9;
    double cpu = rusage_seconds(&after) - rusage_seconds(&before);
    printf("{\"label\":\"%s\",\"workload\":\"%s\",\"threads\":%d,\"requests\":%zu,\"errors\":%ld,"
           "\"seconds\":%.4f,\"rps\":%.1f,\"p50_us\":%.1f,\"p99_us\":%.1f,\"mean_us\":%.1f,"
           "\"cpu_s\":%.4f,\"cpu_us_per_req\":%.2f,\"max_rss_kb\":%ld}\n",
           o->label, o->workload_name, n, total, errors, seconds,
           seconds > 0 ? (double)total / seconds : 0.0, percentile_us(all, total, 50.0),
           percentile_us(all, total, 99.0), total ? sum_us / (double)total : 0.0, cpu,
           total ? cpu * 1e6 / (double)total : 0.0, bench_status_kb("VmHWM"));
    fflush(stdout);
    free(all);
    free(workers);
    free(ids);
    pthread_barrier_destroy(&ready);
    return (errors > 0 || setup_failed) ? 1 : 0;
}
