// The C++ API over the rest of the sessions surface (files, approvals, the queue, access,
// agents, artifacts, raw requests) against the emulator. Built and run as test_gumloop.cpp is.
#include "checks.hpp"

#include <string>

namespace {

using checks::ada;
using checks::field;
using checks::has;

/** The ID of the entry a queue call answers with (its "queued_message"). */
std::string queued_id(const std::string &json) {
    const auto at = json.find("\"queued_message\":");
    return at == std::string::npos ? std::string() : field(json.substr(at), "id", "qmsg_");
}

std::string new_session(const gumloop::client &client) {
    return field(client.create_session("agent_pro"), "id", "sess_");
}

void test_files(const gumloop::client &client) {
    const std::string session = new_session(client);
    // Bytes, not text: a NUL and high bytes travel unchanged.
    const std::string bytes("a\0b\xff", 4);
    const std::string uploaded = client.upload_file(session, "../notes 1.txt", bytes, std::string("text/plain"));
    const std::string stored = field(uploaded, "file_name");
    CHECK(stored.size() > 12 && stored.compare(stored.size() - 12, 12, "/notes_1.txt") == 0);
    CHECK(has(uploaded, "\"size\":4"));
    const unsigned char raw[] = {1, 2, 3};
    CHECK(has(client.upload_file(session, "raw.bin", raw, sizeof raw), "\"size\":3"));
    admin_reset();
    auto e = EXPECT_ERROR(client.upload_file(session, "x.bin", nullptr, 5), GUMLOOP_ERR_NULL_ARGUMENT);
    CHECK(e.param() == std::optional<std::string>("data"));
    CHECK(admin_api_requests() == 0);
}

void test_queue(const gumloop::client &client) {
    const std::string session = new_session(client);
    const std::string added = client.queue_message(session, R"({"input":"later"})");
    const std::string queued = queued_id(added);
    CHECK(!queued.empty());
    CHECK(has(client.list_queue(session), queued));
    CHECK(has(client.edit_queued_message(session, queued, R"({"input":"later, edited"})"), "later, edited"));
    const std::string second = queued_id(client.queue_message(session, R"({"input":"two"})"));
    CHECK(!second.empty() && second != queued);
    CHECK(!has(client.delete_queued_message(session, second), second));
    CHECK(has(client.send_queued_message(session, queued), session));
    EXPECT_ERROR(client.delete_queued_message(session, "qmsg_missing"), GUMLOOP_ERR_NOT_FOUND);
}

void test_approvals(const gumloop::client &client) {
    const std::string created = client.create_session("agent_pro", R"({"input":"[approval] needs a yes"})");
    const std::string session = field(created, "id", "sess_");
    const std::string paused = client.wait_session(session, R"({"poll_interval_ms":20})");
    CHECK(has(paused, "\"state\":\"approval_required\""));
    const std::string ask = field(paused, "action_request_id");
    CHECK(!ask.empty());
    const std::string resolved = client.resolve_approvals(
        session, R"({"approval_responses":[{"action_request_id":")" + ask + R"(","action":"accept"}]})");
    CHECK(has(resolved, "accepted"));
    admin_reset();
    auto e = EXPECT_ERROR(client.resolve_approvals(session, R"({"approval_responses":[]})"),
                          GUMLOOP_ERR_INVALID_ARGUMENT);
    CHECK(e.param() == std::optional<std::string>("approval_responses"));
    CHECK(admin_api_requests() == 0);
}

void test_access(const gumloop::client &client) {
    const std::string session = new_session(client);
    CHECK(has(client.get_session_access(session), "\"grants_visibility\":\"private\""));
    CHECK(has(client.update_session_access(session, R"({"link":{"mode":"anyone"}})"),
              "\"grants_visibility\":\"public\""));
}

void test_agents_and_requests(const gumloop::client &client) {
    CHECK(has(client.list_agents(R"({"search":"sales"})"), "\"id\":\"agent_pro\""));
    CHECK(has(client.get_agent("agent_pro"), "Sales research agent"));
    auto e = EXPECT_ERROR(client.get_agent("agent_missing"), GUMLOOP_ERR_NOT_FOUND);
    CHECK(e.server_code() == std::optional<std::string>("agent_not_found"));
    const std::string session = new_session(client);
    CHECK(has(client.send_request("GET", R"(["sessions",")" + session + R"("])"), session));
    admin_reset();
    EXPECT_ERROR(client.send_request("GET", R"(["sessions",".."])"), GUMLOOP_ERR_INVALID_ARGUMENT);
    CHECK(admin_api_requests() == 0);
}

void test_artifacts(const gumloop::client &client) {
    // Bad input is refused before anything is sent; no bytes are handed out.
    admin_reset();
    EXPECT_ERROR(client.download_artifact(""), GUMLOOP_ERR_INVALID_ARGUMENT);
    EXPECT_ERROR(client.download_artifact_to_file("", "/nonexistent"), GUMLOOP_ERR_INVALID_ARGUMENT);
    EXPECT_ERROR(client.get_artifact_download(""), GUMLOOP_ERR_INVALID_ARGUMENT);
    EXPECT_ERROR(client.list_artifacts(""), GUMLOOP_ERR_INVALID_ARGUMENT);
    CHECK(admin_api_requests() == 0);
}

}  // namespace

int main() {
    gumloop::client client(ada);
    admin_reset();
    test_files(client);
    test_queue(client);
    test_approvals(client);
    test_access(client);
    test_agents_and_requests(client);
    test_artifacts(client);
    return harness_finish("test_surface_cpp");
}
