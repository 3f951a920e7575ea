package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;

/** A stream ended before its final event and could not be resumed; {@link #stream()} says what it delivered. */
public class StreamIncompleteException extends InvalidResponseException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for an error document.
     *
     * @param message what went wrong
     * @param document the library's error document, {@code {"error": {...}}}
     */
    public StreamIncompleteException(String message, JsonNode document) {
        super(message, document);
    }
}
