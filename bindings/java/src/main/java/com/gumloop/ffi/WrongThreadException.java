package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;

/** A call was made from a thread that may not make it (the library refuses instead of deadlocking). */
public class WrongThreadException extends InvalidArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for an error document.
     *
     * @param message what went wrong
     * @param document the library's error document, {@code {"error": {...}}}
     */
    public WrongThreadException(String message, JsonNode document) {
        super(message, document);
    }
}
