package com.gumloop.ffi;

import java.time.Duration;

/** How {@link Sessions#waitUntilSettled} polls; fields not set keep the library's defaults (600 s, 250 ms growing to 5 s). */
public final class WaitOptions extends Fields<WaitOptions> {
    /** The library's defaults. */
    public WaitOptions() {}

    @Override
    WaitOptions self() {
        return this;
    }

    /**
     * The longest wait; then the call fails with {@link APITimeoutException}.
     *
     * @param timeout the limit
     * @return this
     */
    public WaitOptions timeout(Duration timeout) {
        fields.put("timeout_ms", timeout.toMillis());
        return this;
    }

    /**
     * The first pause between polls.
     *
     * @param interval the pause
     * @return this
     */
    public WaitOptions pollInterval(Duration interval) {
        fields.put("poll_interval_ms", interval.toMillis());
        return this;
    }

    /**
     * The longest pause between polls.
     *
     * @param interval the pause
     * @return this
     */
    public WaitOptions maxPollInterval(Duration interval) {
        fields.put("max_poll_interval_ms", interval.toMillis());
        return this;
    }
}
