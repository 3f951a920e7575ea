/*
 * bench.h: the request-loop harness shared by the C benchmark programs.
 *
 * A program supplies three functions (per-thread setup, one request, per-thread teardown) and
 * calls bench_main(); the harness parses the common arguments, runs the threads (a warm-up, then
 * a measured window that every thread starts together), and prints one JSON line with
 * requests/s, latency percentiles, CPU time and peak RSS.
 *
 * Common arguments:  --workload create_idle|create_input|retrieve  --threads N
 *                    --seconds S (measured window)  or  --requests N (per thread, no time limit)
 *                    --warmup S  --session-id ID (for retrieve)  --label TEXT
 */
#ifndef GUMLOOP_BENCH_H
#define GUMLOOP_BENCH_H

#include <stddef.h>
#include <stdint.h>

/** The workloads every client runs. */
typedef enum {
    BENCH_CREATE_IDLE = 0, /* POST /agents/agent_pro/sessions with {} */
    BENCH_CREATE_INPUT,    /* POST /agents/agent_pro/sessions with {"input":"hello"} */
    BENCH_RETRIEVE,        /* GET /sessions/{id} */
} bench_workload;

/** The same request bodies for every client. */
#define BENCH_AGENT "agent_pro"
#define BENCH_BODY_IDLE "{}"
#define BENCH_BODY_INPUT "{\"input\":\"hello\"}"
#define BENCH_TOKEN "gk_personal_ada"
#define BENCH_USER "user_ada"

typedef struct {
    const char *label;       /* client name in the output */
    bench_workload workload; /* what each request is */
    const char *workload_name;
    int threads;
    double seconds;       /* measured window, when requests == 0 */
    long requests;        /* requests per thread (count mode), 0 for time mode */
    double warmup;        /* seconds of unmeasured requests per thread first */
    const char *session_id; /* for BENCH_RETRIEVE */
} bench_options;

/** Per-thread setup: make *state for thread `index`; 0 on success. */
typedef int (*bench_setup_fn)(void *shared, int index, void **state);
/** One request; 0 on success, non-zero on failure (counted, the loop goes on). */
typedef int (*bench_request_fn)(void *state, const bench_options *options);
/** Per-thread teardown. */
typedef void (*bench_teardown_fn)(void *state);

typedef struct {
    bench_setup_fn setup;
    bench_request_fn request;
    bench_teardown_fn teardown;
    void *shared;
} bench_client;

/** Parses the common arguments into *options (exits with a usage message on a bad one). */
void bench_parse(int argc, char **argv, bench_options *options);

/** Runs the loop described by *options with *client and prints the JSON result line.
 *  Returns 0 when every request succeeded, 1 otherwise. */
int bench_run(const bench_options *options, const bench_client *client);

/** qsort comparison of two uint64_t values, ascending. */
int bench_compare_u64(const void *a, const void *b);

/** User plus system CPU time of this process so far, in seconds. */
double bench_cpu_seconds(void);

/** A number of /proc/self/status in KiB (`key` e.g. "VmHWM", peak resident memory, or
 *  "VmRSS"), or -1. (getrusage's ru_maxrss is not used: after fork and exec it keeps the
 *  parent's high-water mark.) */
long bench_status_kb(const char *key);

/** Monotonic time in nanoseconds. */
uint64_t bench_now_ns(void);

/** The environment variable `name`, or exits with a message when it is unset. */
const char *bench_env(const char *name);

#endif
