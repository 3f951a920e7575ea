package com.gumloop.ffi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Options of individual calls: headers for their requests only (a {@code traceparent} per
 * request), a time limit per request, and a listener told what each call's requests saw. Use
 * them through {@link GumloopClient#withOptions}:
 * {@code client.withOptions(RequestOptions.builder().extraHeader("traceparent", tp).build()).sessions().retrieve(id)}.
 * The library checks them as it checks the client's options, before anything is sent.
 */
public final class RequestOptions {
    /** No per-call option. */
    public static final RequestOptions NONE = builder().build();

    private final ObjectNode json;
    private final Consumer<? super CallInfo> onCallInfo;

    private RequestOptions(ObjectNode json, Consumer<? super CallInfo> onCallInfo) {
        this.json = json;
        this.onCallInfo = onCallInfo;
    }

    /**
     * A builder with nothing set.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The {@code request_options} argument, or null when nothing is set. */
    ObjectNode json() {
        return json.isEmpty() ? null : json.deepCopy();
    }

    /** Whether a listener wants each call's info. */
    boolean wantsInfo() {
        return onCallInfo != null;
    }

    /** Tells the listener what a finished call's requests saw. */
    void report(String info) {
        if (onCallInfo != null && info != null) {
            onCallInfo.accept(CallInfo.of(Json.parse(info, "the call's info")));
        }
    }

    /** Builds {@link RequestOptions}. */
    public static final class Builder {
        private final ObjectNode json = Json.object();
        private Consumer<? super CallInfo> onCallInfo;

        private Builder() {}

        /**
         * A header for these calls' requests; it replaces a client-wide extra header of the same
         * name. Headers the library owns (authorization, content-type ...) are refused.
         *
         * @param name the header's name
         * @param value its value
         * @return this
         */
        public Builder extraHeader(String name, String value) {
            ObjectNode headers = json.has("extra_headers") ? (ObjectNode) json.get("extra_headers") : json.putObject("extra_headers");
            headers.put(name, value);
            return this;
        }

        /**
         * Several headers (see {@link #extraHeader}).
         *
         * @param headers name to value
         * @return this
         */
        public Builder extraHeaders(Map<String, String> headers) {
            headers.forEach(this::extraHeader);
            return this;
        }

        /**
         * The time limit of each request of these calls (not of streams).
         *
         * @param timeout the limit
         * @return this
         */
        public Builder timeout(Duration timeout) {
            json.put("timeout_ms", timeout.toMillis());
            return this;
        }

        /**
         * Told, when each call ends (success or failure), what its requests saw: on the calling
         * thread for blocking methods, on the executor before the future completes for async ones.
         *
         * @param listener the listener
         * @return this
         */
        public Builder onCallInfo(Consumer<? super CallInfo> listener) {
            this.onCallInfo = listener;
            return this;
        }

        /**
         * The options.
         *
         * @return the options
         */
        public RequestOptions build() {
            return new RequestOptions(json.deepCopy(), onCallInfo);
        }
    }
}
