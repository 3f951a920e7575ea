package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;

/** The server's answer could not be used (codes 300–399): not JSON, too large, or not what was expected. */
public class InvalidResponseException extends GumloopException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for an error document.
     *
     * @param message what went wrong
     * @param document the library's error document, {@code {"error": {...}}}
     */
    public InvalidResponseException(String message, JsonNode document) {
        super(message, document);
    }
}
