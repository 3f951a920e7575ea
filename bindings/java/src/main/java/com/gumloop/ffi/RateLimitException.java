package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;

/** HTTP 429; {@link #retryAfter()} is how long the server asked to wait. */
public class RateLimitException extends APIStatusException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for an error document.
     *
     * @param message what went wrong
     * @param document the library's error document, {@code {"error": {...}}}
     */
    public RateLimitException(String message, JsonNode document) {
        super(message, document);
    }
}
