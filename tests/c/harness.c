#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int harness_failures = 0;
int harness_checks = 0;

void harness_check(int ok, const char *file, int line, const char *what) {
    harness_checks++;
    if (!ok) {
        harness_failures++;
        fprintf(stderr, "FAIL %s:%d: %s\n", file, line, what);
    }
}

void harness_check_code(gumloop_code code, gumloop_code expected, const char *json, const char *file,
                        int line) {
    harness_checks++;
    if (code != expected) {
        harness_failures++;
        fprintf(stderr, "FAIL %s:%d: got %s (%u), expected %s (%u); document: %s\n", file, line,
                gumloop_code_get_name(code), code, gumloop_code_get_name(expected), expected,
                json ? json : "(null)");
    }
}

int contains(const char *haystack, const char *needle) {
    return haystack != NULL && strstr(haystack, needle) != NULL;
}

size_t count_of(const char *haystack, const char *needle) {
    size_t n = 0;
    size_t len = strlen(needle);
    if (haystack == NULL || len == 0) {
        return 0;
    }
    for (const char *p = strstr(haystack, needle); p != NULL; p = strstr(p + len, needle)) {
        n++;
    }
    return n;
}

/* Splits $GUMLOOP_EMULATOR_ADMIN ("http://127.0.0.1:PORT/prefix") into its port and prefix. */
static int admin_address(int *port, const char **prefix) {
    const char *admin = getenv("GUMLOOP_EMULATOR_ADMIN");
    const char *host = "http://127.0.0.1:";
    if (admin == NULL || strncmp(admin, host, strlen(host)) != 0) {
        fprintf(stderr, "GUMLOOP_EMULATOR_ADMIN must be http://127.0.0.1:PORT/...; run under "
                        "scripts/with-emulator.sh\n");
        exit(2);
    }
    char *end = NULL;
    *port = (int)strtol(admin + strlen(host), &end, 10);
    *prefix = end;
    return 0;
}

char *admin_request(const char *method, const char *path, const char *body) {
    int port = 0;
    const char *prefix = NULL;
    admin_address(&port, &prefix);

    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return NULL;
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return NULL;
    }
    size_t body_len = body ? strlen(body) : 0;
    char head[1024];
    int head_len = snprintf(head, sizeof head,
                            "%s %s%s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                            "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                            method, prefix, path, body_len);
    if (write(fd, head, (size_t)head_len) != head_len ||
        (body_len && write(fd, body, body_len) != (ssize_t)body_len)) {
        close(fd);
        return NULL;
    }
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        ssize_t n = read(fd, buf + len, cap - len - 1);
        if (n <= 0) {
            break;
        }
        len += (size_t)n;
    }
    close(fd);
    buf[len] = '\0';
    char *start = strstr(buf, "\r\n\r\n");
    if (start == NULL) {
        free(buf);
        return NULL;
    }
    memmove(buf, start + 4, strlen(start + 4) + 1);
    return buf;
}

void admin_reset(void) {
    free(admin_request("POST", "/reset", "{}"));
}

size_t admin_api_requests(void) {
    char *log = admin_request("GET", "/requests", NULL);
    size_t n = count_of(log, "\"path\":\"/api/v1/");
    free(log);
    return n;
}

long admin_sessions_total(void) {
    char *stats = admin_request("GET", "/stats", NULL);
    const char *sessions = stats ? strstr(stats, "\"sessions\":") : NULL;
    const char *total = sessions ? strstr(sessions, "\"total\":") : NULL;
    long n = total ? strtol(total + strlen("\"total\":"), NULL, 10) : -1;
    free(stats);
    return n;
}

void admin_fault(const char *fault_json) {
    char *reply = admin_request("POST", "/faults", fault_json);
    if (reply == NULL) {
        fprintf(stderr, "could not arm fault %s\n", fault_json);
        exit(2);
    }
    free(reply);
}

int harness_finish(const char *suite) {
    printf("%s: %d checks\n", suite, harness_checks);
    printf("%d passed, %d failed\n", harness_checks - harness_failures, harness_failures);
    return harness_failures == 0 ? 0 : 1;
}

gumloop_client *ada_client(const char *extra_options) {
    char options[1024];
    snprintf(options, sizeof options, "{\"access_token\":\"gk_personal_ada\",\"user_id\":\"user_ada\"%s%s}",
             extra_options ? "," : "", extra_options ? extra_options : "");
    gumloop_client *client = NULL;
    char *err = NULL;
    gumloop_code code = gumloop_client_new(options, &client, &err);
    if (code != GUMLOOP_OK) {
        fprintf(stderr, "gumloop_client_new failed: %s %s\n", gumloop_code_get_name(code), err ? err : "");
        gumloop_string_free(err);
        exit(2);
    }
    return client;
}
