/*
 * A small test harness for the C tests: checks that count failures, and a plain-HTTP client for
 * the emulator's admin API (request log, faults, reset), so tests can see what reached the server.
 */
#ifndef GUMLOOP_TEST_HARNESS_H
#define GUMLOOP_TEST_HARNESS_H

#include <stddef.h>

#include "gumloop.h"

/* Number of failed checks so far. */
extern int harness_failures;
/* Number of checks so far. */
extern int harness_checks;

void harness_check(int ok, const char *file, int line, const char *what);

#define CHECK(cond) harness_check((cond) ? 1 : 0, __FILE__, __LINE__, #cond)

/* Checks that `code` is `expected`, printing both names and the document when it is not. */
void harness_check_code(gumloop_code code, gumloop_code expected, const char *json, const char *file,
                        int line);
#define CHECK_CODE(code, expected, json) harness_check_code((code), (expected), (json), __FILE__, __LINE__)

/* Whether `haystack` (may be NULL) contains `needle`. */
int contains(const char *haystack, const char *needle);

/* Number of occurrences of `needle` in `haystack`. */
size_t count_of(const char *haystack, const char *needle);

/*
 * Sends `method path` with `body` (may be NULL) to the emulator's admin API, whose base URL is
 * $GUMLOOP_EMULATOR_ADMIN. Returns the response body (malloc'd; free with free()), or NULL.
 */
char *admin_request(const char *method, const char *path, const char *body);

/* Clears the emulator's sessions, faults and request log. */
void admin_reset(void);

/* Number of API requests (paths under /api/v1/) the emulator has logged since the last reset. */
size_t admin_api_requests(void);

/* Number of sessions the emulator holds. */
long admin_sessions_total(void);

/* Arms one fault (a JSON object as in the emulator's admin API). */
void admin_fault(const char *fault_json);

/* Prints the summary line and returns the process exit status. */
int harness_finish(const char *suite);

/* A client for user_ada's personal key against $GUMLOOP_BASE_URL; extra_options is spliced into
 * the options object (e.g. "\"timeout_ms\":500") or NULL. Exits on failure. */
gumloop_client *ada_client(const char *extra_options);

#endif
