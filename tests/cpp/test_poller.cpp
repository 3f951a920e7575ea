// The C++ poller (gumloop::poller) against the emulator: calls started without blocking, their
// items taken when the descriptor is readable, each stream's events before its end,
// cancellation, refusals that start nothing. Built and run as test_gumloop.cpp is.
#include "checks.hpp"

#include <poll.h>

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

}  // namespace

int main() {
    gumloop::client client(checks::ada);
    test_poller(client);
    return harness_finish("test_poller_cpp");
}
