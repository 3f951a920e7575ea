// gumloop::json_get_*: a session's fields read from a real answer, std::nullopt for what is not
// there, gumloop::error for text that is not JSON or a malformed pointer.
#include "checks.hpp"

#include <cstdint>
#include <string>

namespace {

void test_a_created_session(const gumloop::client &client) {
    const std::string created = client.create_session("agent_pro", std::string(R"({"name":"C++ reads"})"));
    const auto id = gumloop::json_get_string(created, "/session/id");
    CHECK(id.has_value() && id->rfind("sess_", 0) == 0);
    CHECK(gumloop::json_get_string(created, "/session/state") == std::optional<std::string>("idle"));
    CHECK(gumloop::json_get_string(created, "/session/creator/id") != id);
    const std::string again = client.get_session(*id);
    CHECK(gumloop::json_get_string(again, "/session/name") == std::optional<std::string>("C++ reads"));
    CHECK(gumloop::json_get_length(again, "/session/messages") == std::optional<std::size_t>(0));
}

void test_types_and_absence() {
    const std::string doc = R"({"n":2.5,"i":-3,"ok":false,"nil":null,"list":[1,2]})";
    CHECK(gumloop::json_get_number(doc, "/n") == std::optional<double>(2.5));
    CHECK(gumloop::json_get_int64(doc, "/i") == std::optional<std::int64_t>(-3));
    CHECK(gumloop::json_get_bool(doc, "/ok") == std::optional<bool>(false));
    CHECK(gumloop::json_get_length(doc, "/list") == std::optional<std::size_t>(2));
    CHECK(!gumloop::json_get_string(doc, "/nil").has_value());
    CHECK(!gumloop::json_get_bool(doc, "/missing").has_value());
    CHECK(!gumloop::json_get_int64(doc, "/n").has_value());

    const auto not_json = EXPECT_ERROR(gumloop::json_get_string("{", "/n"), GUMLOOP_ERR_INVALID_JSON);
    CHECK(not_json.kind() == "GUMLOOP_ERR_INVALID_JSON");
    EXPECT_ERROR(gumloop::json_get_number(doc, "n"), GUMLOOP_ERR_INVALID_ARGUMENT);
    bool refused = false;
    try {
        gumloop::json_get_string(std::string("{\"a\":1}\0", 8), "/a");
    } catch (const std::invalid_argument &) {
        refused = true;
    }
    CHECK(refused);
}

}  // namespace

int main() {
    const gumloop::client client(checks::ada);
    test_a_created_session(client);
    test_types_and_absence();
    return harness_finish("test_json_cpp");
}
