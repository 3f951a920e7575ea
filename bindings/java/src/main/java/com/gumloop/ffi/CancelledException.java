package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;

/** The call was cancelled: its thread was interrupted, its stream closed, or its client closed. */
public class CancelledException extends APIConnectionException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for an error document.
     *
     * @param message what went wrong
     * @param document the library's error document, {@code {"error": {...}}}
     */
    public CancelledException(String message, JsonNode document) {
        super(message, document);
    }
}
