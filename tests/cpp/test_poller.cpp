// The C++ poller (gumloop::poller) against the emulator: calls started without blocking, their
// items taken when the descriptor is readable, each stream's events before its end,
// cancellation, refusals that start nothing, a download's bytes and a call's info taken after
// its end, a call's own request options. Built and run as test_gumloop.cpp is.
#include "checks.hpp"

#include <poll.h>

#include <cstdlib>

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

static_assert(!std::is_copy_constructible_v<gumloop::poller>, "poller is move-only");
static_assert(!std::is_copy_assignable_v<gumloop::poller>, "poller is move-only");
static_assert(std::is_nothrow_move_constructible_v<gumloop::poller>, "poller moves without throwing");
static_assert(std::is_nothrow_move_assignable_v<gumloop::poller>, "poller moves without throwing");

namespace {

using checks::has;

/** Takes items until `call_id` is done (waiting on the descriptor); returns its DONE item. */
gumloop::poller::item wait_done(const gumloop::poller &poller, std::uint64_t call_id,
                                std::vector<gumloop::poller::item> *others) {
    for (;;) {
        while (auto item = poller.take_item()) {
            if (item->call_id == call_id && item->is_done()) {
                return *item;
            }
            others->push_back(std::move(*item));
        }
        pollfd ready{poller.get_fd(), POLLIN, 0};
        // A bound on the wait, so that a lost wake-up fails the test instead of hanging it.
        if (::poll(&ready, 1, 60000) != 1) {
            harness_check(0, __FILE__, __LINE__, "the poller's descriptor became readable");
            return {};
        }
    }
}

void test_poller(const gumloop::client &client) {
    gumloop::poller poller;
    CHECK(poller.get_fd() >= 0);

    // Bad calls start nothing and send nothing.
    admin_reset();
    EXPECT_ERROR(poller.start_call(client, "no_such_operation", "{}"), GUMLOOP_ERR_INVALID_ARGUMENT);
    EXPECT_ERROR(poller.start_call(client, "get_session", R"({"session_id":""})"), GUMLOOP_ERR_INVALID_ARGUMENT);
    EXPECT_ERROR(poller.cancel_call(424242), GUMLOOP_ERR_INVALID_ARGUMENT);
    CHECK(!poller.take_item().has_value());
    CHECK(admin_api_requests() == 0);

    // A create and a stream in flight at once; each stream event comes before its DONE.
    const std::uint64_t created = poller.start_call(client, "create_session", R"({"agent_id":"agent_pro"})");
    const std::uint64_t streamed = poller.start_call(
        client, "stream_session", R"({"agent_id":"agent_pro","body":{"input":"[words:10] polled"}})");
    CHECK(created != 0 && streamed != 0 && created != streamed);
    std::vector<gumloop::poller::item> before;
    const gumloop::poller::item stream_done = wait_done(poller, streamed, &before);
    std::size_t events = 0;
    bool created_done = false;
    for (const auto &item : before) {
        if (item.is_event()) {
            CHECK(item.call_id == streamed);
            ++events;
        } else if (item.call_id == created) {
            created_done = true;
            CHECK(has(item.result(), "\"agent_id\":\"agent_pro\""));
        }
    }
    CHECK(has(stream_done.result(), "\"events\":" + std::to_string(events)));
    if (!created_done) {
        std::vector<gumloop::poller::item> rest;
        CHECK(has(wait_done(poller, created, &rest).result(), "\"agent_id\":\"agent_pro\""));
        CHECK(rest.empty());
    }

    // Cancelling a call in flight: its DONE item carries GUMLOOP_ERR_CANCELLED, and result() throws it.
    const std::uint64_t slow = poller.start_call(
        client, "stream_session", R"({"agent_id":"agent_pro","body":{"input":"[words:50] [slow:20000] slow"}})");
    poller.cancel_call(slow);
    std::vector<gumloop::poller::item> ignored;
    const gumloop::poller::item cancelled = wait_done(poller, slow, &ignored);
    CHECK(cancelled.code == GUMLOOP_ERR_CANCELLED);
    EXPECT_ERROR(cancelled.result(), GUMLOOP_ERR_CANCELLED);

    // Move-only like the other handles.
    gumloop::poller moved(std::move(poller));
    CHECK(moved.get_fd() >= 0 && poller.get_fd() == -1);
}

/**
 * A download through the poller: its DONE item has the document, take_bytes() the bytes once;
 * take_call_info() says what its requests saw; request_options reach the call's requests; the
 * blocking call by name gives the same info.
 */
void test_bytes_info_and_request_options(const gumloop::client &client) {
    const std::string created = client.create_session("agent_pro", R"({"input":"[artifact:out.txt]"})");
    const std::string sid = checks::field(created, "id", "sess");
    client.wait_session(sid);
    const std::string listed = client.list_artifacts("agent_pro", R"({"session_id":")" + sid + "\"}");
    const std::string aid = checks::field(listed, "id", "art_");
    CHECK(!aid.empty());

    gumloop::poller poller;
    const std::uint64_t id = poller.start_call(client, "download_artifact", R"({"artifact_id":")" + aid + "\"}");
    EXPECT_ERROR(poller.take_bytes(id), GUMLOOP_ERR_INVALID_ARGUMENT);
    std::vector<gumloop::poller::item> others;
    const gumloop::poller::item done = wait_done(poller, id, &others);
    const std::string expected = "Artifact out.txt of session " + sid + "\n";
    CHECK(has(done.result(), "\"size\":" + std::to_string(expected.size())));
    const std::vector<std::uint8_t> bytes = poller.take_bytes(id);
    CHECK(std::string(bytes.begin(), bytes.end()) == expected);
    EXPECT_ERROR(poller.take_bytes(id), GUMLOOP_ERR_INVALID_ARGUMENT);
    const std::string info = poller.take_call_info(id);
    CHECK(has(info, "\"attempts\":") && has(info, "\"request_id\":\"req_"));
    EXPECT_ERROR(poller.take_call_info(id), GUMLOOP_ERR_INVALID_ARGUMENT);

    // A call's own headers reach its request, and only its.
    gumloop::request_options options;
    options.extra_headers.emplace_back("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    options.timeout_ms = 30000;
    std::free(admin_request("DELETE", "/requests", nullptr));
    const gumloop::client::call_result got =
        client.call("get_session", gumloop::with_request_options(R"({"session_id":")" + sid + "\"}", options));
    CHECK(has(got.json, "\"id\":\"" + sid + "\""));
    CHECK(has(got.info, "\"attempts\":1"));
    char *log = admin_request("GET", "/requests", nullptr);
    CHECK(log != nullptr && has(log, "\"traceparent\":\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\""));
    std::free(log);
    CHECK(gumloop::with_request_options("", options).rfind("{\"request_options\":{", 0) == 0);
    CHECK(has(gumloop::with_request_options("{}", options), "\"timeout_ms\":30000}}"));
    options.extra_headers = {{"Authorization", "Bearer x"}};
    EXPECT_ERROR(client.call("get_session", gumloop::with_request_options(R"({"session_id":"s"})", options)),
                 GUMLOOP_ERR_INVALID_ARGUMENT);
    EXPECT_ERROR(client.call("stream_session", R"({"agent_id":"agent_pro"})"), GUMLOOP_ERR_INVALID_ARGUMENT);
}

}  // namespace

int main() {
    gumloop::client client(checks::ada);
    test_poller(client);
    test_bytes_info_and_request_options(client);
    return harness_finish("test_poller_cpp");
}
