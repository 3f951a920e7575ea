package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;

/** A caller error (codes 1–99): an argument or option was not acceptable; nothing was sent. {@link #param()} names it. */
public class InvalidArgumentException extends GumloopException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for an error document.
     *
     * @param message what went wrong
     * @param document the library's error document, {@code {"error": {...}}}
     */
    public InvalidArgumentException(String message, JsonNode document) {
        super(message, document);
    }
}
