/*
 * Soak run: many threads make mixed calls through one client against the emulator for a fixed
 * time, while faults are armed at random through the emulator's admin API. The program samples
 * its own resident memory and the emulator's open connections, prints a summary, and fails when
 * a call broke the library's contract (an internal error, a caller-error code, a malformed
 * document), when memory grew after warm-up, or when connections stay open after the client is
 * freed.
 *
 * Run it under scripts/with-emulator.sh (`make soak`). Environment:
 *   SOAK_SECONDS          run time (default 600)
 *   SOAK_THREADS          calling threads (default 32)
 *   SOAK_SAMPLE_SECONDS   time between two samples (default 5)
 *   SOAK_FAULT_MS         time between two armed faults (default 500)
 *   SOAK_RESET_SECONDS    time between two emulator resets, which bound its state (default 60)
 *
 * Memory passes when the last sample taken while the threads run is at most
 * max(1.1 x W, W + 8 MiB), W being the first sample taken at or after 20% of the run (the end of
 * warm-up). Connections pass when the
 * emulator reports at most one open connection (the admin request asking) within 10 s of
 * gumloop_client_free.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gumloop.h"
#include "harness.h"

#define AGENT "agent_pro"
#define MAX_CODE 1000 /* codes at or above this are counted together as unknown */
#define MAX_SAMPLES 100000
#define RSS_SLACK_KB (8 * 1024)
#define SETTLE_SECONDS 10
#define CURSOR_KEY "\"stream_cursor\":\""
#define LOOPBACK "http://127.0.0.1:"

enum op {
    OP_CREATE_IDLE,
    OP_CREATE_KEYED,
    OP_CREATE_INPUT,
    OP_GET,
    OP_LIST,
    OP_SEND,
    OP_CANCEL,
    OP_RENAME,
    OP_STREAM,
    OP_COUNT
};

static const char *const OP_NAMES[OP_COUNT] = {
    "create idle", "create keyed", "create input", "get", "list",
    "send",        "cancel",       "rename",       "stream",
};

/* Relative frequency of each operation. */
static const unsigned OP_WEIGHTS[OP_COUNT] = {10, 10, 8, 20, 10, 10, 8, 8, 16};

struct worker {
    pthread_t thread;
    int index;
    uint64_t rng;
    const gumloop_client *client;
    char session[96];  /* the last session this thread created with a known ID */
    unsigned long next_id;
    long calls[OP_COUNT];
    long ok[OP_COUNT];
    long by_code[MAX_CODE + 1];
    long bad_documents;
    long stream_events;
    long stream_out_of_order;
    char first_bad[512];
};

struct sample {
    double t;
    long rss_kb;
    long open_connections;
    double load; /* the machine's 1-minute load average */
    int running;  /* taken while the calling threads ran */
};

static double deadline;
static double started;
static atomic_int stop_helpers;
static struct sample samples[MAX_SAMPLES];
static size_t sample_count;
static long faults_armed;
static long resets;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Sleeps up to `ms`, in short steps, returning early once helpers are told to stop. */
static void helper_sleep(long ms) {
    while (ms > 0 && !atomic_load(&stop_helpers)) {
        long step = ms < 100 ? ms : 100;
        sleep_ms(step);
        ms -= step;
    }
}

/* The 1-minute load average, or -1. */
static double load_average(void) {
    FILE *f = fopen("/proc/loadavg", "r");
    double load = -1.0;
    if (f != NULL) {
        if (fscanf(f, "%lf", &load) != 1) {
            load = -1.0;
        }
        fclose(f);
    }
    return load;
}

static long env_long(const char *name, long fallback) {
    const char *text = getenv(name);
    if (text == NULL || *text == '\0') {
        return fallback;
    }
    char *end = NULL;
    long value = strtol(text, &end, 10);
    if (*end != '\0' || value <= 0) {
        fprintf(stderr, "soak: %s must be a positive whole number, got '%s'\n", name, text);
        exit(2);
    }
    return value;
}

