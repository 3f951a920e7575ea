package com.gumloop.ffi;

import static com.gumloop.ffi.Json.args;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.jna.ptr.PointerByReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * A client of Gumloop's Agents API over libgumloop: its configuration, its connection pool and
 * its one engine (a poller with one waiting thread for every call in flight).
 *
 * <pre>{@code
 * try (GumloopClient client = GumloopClient.builder().accessToken("...").userId("...").build()) {
 *     SessionResponse created = client.sessions().create("my_agent", CreateParams.of("Hello"));
 * }
 * }</pre>
 *
 * Options not set are left to the library, which reads the environment as the official SDK
 * does ({@code GUMLOOP_ACCESS_TOKEN}, {@code GUMLOOP_USER_ID}, {@code GUMLOOP_TEAM_ID},
 * {@code GUMLOOP_BASE_URL}, {@code GUMLOOP_STREAM_BASE_URL}); explicit options win. A client is
 * safe for use from any number of threads; {@link #close()} it when done.
 */
public final class GumloopClient implements AutoCloseable {
    private final Engine engine;
    private final Calls calls;
    private final boolean owner;
    private final Sessions sessions;
    private final Agents agents;
    private final Artifacts artifacts;
    private final OAuth oauth;

    private GumloopClient(Engine engine, RequestOptions options, boolean owner) {
        this.engine = engine;
        this.calls = new Calls(engine, options);
        this.owner = owner;
        this.sessions = new Sessions(calls);
        this.agents = new Agents(calls);
        this.artifacts = new Artifacts(calls);
        this.oauth = new OAuth(calls);
    }

    /**
     * A view of this client whose calls carry {@code options} (per-call headers, a per-request
     * time limit, a call-info listener). It shares this client's connections and engine; closing
     * the view does nothing, closing this client ends both.
     *
     * @param options the per-call options
     * @return the view
     */
    public GumloopClient withOptions(RequestOptions options) {
        return new GumloopClient(engine, options == null ? RequestOptions.NONE : options, false);
    }

    /**
     * A builder of a client.
     *
     * @return a builder with no option set
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A client configured by the environment alone.
     *
     * @return the client
     */
    public static GumloopClient fromEnvironment() {
        return builder().build();
    }

    /**
     * The loaded library's version, e.g. {@code "0.3.0"}.
     *
     * @return the version
     */
    public static String libraryVersion() {
        return Native.get().lib.gumloop_version_get();
    }

    /**
     * The library version this package was built for (Cargo.toml's at build time).
     *
     * @return the version, or null when unknown
     */
    public static String bindingVersion() {
        return Native.bindingVersion();
    }

    /**
     * The session calls.
     *
     * @return the sessions resource
     */
    public Sessions sessions() {
        return sessions;
    }

    /**
     * The agent calls.
     *
     * @return the agents resource
     */
    public Agents agents() {
        return agents;
    }

    /**
     * The artifact calls.
     *
     * @return the artifacts resource
     */
    public Artifacts artifacts() {
        return artifacts;
    }

    /**
     * Signing in with OAuth: registration, code exchange, refresh, revocation.
     *
     * @return the OAuth calls
     */
    public OAuth oauth() {
        return oauth;
    }

    /**
     * Replaces the credentials of this live client, atomically, for the calls that start
     * afterwards (calls in flight keep theirs; connections stay open). Any thread.
     *
     * @param credentials what changes
     * @return the credentials' generation (one more on every change, by this or by a refresh)
     */
    public long setCredentials(Credentials credentials) {
        return engine.setCredentials(credentials.toJson());
    }

    /**
     * Sends a request the library does not wrap, with the client's credentials, retry rules and
     * error model.
     *
     * @param method {@code GET}, {@code HEAD}, {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE}
     * @param path the path segments under the base URL, each encoded as one segment
     * @param query query parameters (null: none)
     * @param body the JSON body (null: none; not with GET or HEAD)
     * @return the server's JSON (a null node for an empty answer)
     */
    public JsonResult request(String method, List<String> path, Map<String, ?> query, Object body) {
        return calls.run("send_request", args("method", method, "path", path, "query", query, "body", body), null,
                JsonResult::of);
    }

    /**
     * {@link #request} without blocking.
     *
     * @param method the method
     * @param path the segments
     * @param query the query or null
     * @param body the body or null
     * @return the answer's future
     */
    public CompletableFuture<JsonResult> requestAsync(String method, List<String> path, Map<String, ?> query, Object body) {
        return calls.submit("send_request", args("method", method, "path", path, "query", query, "body", body), null,
                JsonResult::of);
    }

    /**
     * Refuses new calls, waits for the calls in flight to end, then frees the client. An
     * interrupt while waiting cancels them (the interrupt status is kept). Idempotent.
     */
    @Override
    public void close() {
        if (owner) {
            engine.close(false);
        }
    }

    /** Cancels every call in flight (each ends with {@link CancelledException}) and frees the client; nothing on a view. */
    public void closeNow() {
        if (owner) {
            engine.close(true);
        }
    }

    /**
     * The number of calls in flight.
     *
     * @return the count
     */
    public int callsInFlight() {
        return engine.inFlight();
    }

    /**
     * The options of a client. Each method sets the library's option of the same name
     * ({@code timeout} sets {@code timeout_ms} ...); what is not set keeps the library's default
     * or the environment's value.
     */
    public static final class Builder {
        private final ObjectNode options = Json.object();
        private Executor executor = ForkJoinPool.commonPool();
        private java.util.function.Consumer<? super TokenSet> onTokens;

        private Builder() {}

        private Builder put(String name, String value) {
            options.put(name, value);
            return this;
        }

        private Builder put(String name, long value) {
            options.put(name, value);
            return this;
        }

        private Builder put(String name, boolean value) {
            options.put(name, value);
            return this;
        }

        /**
         * The bearer credential (an API key or OAuth token).
         *
         * @param token the token
         * @return this
         */
        public Builder accessToken(String token) {
            return put("access_token", token);
        }

        /**
         * The official SDK's name for an API key used as the access token.
         *
         * @param key the key
         * @return this
         */
        public Builder apiKey(String key) {
            return put("api_key", key);
        }

        /**
         * The user ID sent as {@code x-auth-key} (personal keys need it).
         *
         * @param userId the user
         * @return this
         */
        public Builder userId(String userId) {
            return put("user_id", userId);
        }

        /**
         * Scopes requests to a team.
         *
         * @param teamId the team
         * @return this
         */
        public Builder teamId(String teamId) {
            return put("team_id", teamId);
        }

        /**
         * The REST base URL, e.g. {@code https://api.gumloop.com/api/v1}.
         *
         * @param url the URL
         * @return this
         */
        public Builder baseUrl(String url) {
            return put("base_url", url);
        }

        /**
         * The streaming host's base URL (derived from the base URL when not set).
         *
         * @param url the URL
         * @return this
         */
        public Builder streamBaseUrl(String url) {
            return put("stream_base_url", url);
        }

        /**
         * Bounds a whole request (library default 90 s).
         *
         * @param timeout the limit
         * @return this
         */
        public Builder timeout(Duration timeout) {
            return put("timeout_ms", timeout.toMillis());
        }

        /**
         * Bounds connecting.
         *
         * @param timeout the limit
         * @return this
         */
        public Builder connectTimeout(Duration timeout) {
            return put("connect_timeout_ms", timeout.toMillis());
        }

        /**
         * How long a stream may stay silent before the library resumes it.
         *
         * @param timeout the limit
         * @return this
         */
        public Builder streamIdleTimeout(Duration timeout) {
            return put("stream_idle_timeout_ms", timeout.toMillis());
        }

        /**
         * Trusted root certificates, as PEM text.
         *
         * @param pem the certificates
         * @return this
         */
        public Builder caCertPem(String pem) {
            return put("ca_cert_pem", pem);
        }

        /**
         * Trusted root certificates, from a PEM file.
         *
         * @param path the file
         * @return this
         */
        public Builder caCertPath(String path) {
            return put("ca_cert_path", path);
        }

        /**
         * A proxy URL for every request.
         *
         * @param url the proxy
         * @return this
         */
        public Builder proxy(String url) {
            return put("proxy", url);
        }

        /**
         * Whether the proxy environment variables apply (default true).
         *
         * @param use whether
         * @return this
         */
        public Builder useEnvProxy(boolean use) {
            return put("use_env_proxy", use);
        }

        /**
         * Appended to the User-Agent header.
         *
         * @param suffix the text
         * @return this
         */
        public Builder userAgentSuffix(String suffix) {
            return put("user_agent_suffix", suffix);
        }

        /**
         * Caps an answer's size.
         *
         * @param bytes the limit
         * @return this
         */
        public Builder maxResponseBytes(long bytes) {
            return put("max_response_bytes", bytes);
        }

        /**
         * Caps an upload's size.
         *
         * @param bytes the limit
         * @return this
         */
        public Builder maxUploadBytes(long bytes) {
            return put("max_upload_bytes", bytes);
        }

        /**
         * Permits plain http:// to hosts other than loopback.
         *
         * @param allow whether
         * @return this
         */
        public Builder allowInsecureHttp(boolean allow) {
            return put("allow_insecure_http", allow);
        }

        /**
         * Headers sent with every request.
         *
         * @param headers name to value
         * @return this
         */
        public Builder extraHeaders(Map<String, String> headers) {
            options.set("extra_headers", Json.tree(headers));
            return this;
        }

        /**
         * The most repeats of a request where repeating is safe (0 turns retries off; default 2).
         *
         * @param retries the count
         * @return this
         */
        public Builder maxRetries(int retries) {
            return put("max_retries", retries);
        }

        /**
         * The longest wait between attempts.
         *
         * @param backoff the limit
         * @return this
         */
        public Builder maxBackoff(Duration backoff) {
            return put("max_backoff_ms", backoff.toMillis());
        }

        /**
         * Gives every create a generated {@code session_id}, so it is created exactly once.
         *
         * @param auto whether
         * @return this
         */
        public Builder autoSessionId(boolean auto) {
            return put("auto_session_id", auto);
        }

        /**
         * A refresh token: on a 401 the library refreshes once (one refresh for all the calls
         * that met it) and repeats the call; needs {@link #clientId}.
         *
         * @param token the token
         * @return this
         */
        public Builder refreshToken(String token) {
            return put("refresh_token", token);
        }

        /**
         * The OAuth client ID (for refreshing, or for a client that only signs in).
         *
         * @param clientId the ID
         * @return this
         */
        public Builder clientId(String clientId) {
            return put("client_id", clientId);
        }

        /**
         * The OAuth client's secret, for confidential clients.
         *
         * @param secret the secret
         * @return this
         */
        public Builder clientSecret(String secret) {
            return put("client_secret", secret);
        }

        /**
         * Told the new tokens after the library refreshed them (store the rotated refresh
         * token): after a call ends, on the calling thread or the executor, never on a library
         * thread.
         *
         * @param listener the listener
         * @return this
         */
        public Builder onTokens(java.util.function.Consumer<? super TokenSet> listener) {
            this.onTokens = listener;
            return this;
        }

        /**
         * Sets an option this package does not name yet, as the library takes it.
         *
         * @param name the option's name
         * @param value its value (any value Jackson writes)
         * @return this
         */
        public Builder option(String name, Object value) {
            options.set(name, Json.tree(value));
            return this;
        }

        /**
         * Where asynchronous calls complete and stream handlers run (default: the common
         * fork-join pool). Never the engine's waiting thread.
         *
         * @param executor the executor
         * @return this
         */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /**
         * Makes the client. Bad options are refused with {@link InvalidArgumentException} (the
         * library's {@code GUMLOOP_ERR_INVALID_OPTION}, {@code param} naming the option).
         *
         * @return the client
         */
        public GumloopClient build() {
            if (executor == null) {
                throw Errors.invalidArgument("executor", "the executor must not be null");
            }
            byte[] json;
            try {
                json = Native.cBytes(Json.MAPPER.writeValueAsBytes(options));
            } catch (JsonProcessingException e) {
                throw Errors.invalidArgument("options", "the options cannot be written as JSON: " + e.getOriginalMessage());
            }
            Native lib = Native.get();
            Logs.configure();
            PointerByReference client = new PointerByReference();
            PointerByReference out = new PointerByReference();
            int code = lib.lib.gumloop_client_new(json, client, out);
            String text = lib.takeString(out);
            if (code != 0) {
                throw Errors.fromLibrary(code, text);
            }
            return new GumloopClient(new Engine(client.getValue(), executor, onTokens), RequestOptions.NONE, true);
        }
    }
}
