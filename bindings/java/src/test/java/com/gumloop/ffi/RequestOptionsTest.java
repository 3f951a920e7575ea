package com.gumloop.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Per-call headers, time limits and call info, through {@link GumloopClient#withOptions}. */
class RequestOptionsTest extends EmulatorTest {
    private static final String TP_A = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final String TP_B = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private GumloopClient traced(String traceparent) {
        return client.withOptions(RequestOptions.builder().extraHeader("traceparent", traceparent).build());
    }

    @Test
    void concurrentCallsCarryTheirOwnTraceparent() throws Exception {
        // Both requests are held at the emulator at once, so they overlap in flight.
        Emulator.arm(Map.of("method", "GET", "path", "/api/v1/agents/*", "delay_ms", 300, "times", 2));
        CompletableFuture<Agent> a = traced(TP_A).agents().retrieveAsync("agent_pro");
        CompletableFuture<Agent> b = traced(TP_B).agents().retrieveAsync("agent_ent");
        assertEquals("agent_pro", a.get().id());
        assertEquals("agent_ent", b.get().id());
        Map<String, String> seen = new java.util.HashMap<>();
        for (JsonNode r : Emulator.requests()) {
            seen.put(r.path("path").asText(), r.path("headers").path("traceparent").asText());
        }
        assertEquals(TP_A, seen.get("/api/v1/agents/agent_pro"));
        assertEquals(TP_B, seen.get("/api/v1/agents/agent_ent"));
        client.agents().retrieve("agent_free");
        List<JsonNode> log = Emulator.requests();
        assertTrue(log.get(log.size() - 1).path("headers").path("traceparent").isMissingNode(),
                "the client itself sends no per-call header");
    }

    @Test
    void callInfoCountsAttemptsAndNamesTheRequest() throws Exception {
        List<CallInfo> infos = new CopyOnWriteArrayList<>();
        GumloopClient watched = client.withOptions(RequestOptions.builder().onCallInfo(infos::add).build());
        Emulator.arm(Map.of("method", "GET", "path", "/api/v1/agents/agent_pro", "status", 503));
        watched.agents().retrieve("agent_pro");
        assertEquals(1, infos.size());
        assertEquals(2, infos.get(0).attempts());
        List<JsonNode> log = Emulator.requests();
        assertEquals("req_" + log.get(log.size() - 1).path("seq").asText(), infos.get(0).requestId());

        assertThrows(NotFoundException.class, () -> watched.agents().retrieve("agent_nope"));
        assertEquals(2, infos.size(), "a failed call is reported too");
        assertEquals(1, infos.get(1).attempts());

        watched.sessions().createAsync("agent_pro", null).get();
        assertEquals(3, infos.size(), "an async call is reported before its future completes");
        try (EventStream s = watched.sessions().stream("agent_pro", CreateParams.of("[words:2] x"))) {
            s.finish();
        }
        assertEquals(4, infos.size(), "a stream is reported at its end");
    }

    @Test
    void aPerCallTimeoutBoundsOnlyThoseCalls() {
        // A read that times out is repeated (twice by default): each of its three requests is held
        // past the per-call limit; the fourth held request is the client's own call.
        Emulator.arm(Map.of("method", "GET", "path", "/api/v1/agents/agent_pro", "delay_ms", 1000, "times", 4));
        GumloopClient hasty = client.withOptions(RequestOptions.builder().timeout(Duration.ofMillis(100)).build());
        APITimeoutException e = assertThrows(APITimeoutException.class, () -> hasty.agents().retrieve("agent_pro"));
        assertEquals(3, e.attempts().getAsInt());
        assertEquals("agent_pro", client.agents().retrieve("agent_pro").id(), "the client's own limit is unchanged");
    }

    @Test
    void aHeaderTheLibraryOwnsIsRefusedBeforeSending() {
        GumloopClient bad = client.withOptions(RequestOptions.builder().extraHeader("authorization", "Bearer x").build());
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> bad.agents().retrieve("agent_pro"));
        assertEquals("request_options.extra_headers", e.param());
        assertEquals(0, Emulator.requests().size());
        bad.close();
        assertEquals("agent_pro", client.agents().retrieve("agent_pro").id(), "closing a view leaves the client open");
    }
}
