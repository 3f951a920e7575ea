/*
 * bench_multi: libcurl's multi interface from one C epoll loop on one thread, N easy handles
 * in flight at once (each re-added as it ends, so its connection is kept alive), driven with
 * curl_multi_socket_action: the peer of bench_poll's `calls` mode.
 *
 *   bench_multi --workload create_idle|retrieve [--concurrency N] [--seconds S] [--warmup S]
 *               [--session-id ID]
 *
 * Prints one JSON line: requests/s, latency percentiles, CPU per request and peak RSS.
 */
#define _GNU_SOURCE

#include "bench.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

typedef struct {
    CURL *easy;
    uint64_t started;
    size_t len;
} transfer;

typedef struct {
    int epoll_fd;
    long timeout_ms; /* what curl's timer callback asked for; -1: none */
} loop;

static size_t discard(char *data, size_t size, size_t count, void *user) {
    transfer *t = user;
    (void)data;
    t->len += size * count;
    return size * count;
}

static int on_socket(CURL *easy, curl_socket_t fd, int what, void *user, void *socket_data) {
    loop *l = user;
    (void)easy;
    struct epoll_event ev = {.events = 0, .data = {.fd = fd}};
    if (what == CURL_POLL_REMOVE) {
        epoll_ctl(l->epoll_fd, EPOLL_CTL_DEL, fd, NULL);
        return 0;
    }
    if (what & CURL_POLL_IN) {
        ev.events |= EPOLLIN;
    }
    if (what & CURL_POLL_OUT) {
        ev.events |= EPOLLOUT;
    }
    (void)socket_data;
    /* A descriptor curl already watches is modified; a new one added. */
    if (epoll_ctl(l->epoll_fd, EPOLL_CTL_MOD, fd, &ev) != 0) {
        epoll_ctl(l->epoll_fd, EPOLL_CTL_ADD, fd, &ev);
    }
    return 0;
}

static int on_timer(CURLM *multi, long timeout_ms, void *user) {
    loop *l = user;
    (void)multi;
    l->timeout_ms = timeout_ms;
    return 0;
}

