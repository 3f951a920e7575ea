package com.gumloop.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every error kind the emulator can provoke, each as its class with the document's fields. */
class ErrorsTest extends EmulatorTest {
    private final List<GumloopClient> others = new ArrayList<>();

    @AfterEach
    void closeOthers() {
        others.forEach(GumloopClient::close);
    }

    private GumloopClient other(GumloopClient.Builder builder) {
        GumloopClient c = builder.build();
        others.add(c);
        return c;
    }

    /** The call throws {@code type} whose document has kind {@code kind} and every field of the library's list. */
    private static <T extends GumloopException> T expect(Class<T> type, String kind, Executable call) {
        T e = assertThrows(type, call);
        assertEquals(kind, e.kind());
        JsonNode info = e.document().path("error");
        for (String field : Description.get().errorFields()) {
            assertTrue(info.has(field), "the document has " + field + ": " + info);
        }
        assertEquals(Description.get().code(kind), e.gumloopCode().getAsInt());
        return e;
    }

    @Test
    void callerErrorsNameTheArgumentAndSendNothing() {
        InvalidArgumentException e = expect(InvalidArgumentException.class, "GUMLOOP_ERR_INVALID_ARGUMENT",
                () -> client.sessions().rename("sess_x", "   "));
        assertEquals("name", e.param());
        expect(InvalidArgumentException.class, "GUMLOOP_ERR_NULL_ARGUMENT", () -> client.sessions().retrieve(null));
        expect(InvalidArgumentException.class, "GUMLOOP_ERR_USE_STREAMING_CALL",
                () -> client.sessions().create("agent_pro", CreateParams.of("x").extra("stream", true)));
        expect(InvalidArgumentException.class, "GUMLOOP_ERR_INVALID_OPTION",
                () -> Emulator.adaBuilder().option("no_such_option", 1).build());
        InvalidArgumentException utf8 = expect(InvalidArgumentException.class, "GUMLOOP_ERR_INVALID_ARGUMENT",
                () -> client.sessions().retrieve("sess_\ud800"));
        assertEquals("session_id", utf8.param(), "the library names the argument with a lone surrogate");
        assertEquals(0, Emulator.requests().size());
    }

    @Test
    void noCredentialIsAnAuthenticationError() {
        AuthenticationException e = expect(AuthenticationException.class, "GUMLOOP_ERR_NO_CREDENTIALS",
                () -> GumloopClient.builder().baseUrl(Emulator.base()).build());
        assertTrue(e instanceof AuthenticationFailure);
        assertEquals(0, Emulator.requests().size());
    }

    @Test
    void statusErrorsCarryTheServersAnswer() {
        GumloopClient wrong = other(Emulator.adaBuilder().accessToken("gk_personal_nobody"));
        UnauthorizedException unauthorized = expect(UnauthorizedException.class, "GUMLOOP_ERR_UNAUTHORIZED",
                () -> wrong.agents().retrieve("agent_pro"));
        assertTrue(unauthorized instanceof AuthenticationFailure && unauthorized instanceof APIStatusException);
        assertEquals(401, unauthorized.statusCode().getAsInt());
        assertEquals("authentication_error", unauthorized.type());

        Emulator.arm(Map.of("method", "GET", "path", "/api/v1/agents/agent_pro", "status", 400));
        expect(BadRequestException.class, "GUMLOOP_ERR_BAD_REQUEST", () -> client.agents().retrieve("agent_pro"));
        PermissionDeniedException denied = expect(PermissionDeniedException.class, "GUMLOOP_ERR_FORBIDDEN",
                () -> client.agents().retrieve("agent_private"));
        assertEquals("permission_denied", denied.code());
        NotFoundException missing = expect(NotFoundException.class, "GUMLOOP_ERR_NOT_FOUND",
                () -> client.agents().retrieve("agent_nope"));
        assertEquals("agent_not_found", missing.code());
        assertEquals("agent_not_found", missing.body().path("error").path("code").asText());

        client.sessions().create("agent_pro", new CreateParams().sessionId("sess_java_twice"));
        ConflictException conflict = expect(ConflictException.class, "GUMLOOP_ERR_CONFLICT",
                () -> client.sessions().create("agent_pro", new CreateParams().sessionId("sess_java_twice")));
        assertEquals("session_already_exists", conflict.code());
        assertFalse(conflict.retryable());
    }

