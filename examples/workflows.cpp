// workflows: the four everyday workflows from C++ with gumloop.hpp, one function each: upload a
// file and attach it to a message; approve a paused run and stream its continuation; queue,
// edit and send a message while a run is busy; find and download an artifact.
//
//   c++ -std=c++17 workflows.cpp $(pkg-config --cflags --libs gumloop) -o workflows
//   GUMLOOP_ACCESS_TOKEN=... GUMLOOP_USER_ID=... ./workflows <agent_id> <workflow> [argument]
//
// <workflow> is upload (argument: a file to upload), approval (argument: the message that
// leads to an approval), queue (argument: the first message) or artifacts (argument: the
// message that makes an artifact; it is saved as ./artifact.out). Creating and streaming a
// session is in quickstart.cpp.
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>

#include "gumloop.hpp"

namespace {

/** The string at `pointer` in `json`; std::runtime_error when it is not there. */
std::string must(const std::string &json, const char *pointer) {
    if (auto value = gumloop::json_get_string(json, pointer)) {
        return *value;
    }
    throw std::runtime_error(std::string("the answer has no string at ") + pointer + ": " + json);
}

/** A JSON string literal for `text` (quotes and backslashes escaped). */
std::string quoted(const std::string &text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

void upload(const gumloop::client &client, const std::string &agent_id, const std::string &path) {
    std::ifstream file(path, std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    const std::string session_id = must(client.create_session(agent_id), "/session/id");
    const std::string name = path.substr(path.find_last_of('/') + 1);
    const std::string stored = must(client.upload_file(session_id, name, std::string_view(data)), "/file_name");
    std::cout << "uploaded: " << stored << '\n';
    client.send_message(session_id, std::string(R"({"input":"Summarise the attached file","attachments":[{"file_name":)") +
                                        quoted(stored) + "}]}");
    std::cout << "state: " << must(client.wait_session(session_id), "/session/state") << '\n';
}

void approval(const gumloop::client &client, const std::string &agent_id, const std::string &message) {
    const std::string session_id =
        must(client.create_session(agent_id, R"({"input":)" + quoted(message) + "}"), "/session/id");
    const std::string settled = client.wait_session(session_id);
    if (must(settled, "/session/state") != "approval_required") {
        throw std::runtime_error("the run did not ask for approval: " + settled);
    }
    const std::string ask = must(settled, "/session/pending_approvals/0/action_request_id");
    std::cout << "approval asked: " << must(settled, "/session/pending_approvals/0/title") << '\n';
    const std::string resolved = client.resolve_approvals(
        session_id, R"({"approval_responses":[{"action_request_id":)" + quoted(ask) + R"(,"action":"accept"}]})");
    std::cout << "outcome: " << must(resolved, "/results/0/outcome") << '\n';
    const std::string summary =
        client.resume_stream(session_id, must(resolved, "/stream_cursor"), [](std::string_view event) {
            const std::string text(event);
            if (gumloop::json_get_string(text, "/type") == std::optional<std::string>("text-delta")) {
                std::cout << gumloop::json_get_string(text, "/delta").value_or("");
            }
        });
    std::cout << '\n' << summary << '\n';
}

void queue(const gumloop::client &client, const std::string &agent_id, const std::string &first) {
    const std::string session_id =
        must(client.create_session(agent_id, R"({"input":)" + quoted(first) + "}"), "/session/id");
    const std::string queued_id =
        must(client.queue_message(session_id, R"({"input":"Then email it to the team"})"), "/queued_message/id");
    client.edit_queued_message(session_id, queued_id, R"({"input":"Then email it to the whole company"})");
    const std::string waiting = client.list_queue(session_id);
    std::cout << "queued: " << gumloop::json_get_length(waiting, "/queue").value_or(0)
              << " message(s), first: " << must(waiting, "/queue/0/input") << '\n';
    const std::string sent = client.send_queued_message(session_id, queued_id);
    std::cout << "sent; the session is " << must(sent, "/session/state") << '\n';
}

void artifacts(const gumloop::client &client, const std::string &agent_id, const std::string &message) {
    const std::string session_id =
        must(client.create_session(agent_id, R"({"input":)" + quoted(message) + "}"), "/session/id");
    client.wait_session(session_id);
    const std::string list = client.list_artifacts(agent_id, R"({"session_id":)" + quoted(session_id) + "}");
    const std::string artifact_id = must(list, "/artifacts/0/id");
    std::cout << "artifact: " << must(list, "/artifacts/0/filename") << " (" << artifact_id << ")\n";
    const gumloop::client::artifact bytes = client.download_artifact(artifact_id);
    std::ofstream("artifact.out", std::ios::binary)
        .write(reinterpret_cast<const char *>(bytes.data.data()), static_cast<std::streamsize>(bytes.data.size()));
    std::cout << "saved " << bytes.data.size() << " bytes to artifact.out\n";
}

}  // namespace

int main(int argc, char **argv) {
    if (argc < 3) {
        std::cerr << "usage: workflows <agent_id> upload|approval|queue|artifacts [argument]\n";
        return 2;
    }
    const std::string agent_id = argv[1];
    const std::string workflow = argv[2];
    const std::string argument = argc > 3 ? argv[3] : "";
    try {
        const gumloop::client client;  // options from the environment
        if (workflow == "upload") {
            upload(client, agent_id, argument.empty() ? "notes.txt" : argument);
        } else if (workflow == "approval") {
            approval(client, agent_id, argument.empty() ? "Deploy the release" : argument);
        } else if (workflow == "queue") {
            queue(client, agent_id, argument.empty() ? "Draft the quarterly report" : argument);
        } else if (workflow == "artifacts") {
            artifacts(client, agent_id, argument.empty() ? "Write the report as a file" : argument);
        } else {
            std::cerr << "unknown workflow: " << workflow << '\n';
            return 2;
        }
    } catch (const gumloop::error &e) {
        std::cerr << e.what() << '\n' << e.document() << '\n';
        return 1;
    } catch (const std::exception &e) {
        std::cerr << e.what() << '\n';
        return 1;
    }
    return 0;
}
