package com.gumloop.ffi;

/**
 * How a call ended, as the poller reported it: its code and its result or error document, and
 * a bytes operation's bytes.
 *
 * @param code {@code GUMLOOP_OK} (0) or the error's code
 * @param json the result (success) or the error document (failure)
 * @param data a successful bytes call's bytes, else null
 * @param info what the call's requests saw, when it was asked for, else null
 */
record Outcome(int code, String json, byte[] data, String info) {
    /** The result parsed by {@code parser}, or the error document's exception. */
    <T> T value(ResultParser<T> parser) {
        if (code != 0) {
            throw Errors.fromLibrary(code, json);
        }
        return parser.parse(Json.parse(json, "JSON"));
    }

    /** Reads a successful call's JSON into a result. */
    @FunctionalInterface
    interface ResultParser<T> {
        /** The result for the server's (or library's) JSON answer. */
        T parse(com.fasterxml.jackson.databind.JsonNode json);
    }
}
