package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;

/** A transport failure (codes 100–199): connecting, TLS, a lost connection, a redirect not followed. */
public class APIConnectionException extends GumloopException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for an error document.
     *
     * @param message what went wrong
     * @param document the library's error document, {@code {"error": {...}}}
     */
    public APIConnectionException(String message, JsonNode document) {
        super(message, document);
    }
}
