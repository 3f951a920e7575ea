// The C++ API over credentials and logs against the emulator: sign in with OAuth (URL, approval,
// code exchange), a refresh after an expired token with the pair taken once, credentials replaced
// on a live client, and log records pulled. Built and run as test_gumloop.cpp is.
#include "checks.hpp"

#include <cstdlib>
#include <string>

namespace {

using checks::field;
using checks::has;

const std::string redirect = "http://127.0.0.1:8765/callback";

std::string base_url() { return std::getenv("GUMLOOP_BASE_URL"); }

void test_sign_in_and_refresh() {
    admin_reset();
    const std::string built = gumloop::oauth_build_authorization_url(
        R"({"client_id":"gumloop_cli","redirect_uri":")" + redirect + R"(","base_url":")" + base_url() + "\"}");
    const std::string url = field(built, "url");
    CHECK(has(url, "&code_challenge_method=S256") && has(url, "&scope=gumloop+userinfo&"));
    char *approved = admin_request("POST", "/oauth/approve", ("{\"url\":\"" + url + "\"}").c_str());
    const std::string code = field(approved ? approved : "", "code");
    std::free(approved);

    const gumloop::client signer(R"({"client_id":"gumloop_cli","base_url":")" + base_url() + "\"}");
    const std::string tokens = signer.oauth_exchange_code("gumloop_cli", code, redirect, field(built, "code_verifier"));
    const std::string refresh = field(tokens, "refresh_token");
    CHECK(!refresh.empty());
    EXPECT_ERROR(signer.get_agent("agent_pro"), GUMLOOP_ERR_NO_CREDENTIALS);

    const gumloop::client client(R"({"client_id":"gumloop_cli","base_url":")" + base_url() +
                                 R"(","access_token":")" + field(tokens, "access_token") +
                                 R"(","refresh_token":")" + refresh + "\"}");
    CHECK(!client.take_tokens().has_value());
    std::free(admin_request("POST", "/oauth/expire", "{}"));
    CHECK(has(client.get_agent("agent_pro"), "\"id\":\"agent_pro\""));
    CHECK(client.refresh_count() == 1);
    const auto pair = client.take_tokens();
    CHECK(pair.has_value() && field(*pair, "refresh_token") != refresh);
    CHECK(!client.take_tokens().has_value());
    CHECK(client.oauth_revoke("gumloop_cli", field(*pair, "refresh_token")) == "{}");
}

void test_credentials_and_logs() {
    admin_reset();
    const gumloop::client client(R"({"access_token":"gk_wrong","user_id":"user_ada"})");
    EXPECT_ERROR(client.get_agent("agent_pro"), GUMLOOP_ERR_UNAUTHORIZED);
    CHECK(has(client.set_credentials(R"({"access_token":"gk_personal_ada"})"), "\"generation\":1"));
    EXPECT_ERROR(client.set_credentials("{\"user\":1}"), GUMLOOP_ERR_INVALID_ARGUMENT);

    CHECK(has(gumloop::log_set_level("debug"), "\"level\":\"off\""));
    CHECK(gumloop::log_get_fd() >= 0);
    client.get_agent("agent_pro");
    const std::string records = gumloop::log_take();
    CHECK(count_of(records.c_str(), "\"event\":\"attempt\"") == 1);
    CHECK(has(records, "\"operation\":\"get_agent\"") && !has(records, "gk_personal_ada") && !has(records, "user_ada"));
    EXPECT_ERROR(gumloop::log_set_level("chatty"), GUMLOOP_ERR_INVALID_ARGUMENT);
    gumloop::log_set_level("off");
}

}  // namespace

int main() {
    test_sign_in_and_refresh();
    test_credentials_and_logs();
    return harness_finish("test_auth_cpp");
}
