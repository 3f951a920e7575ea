package com.gumloop.ffi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A client's one engine: a libgumloop poller on which every call of the client is started by
 * name, and one daemon thread that waits (in {@code poll}) on the poller's descriptor for all the
 * calls in flight, takes each ready item and hands it to its call. No thread waits per call; the
 * library's threads never run Java code. Blocking methods wait on their call's outcome;
 * asynchronous ones complete their future on the client's executor.
 */
final class Engine {
    private static final int ITEM_NONE = 0;
    private static final int ITEM_EVENT = 1;
    private static final int ITEM_DONE = 2;
    private static final short POLLIN = 1;
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    private final Native lib = Native.get();
    private final Pointer client;
    private final Pointer poller;
    private final Executor executor;
    private final java.util.function.Consumer<? super TokenSet> onTokens;
    private final java.util.concurrent.atomic.AtomicLong refreshesSeen = new java.util.concurrent.atomic.AtomicLong();
    private final int[] wake = new int[2];
    /** Guards {@link #calls}, {@link #closed}, {@link #stopping} and each start (see {@link #start}). */
    private final Object lock = new Object();
    private final Map<Long, PendingCall> calls = new HashMap<>();
    private boolean closed;
    private boolean stopping;
    private Thread waiter;

    /** An engine for a client handle (owned from now on: {@link #close} frees it). */
    Engine(Pointer client, Executor executor, java.util.function.Consumer<? super TokenSet> onTokens) {
        this.client = client;
        this.executor = executor;
        this.onTokens = onTokens;
        PointerByReference out = new PointerByReference();
        PointerByReference json = new PointerByReference();
        int code = lib.lib.gumloop_poller_new(null, out, json);
        String text = lib.takeString(json);
        if (code != 0) {
            lib.lib.gumloop_client_free(client);
            throw Errors.fromLibrary(code, text);
        }
        poller = out.getValue();
        if (lib.libc.pipe(wake) != 0) {
            lib.lib.gumloop_poller_free(poller);
            lib.lib.gumloop_client_free(client);
            throw new IllegalStateException("pipe() failed: errno " + com.sun.jna.Native.getLastError());
        }
    }

    /** The executor that completes asynchronous calls and runs stream handlers. */
    Executor executor() {
        return executor;
    }

    /**
     * Starts {@code operation} with its named arguments (and raw bytes for the operations that
     * take them). Bad arguments are refused here, before anything is sent. {@code bytes}: the
     * result is bytes, taken when the call ends; {@code info}: what its requests saw is taken too.
     */
    PendingCall start(String operation, ObjectNode args, byte[] data, EventSink sink, boolean bytes, boolean info) {
        byte[] argsJson;
        try {
            argsJson = Native.cBytes(Json.MAPPER.writeValueAsBytes(args));
        } catch (JsonProcessingException e) {
            throw Errors.invalidArgument("args", "the arguments cannot be written as JSON: " + e.getOriginalMessage());
        }
        LongByReference id = new LongByReference();
        PointerByReference out = new PointerByReference();
        // Registered under the lock that the waiting thread takes to look a call up, so that an
        // item can never arrive for an ID not yet registered.
        synchronized (lock) {
            if (closed) {
                throw Errors.closed();
            }
            startWaiter();
            int code = lib.lib.gumloop_poller_start_call(poller, client, Native.cString(operation), argsJson,
                    data == null || data.length == 0 ? null : data, data == null ? 0 : data.length, id, out);
            String text = lib.takeString(out);
            if (code != 0) {
                throw Errors.fromLibrary(code, text);
            }
            PendingCall call = new PendingCall(this, id.getValue(), sink, bytes, info);
            calls.put(call.id(), call);
            return call;
        }
    }

    /** Starts a call and waits for its outcome on the calling thread (interruptible); {@code read} makes the result. */
    static <T> T await(Supplier<PendingCall> starter, Function<Outcome, T> read) {
        if (Thread.currentThread().isInterrupted()) {
            throw Errors.cancelled("the calling thread is interrupted; nothing was sent");
        }
        return read.apply(starter.get().await());
    }

