package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The root of every exception this package throws. It carries the library's error document,
 * {@code {"error": {...}}}, whose fields are read by the accessors below ({@code null} or empty
 * where the document has none).
 *
 * <p>Hierarchy (classes named from the library's error stems, {@code <Stem>Exception}):
 * <pre>
 * GumloopException
 * ├── InvalidArgumentException        caller errors (codes 1–99): nothing was sent
 * │   ├── AuthenticationException     no credential given or found
 * │   └── WrongThreadException        a call from a thread that may not make it
 * ├── APIConnectionException          transport failures (100–199)
 * │   ├── APITimeoutException         a time limit ran out (the request may have arrived)
 * │   └── CancelledException          the call was cancelled (interrupt, close)
 * ├── APIStatusException              the server answered with an error status (200–299)
 * │   ├── BadRequestException         400
 * │   ├── UnauthorizedException       401 (also an {@link AuthenticationFailure})
 * │   ├── PermissionDeniedException   403
 * │   ├── NotFoundException           404
 * │   ├── ConflictException           409
 * │   ├── PayloadTooLargeException    413
 * │   ├── RateLimitException          429 (see {@link #retryAfter()})
 * │   └── InternalServerException     5xx
 * ├── InvalidResponseException        the answer could not be used (300–399)
 * │   └── StreamIncompleteException   a stream ended before its final event
 * ├── InternalException               a bug in libgumloop (900–999)
 * └── ClientClosedException           the client was closed
 * </pre>
 */
public class GumloopException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The whole error document (not serialized: its text is kept instead). */
    private final transient JsonNode document;
    /** The document's text, which serialization keeps. */
    private final String documentText;

    /**
     * An exception for an error document.
     *
     * @param message what went wrong (never contains a credential)
     * @param document the library's error document, {@code {"error": {...}}}
     */
    public GumloopException(String message, JsonNode document) {
        super(message);
        this.document = document == null ? Json.object() : document;
        this.documentText = this.document.toString();
    }

    /** {@return the whole error document, {@code {"error": {...}}}, as the library produced it} */
    public JsonNode document() {
        return document != null ? document : Json.parseOrNull(documentText);
    }

    private JsonNode info() {
        return document().path("error");
    }

    /** {@return the library's constant name, e.g. {@code "GUMLOOP_ERR_CONFLICT"}; null for errors of this package alone} */
    public String kind() {
        return Json.text(info(), "kind");
    }

    /** {@return the library's numeric {@code gumloop_code}, e.g. 204; empty for errors of this package alone} */
    public OptionalInt gumloopCode() {
        Long code = Json.number(info(), "gumloop_code");
        return code == null ? OptionalInt.empty() : OptionalInt.of(code.intValue());
    }

    /** {@return the HTTP status, when the server answered} */
    public OptionalInt statusCode() {
        Long status = Json.number(info(), "status");
        return status == null ? OptionalInt.empty() : OptionalInt.of(status.intValue());
    }

    /** {@return the server's error code, e.g. {@code "session_already_exists"}} */
    public String code() {
        return Json.text(info(), "code");
    }

    /** {@return the server's error type, e.g. {@code "invalid_request_error"}} */
    public String type() {
        return Json.text(info(), "type");
    }

    /** {@return the argument, option or request field the error is about, when known} */
    public String param() {
        return Json.text(info(), "param");
    }

    /**
     * Structured details: the server's for an error status; for a write that may have taken
     * effect, {@code may_have_created} and {@code session_id}; null when there are none.
     *
     * @return the details, or null
     */
    public JsonNode details() {
        return Json.member(info(), "details");
    }

    /** {@return whether repeating the exact call later may succeed (the library's judgement)} */
    public boolean retryable() {
        return Json.flag(info(), "retryable");
    }

    /** {@return how many requests the call made (more than 1 when the library retried)} */
    public OptionalInt attempts() {
        Long attempts = Json.number(info(), "attempts");
        return attempts == null ? OptionalInt.empty() : OptionalInt.of(attempts.intValue());
    }

    /** {@return how long the server asked to wait before trying again ({@code Retry-After})} */
    public Optional<Duration> retryAfter() {
        Long millis = Json.number(info(), "retry_after_ms");
        return millis == null ? Optional.empty() : Optional.of(Duration.ofMillis(millis));
    }

    /** {@return the server's trace ID, when it sent one} */
    public String traceId() {
        return Json.text(info(), "trace_id");
    }

    /** {@return the server's whole error body: JSON, or a text node when it was not JSON} */
    public JsonNode body() {
        return Json.member(info(), "body");
    }

    /** {@return for a failed stream, its summary: what it delivered before it failed} */
    public StreamSummary stream() {
        JsonNode stream = Json.member(info(), "stream");
        return stream == null ? null : StreamSummary.of(stream);
    }
}
