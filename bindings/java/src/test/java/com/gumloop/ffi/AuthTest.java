package com.gumloop.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** OAuth sign-in, live credentials, refresh on 401 with the new pair handed over, and the library's logs. */
class AuthTest extends EmulatorTest {
    private static final String CLIENT_ID = "gumloop_cli";
    private static final String REDIRECT = "http://127.0.0.1:8765/callback";

    /** Signs Ada in through the emulator's authorization step: the token set. */
    private static TokenSet signIn() {
        AuthorizationUrl url = OAuth.buildAuthorizationUrl(CLIENT_ID, REDIRECT, null, null, Emulator.base());
        JsonNode approved = Emulator.admin("POST", "/oauth/approve", Map.of("url", url.url()));
        assertEquals(url.state(), approved.path("state").asText());
        try (GumloopClient signing = GumloopClient.builder().clientId(CLIENT_ID).baseUrl(Emulator.base()).build()) {
            return signing.oauth().exchangeCode(CLIENT_ID, approved.path("code").asText(), REDIRECT, url.codeVerifier(), null);
        }
    }

    @Test
    void theAuthorizationUrlCarriesTheSdksParameters() {
        AuthorizationUrl url = OAuth.buildAuthorizationUrl(CLIENT_ID, REDIRECT, List.of("gumloop", "userinfo"), null,
                Emulator.base());
        String query = URI.create(url.url()).getRawQuery();
        for (String part : List.of("response_type=code", "client_id=" + CLIENT_ID, "scope=gumloop+userinfo",
                "code_challenge_method=S256", "state=" + url.state())) {
            assertTrue(query.contains(part), part + " in " + query);
        }
        assertTrue(url.url().startsWith(Emulator.base().replace("/api/v1", "") + "/oauth/authorize?"), url.url());
        assertTrue(url.codeVerifier().length() >= 43);
        assertNotEquals(url.state(), OAuth.buildAuthorizationUrl(CLIENT_ID, REDIRECT, null, null, Emulator.base()).state());
    }

    @Test
    void anExpiredTokenIsRefreshedOnceForTenConcurrentCalls() throws Exception {
        TokenSet tokens = signIn();
        List<TokenSet> handed = new CopyOnWriteArrayList<>();
        try (GumloopClient c = GumloopClient.builder().accessToken(tokens.accessToken()).refreshToken(tokens.refreshToken())
                .clientId(CLIENT_ID).baseUrl(Emulator.base()).streamBaseUrl(Emulator.streamBase()).onTokens(handed::add)
                .build()) {
            assertEquals("agent_pro", c.agents().retrieve("agent_pro").id());
            Emulator.admin("POST", "/oauth/expire", null);
            List<CompletableFuture<Agent>> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                calls.add(c.agents().retrieveAsync("agent_pro"));
            }
            for (CompletableFuture<Agent> call : calls) {
                assertEquals("agent_pro", call.get().id());
            }
        }
        assertEquals(1, Emulator.admin("GET", "/oauth", null).path("refreshes").asInt());
        assertEquals(1, handed.size(), "the new pair is handed over once");
        assertNotNull(handed.get(0).refreshToken());
        assertNotEquals(tokens.refreshToken(), handed.get(0).refreshToken(), "the refresh token rotated");
        assertFalse(handed.get(0).toString().contains(handed.get(0).accessToken()), "toString keeps tokens out");
    }

    @Test
    void aRevokedRefreshTokenEndsInAClearError() {
        TokenSet tokens = signIn();
        client.oauth().revoke(CLIENT_ID, tokens.refreshToken());
        BadRequestException e = assertThrows(BadRequestException.class,
                () -> client.oauth().refreshToken(CLIENT_ID, tokens.refreshToken(), null));
        assertEquals("invalid_grant", e.code());
    }

    @Test
    void credentialsAreReplacedOnALiveClient() {
        try (GumloopClient c = GumloopClient.builder().accessToken("gk_personal_bob").userId("user_bob")
                .baseUrl(Emulator.base()).build()) {
            assertThrows(PermissionDeniedException.class, () -> c.agents().retrieve("agent_pro"));
            long generation = c.setCredentials(new Credentials().accessToken("gk_personal_ada").userId("user_ada"));
            assertTrue(generation > 0);
            assertEquals("agent_pro", c.agents().retrieve("agent_pro").id());
            InvalidArgumentException bad = assertThrows(InvalidArgumentException.class,
                    () -> c.setCredentials(new Credentials().accessToken("")));
            assertEquals("access_token", bad.param());
            assertEquals("agent_pro", c.agents().retrieve("agent_pro").id(), "a refused change changes nothing");
        }
    }

    @Test
    void aRetriedCallLeavesTwoAttemptRecordsInTheLogger() {
        Logger logger = Logger.getLogger(Logs.NAME);
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Level before = logger.getLevel();
        logger.setLevel(Level.FINER);
        logger.addHandler(handler);
        try (GumloopClient c = Emulator.adaBuilder().build()) {
            Emulator.arm(Map.of("method", "GET", "path", "/api/v1/agents/agent_pro", "status", 503));
            c.agents().retrieve("agent_pro");
        } finally {
            logger.removeHandler(handler);
            logger.setLevel(before);
            try (GumloopClient quiet = Emulator.adaBuilder().build()) {
                quiet.agents().retrieve("agent_pro"); // sets the library back to the logger's level
            }
        }
        List<JsonNode> attempts = new ArrayList<>();
        for (LogRecord r : records) {
            JsonNode json = Json.parseOrNull(r.getMessage().substring(r.getMessage().indexOf('{')));
            if (json != null && "attempt".equals(Json.text(json, "event")) && "get_agent".equals(Json.text(json, "operation"))) {
                attempts.add(json);
            }
            assertFalse(r.getMessage().contains("gk_personal_ada") || r.getMessage().contains("user_ada"), r.getMessage());
        }
        assertEquals(2, attempts.size(), records.toString());
        assertEquals(503, attempts.get(0).path("status").asInt());
        assertEquals(200, attempts.get(1).path("status").asInt());
    }
}