int main(int argc, char **argv) {
    const char *workload = "create_idle", *session_id = NULL;
    long concurrency = 1000;
    double seconds = 3.0, warmup = 0.5;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--workload") == 0) {
            workload = argv[i + 1];
        } else if (strcmp(argv[i], "--session-id") == 0) {
            session_id = argv[i + 1];
        } else if (strcmp(argv[i], "--concurrency") == 0) {
            concurrency = atol(argv[i + 1]);
        } else if (strcmp(argv[i], "--seconds") == 0) {
            seconds = atof(argv[i + 1]);
        } else if (strcmp(argv[i], "--warmup") == 0) {
            warmup = atof(argv[i + 1]);
        } else {
            fprintf(stderr, "unknown argument %s\n", argv[i]);
            return 2;
        }
    }
    int retrieve = strcmp(workload, "retrieve") == 0;
    if ((!retrieve && strcmp(workload, "create_idle") != 0) || (retrieve && session_id == NULL) ||
        concurrency < 1 || seconds <= 0 || argc % 2 == 0) {
        fprintf(stderr, "usage: %s --workload create_idle|retrieve [--concurrency N] [--seconds S] "
                        "[--warmup S] [--session-id ID]\n", argv[0]);
        return 2;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        return 1;
    }
    char url[512];
    const char *base = bench_env("GUMLOOP_BASE_URL");
    if (retrieve) {
        snprintf(url, sizeof url, "%s/sessions/%s", base, session_id);
    } else {
        snprintf(url, sizeof url, "%s/agents/" BENCH_AGENT "/sessions", base);
    }
    struct curl_slist *headers = NULL;
    headers = curl_slist_append(headers, "Authorization: Bearer " BENCH_TOKEN);
    headers = curl_slist_append(headers, "x-auth-key: " BENCH_USER);
    headers = curl_slist_append(headers, "Accept: application/json");
    if (!retrieve) {
        headers = curl_slist_append(headers, "Content-Type: application/json");
    }
    loop l = {epoll_create1(EPOLL_CLOEXEC), -1};
    CURLM *multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, &l);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_timer);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, &l);
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, concurrency);
    transfer *transfers = calloc((size_t)concurrency, sizeof *transfers);
    size_t cap = 1u << 20, len = 0;
    uint64_t *latencies = malloc(cap * sizeof *latencies);
    struct epoll_event *events = calloc(1024, sizeof *events);
    if (l.epoll_fd < 0 || multi == NULL || transfers == NULL || latencies == NULL || events == NULL) {
        return 1;
    }
    for (long i = 0; i < concurrency; i++) {
        transfer *t = &transfers[i];
        t->easy = curl_easy_init();
        curl_easy_setopt(t->easy, CURLOPT_URL, url);
        curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(t->easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(t->easy, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, t);
        curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t);
        if (!retrieve) {
            curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, BENCH_BODY_IDLE);
        }
        t->started = bench_now_ns();
        curl_multi_add_handle(multi, t->easy);
    }
    uint64_t measure_from = bench_now_ns() + (uint64_t)(warmup * 1e9);
    uint64_t measure_to = measure_from + (uint64_t)(seconds * 1e9);
    double cpu_from = 0, cpu_to = 0;
    int running = 1, measuring = 0;
    long in_flight = concurrency, errors = 0;
    curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
    while (in_flight > 0) {
        int n = epoll_wait(l.epoll_fd, events, 1024, l.timeout_ms < 0 ? 1000 : (int)l.timeout_ms);
        if (n == 0) {
            curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
        }
        for (int i = 0; i < n; i++) {
            int mask = ((events[i].events & EPOLLIN) ? CURL_CSELECT_IN : 0) |
                       ((events[i].events & EPOLLOUT) ? CURL_CSELECT_OUT : 0) |
                       ((events[i].events & (EPOLLERR | EPOLLHUP)) ? CURL_CSELECT_ERR : 0);
            curl_multi_socket_action(multi, events[i].data.fd, mask, &running);
        }
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE) {
                continue;
            }
            transfer *t = NULL;
            CURL *easy = msg->easy_handle;
            CURLcode rc = msg->data.result;
            long status = 0;
            curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&t);
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            uint64_t now = bench_now_ns();
            curl_multi_remove_handle(multi, easy);
            in_flight--;
            if (rc != CURLE_OK || status < 200 || status > 299 || t->len == 0) {
                if (errors++ == 0) {
                    fprintf(stderr, "request failed: %s, HTTP %ld\n", curl_easy_strerror(rc), status);
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
                latencies[len++] = now - t->started;
            }
            if (!measuring && now >= measure_from) {
                measuring = 1;
                cpu_from = bench_cpu_seconds();
            } else if (measuring && cpu_to == 0 && now >= measure_to) {
                cpu_to = bench_cpu_seconds();
            }
            if (now < measure_to) {
                t->len = 0;
                t->started = now;
                curl_multi_add_handle(multi, easy);
                in_flight++;
            }
        }
    }
    double cpu = (cpu_to > 0 ? cpu_to : bench_cpu_seconds()) - cpu_from;
    qsort(latencies, len, sizeof *latencies, bench_compare_u64);
    double p50 = len ? (double)latencies[len / 2] / 1e3 : 0, p99 = len ? (double)latencies[len * 99 / 100] / 1e3 : 0;
    printf("{\"label\":\"libcurl multi (C epoll)\",\"workload\":\"%s\",\"threads\":1,"
           "\"concurrency\":%ld,\"requests\":%zu,\"errors\":%ld,\"seconds\":%.4f,\"rps\":%.1f,"
           "\"p50_us\":%.1f,\"p99_us\":%.1f,\"cpu_s\":%.4f,\"cpu_us_per_req\":%.2f,\"max_rss_kb\":%ld}\n",
           workload, concurrency, len, errors, seconds, (double)len / seconds, p50, p99, cpu,
           len ? cpu * 1e6 / (double)len : 0.0, bench_status_kb("VmHWM"));
    for (long i = 0; i < concurrency; i++) {
        curl_easy_cleanup(transfers[i].easy);
    }
    curl_multi_cleanup(multi);
    curl_slist_free_all(headers);
    curl_global_cleanup();
    free(transfers);
    free(latencies);
    free(events);
    close(l.epoll_fd);
    return errors > 0;
}
