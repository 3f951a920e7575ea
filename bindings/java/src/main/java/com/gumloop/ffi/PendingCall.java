package com.gumloop.ffi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** One call in flight on an {@link Engine}'s poller, until its DONE item has been taken. */
final class PendingCall {
    private final Engine engine;
    private final long id;
    private final EventSink sink;
    /** Whether the call's result is bytes, taken when it ends. */
    final boolean bytes;
    /** Whether what the call's requests saw is taken when it ends. */
    final boolean info;
    /** Completed (normally, never exceptionally) by the waiting thread with the call's end. */
    final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

    PendingCall(Engine engine, long id, EventSink sink, boolean bytes, boolean info) {
        this.info = info;
        this.engine = engine;
        this.id = id;
        this.sink = sink;
        this.bytes = bytes;
    }

    /** The poller's call ID. */
    long id() {
        return id;
    }

    void event(String json) {
        if (sink != null) {
            sink.event(json);
        }
    }

    void done(int code, String json, byte[] data, String info) {
        outcome.complete(new Outcome(code, json, data, info));
        if (sink != null) {
            sink.end();
        }
    }

    /** Asks the library to end the call at once (its connection closes); its DONE item follows. */
    void cancel() {
        if (!outcome.isDone()) {
            engine.cancel(id);
        }
    }

    /**
     * Waits for the call's end on the calling thread. An interrupt cancels the call, keeps the
     * thread's interrupt status and throws {@link CancelledException}.
     */
    Outcome await() {
        try {
            return outcome.get();
        } catch (InterruptedException e) {
            cancel();
            Thread.currentThread().interrupt();
            GumloopException cancelled = Errors.cancelled("the waiting thread was interrupted; the call was cancelled");
            cancelled.initCause(e);
            throw cancelled;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a call's outcome never fails", e);
        }
    }
}
