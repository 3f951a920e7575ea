package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;

/** A call on a client that was closed (nothing was sent). */
public class ClientClosedException extends GumloopException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for an error document.
     *
     * @param message what went wrong
     * @param document the library's error document, {@code {"error": {...}}}
     */
    public ClientClosedException(String message, JsonNode document) {
        super(message, document);
    }
}
