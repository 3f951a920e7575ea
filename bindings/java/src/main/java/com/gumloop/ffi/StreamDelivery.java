package com.gumloop.ffi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs a stream's handler on the client's executor, one event at a time and in order, without
 * a thread per stream: the waiting thread queues, and at most one executor task per stream
 * drains the queue. A handler that throws cancels the stream, and the future fails with what it
 * threw.
 */
final class StreamDelivery implements EventSink {
    private static final String END = new String("end");

    private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Calls calls;
    private final Consumer<? super StreamEvent> handler;
    private volatile PendingCall call;
    private volatile CallFuture<StreamSummary> future;
    private Throwable failure;

    private StreamDelivery(Calls calls, Consumer<? super StreamEvent> handler) {
        this.calls = calls;
        this.handler = handler;
    }

    /** Starts a streaming call whose events go to {@code handler}; the future is its summary. */
    static CompletableFuture<StreamSummary> start(Calls calls, String operation,
            com.fasterxml.jackson.databind.node.ObjectNode args, Consumer<? super StreamEvent> handler) {
        StreamDelivery delivery = new StreamDelivery(calls, handler);
        try {
            if (handler == null) {
                throw Errors.invalidArgument("handler", "the event handler must not be null");
            }
            // Nothing is delivered before the future exists: the drain waits for it (see drain).
            delivery.call = calls.start(operation, args, null, delivery, false);
        } catch (GumloopException e) {
            CallFuture<StreamSummary> failed = new CallFuture<>(null);
            failed.completeExceptionally(e);
            return failed;
        }
        delivery.future = new CallFuture<>(delivery.call);
        delivery.schedule();
        return delivery.future;
    }

    @Override
    public void event(String json) {
        queue.add(json);
        schedule();
    }

    @Override
    public void end() {
        queue.add(END);
        schedule();
    }

    private void schedule() {
        if (future != null && !queue.isEmpty() && scheduled.compareAndSet(false, true)) {
            calls.engine.executor().execute(this::drain);
        }
    }

    private void drain() {
        String item;
        while ((item = queue.poll()) != null) {
            if (item == END) {
                finish();
            } else if (failure == null && !future.isDone()) {
                try {
                    handler.accept(StreamEvent.of(Json.parse(item, "a stream event")));
                } catch (Throwable e) { // an Error too: it ends the stream and fails the future
                    failure = e;
                    call.cancel();
                }
            }
        }
        scheduled.set(false);
        schedule();
    }

    private void finish() {
        if (failure != null) {
            future.completeExceptionally(failure);
            return;
        }
        try {
            future.complete(calls.finish(call.outcome.join(), o -> o.value(StreamSummary::of)));
        } catch (Throwable e) {
            future.completeExceptionally(e);
        }
    }
}
