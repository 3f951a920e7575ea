package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;

/** HTTP 401: the credential was refused. */
public class UnauthorizedException extends APIStatusException implements AuthenticationFailure {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for an error document.
     *
     * @param message what went wrong
     * @param document the library's error document, {@code {"error": {...}}}
     */
    public UnauthorizedException(String message, JsonNode document) {
        super(message, document);
    }
}
