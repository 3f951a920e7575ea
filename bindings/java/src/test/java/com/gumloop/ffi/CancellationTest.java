package com.gumloop.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cancellation before a call starts, while it is in flight, and in the middle of a stream. */
class CancellationTest extends EmulatorTest {

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    /** Waits (by the emulator's log, never by the clock) until {@code n} requests have arrived. */
    private static void awaitRequests(int n) throws InterruptedException {
        while (Emulator.requests().size() < n) {
            Thread.sleep(5);
        }
    }

    /** The connections the emulator has open (the admin client's included). */
    private static int openConnections() {
        return Emulator.admin("GET", "/stats", null).path("connections").path("open").asInt();
    }

    @Test
    void anInterruptedThreadSendsNothing() {
        Thread.currentThread().interrupt();
        assertThrows(CancelledException.class, () -> client.sessions().create("agent_pro", null));
        assertThrows(CancelledException.class, () -> client.sessions().stream("agent_pro", CreateParams.of("x")));
        assertTrue(Thread.interrupted(), "the interrupt status is kept");
        assertEquals(0, Emulator.requests().size());
        assertEquals(0, client.callsInFlight());
    }

    @Test
    void aFutureCancelledAtOnceEndsItsCall() throws Exception {
        CompletableFuture<SessionResponse> f = client.sessions().createAsync("agent_pro", CreateParams.of("x"));
        assertTrue(f.cancel(true));
        assertThrows(CancellationException.class, f::get);
        client.close();
        assertEquals(0, client.callsInFlight());
    }

    @Test
    void cancellingAFutureInFlightClosesItsConnection() throws Exception {
        Emulator.arm(Map.of("method", "GET", "path", "/api/v1/agents/agent_pro", "delay_ms", 30000));
        int openBefore = openConnections();
        CompletableFuture<Agent> f = client.agents().retrieveAsync("agent_pro");
        awaitRequests(1);
        assertEquals(openBefore + 1, openConnections());
        assertEquals(1, client.callsInFlight());
        assertTrue(f.cancel(true));
        assertThrows(CancellationException.class, f::get);
        while (client.callsInFlight() > 0) {
            Thread.sleep(5);
        }
        // The library closed the connection: the emulator no longer counts it as open.
        while (openConnections() > openBefore) {
            Thread.sleep(5);
        }
        assertEquals(1, Emulator.requests().size(), "nothing was retried");
    }

    @Test
    void interruptingABlockingCallCancelsIt() throws Exception {
        Emulator.arm(Map.of("method", "GET", "path", "/api/v1/agents/agent_pro", "delay_ms", 30000));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                client.agents().retrieve("agent_pro");
            } catch (Throwable e) {
                thrown.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        caller.start();
        awaitRequests(1);
        caller.interrupt();
        caller.join();
        assertTrue(thrown.get() instanceof CancelledException, String.valueOf(thrown.get()));
        assertEquals("GUMLOOP_ERR_CANCELLED", ((GumloopException) thrown.get()).kind());
        assertTrue(stillInterrupted.get());
    }

    @Test
    void closingAStreamMidwayCancelsItsCall() throws Exception {
        EventStream stream = client.sessions().stream("agent_pro", CreateParams.of("[words:50] [slow:20000] long"));
        StreamEvent first = stream.next();
        assertEquals("interaction-ready", first.type());
        stream.close();
        assertFalse(stream.hasNext());
        while (client.callsInFlight() > 0) {
            Thread.sleep(5);
        }
    }

    @Test
    void cancellingAnAsyncStreamMidwayStopsItsEvents() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        AtomicReference<Integer> atCancel = new AtomicReference<>();
        List<StreamEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<StreamSummary> f = client.sessions().streamAsync("agent_pro",
                CreateParams.of("[words:50] [slow:20000] long"), e -> {
                    seen.add(e);
                    first.countDown();
                });
        first.await();
        assertTrue(f.cancel(true));
        atCancel.set(seen.size());
        while (client.callsInFlight() > 0) {
            Thread.sleep(5);
        }
        assertThrows(CancellationException.class, f::get);
        assertTrue(seen.size() <= atCancel.get() + 1, "at most the event being delivered when cancelled");
    }

    @Test
    void closeWaitsForCallsInFlightAndCloseNowCancelsThem() throws Exception {
        String id = client.sessions().create("agent_pro", CreateParams.of("[words:5] [slow:300] x")).session().id();
        CompletableFuture<StreamSummary> running = client.sessions().resumeStreamAsync(id, id + ":1", e -> { });
        client.close();
        assertEquals(0, client.callsInFlight(), "close returned after the stream's end");
        assertTrue(running.get().isFinal(), "the stream ran to its end, not cancelled");
        assertThrows(ClientClosedException.class, () -> client.sessions().retrieve(id));

        GumloopClient other = Emulator.adaBuilder().build();
        CompletableFuture<SessionResponse> waiting = other.sessions().waitUntilSettledAsync(
                other.sessions().create("agent_pro", CreateParams.of("[slow:60000] y")).session().id(), null);
        other.closeNow();
        ExecutionException e = assertThrows(ExecutionException.class, waiting::get);
        assertTrue(e.getCause() instanceof CancelledException, String.valueOf(e.getCause()));
        JsonNode doc = ((GumloopException) e.getCause()).document();
        assertEquals("GUMLOOP_ERR_CANCELLED", doc.path("error").path("kind").asText());
    }
}
