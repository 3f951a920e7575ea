// The C++ API (include/gumloop.hpp) against the emulator: results, errors with their whole
// document, move-only handles, streams with callables (and their exceptions), cancellation.
// Built with -std=c++17 -Wall -Wextra -Wpedantic -Werror, and run plainly and under ASan/UBSan.
#include "checks.hpp"

#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

static_assert(!std::is_copy_constructible_v<gumloop::client>, "client is move-only");
static_assert(!std::is_copy_assignable_v<gumloop::client>, "client is move-only");
static_assert(std::is_nothrow_move_constructible_v<gumloop::client>, "client moves without throwing");
static_assert(std::is_nothrow_move_assignable_v<gumloop::client>, "client moves without throwing");
static_assert(!std::is_copy_constructible_v<gumloop::cancel_token>, "cancel_token is move-only");
static_assert(!std::is_copy_assignable_v<gumloop::cancel_token>, "cancel_token is move-only");
static_assert(std::is_nothrow_move_constructible_v<gumloop::cancel_token>, "cancel_token moves without throwing");
static_assert(std::is_nothrow_move_assignable_v<gumloop::cancel_token>, "cancel_token moves without throwing");

namespace {

using checks::ada;
using checks::field;
using checks::has;

struct callable_failed : std::runtime_error {
    using std::runtime_error::runtime_error;
};

void test_version_and_codes() {
    CHECK(gumloop::version_get() == GUMLOOP_VERSION_STRING);
    CHECK(gumloop::code_get_name(GUMLOOP_ERR_CONFLICT) == "GUMLOOP_ERR_CONFLICT");
    CHECK(gumloop::code_get_name(12345) == "GUMLOOP_ERR_UNKNOWN");
    CHECK(gumloop::code_get_message(GUMLOOP_ERR_CONFLICT) == ::gumloop_code_get_message(GUMLOOP_ERR_CONFLICT));
}

void test_client_options() {
    admin_reset();
    auto e = EXPECT_ERROR(gumloop::client(R"({"acess_token":"typo"})"), GUMLOOP_ERR_INVALID_OPTION);
    CHECK(e.kind() == "GUMLOOP_ERR_INVALID_OPTION");
    CHECK(e.param() == std::optional<std::string>("acess_token"));
    CHECK(!e.status().has_value());
    CHECK(!e.retryable());
    CHECK(has(e.document(), "\"gumloop_code\":5"));
    CHECK(std::string(e.what()) == "GUMLOOP_ERR_INVALID_OPTION: " + e.message());
    e = EXPECT_ERROR(gumloop::client("{not json"), GUMLOOP_ERR_INVALID_JSON);
    // A NUL byte inside a std::string cannot reach C: refused before any call.
    bool refused = false;
    try {
        gumloop::client c(std::string("{}\0x", 4));
    } catch (const std::invalid_argument &) {
        refused = true;
    }
    CHECK(refused);
    CHECK(admin_api_requests() == 0);
}

void test_sessions(const gumloop::client &client) {
    admin_reset();
    const std::string idle = client.create_session("agent_pro");
    CHECK(has(idle, "\"agent_id\":\"agent_pro\""));
    const std::string session_id = field(idle, "id", "sess_");
    CHECK(!session_id.empty());

    CHECK(has(client.get_session(session_id), session_id));
    const std::string page = client.list_sessions("agent_pro", R"({"page_size":5})");
    CHECK(has(page, "\"sessions\"") && has(page, session_id));
    CHECK(has(client.rename_session(session_id, "  Renamed from C++  "), "Renamed from C++"));
    CHECK(has(client.send_message(session_id, R"({"input":"[words:3] hello"})"), session_id));
    const std::string settled = client.wait_session(session_id, R"({"poll_interval_ms":20})");
    CHECK(has(settled, "\"state\":\"completed\""));
    CHECK(has(client.cancel_session(session_id), session_id));

    // The server's error, with every field of the document.
    auto e = EXPECT_ERROR(client.get_session("sess_missing"), GUMLOOP_ERR_NOT_FOUND);
    CHECK(e.status() == std::optional<int>(404));
    CHECK(e.server_code() == std::optional<std::string>("session_not_found"));
    CHECK(e.body() != "null" && has(e.body(), "session_not_found"));
    CHECK(e.attempts() == std::optional<std::uint32_t>(1));
    CHECK(!e.retryable());
    CHECK(e.stream() == "null");

    // A 503 with Retry-After: retryable, and the wait the server asked for.
    gumloop::client no_retries(R"({"access_token":"gk_personal_ada","user_id":"user_ada","max_retries":0})");
    admin_fault(R"({"method":"POST","path":"/api/v1/agents/*/sessions","times":1,"status":503,"retry_after":2})");
    e = EXPECT_ERROR(no_retries.create_session("agent_pro"), GUMLOOP_ERR_SERVER);
    CHECK(e.status() == std::optional<int>(503));
    CHECK(e.retry_after_ms() == std::optional<std::uint64_t>(2000));
    CHECK(e.retryable());

    // Bad input: the library's own check, nothing sent.
    admin_reset();
    e = EXPECT_ERROR(client.rename_session(session_id, "   "), GUMLOOP_ERR_INVALID_ARGUMENT);
    CHECK(e.param() == std::optional<std::string>("name"));
    CHECK(admin_api_requests() == 0);
}

void test_streams(const gumloop::client &client) {
    admin_reset();
    // Any callable: a lambda with state, returning void.
    std::vector<std::string> events;
    const std::string summary = client.stream_session("agent_pro", R"({"input":"[words:20] stream"})",
                                                      [&](std::string_view e) { events.emplace_back(e); });
    CHECK(has(summary, "\"final\":true"));
    CHECK(has(summary, "\"events\":" + std::to_string(events.size())));
    CHECK(events.size() > 20);
    CHECK(has(events.back(), "\"final\":true"));
    const std::string session_id = field(summary, "session_id");

    // A function object returning bool: false stops the stream (GUMLOOP_ERR_CANCELLED, with the
    // summary counting the event that stopped it). The run goes on; resuming after the last
    // cursor seen delivers the rest, from the next event on.
    struct stop_after {
        int left;
        bool operator()(std::string_view) { return --left > 0; }
    };
    auto e = EXPECT_ERROR(client.stream_session("agent_pro", R"({"input":"[words:20] [slow:1000] stop"})",
                                                stop_after{3}),
                          GUMLOOP_ERR_CANCELLED);
    CHECK(has(e.stream(), "\"events\":3"));
    const std::string stopped = field(e.stream(), "session_id");
    const std::string cursor = field(e.stream(), "last_cursor");
    CHECK(cursor == stopped + ":3");
    std::vector<std::string> rest;
    client.resume_stream(stopped, cursor, [&](std::string_view event) { rest.emplace_back(event); });
    CHECK(!rest.empty() && field(rest.front(), "stream_cursor") == stopped + ":4");
    CHECK(!rest.empty() && has(rest.back(), "\"final\":true"));

    // The next run of the first session.
    std::size_t more = 0;
    const std::string next = client.stream_message(session_id, R"({"input":"[words:5] more"})",
                                                   [&](std::string_view) { ++more; });
    CHECK(has(next, "\"events\":" + std::to_string(more)));

    // An exception from the callable stops the stream and comes out of the call unchanged.
    int calls = 0;
    bool caught = false;
    try {
        client.stream_session("agent_pro", R"({"input":"[words:30] throw"})", [&](std::string_view) {
            ++calls;
            throw callable_failed("from the callback");
        });
    } catch (const callable_failed &failure) {
        caught = std::string(failure.what()) == "from the callback";
    }
    CHECK(caught);
    CHECK(calls == 1);

    // A plain function pointer works too.
    std::string from_function = client.stream_session("agent_pro", R"({"input":"[words:2] fn"})",
                                                      +[](std::string_view) {});
    CHECK(has(from_function, "\"final\":true"));
}

void test_cancellation(const gumloop::client &client) {
    gumloop::cancel_token token;
    CHECK(!token.is_triggered());
    // The callable triggers the token: the stream ends as cancelled, after that one event.
    int seen = 0;
    auto e = EXPECT_ERROR(client.stream_session("agent_pro", R"({"input":"[words:50] [slow:2000] cancel me"})",
                                                [&](std::string_view) {
                                                    ++seen;
                                                    token.trigger();
                                                },
                                                &token),
                          GUMLOOP_ERR_CANCELLED);
    CHECK(seen == 1);
    CHECK(token.is_triggered());
    // A triggered token ends a call before it is sent.
    admin_reset();
    EXPECT_ERROR(client.create_session("agent_pro", std::nullopt, &token), GUMLOOP_ERR_CANCELLED);
    CHECK(admin_api_requests() == 0);

    // Moving transfers ownership: the moved-to token is the triggered one.
    gumloop::cancel_token moved(std::move(token));
    CHECK(moved.is_triggered());
    gumloop::cancel_token fresh;
    fresh = std::move(moved);
    CHECK(fresh.is_triggered());
}

void test_moves() {
    gumloop::client first(ada);
    gumloop::client second(std::move(first));
    CHECK(first.get() == nullptr);
    CHECK(second.get() != nullptr);
    // A moved-from client holds nothing: the C call's own NULL check answers.
    auto e = EXPECT_ERROR(first.get_session("sess_x"), GUMLOOP_ERR_NULL_ARGUMENT);
    CHECK(e.param().has_value());
    gumloop::client third(ada);
    third = std::move(second);
    CHECK(third.get() != nullptr && second.get() == nullptr);
    CHECK(has(third.create_session("agent_pro"), "agent_pro"));
}

void test_oneshot() {
    const std::string created =
        gumloop::oneshot_create_session("agent_pro", R"({"name":"one shot"})", std::string("gk_personal_ada"),
                                        std::string("user_ada"));
    CHECK(has(created, "\"agent_id\":\"agent_pro\""));
    EXPECT_ERROR(gumloop::oneshot_create_session("agent_pro", std::nullopt, std::string("gk_wrong"), std::nullopt),
                 GUMLOOP_ERR_UNAUTHORIZED);
}

// The reader in gumloop::detail, on documents the server could not produce through the emulator.
void test_error_document_reader() {
    const gumloop::error e(GUMLOOP_ERR_CONFLICT, R"( {"other":[1,{"x":null}],"error":{"kind":"GUMLOOP_ERR_CONFLICT",)"
                                                 R"("message":"caf\u00e9 \"q\" \\ \n\ud83d\ude00 \/","status":409,)"
                                                 R"("code":"busy","type":null,"param":{"p":[true]},)"
                                                 R"("details":{"a":[1,2.5e-3,-0]},"retryable":false,"attempts":3,)"
                                                 R"("retry_after_ms":18446744073709551615,"trace_id":"t1","body":"x"}} )");
    CHECK(e.message() == "caf\xc3\xa9 \"q\" \\ \n\xf0\x9f\x98\x80 /");
    CHECK(e.status() == std::optional<int>(409));
    CHECK(e.server_code() == std::optional<std::string>("busy"));
    CHECK(!e.type().has_value());
    CHECK(e.param() == std::optional<std::string>(R"({"p":[true]})"));
    CHECK(e.details() == R"({"a":[1,2.5e-3,-0]})");
    CHECK(e.attempts() == std::optional<std::uint32_t>(3));
    CHECK(e.retry_after_ms() == std::optional<std::uint64_t>(18446744073709551615ULL));
    CHECK(e.trace_id() == std::optional<std::string>("t1"));
    CHECK(e.body() == "\"x\"");

    // Out of range, fractional or malformed numbers are absent, not wrapped.
    const gumloop::error big(GUMLOOP_ERR_SERVER, R"({"error":{"status":4294967296,"attempts":-1,"retry_after_ms":1.5}})");
    CHECK(!big.status().has_value() && !big.attempts().has_value() && !big.retry_after_ms().has_value());
    CHECK(gumloop::detail::json_integer<int>("-2147483648") == std::optional<int>(-2147483647 - 1));
    CHECK(!gumloop::detail::json_integer<int>("2147483648").has_value());
    CHECK(!gumloop::detail::json_integer<int>("012").has_value());

    // A document that is not JSON leaves the fields the code gives.
    for (const char *bad : {"", "{", R"({"error":{"message":"x)", R"({"error":{"message":"\ud800"}})",
                            R"({"error":{"message":"a"} x)", "{\"error\":{\"message\":\"\x01\"}}"}) {
        const gumloop::error broken(GUMLOOP_ERR_TIMEOUT, bad);
        CHECK(broken.kind() == "GUMLOOP_ERR_TIMEOUT");
        CHECK(broken.message() == ::gumloop_code_get_message(GUMLOOP_ERR_TIMEOUT));
        CHECK(broken.document() == bad);
    }
    std::string deep(100000, '[');
    const gumloop::error nested(GUMLOOP_ERR_INVALID_RESPONSE, "{\"error\":{\"details\":" + deep + "}}");
    CHECK(nested.details() == "null");
}

}  // namespace

int main() {
    test_version_and_codes();
    test_error_document_reader();
    test_client_options();
    gumloop::client client(ada);
    test_sessions(client);
    test_streams(client);
    test_cancellation(client);
    test_moves();
    test_oneshot();
    return harness_finish("test_gumloop_cpp");
}
