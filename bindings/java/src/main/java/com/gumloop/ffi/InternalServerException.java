package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;

/** HTTP 5xx. */
public class InternalServerException extends APIStatusException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for an error document.
     *
     * @param message what went wrong
     * @param document the library's error document, {@code {"error": {...}}}
     */
    public InternalServerException(String message, JsonNode document) {
        super(message, document);
    }
}
