/*
 * first_call: the cost of starting to use a client library in a fresh process: loading it
 * (dlopen and symbol lookup), creating the client, the first request (for libgumloop that
 * includes starting its runtime; for both, connecting) and a second request for comparison,
 * with the resident memory (VmRSS) after each step.
 *
 *   first_call gumloop PATH/libgumloop.so
 *   first_call curl [libcurl.so.4]
 *
 * The libcurl run takes only types and constants from curl.h; the library itself is loaded
 * with dlopen like libgumloop, so both are timed the same way.
 *
 * Prints one JSON line. Reads GUMLOOP_BASE_URL.
 */
#define _POSIX_C_SOURCE 200809L

#include "bench.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* VmRSS of this process in KiB, from /proc/self/status. */
static long rss_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    if (f == NULL) {
        return -1;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kb = atol(line + 6);
            break;
        }
    }
    fclose(f);
    return kb;
}

/* dlsym into a function pointer of any type, without an object-to-function pointer cast. */
static void lookup(void *library, const char *name, void *out_fn, size_t size) {
    void *symbol = dlsym(library, name);
    if (symbol == NULL) {
        fprintf(stderr, "missing symbol %s: %s\n", name, dlerror());
        exit(1);
    }
    memcpy(out_fn, &symbol, size);
}
#define LOOKUP(lib, name, fn) lookup((lib), (name), &(fn), sizeof(fn))

typedef struct {
    double load_ms, client_ms, first_ms, second_ms;
    long rss_start, rss_loaded, rss_client, rss_first, rss_second;
} steps;

static double ms_since(uint64_t start) { return (double)(bench_now_ns() - start) / 1e6; }

typedef uint32_t (*client_new_fn)(const char *, void **, char **);
typedef uint32_t (*create_fn)(const void *, const char *, const char *, const void *, char **);
typedef void (*string_free_fn)(char *);

static int run_gumloop(const char *path, steps *s) {
    char options[1024];
    snprintf(options, sizeof options,
             "{\"access_token\":\"" BENCH_TOKEN "\",\"user_id\":\"" BENCH_USER
             "\",\"base_url\":\"%s\"}",
             bench_env("GUMLOOP_BASE_URL"));
    s->rss_start = rss_kb();
    uint64_t t = bench_now_ns();
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        fprintf(stderr, "dlopen %s: %s\n", path, dlerror());
        return 1;
    }
    client_new_fn client_new;
    create_fn create;
    string_free_fn string_free;
    LOOKUP(lib, "gumloop_client_new", client_new);
    LOOKUP(lib, "gumloop_client_create_session", create);
    LOOKUP(lib, "gumloop_string_free", string_free);
    s->load_ms = ms_since(t);
    s->rss_loaded = rss_kb();

    void *client = NULL;
    char *json = NULL;
    t = bench_now_ns();
    if (client_new(options, &client, &json) != 0) {
        fprintf(stderr, "gumloop_client_new: %s\n", json ? json : "");
        return 1;
    }
    s->client_ms = ms_since(t);
    s->rss_client = rss_kb();

    for (int i = 0; i < 2; i++) {
        t = bench_now_ns();
        uint32_t code = create(client, BENCH_AGENT, BENCH_BODY_IDLE, NULL, &json);
        double ms = ms_since(t);
        if (code != 0) {
            fprintf(stderr, "create: %s\n", json ? json : "");
            return 1;
        }
        string_free(json);
        if (i == 0) {
            s->first_ms = ms;
            s->rss_first = rss_kb();
        } else {
            s->second_ms = ms;
            s->rss_second = rss_kb();
        }
    }
    return 0;
}

typedef CURLcode (*curl_global_init_fn)(long);
typedef CURL *(*curl_easy_init_fn)(void);
typedef CURLcode (*curl_easy_setopt_fn)(CURL *, CURLoption, ...);
typedef CURLcode (*curl_easy_perform_fn)(CURL *);
typedef struct curl_slist *(*curl_slist_append_fn)(struct curl_slist *, const char *);

