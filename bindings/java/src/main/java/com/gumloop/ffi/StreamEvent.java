package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One stream event. {@link #json()} keeps every field the server sent.
 *
 * @param type e.g. {@code interaction-ready}, {@code text-delta}, {@code finish}, {@code action-request}
 * @param streamCursor where a resume would start after this event
 * @param delta a {@code text-delta}'s text (with the whitespace before its word), else null
 * @param isFinal true on the last event of a run
 * @param finishReason a {@code finish} event's reason ({@code stop}, {@code error} ...)
 * @param json the whole event
 */
public record StreamEvent(String type, String streamCursor, String delta, boolean isFinal, String finishReason,
        JsonNode json) {
    /** Reads an event. */
    static StreamEvent of(JsonNode json) {
        return new StreamEvent(Json.text(json, "type"), Json.text(json, "stream_cursor"), Json.text(json, "delta"),
                Json.flag(json, "final"), Json.text(json, "finishReason"), json);
    }
}
