package com.gumloop.ffi;

import java.util.concurrent.CompletableFuture;

/**
 * The future of one call: {@link #cancel(boolean)} also ends the call in the library (its
 * connection closes at once). Futures derived from it ({@code thenApply} ...) are plain
 * {@link CompletableFuture}s, as usual: cancelling one of those does not reach the call.
 */
final class CallFuture<T> extends CompletableFuture<T> {
    private final PendingCall call;

    CallFuture(PendingCall call) {
        this.call = call;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled && call != null) {
            call.cancel();
        }
        return cancelled;
    }
}
