package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a finished stream reports (also a failed stream's {@link GumloopException#stream()}).
 *
 * @param sessionId the streamed session
 * @param lastCursor the cursor of the last event delivered
 * @param finishReason the final event's reason
 * @param isFinal whether the run's final event arrived
 * @param events how many events were delivered
 * @param resumes how often the library resumed the stream after a drop or stall
 * @param json the whole summary
 */
public record StreamSummary(String sessionId, String lastCursor, String finishReason, boolean isFinal, long events,
        long resumes, JsonNode json) {
    /** Reads a summary. */
    static StreamSummary of(JsonNode json) {
        Long events = Json.number(json, "events");
        Long resumes = Json.number(json, "resumes");
        return new StreamSummary(Json.text(json, "session_id"), Json.text(json, "last_cursor"),
                Json.text(json, "finish_reason"), Json.flag(json, "final"), events == null ? 0 : events,
                resumes == null ? 0 : resumes, json);
    }
}