static size_t discard(char *data, size_t size, size_t count, void *user) {
    (void)data;
    (void)user;
    return size * count;
}

static int run_curl(const char *path, steps *s) {
    char url[512];
    snprintf(url, sizeof url, "%s/agents/" BENCH_AGENT "/sessions", bench_env("GUMLOOP_BASE_URL"));
    s->rss_start = rss_kb();
    uint64_t t = bench_now_ns();
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        fprintf(stderr, "dlopen %s: %s\n", path, dlerror());
        return 1;
    }
    curl_global_init_fn global_init;
    curl_easy_init_fn easy_init;
    curl_easy_setopt_fn setopt;
    curl_easy_perform_fn perform;
    curl_slist_append_fn slist_append;
    LOOKUP(lib, "curl_global_init", global_init);
    LOOKUP(lib, "curl_easy_init", easy_init);
    LOOKUP(lib, "curl_easy_setopt", setopt);
    LOOKUP(lib, "curl_easy_perform", perform);
    LOOKUP(lib, "curl_slist_append", slist_append);
    s->load_ms = ms_since(t);
    s->rss_loaded = rss_kb();

    t = bench_now_ns();
    global_init(CURL_GLOBAL_DEFAULT);
    CURL *easy = easy_init();
    struct curl_slist *headers = NULL;
    headers = slist_append(headers, "Authorization: Bearer " BENCH_TOKEN);
    headers = slist_append(headers, "x-auth-key: " BENCH_USER);
    headers = slist_append(headers, "Content-Type: application/json");
    setopt(easy, CURLOPT_URL, url);
    setopt(easy, CURLOPT_HTTPHEADER, headers);
    setopt(easy, CURLOPT_POSTFIELDS, BENCH_BODY_IDLE);
    setopt(easy, CURLOPT_WRITEFUNCTION, discard);
    setopt(easy, CURLOPT_WRITEDATA, NULL);
    s->client_ms = ms_since(t);
    s->rss_client = rss_kb();
    for (int i = 0; i < 2; i++) {
        t = bench_now_ns();
        CURLcode rc = perform(easy);
        double ms = ms_since(t);
        if (rc != 0) {
            fprintf(stderr, "curl_easy_perform failed: %d\n", (int)rc);
            return 1;
        }
        if (i == 0) {
            s->first_ms = ms;
            s->rss_first = rss_kb();
        } else {
            s->second_ms = ms;
            s->rss_second = rss_kb();
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2 || (strcmp(argv[1], "gumloop") != 0 && strcmp(argv[1], "curl") != 0) ||
        (strcmp(argv[1], "gumloop") == 0 && argc < 3)) {
        fprintf(stderr, "usage: %s gumloop PATH/libgumloop.so | curl [libcurl.so.4]\n", argv[0]);
        return 2;
    }
    steps s;
    memset(&s, 0, sizeof s);
    int is_curl = strcmp(argv[1], "curl") == 0;
    int status = is_curl ? run_curl(argc > 2 ? argv[2] : "libcurl.so.4", &s)
                         : run_gumloop(argv[2], &s);
    if (status != 0) {
        return status;
    }
    printf("{\"label\":\"%s\",\"load_ms\":%.3f,\"client_ms\":%.3f,\"first_call_ms\":%.3f,"
           "\"second_call_ms\":%.3f,\"time_to_first_call_ms\":%.3f,\"rss_start_kb\":%ld,"
           "\"rss_loaded_kb\":%ld,\"rss_client_kb\":%ld,\"rss_first_kb\":%ld,"
           "\"rss_second_kb\":%ld,\"added_kb\":%ld}\n",
           is_curl ? "libcurl" : "libgumloop", s.load_ms, s.client_ms, s.first_ms, s.second_ms,
           s.load_ms + s.client_ms + s.first_ms, s.rss_start, s.rss_loaded, s.rss_client,
           s.rss_first, s.rss_second, s.rss_first - s.rss_start);
    return 0;
}
