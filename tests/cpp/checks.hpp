// Helpers shared by the C++ tests: the C harness (checks, the emulator's admin API), and small
// readers of the JSON text the library returns.
#ifndef GUMLOOP_TEST_CPP_CHECKS_HPP
#define GUMLOOP_TEST_CPP_CHECKS_HPP

#include "gumloop.hpp"

extern "C" {
#include "harness.h"
}

#include <cstdio>
#include <string>

namespace checks {

/** Options of a client for user_ada's personal key (the base URL comes from the environment). */
inline const char *const ada = R"({"access_token":"gk_personal_ada","user_id":"user_ada"})";

inline bool has(const std::string &haystack, const std::string &needle) {
    return haystack.find(needle) != std::string::npos;
}

/** The value of the first string field "key":"prefix..." in `json` (empty when there is none). */
inline std::string field(const std::string &json, const std::string &key, const std::string &prefix = "") {
    const std::string marker = "\"" + key + "\":\"" + prefix;
    const auto at = json.find(marker);
    if (at == std::string::npos) {
        return {};
    }
    const auto start = at + marker.size() - prefix.size();
    return json.substr(start, json.find('"', start) - start);
}

/** Runs `call`, which must throw gumloop::error with `expected`; returns the error. */
template <class F>
gumloop::error expect_error(F &&call, gumloop_code expected, const char *file, int line) {
    try {
        call();
    } catch (const gumloop::error &e) {
        harness_check(e.code() == expected, file, line, "the error has the expected code");
        if (e.code() != expected) {
            std::fprintf(stderr, "  got %s: %s\n", e.kind().c_str(), e.document().c_str());
        }
        return e;
    }
    harness_check(0, file, line, "the call threw gumloop::error");
    return gumloop::error(GUMLOOP_ERR_INTERNAL, "");
}

}  // namespace checks

#define EXPECT_ERROR(call, expected) checks::expect_error([&] { call; }, (expected), __FILE__, __LINE__)

#endif
