package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Turns the library's error documents into exceptions, and makes the documents of the errors this
 * package finds itself (in the library's shape, with the library's code numbers and names).
 */
final class Errors {
    /** The exception class for each error stem of the library's description. */
    static final Map<String, BiFunction<String, JsonNode, GumloopException>> BY_STEM = Map.ofEntries(
            Map.entry("InvalidArgument", InvalidArgumentException::new),
            Map.entry("Authentication", AuthenticationException::new),
            Map.entry("WrongThread", WrongThreadException::new),
            Map.entry("APIConnection", APIConnectionException::new),
            Map.entry("APITimeout", APITimeoutException::new),
            Map.entry("Cancelled", CancelledException::new),
            Map.entry("APIStatus", APIStatusException::new),
            Map.entry("BadRequest", BadRequestException::new),
            Map.entry("Unauthorized", UnauthorizedException::new),
            Map.entry("PermissionDenied", PermissionDeniedException::new),
            Map.entry("NotFound", NotFoundException::new),
            Map.entry("Conflict", ConflictException::new),
            Map.entry("PayloadTooLarge", PayloadTooLargeException::new),
            Map.entry("RateLimit", RateLimitException::new),
            Map.entry("InternalServer", InternalServerException::new),
            Map.entry("InvalidResponse", InvalidResponseException::new),
            Map.entry("StreamIncomplete", StreamIncompleteException::new),
            Map.entry("Internal", InternalException::new));

    private Errors() {}

    /** The exception for a failed call: {@code code} and the error document's text. */
    static GumloopException fromLibrary(int code, String text) {
        JsonNode document = Json.parseOrNull(text);
        if (document == null || !document.path("error").isObject()) {
            document = document(code, "the library's error document is not JSON: " + excerpt(text), null);
        }
        String message = Json.text(document.path("error"), "message");
        return of(code, message == null ? Native.get().lib.gumloop_code_get_name(code) : message, document);
    }

    /** The exception of {@code code}'s stem (the root class for a code nobody describes). */
    static GumloopException of(int code, String message, JsonNode document) {
        var make = BY_STEM.get(Description.get().stem(code));
        return make == null ? new GumloopException(message, document) : make.apply(message, document);
    }

    /** A caller error found by this package: nothing was sent. */
    static GumloopException invalidArgument(String param, String message) {
        return local("GUMLOOP_ERR_INVALID_ARGUMENT", message, param);
    }

    /** An answer this package cannot read. */
    static GumloopException invalidResponse(String message) {
        return local("GUMLOOP_ERR_INVALID_RESPONSE", message, null);
    }

    /** A call ended by its caller (an interrupt, a closed stream). */
    static GumloopException cancelled(String message) {
        return local("GUMLOOP_ERR_CANCELLED", message, null);
    }

    /** A call on a closed client. */
    static ClientClosedException closed() {
        String message = "the client is closed";
        ObjectNode document = document(-1, message, null);
        ((ObjectNode) document.get("error")).putNull("kind");
        ((ObjectNode) document.get("error")).putNull("gumloop_code");
        return new ClientClosedException(message, document);
    }

    private static GumloopException local(String kind, String message, String param) {
        int code = Description.get().code(kind);
        return of(code, message, document(code, message, param));
    }

    /** An error document with every field of the library's list, null where unknown. */
    static ObjectNode document(int code, String message, String param) {
        ObjectNode info = Json.object();
        for (String field : Description.get().errorFields()) {
            info.putNull(field);
        }
        info.put("kind", Native.get().lib.gumloop_code_get_name(code));
        info.put("gumloop_code", code);
        info.put("message", message);
        if (param != null) {
            info.put("param", param);
        }
        info.put("retryable", false);
        ObjectNode document = Json.object();
        document.set("error", info);
        return document;
    }

    /** The start of a text, for messages. */
    static String excerpt(String text) {
        if (text == null) {
            return "(nothing)";
        }
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
