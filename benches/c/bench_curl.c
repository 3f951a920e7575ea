/*
 * bench_curl: the same workloads with libcurl, one easy handle per thread, reused for every
 * request (so its connection is kept alive), the answer collected into a growing buffer.
 *
 *   bench_curl --workload W [--threads N] [--seconds S | --requests N] ...   (see bench.h)
 */
#define _POSIX_C_SOURCE 200809L

#include "bench.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char create_url[512];
    char retrieve_url[512];
} urls;

typedef struct {
    CURL *easy;
    struct curl_slist *headers;
    char *body;
    size_t len;
    size_t cap;
} handle;

static size_t collect(char *data, size_t size, size_t count, void *user) {
    handle *h = user;
    size_t n = size * count;
    if (h->len + n + 1 > h->cap) {
        size_t cap = h->cap ? h->cap : 4096;
        while (h->len + n + 1 > cap) {
            cap *= 2;
        }
        char *grown = realloc(h->body, cap);
        if (grown == NULL) {
            return 0;
        }
        h->body = grown;
        h->cap = cap;
    }
    memcpy(h->body + h->len, data, n);
    h->len += n;
    h->body[h->len] = '\0';
    return n;
}

static const bench_options *the_options;

static int setup(void *shared, int index, void **state) {
    const urls *u = shared;
    const bench_options *o = the_options;
    (void)index;
    handle *h = calloc(1, sizeof *h);
    if (h == NULL || (h->easy = curl_easy_init()) == NULL) {
        free(h);
        return 1;
    }
    h->headers = curl_slist_append(h->headers, "Authorization: Bearer " BENCH_TOKEN);
    h->headers = curl_slist_append(h->headers, "x-auth-key: " BENCH_USER);
    h->headers = curl_slist_append(h->headers, "Accept: application/json");
    if (o->workload != BENCH_RETRIEVE) {
        h->headers = curl_slist_append(h->headers, "Content-Type: application/json");
    }
    curl_easy_setopt(h->easy, CURLOPT_HTTPHEADER, h->headers);
    curl_easy_setopt(h->easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h->easy, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h->easy, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h->easy, CURLOPT_WRITEDATA, h);
    if (o->workload == BENCH_RETRIEVE) {
        curl_easy_setopt(h->easy, CURLOPT_URL, u->retrieve_url);
        curl_easy_setopt(h->easy, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(h->easy, CURLOPT_URL, u->create_url);
        curl_easy_setopt(h->easy, CURLOPT_POSTFIELDS,
                         o->workload == BENCH_CREATE_IDLE ? BENCH_BODY_IDLE : BENCH_BODY_INPUT);
    }
    *state = h;
    return 0;
}

static int request(void *state, const bench_options *o) {
    handle *h = state;
    (void)o;
    h->len = 0;
    CURLcode rc = curl_easy_perform(h->easy);
    long status = 0;
    curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK || status < 200 || status > 299 || h->len == 0) {
        static int reported = 0;
        if (!reported) {
            reported = 1;
            fprintf(stderr, "request failed: %s, HTTP %ld: %s\n", curl_easy_strerror(rc), status,
                    h->body ? h->body : "");
        }
        return 1;
    }
    return 0;
}

static void teardown(void *state) {
    handle *h = state;
    curl_easy_cleanup(h->easy);
    curl_slist_free_all(h->headers);
    free(h->body);
    free(h);
}

int main(int argc, char **argv) {
    bench_options options;
    bench_parse(argc, argv, &options);
    the_options = &options;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "curl_global_init failed\n");
        return 1;
    }
    urls u;
    const char *base = bench_env("GUMLOOP_BASE_URL");
    snprintf(u.create_url, sizeof u.create_url, "%s/agents/" BENCH_AGENT "/sessions", base);
    snprintf(u.retrieve_url, sizeof u.retrieve_url, "%s/sessions/%s", base,
             options.session_id ? options.session_id : "");
    bench_client c = {setup, request, teardown, &u};
    int status = bench_run(&options, &c);
    curl_global_cleanup();
    return status;
}
