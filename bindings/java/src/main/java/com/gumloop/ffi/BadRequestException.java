package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;

/** HTTP 400. */
public class BadRequestException extends APIStatusException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for an error document.
     *
     * @param message what went wrong
     * @param document the library's error document, {@code {"error": {...}}}
     */
    public BadRequestException(String message, JsonNode document) {
        super(message, document);
    }
}
