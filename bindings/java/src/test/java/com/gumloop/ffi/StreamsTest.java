package com.gumloop.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Streams as iterators, as java.util.stream.Stream, and with a handler on the executor. */
class StreamsTest extends EmulatorTest {

    private static String text(List<StreamEvent> events) {
        return events.stream().map(StreamEvent::delta).filter(d -> d != null).collect(Collectors.joining());
    }

    @Test
    void aStreamIsAnIteratorOfTypedEventsEndingWithItsSummary() {
        List<StreamEvent> events = new ArrayList<>();
        try (EventStream stream = client.sessions().stream("agent_pro", CreateParams.of("[words:5] go"))) {
            stream.forEachRemaining(events::add);
            StreamSummary summary = stream.summary();
            assertTrue(summary.isFinal());
            assertEquals("stop", summary.finishReason());
            assertEquals(events.size(), summary.events());
            assertEquals(events.get(events.size() - 1).streamCursor(), summary.lastCursor());
        }
        assertEquals("interaction-ready", events.get(0).type());
        assertEquals(5, text(events).trim().split(" ").length);
        StreamEvent last = events.get(events.size() - 1);
        assertTrue(last.isFinal());
        assertEquals("finish", last.json().path("type").asText());
    }

    @Test
    void aStreamIsAJavaStream() {
        String id = client.sessions().create("agent_pro", null).session().id();
        try (var events = client.sessions().streamMessage(id, SendParams.of("[words:3] hi")).stream()) {
            assertEquals(3, events.filter(e -> "text-delta".equals(e.type())).count());
        }
    }

    @Test
    void aDroppedStreamIsResumedByTheLibrary() {
        Emulator.arm(Map.of("method", "POST", "path", "/api/v1/agents/*/sessions", "drop_stream_after", 3));
        List<StreamEvent> events = new ArrayList<>();
        StreamSummary summary;
        try (EventStream stream = client.sessions().stream("agent_pro", CreateParams.of("[words:8] [slow:400] resumed"))) {
            stream.forEachRemaining(events::add);
            summary = stream.summary();
        }
        assertEquals(1, summary.resumes());
        assertEquals(8, text(events).trim().split(" ").length);
        assertEquals(events.size(), events.stream().map(StreamEvent::streamCursor).distinct().count(), "each event once");
    }

    @Test
    void anAsyncStreamDeliversEachEventInOrderOnTheExecutor() throws Exception {
        List<StreamEvent> events = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        StreamSummary summary = client.sessions().streamAsync("agent_pro", CreateParams.of("[words:6] async"), e -> {
            events.add(e);
            threads.add(Thread.currentThread().getName());
        }).get();
        assertEquals(events.size(), summary.events());
        List<String> cursors = events.stream().map(StreamEvent::streamCursor).collect(Collectors.toList());
        List<String> sorted = new ArrayList<>(cursors);
        sorted.sort((a, b) -> Integer.compare(Integer.parseInt(a.split(":")[1]), Integer.parseInt(b.split(":")[1])));
        assertEquals(sorted, cursors);
        assertFalse(threads.stream().anyMatch(t -> t.startsWith("gumloop-poller")));
    }

    @Test
    void aHandlerThatThrowsStopsTheStreamAndFailsTheFuture() {
        IllegalStateException boom = new IllegalStateException("boom");
        List<StreamEvent> seen = new ArrayList<>();
        var future = client.sessions().streamAsync("agent_pro", CreateParams.of("[words:30] [slow:3000] x"), e -> {
            seen.add(e);
            throw boom;
        });
        ExecutionException failed = assertThrows(ExecutionException.class, future::get);
        assertSame(boom, failed.getCause());
        assertEquals(1, seen.size());
    }

    @Test
    void aStreamThatFailsThrowsFromHasNextAfterItsEvents() {
        Emulator.arm(Map.of("method", "POST", "path", "/api/v1/agents/*/sessions", "drop_stream_after", 2));
        Emulator.arm(Map.of("method", "GET", "path", "/api/v1/sessions/*", "times", 20, "status", 503));
        List<StreamEvent> events = new ArrayList<>();
        EventStream stream = client.sessions().stream("agent_pro", CreateParams.of("[words:20] [slow:1000] lost"));
        StreamIncompleteException e = assertThrows(StreamIncompleteException.class, () -> stream.forEachRemaining(events::add));
        assertEquals(2, events.size());
        assertEquals(2, e.stream().events());
        assertEquals(events.get(1).streamCursor(), e.stream().lastCursor());
        assertFalse(stream.hasNext());
    }
}