    /** Starts a call; its future completes on the executor with what {@code read} makes (a refused call's future fails at once). */
    <T> CompletableFuture<T> future(Supplier<PendingCall> starter, Function<Outcome, T> read) {
        PendingCall call;
        try {
            call = starter.get();
        } catch (GumloopException e) {
            CompletableFuture<T> failed = new CallFuture<>(null);
            failed.completeExceptionally(e);
            return failed;
        }
        CallFuture<T> future = new CallFuture<>(call);
        call.outcome.thenAcceptAsync(outcome -> {
            try {
                future.complete(read.apply(outcome));
            } catch (Throwable e) { // an Error too: the future must end whatever happens
                future.completeExceptionally(e);
            }
        }, executor);
        return future;
    }

    /**
     * After a call ends, on the caller's side: when the library refreshed the tokens since the
     * last look, takes the latest pair and gives it to the client's {@code onTokens}.
     */
    void handOverTokens() {
        if (onTokens == null) {
            return;
        }
        long count = lib.lib.gumloop_client_get_refresh_count(client);
        long seen = refreshesSeen.get();
        if (count <= seen || !refreshesSeen.compareAndSet(seen, count)) {
            return;
        }
        PointerByReference out = new PointerByReference();
        int code = lib.lib.gumloop_client_take_tokens(client, out);
        JsonNode taken = Json.parseOrNull(lib.takeString(out));
        if (code == 0 && taken != null && taken.path("tokens").isObject()) {
            onTokens.accept(TokenSet.of(taken.get("tokens")));
        }
    }

    /** Replaces the client's credentials for the calls that start afterwards; the new generation. */
    long setCredentials(ObjectNode credentials) {
        PointerByReference out = new PointerByReference();
        synchronized (lock) {
            if (closed) {
                throw Errors.closed();
            }
            int code = lib.lib.gumloop_client_set_credentials(client, Native.cString(credentials.toString()), out);
            String text = lib.takeString(out);
            if (code != 0) {
                throw Errors.fromLibrary(code, text);
            }
            return Json.parse(text, "the credentials' generation").path("generation").asLong();
        }
    }

    /** Ends one call at once; unknown or finished calls are ignored. */
    void cancel(long id) {
        PointerByReference out = new PointerByReference();
        synchronized (lock) {
            if (stopping) {
                return;
            }
            lib.lib.gumloop_poller_cancel_call(poller, id, out);
        }
        lib.takeString(out);
    }

    /** The number of calls in flight. */
    int inFlight() {
        synchronized (lock) {
            return calls.size();
        }
    }

    private void startWaiter() {
        if (waiter == null) {
            waiter = new Thread(this::waitLoop, "gumloop-poller-" + THREAD_NUMBER.incrementAndGet());
            waiter.setDaemon(true);
            waiter.start();
        }
    }

    /**
     * The waiting thread. Should anything fail in it (a bug: the library's functions do not
     * fail here), every call in flight ends with {@link InternalException} and the client takes
     * no new calls, rather than leaving its callers waiting for ever.
     */
    private void waitLoop() {
        try {
            pollLoop();
        } catch (Throwable e) {
            failAll(e);
        }
    }

    private void failAll(Throwable e) {
        List<PendingCall> failed;
        synchronized (lock) {
            closed = true;
            failed = List.copyOf(calls.values());
            calls.clear();
            lock.notifyAll();
        }
        int code = Description.get().code("GUMLOOP_ERR_INTERNAL");
        String document = Errors.document(code, "the client's waiting thread failed: " + e, null).toString();
        for (PendingCall call : failed) {
            call.done(code, document, null, null);
        }
    }