static uint64_t next_random(uint64_t *state) {
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static unsigned pick(uint64_t *rng, unsigned n) {
    return (unsigned)(next_random(rng) % n);
}

static long rss_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL) {
        return -1;
    }
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kb = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kb;
}

/* The emulator's open connections (its gauge counts the admin request asking), or -1. */
static long emulator_open_connections(void) {
    char *stats = admin_request("GET", "/stats", NULL);
    const char *section = stats ? strstr(stats, "\"connections\":") : NULL;
    const char *open = section ? strstr(section, "\"open\":") : NULL;
    long n = open ? strtol(open + strlen("\"open\":"), NULL, 10) : -1;
    free(stats);
    return n;
}

/* ---------------------------------------------------------------------------------------- */
/* Calls */

/* What one streaming call saw. */
struct stream_seen {
    long events;
    long last_cursor; /* the number after the last ':' of the last stream_cursor, 0 before one */
    long out_of_order;
};

static int on_event(void *user_data, const char *event_json, size_t len) {
    struct stream_seen *seen = user_data;
    if (event_json == NULL || len == 0 || event_json[0] != '{' || event_json[len] != '\0') {
        seen->out_of_order++;
        return 0;
    }
    seen->events++;
    const char *cursor = strstr(event_json, CURSOR_KEY);
    const char *value = cursor ? cursor + strlen(CURSOR_KEY) : NULL;
    const char *end = value ? strchr(value, '"') : NULL;
    const char *colon = NULL;
    for (const char *p = value; p != NULL && p < end; p++) {
        if (*p == ':') {
            colon = p;
        }
    }
    if (colon != NULL) {
        long n = strtol(colon + 1, NULL, 10);
        /* Each event once, in order: cursors only grow within one call. */
        if (n <= seen->last_cursor) {
            seen->out_of_order++;
        }
        seen->last_cursor = n;
    }
    return 0;
}

/* Whether `out` is what the header promises for `code`. */
static int document_is_sound(gumloop_code code, const char *out) {
    if (out == NULL || out[0] != '{') {
        return 0;
    }
    if (code == GUMLOOP_OK) {
        return strncmp(out, "{\"error\":", 9) != 0;
    }
    char kind[96];
    snprintf(kind, sizeof kind, "\"kind\":\"%s\"", gumloop_code_get_name(code));
    return strncmp(out, "{\"error\":{", 10) == 0 && strstr(out, kind) != NULL;
}

static gumloop_code call(struct worker *w, enum op op, char **out) {
    char body[256];
    const char *session = w->session[0] ? w->session : "sess_soak_none";
    switch (op) {
    case OP_CREATE_IDLE:
        return gumloop_client_create_session(w->client, AGENT, NULL, NULL, out);
    case OP_CREATE_KEYED: {
        char id[96];
        snprintf(id, sizeof id, "sess_soak_%d_%lu", w->index, w->next_id++);
        snprintf(body, sizeof body, "{\"session_id\":\"%s\"%s}", id,
                 pick(&w->rng, 2) ? ",\"input\":\"soak keyed [words:5]\"" : "");
        gumloop_code code = gumloop_client_create_session(w->client, AGENT, body, NULL, out);
        if (code == GUMLOOP_OK) {
            snprintf(w->session, sizeof w->session, "%s", id);
        }
        return code;
    }
    case OP_CREATE_INPUT:
        return gumloop_client_create_session(w->client, AGENT, "{\"input\":\"soak input [words:5]\"}",
                                             NULL, out);
    case OP_GET:
        return gumloop_client_get_session(w->client, session, NULL, out);
    case OP_LIST:
        return gumloop_client_list_sessions(w->client, AGENT, "{\"page_size\":5}", NULL, out);
    case OP_SEND:
        return gumloop_client_send_message(w->client, session, "{\"input\":\"soak send [words:3]\"}",
                                           NULL, out);
    case OP_CANCEL:
        return gumloop_client_cancel_session(w->client, session, NULL, out);
    case OP_RENAME:
        snprintf(body, sizeof body, "soak rename %lu", w->next_id);
        return gumloop_client_rename_session(w->client, session, body, NULL, out);
    case OP_STREAM: {
        struct stream_seen seen = {0, 0, 0};
        gumloop_code code = gumloop_client_stream_session(
            w->client, AGENT, "{\"input\":\"soak stream [words:20]\"}", on_event, &seen, NULL, out);
        w->stream_events += seen.events;
        w->stream_out_of_order += seen.out_of_order;
        return code;
    }
    case OP_COUNT:
        break;
    }
    return GUMLOOP_ERR_INTERNAL;
}

