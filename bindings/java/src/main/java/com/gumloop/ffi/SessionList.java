package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One page of an agent's sessions.
 *
 * @param sessions the sessions of this page
 * @param nextCursor the next page's cursor; null on the last page
 * @param json the server's whole answer
 */
public record SessionList(List<Session> sessions, String nextCursor, JsonNode json) {
    /** Reads a page of sessions. */
    static SessionList of(JsonNode json) {
        String next = Json.text(json, "next_cursor");
        return new SessionList(Json.list(json, "sessions", Session::of), next == null || next.isEmpty() ? null : next, json);
    }
}
