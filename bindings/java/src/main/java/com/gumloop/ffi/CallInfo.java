package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one call's requests saw, without changing the server's JSON: reported to
 * {@link RequestOptions.Builder#onCallInfo} when the call ends, whether it succeeded or failed.
 *
 * @param attempts the HTTP requests the call sent (retries counted, redirects not)
 * @param durationMs from the call's start to its end
 * @param requestId the server's {@code x-request-id} of the last answer, or null
 * @param json the library's whole document
 */
public record CallInfo(long attempts, long durationMs, String requestId, JsonNode json) {
    /** Reads the library's call info. */
    static CallInfo of(JsonNode json) {
        Long attempts = Json.number(json, "attempts");
        Long duration = Json.number(json, "duration_ms");
        return new CallInfo(attempts == null ? 0 : attempts, duration == null ? 0 : duration,
                Json.text(json, "request_id"), json);
    }
}