static void *worker_main(void *arg) {
    struct worker *w = arg;
    unsigned total_weight = 0;
    for (int i = 0; i < OP_COUNT; i++) {
        total_weight += OP_WEIGHTS[i];
    }
    while (now() < deadline) {
        unsigned r = pick(&w->rng, total_weight);
        enum op op = OP_CREATE_IDLE;
        while (r >= OP_WEIGHTS[op]) {
            r -= OP_WEIGHTS[op];
            op++;
        }
        char *out = NULL;
        gumloop_code code = call(w, op, &out);
        w->calls[op]++;
        w->ok[op] += code == GUMLOOP_OK;
        w->by_code[code < MAX_CODE ? code : MAX_CODE]++;
        if (!document_is_sound(code, out)) {
            if (w->bad_documents++ == 0) {
                snprintf(w->first_bad, sizeof w->first_bad, "%s -> %s: %.400s", OP_NAMES[op],
                         gumloop_code_get_name(code), out ? out : "(null)");
            }
        }
        gumloop_string_free(out);
        sleep_ms((long)pick(&w->rng, 5)); /* a little think time */
    }
    return NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Faults, resets, samples */

struct target {
    const char *method;
    const char *path;
    const char *listener;
    int stream; /* whether the request gets an event stream */
};

static const struct target TARGETS[] = {
    {"POST", "/api/v1/agents/*/sessions", "api", 0},
    {"GET", "/api/v1/sessions/*", "api", 0},
    {"GET", "/api/v1/agents/*/sessions", "api", 0},
    {"POST", "/api/v1/sessions/*/messages", "api", 0},
    {"POST", "/api/v1/sessions/*/cancel", "api", 0},
    {"PATCH", "/api/v1/sessions/*", "api", 0},
    {"POST", "/api/v1/agents/*/sessions", "stream", 1},
    {"GET", "/api/v1/sessions/*", "stream", 1},
};

static const char *const REQUEST_FAULTS[] = {
    "\"status\":503",
    "\"status\":503,\"retry_after\":1",
    "\"status\":429,\"retry_after\":1",
    "\"status\":502",
    "\"status\":500",
    "\"delay_ms\":2500",
    "\"reset\":\"before_response\"",
    "\"reset\":\"before_request\"",
    "\"truncate\":true",
    "\"garbage\":true",
    NULL, /* the redirect, built at start-up */
};
#define REQUEST_FAULT_COUNT (sizeof REQUEST_FAULTS / sizeof REQUEST_FAULTS[0])

static const char *const STREAM_FAULTS[] = {
    "\"stall_stream_after\":3",
    "\"drop_stream_after\":3",
    "\"drop_stream_after\":0",
};
#define STREAM_FAULT_COUNT (sizeof STREAM_FAULTS / sizeof STREAM_FAULTS[0])

static char redirect_fault[512];

static void *faults_main(void *arg) {
    long interval_ms = *(const long *)arg;
    long reset_every_ms = env_long("SOAK_RESET_SECONDS", 60) * 1000;
    uint64_t rng = 0x9E3779B97F4A7C15ULL ^ (uint64_t)time(NULL);
    double last_reset = now();
    while (!atomic_load(&stop_helpers) && now() < deadline) {
        helper_sleep(interval_ms);
        if ((now() - last_reset) * 1000.0 >= (double)reset_every_ms) {
            admin_reset();
            resets++;
            last_reset = now();
        }
        const struct target *t = &TARGETS[pick(&rng, sizeof TARGETS / sizeof TARGETS[0])];
        const char *kind = NULL;
        if (t->stream && pick(&rng, 2)) {
            kind = STREAM_FAULTS[pick(&rng, STREAM_FAULT_COUNT)];
        } else {
            kind = REQUEST_FAULTS[pick(&rng, REQUEST_FAULT_COUNT)];
            if (kind == NULL) {
                kind = redirect_fault;
            }
        }
        char fault[768];
        snprintf(fault, sizeof fault,
                 "{\"method\":\"%s\",\"path\":\"%s\",\"listener\":\"%s\",\"times\":%u,%s}",
                 t->method, t->path, t->listener, 1 + pick(&rng, 3), kind);
        char *reply = admin_request("POST", "/faults", fault);
        if (reply != NULL && strstr(reply, "\"faults\":[{") != NULL) {
            faults_armed++;
        } else {
            fprintf(stderr, "soak: could not arm %s: %s\n", fault, reply ? reply : "(no answer)");
        }
        free(reply);
    }
    return NULL;
}

static void take_sample(void) {
    if (sample_count < MAX_SAMPLES) {
        samples[sample_count].t = now() - started;
        samples[sample_count].rss_kb = rss_kb();
        samples[sample_count].open_connections = emulator_open_connections();
        samples[sample_count].load = load_average();
        samples[sample_count].running = now() < deadline;
        sample_count++;
    }
}

static void *sampler_main(void *arg) {
    long interval_ms = *(const long *)arg;
    double next_progress = now() + 60.0;
    while (!atomic_load(&stop_helpers)) {
        take_sample();
        const struct sample *s = &samples[sample_count - 1];
        if (now() >= next_progress) {
            fprintf(stderr, "soak: %4.0f s  RSS %ld kB  emulator connections open %ld\n", s->t,
                    s->rss_kb, s->open_connections);
            next_progress += 60.0;
        }
        helper_sleep(interval_ms);
    }
    return NULL;
}

/* ---------------------------------------------------------------------------------------- */

int main(void) {
    long seconds = env_long("SOAK_SECONDS", 600);
    long threads = env_long("SOAK_THREADS", 32);
    long sample_ms = env_long("SOAK_SAMPLE_SECONDS", 5) * 1000;
    long fault_ms = env_long("SOAK_FAULT_MS", 500);

    const char *base = getenv("GUMLOOP_BASE_URL");
    if (base == NULL || strncmp(base, LOOPBACK, strlen(LOOPBACK)) != 0) {
        fprintf(stderr, "soak: run under scripts/with-emulator.sh (loopback only)\n");
        return 2;
    }
    /* Same port, another host name: another origin, which must not be followed. */
    snprintf(redirect_fault, sizeof redirect_fault, "\"redirect\":\"http://localhost:%s/agents/x/sessions\"",
             base + strlen(LOOPBACK));

    gumloop_client *client = NULL;
    char *err = NULL;
    gumloop_code code = gumloop_client_new(
        "{\"access_token\":\"gk_personal_ada\",\"user_id\":\"user_ada\",\"timeout_ms\":1500,"
        "\"connect_timeout_ms\":1000,\"stream_idle_timeout_ms\":1500,\"max_backoff_ms\":1000}",
        &client, &err);
    if (code != GUMLOOP_OK) {
        fprintf(stderr, "soak: gumloop_client_new: %s %s\n", gumloop_code_get_name(code), err ? err : "");
        gumloop_string_free(err);
        return 2;
    }
    admin_reset();

    struct worker *workers = calloc((size_t)threads, sizeof *workers);
    if (workers == NULL) {
        return 2;
    }
    printf("soak: %ld threads for %ld s against %s, a fault every %ld ms, a reset every %ld s, "
           "samples every %ld s\n",
           threads, seconds, base, fault_ms, env_long("SOAK_RESET_SECONDS", 60), sample_ms / 1000);
    fflush(stdout);
    double load_before = load_average();
    started = now();
    deadline = started + (double)seconds;

    pthread_t sampler, faulter;
    take_sample();
    pthread_create(&sampler, NULL, sampler_main, &sample_ms);
    pthread_create(&faulter, NULL, faults_main, &fault_ms);
    for (long i = 0; i < threads; i++) {
        workers[i].index = (int)i;
        workers[i].client = client;
        workers[i].rng = 0x2545F4914F6CDD1DULL * (uint64_t)(i + 1) ^ (uint64_t)time(NULL);
        if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) != 0) {
            fprintf(stderr, "soak: cannot start thread %ld\n", i);
            return 2;
        }
    }
    for (long i = 0; i < threads; i++) {
        pthread_join(workers[i].thread, NULL);
    }
    double elapsed = now() - started;
    double load_after = load_average();
    atomic_store(&stop_helpers, 1);
    pthread_join(faulter, NULL);
    pthread_join(sampler, NULL);
    take_sample(); /* every call has returned (thread stacks are gone), the client is still alive */
    admin_reset();  /* disarm what is left */

    gumloop_client_free(client);
    long open_after = -1;
    double settle_deadline = now() + SETTLE_SECONDS;
    do {
        sleep_ms(200);
        open_after = emulator_open_connections();
    } while (open_after > 1 && now() < settle_deadline);

    /* Totals. */
    long total = 0, ok_total = 0, bad = 0, events = 0, out_of_order = 0;
    long by_code[MAX_CODE + 1] = {0};
    long calls[OP_COUNT] = {0}, ok[OP_COUNT] = {0};
    const char *first_bad = NULL;
    for (long i = 0; i < threads; i++) {
        for (int op = 0; op < OP_COUNT; op++) {
            calls[op] += workers[i].calls[op];
            ok[op] += workers[i].ok[op];
        }
        for (int c = 0; c <= MAX_CODE; c++) {
            by_code[c] += workers[i].by_code[c];
        }
        bad += workers[i].bad_documents;
        events += workers[i].stream_events;
        out_of_order += workers[i].stream_out_of_order;
        if (first_bad == NULL && workers[i].bad_documents > 0) {
            first_bad = workers[i].first_bad;
        }
    }
    for (int op = 0; op < OP_COUNT; op++) {
        total += calls[op];
        ok_total += ok[op];
    }

    int failed = 0;
    printf("\ncalls: %ld in %.0f s (%.0f/s), %ld OK; %ld stream events delivered, %ld out of order\n",
           total, elapsed, (double)total / elapsed, ok_total, events, out_of_order);
    printf("faults armed: %ld; emulator resets: %ld; load average (1 min) %.2f at start, %.2f at end\n",
           faults_armed, resets, load_before, load_after);
    printf("\nby operation:            calls        OK\n");
    for (int op = 0; op < OP_COUNT; op++) {
        printf("  %-18s %10ld %9ld\n", OP_NAMES[op], calls[op], ok[op]);
    }
    printf("\nby code:\n");
    long contract_breaks = 0;
    for (int c = 0; c <= MAX_CODE; c++) {
        if (by_code[c] == 0) {
            continue;
        }
        const char *name = c == MAX_CODE ? "(unknown code >= 1000)" : gumloop_code_get_name((gumloop_code)c);
        printf("  %4d %-32s %10ld\n", c, name, by_code[c]);
        /* Caller errors (1-99) cannot come from this program's well-formed calls; internal
         * errors are caught panics; an unknown code is outside the header. */
        if ((c >= 1 && c <= 99) || c >= 900 || strcmp(name, "GUMLOOP_ERR_UNKNOWN") == 0) {
            contract_breaks += by_code[c];
        }
    }
    if (contract_breaks > 0) {
        printf("FAIL: %ld calls ended with an internal, caller or unknown code\n", contract_breaks);
        failed = 1;
    }
    if (bad > 0) {
        printf("FAIL: %ld calls returned a document that does not match their code; first: %s\n", bad,
               first_bad);
        failed = 1;
    }
    if (out_of_order > 0) {
        printf("FAIL: %ld stream events were malformed, repeated or out of order\n", out_of_order);
        failed = 1;
    }
    if (ok_total == 0) {
        printf("FAIL: no call succeeded\n");
        failed = 1;
    }

    /* Memory: like is compared with like, so the last sample is the last one taken while the
     * calling threads ran (their stacks and allocator caches count in every sample before). */
    const struct sample *first = &samples[0];
    const struct sample *after = &samples[sample_count - 1];
    const struct sample *last = first;
    const struct sample *warm = NULL;
    const struct sample *half = NULL;
    const struct sample *max = first;
    for (size_t i = 0; i < sample_count; i++) {
        if (!samples[i].running) {
            continue;
        }
        last = &samples[i];
        if (warm == NULL && samples[i].t >= 0.2 * (double)seconds) {
            warm = &samples[i];
        }
        if (half == NULL && samples[i].t >= 0.5 * (double)seconds) {
            half = &samples[i];
        }
        if (samples[i].rss_kb > max->rss_kb) {
            max = &samples[i];
        }
    }
    if (warm == NULL) {
        warm = last;
    }
    if (half == NULL) {
        half = last;
    }
    long limit = warm->rss_kb + RSS_SLACK_KB;
    if ((long)(1.1 * (double)warm->rss_kb) > limit) {
        limit = (long)(1.1 * (double)warm->rss_kb);
    }
    long max_open = 0;
    double load_sum = 0.0, load_max = 0.0;
    for (size_t i = 0; i < sample_count; i++) {
        if (samples[i].open_connections > max_open) {
            max_open = samples[i].open_connections;
        }
        load_sum += samples[i].load;
        if (samples[i].load > load_max) {
            load_max = samples[i].load;
        }
    }
    printf("\nRSS (%zu samples): first %ld kB, at 20%% (%.0f s) %ld kB, max %ld kB (%.0f s), "
           "last while running (%.0f s) %ld kB, after the threads ended %ld kB\n",
           sample_count, first->rss_kb, warm->t, warm->rss_kb, max->rss_kb, max->t, last->t,
           last->rss_kb, after->rss_kb);
    if (last->t > half->t) {
        printf("RSS trend over the second half: %+.0f kB/min\n",
               (double)(last->rss_kb - half->rss_kb) * 60.0 / (last->t - half->t));
    }
    printf("RSS limit: max(1.1 x %ld, %ld + %d) = %ld kB: %s\n", warm->rss_kb, warm->rss_kb,
           RSS_SLACK_KB, limit, last->rss_kb <= limit ? "ok" : "GREW");
    printf("RSS every minute (kB):");
    for (size_t i = 0; i < sample_count; i++) {
        if (i == 0 || (long)(samples[i].t / 60.0) != (long)(samples[i - 1].t / 60.0)) {
            printf(" %ld", samples[i].rss_kb);
        }
    }
    printf("\n");
    if (last->rss_kb > limit || first->rss_kb < 0) {
        printf("FAIL: resident memory grew after warm-up\n");
        failed = 1;
    }

    printf("\nload average (1 min) over the samples: mean %.2f, max %.2f\n", load_sum / (double)sample_count,
           load_max);
    printf("\nemulator connections open: at most %ld during the run, %ld after gumloop_client_free "
           "(counting the admin request)\n",
           max_open, open_after);
    if (open_after < 0 || open_after > 1) {
        printf("FAIL: connections stay open after the client was freed\n");
        failed = 1;
    }

    free(workers);
    printf("\nsoak: %s\n", failed ? "FAIL" : "PASS");
    return failed;
}
