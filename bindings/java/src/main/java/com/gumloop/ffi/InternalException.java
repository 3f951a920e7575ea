package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;

/** A bug in libgumloop (codes 900–999: a caught panic). */
public class InternalException extends GumloopException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for an error document.
     *
     * @param message what went wrong
     * @param document the library's error document, {@code {"error": {...}}}
     */
    public InternalException(String message, JsonNode document) {
        super(message, document);
    }
}
