package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;

/** A time limit ran out; the request may have arrived (see {@link #details()}). */
public class APITimeoutException extends APIConnectionException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for an error document.
     *
     * @param message what went wrong
     * @param document the library's error document, {@code {"error": {...}}}
     */
    public APITimeoutException(String message, JsonNode document) {
        super(message, document);
    }
}