    private void pollLoop() {
        int fd = lib.lib.gumloop_poller_get_fd(poller);
        Memory fds = new Memory(16);
        byte[] buffer = new byte[64];
        while (true) {
            drain();
            synchronized (lock) {
                if (stopping) {
                    return;
                }
            }
            fds.setInt(0, fd);
            fds.setShort(4, POLLIN);
            fds.setShort(6, (short) 0);
            fds.setInt(8, wake[0]);
            fds.setShort(12, POLLIN);
            fds.setShort(14, (short) 0);
            lib.libc.poll(fds, 2, -1);
            if ((fds.getShort(14) & POLLIN) != 0) {
                lib.libc.read(wake[0], buffer, buffer.length);
            }
        }
    }

    private void drain() {
        LongByReference id = new LongByReference();
        IntByReference kind = new IntByReference();
        IntByReference code = new IntByReference();
        PointerByReference out = new PointerByReference();
        while (true) {
            int rc = lib.lib.gumloop_poller_take_item(poller, id, kind, code, out);
            String text = lib.takeString(out);
            if (rc != 0 || kind.getValue() == ITEM_NONE) {
                return;
            }
            PendingCall call;
            synchronized (lock) {
                call = kind.getValue() == ITEM_DONE ? calls.remove(id.getValue()) : calls.get(id.getValue());
                if (calls.isEmpty()) {
                    lock.notifyAll();
                }
            }
            if (call == null) {
                continue;
            }
            if (kind.getValue() == ITEM_EVENT) {
                call.event(text);
            } else {
                byte[] bytes = null;
                int outcome = code.getValue();
                String json = text;
                if (call.bytes && outcome == 0) {
                    PointerByReference error = new PointerByReference();
                    bytes = takeBytes(call.id(), error);
                    if (bytes == null) {
                        outcome = Description.get().code("GUMLOOP_ERR_INTERNAL");
                        json = lib.takeString(error);
                    }
                }
                call.done(outcome, json, bytes, call.info ? takeInfo(call.id()) : null);
            }
        }
    }

    /** A finished bytes call's bytes, copied to the heap and freed; null (and the error document in {@code error}) when they cannot be taken. */
    private byte[] takeBytes(long id, PointerByReference error) {
        PointerByReference data = new PointerByReference();
        LongByReference len = new LongByReference();
        if (lib.lib.gumloop_poller_take_bytes(poller, id, data, len, error) != 0) {
            return null;
        }
        Pointer p = data.getValue();
        byte[] bytes = p == null ? new byte[0] : p.getByteArray(0, Math.toIntExact(len.getValue()));
        if (p != null) {
            lib.lib.gumloop_bytes_free(p, len.getValue());
        }
        return bytes;
    }

    /** What a finished call's requests saw ({@code {"attempts","duration_ms","request_id"}}), or null. */
    private String takeInfo(long id) {
        PointerByReference out = new PointerByReference();
        int rc = lib.lib.gumloop_poller_take_call_info(poller, id, out);
        String text = lib.takeString(out);
        return rc == 0 ? text : null;
    }

    /**
     * Refuses new calls, waits for the calls in flight to end (all of them are cancelled first
     * when {@code cancelInFlight}, or when the waiting thread is interrupted), then frees the
     * poller and the client. Idempotent.
     */
    void close(boolean cancelInFlight) {
        boolean interrupted = false;
        synchronized (lock) {
            if (stopping) {
                return;
            }
            closed = true;
            if (cancelInFlight) {
                cancelAll();
            }
            while (!calls.isEmpty()) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                    cancelAll();
                }
            }
            stopping = true;
        }
        if (waiter != null) {
            lib.libc.write(wake[1], new byte[] {1}, 1);
            while (true) {
                try {
                    waiter.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        lib.lib.gumloop_poller_free(poller);
        lib.lib.gumloop_client_free(client);
        lib.libc.close(wake[0]);
        lib.libc.close(wake[1]);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void cancelAll() {
        for (Long id : List.copyOf(calls.keySet())) {
            PointerByReference out = new PointerByReference();
            lib.lib.gumloop_poller_cancel_call(poller, id, out);
            lib.takeString(out);
        }
    }
}
