package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;

/** No access token was given or found in the environment; nothing was sent. */
public class AuthenticationException extends InvalidArgumentException implements AuthenticationFailure {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for an error document.
     *
     * @param message what went wrong
     * @param document the library's error document, {@code {"error": {...}}}
     */
    public AuthenticationException(String message, JsonNode document) {
        super(message, document);
    }
}