    @Test
    void faultStatusesMapToTheirClasses() {
        GumloopClient once = other(Emulator.adaBuilder().maxRetries(0));
        String path = "/api/v1/agents/agent_pro";
        Emulator.arm(Map.of("method", "GET", "path", path, "status", 413));
        expect(PayloadTooLargeException.class, "GUMLOOP_ERR_PAYLOAD_TOO_LARGE", () -> once.agents().retrieve("agent_pro"));
        Emulator.arm(Map.of("method", "GET", "path", path, "status", 429, "retry_after", 7));
        RateLimitException limited = expect(RateLimitException.class, "GUMLOOP_ERR_RATE_LIMITED",
                () -> once.agents().retrieve("agent_pro"));
        assertEquals(Duration.ofSeconds(7), limited.retryAfter().orElseThrow());
        assertTrue(limited.retryable());
        Emulator.arm(Map.of("method", "GET", "path", path, "status", 500));
        expect(InternalServerException.class, "GUMLOOP_ERR_SERVER", () -> once.agents().retrieve("agent_pro"));
        Emulator.arm(Map.of("method", "GET", "path", path, "status", 418));
        APIStatusException other = expect(APIStatusException.class, "GUMLOOP_ERR_HTTP_STATUS",
                () -> once.agents().retrieve("agent_pro"));
        assertEquals(418, other.statusCode().getAsInt());
        assertEquals(1, other.attempts().getAsInt());
    }

    @Test
    void retriedCallsCountTheirAttempts() {
        Emulator.arm(Map.of("method", "GET", "path", "/api/v1/agents/agent_pro", "status", 503, "times", 1));
        assertEquals("agent_pro", client.agents().retrieve("agent_pro").id());
        assertEquals(2, Emulator.requests().size());
    }

    @Test
    void transportErrorsAreConnectionErrors() {
        GumloopClient nowhere = other(GumloopClient.builder().accessToken("t").baseUrl("http://127.0.0.1:1/api/v1").maxRetries(0));
        APIConnectionException refused = expect(APIConnectionException.class, "GUMLOOP_ERR_CONNECT",
                () -> nowhere.agents().retrieve("agent_pro"));
        assertTrue(refused.retryable());

        Emulator.arm(Map.of("method", "GET", "path", "/api/v1/agents/agent_pro", "delay_ms", 3000));
        GumloopClient impatient = other(Emulator.adaBuilder().timeout(Duration.ofMillis(200)).maxRetries(0));
        APITimeoutException late = expect(APITimeoutException.class, "GUMLOOP_ERR_TIMEOUT",
                () -> impatient.agents().retrieve("agent_pro"));
        assertTrue(late instanceof APIConnectionException);

        Emulator.arm(Map.of("method", "GET", "path", "/api/v1/agents/agent_pro", "redirect", "http://127.0.0.2:9/elsewhere"));
        expect(APIConnectionException.class, "GUMLOOP_ERR_REDIRECT", () -> client.agents().retrieve("agent_pro"));
    }

    @Test
    void unusableAnswersAreInvalidResponses() {
        GumloopClient once = other(Emulator.adaBuilder().maxRetries(0));
        Emulator.arm(Map.of("method", "GET", "path", "/api/v1/agents/agent_pro", "garbage", true));
        expect(InvalidResponseException.class, "GUMLOOP_ERR_INVALID_RESPONSE", () -> once.agents().retrieve("agent_pro"));
        GumloopClient small = other(Emulator.adaBuilder().maxResponseBytes(16));
        expect(InvalidResponseException.class, "GUMLOOP_ERR_RESPONSE_TOO_LARGE", () -> small.agents().retrieve("agent_pro"));
    }

    @Test
    void asyncFailuresCarryTheSameException() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> client.agents().retrieveAsync("agent_nope").get());
        assertTrue(e.getCause() instanceof NotFoundException);
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> client.sessions().renameAsync("sess_x", "").get());
        assertTrue(refused.getCause() instanceof InvalidArgumentException);
    }

    @Test
    void everyStemHasItsClassUnderItsGroupsClass() {
        Description d = Description.get();
        for (JsonNode code : d.json().path("codes")) {
            int number = code.path("code").asInt();
            if (number == 0) {
                continue;
            }
            GumloopException e = Errors.of(number, "m", Errors.document(number, "m", null));
            assertEquals(code.path("error").asText() + "Exception", e.getClass().getSimpleName(), code.toString());
            for (JsonNode group : d.groups()) {
                if (number >= group.path("first").asInt() && number <= group.path("last").asInt()) {
                    Class<?> base = Errors.BY_STEM.get(group.path("error").asText()).apply("m", null).getClass();
                    assertTrue(base.isInstance(e), e.getClass() + " is a " + base);
                }
            }
        }
    }
}
