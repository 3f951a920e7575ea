package com.gumloop.ffi;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A streaming call's events, in order, each once: an {@link Iterator} (or, with
 * {@link #stream()}, a {@link Stream}) to use in try-with-resources. The library resumes the
 * stream by itself after a drop or a stall; iteration ends after the run's final event, and
 * {@link #summary()} is then what the stream reports. A failed stream throws its exception from
 * {@link #hasNext()} once the events before the failure were delivered. {@link #close()} before
 * the end cancels the call (its connection closes at once). Iterate on one thread at a time.
 *
 * <p>The engine's waiting thread queues events here as they arrive, so a slow reader holds
 * events in memory rather than holding the stream back.
 */
public final class EventStream implements Iterator<StreamEvent>, AutoCloseable {
    /** Marks the end in the queue (compared by identity). */
    private static final String END = new String("end");

    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final PendingCall call;
    private StreamEvent next;
    private StreamSummary summary;
    private boolean ended;
    private boolean closed;

    private final Calls calls;

    EventStream(Calls calls, String operation, com.fasterxml.jackson.databind.node.ObjectNode args) {
        this.calls = calls;
        if (Thread.currentThread().isInterrupted()) {
            throw Errors.cancelled("the calling thread is interrupted; nothing was sent");
        }
        this.call = calls.start(operation, args, null, new EventSink() {
            @Override
            public void event(String json) {
                queue.add(json);
            }

            @Override
            public void end() {
                queue.add(END);
            }
        }, false);
    }

    /**
     * Whether another event is there, waiting for it. Throws the call's exception when the stream
     * failed; an interrupt of the waiting thread cancels the call and throws
     * {@link CancelledException} (the interrupt status is kept).
     */
    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (ended || closed) {
            return false;
        }
        String item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            GumloopException cancelled = Errors.cancelled("the reading thread was interrupted; the stream was cancelled");
            cancelled.initCause(e);
            throw cancelled;
        }
        if (item == END) {
            ended = true;
            summary = calls.finish(call.await(), o -> o.value(StreamSummary::of));
            return false;
        }
        next = StreamEvent.of(Json.parse(item, "a stream event"));
        return true;
    }

    /** The next event, waiting for it (see {@link #hasNext()}). */
    @Override
    public StreamEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the stream has ended");
        }
        StreamEvent event = next;
        next = null;
        return event;
    }

    /** {@return what the stream reported at its end; null until iteration has ended} */
    public StreamSummary summary() {
        return summary;
    }

    /** {@return reads the remaining events without keeping them and returns the stream's summary} */
    public StreamSummary finish() {
        while (hasNext()) {
            next();
        }
        if (summary == null) {
            throw Errors.cancelled("the stream was closed before its end");
        }
        return summary;
    }

    /** {@return the events as a sequential {@link Stream}; closing it closes this} */
    public Stream<StreamEvent> stream() {
        Spliterator<StreamEvent> split = Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(split, false).onClose(this::close);
    }

    /** Cancels the call unless it has ended (its connection closes at once); later reads end. */
    @Override
    public void close() {
        if (!ended && !closed) {
            closed = true;
            call.cancel();
        }
    }
}
