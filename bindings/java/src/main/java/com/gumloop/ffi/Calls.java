package com.gumloop.ffi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * How the resources start their calls: on a client's engine, with the per-call options of the
 * client (or view) they belong to. Every method of the package goes through here.
 */
final class Calls {
    final Engine engine;
    final RequestOptions options;

    Calls(Engine engine, RequestOptions options) {
        this.engine = engine;
        this.options = options;
    }

    /** Starts a call: the arguments with {@code request_options} added when set. */
    PendingCall start(String operation, ObjectNode args, byte[] data, EventSink sink, boolean bytes) {
        ObjectNode request = options.json();
        if (request != null) {
            args.set("request_options", request);
        }
        return engine.start(operation, args, data, sink, bytes, options.wantsInfo());
    }

    /**
     * The outcome's result, after the caller-side work of a call's end: the library's log
     * records to the logger, refreshed tokens to {@code onTokens}, the call's info to its listener.
     */
    <T> T finish(Outcome outcome, Function<Outcome, T> read) {
        Logs.drain();
        engine.handOverTokens();
        options.report(outcome.info());
        return read.apply(outcome);
    }

    /** A JSON call, blocking. */
    <T> T run(String operation, ObjectNode args, byte[] data, Outcome.ResultParser<T> parser) {
        return Engine.await(() -> start(operation, args, data, null, false), o -> finish(o, x -> x.value(parser)));
    }

    /** A JSON call, asynchronous. */
    <T> CompletableFuture<T> submit(String operation, ObjectNode args, byte[] data, Outcome.ResultParser<T> parser) {
        return engine.future(() -> start(operation, args, data, null, false), o -> finish(o, x -> x.value(parser)));
    }

    /** A bytes call, blocking. */
    <T> T runBytes(String operation, ObjectNode args, Function<Outcome, T> read) {
        return Engine.await(() -> start(operation, args, null, null, true), o -> finish(o, read));
    }

    /** A bytes call, asynchronous. */
    <T> CompletableFuture<T> submitBytes(String operation, ObjectNode args, Function<Outcome, T> read) {
        return engine.future(() -> start(operation, args, null, null, true), o -> finish(o, read));
    }
}
