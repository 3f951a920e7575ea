package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;

/** HTTP 409, e.g. {@code session_already_exists}. */
public class ConflictException extends APIStatusException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for an error document.
     *
     * @param message what went wrong
     * @param document the library's error document, {@code {"error": {...}}}
     */
    public ConflictException(String message, JsonNode document) {
        super(message, document);
    }
}
