package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;

/** The server answered with an error status (codes 200–299); {@link #statusCode()}, {@link #code()}, {@link #type()} and {@link #body()} say what it said. */
public class APIStatusException extends GumloopException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for an error document.
     *
     * @param message what went wrong
     * @param document the library's error document, {@code {"error": {...}}}
     */
    public APIStatusException(String message, JsonNode document) {
        super(message, document);
    }
}
