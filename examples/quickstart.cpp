// quickstart: create Gumloop agent sessions from C++ and stream a run, with gumloop.hpp.
//
//   CMake:   find_package(gumloop 0.2 REQUIRED) and link gumloop::gumloop (examples/CMakeLists.txt)
//   by hand: c++ -std=c++17 quickstart.cpp $(pkg-config --cflags --libs gumloop) -o quickstart_cpp
//   GUMLOOP_ACCESS_TOKEN=... GUMLOOP_USER_ID=... ./quickstart_cpp <agent_id>
//
// The client reads its credential, user ID and base URL from the environment
// (GUMLOOP_ACCESS_TOKEN, GUMLOOP_USER_ID, GUMLOOP_BASE_URL); without GUMLOOP_BASE_URL it talks
// to the real service.
#include <cstdio>
#include <iostream>
#include <string>

#include "gumloop.hpp"

int main(int argc, char **argv) {
    const std::string agent_id = argc > 1 ? argv[1] : "gumball";
    std::cout << "libgumloop " << gumloop::version_get() << "\n\n";
    try {
        const gumloop::client client;  // options from the environment

        std::cout << "an idle session:\n" << client.create_session(agent_id) << "\n\n";

        // Stream a run: the callable sees each event as JSON text, on this thread.
        std::size_t events = 0;
        const std::string summary = client.stream_session(
            agent_id, R"({"input":"Summarise this week's sales calls","name":"Quickstart in C++"})",
            [&events](std::string_view event) {
                ++events;
                std::cout << "event: " << event << '\n';
            });
        std::cout << '\n' << events << " events; summary:\n" << summary << '\n';
    } catch (const gumloop::error &e) {
        // The whole error document travels with the exception; its fields are typed.
        std::cerr << e.what() << " (HTTP status " << (e.status() ? std::to_string(*e.status()) : "none")
                  << ", server code " << e.server_code().value_or("none") << ")\n"
                  << e.document() << '\n';
        return 1;
    }
    return 0;
}
