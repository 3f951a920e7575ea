// Coverage of the C++ API against the library's own description (gumloop_description_get, read
// at run time): every operation the library has must have its gumloop::client member. The table
// below names each member by pointer, so a member removed from gumloop.hpp fails compilation,
// and an operation the library gains without a row here fails the run.
#include "checks.hpp"

#include <cstdio>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace {

using on_event = void (*)(std::string_view);

/** A row of the table: the operation's name, checked against a member pointer at compile time. */
template <class Member>
constexpr const char *member(const char *operation, Member) noexcept {
    return operation;
}

/** Every operation's gumloop::client member, by the operation's name in the description. */
const std::set<std::string> &members() {
    using gumloop::client;
    using upload_bytes = std::string (client::*)(const std::string &, const std::string &, std::string_view,
                                                 const std::optional<std::string> &, const gumloop::cancel_token *) const;
    static const std::set<std::string> table = {
        member("create_session", &client::create_session),
        member("get_session", &client::get_session),
        member("list_sessions", &client::list_sessions),
        member("send_message", &client::send_message),
        member("cancel_session", &client::cancel_session),
        member("rename_session", &client::rename_session),
        member("wait_session", &client::wait_session),
        member("stream_session", &client::stream_session<on_event>),
        member("stream_message", &client::stream_message<on_event>),
        member("resume_stream", &client::resume_stream<on_event>),
        member("upload_file", static_cast<upload_bytes>(&client::upload_file)),
        member("resolve_approvals", &client::resolve_approvals),
        member("list_queue", &client::list_queue),
        member("queue_message", &client::queue_message),
        member("edit_queued_message", &client::edit_queued_message),
        member("delete_queued_message", &client::delete_queued_message),
        member("send_queued_message", &client::send_queued_message),
        member("get_session_access", &client::get_session_access),
        member("update_session_access", &client::update_session_access),
        member("list_agents", &client::list_agents),
        member("get_agent", &client::get_agent),
        member("list_artifacts", &client::list_artifacts),
        member("get_artifact_download", &client::get_artifact_download),
        member("download_artifact", &client::download_artifact),
        member("download_artifact_to_file", &client::download_artifact_to_file),
        member("send_request", &client::send_request),
        member("oauth_register_client", &client::oauth_register_client),
        member("oauth_exchange_code", &client::oauth_exchange_code),
        member("oauth_refresh_token", &client::oauth_refresh_token),
        member("oauth_revoke", &client::oauth_revoke),
    };
    return table;
}

/**
 * The operation names of the description: each operation object's "name" is the one followed
 * by its "result" (the library writes an object's members in name order: arguments, function,
 * name, result), which no argument has.
 */
std::vector<std::string> described_operations(std::string_view description) {
    std::vector<std::string> names;
    const std::string_view key = "\"name\":\"";
    const std::string_view after = "\",\"result\":\"";
    for (auto at = description.find(key); at != std::string_view::npos; at = description.find(key, at + 1)) {
        const auto start = at + key.size();
        const auto end = description.find('"', start);
        if (end != std::string_view::npos && description.substr(end, after.size()) == after) {
            names.emplace_back(description.substr(start, end - start));
        }
    }
    return names;
}

}  // namespace

int main() {
    const std::string_view description = gumloop::description_get();
    CHECK(checks::has(std::string(description), "\"version\":\"" GUMLOOP_VERSION_STRING "\""));
    const std::vector<std::string> operations = described_operations(description);
    CHECK(operations.size() >= 20);
    for (const auto &name : operations) {
        const bool has_member = members().count(name) == 1;
        if (!has_member) {
            std::fprintf(stderr, "operation %s has no gumloop::client member in the table\n", name.c_str());
        }
        CHECK(has_member);
    }
    // And no row names an operation the library does not have.
    CHECK(members().size() == std::set<std::string>(operations.begin(), operations.end()).size());
    return harness_finish("test_coverage_cpp");
}
