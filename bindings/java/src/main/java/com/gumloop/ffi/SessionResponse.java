package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The session envelope that create, retrieve, send, cancel, rename and wait answer with.
 *
 * @param session the session
 * @param queuePosition its place in the team's queue while it is {@code queued} (Enterprise plans), else null
 * @param recovered true when the library recovered a keyed create whose first answer was lost
 * @param json the server's whole answer
 */
public record SessionResponse(Session session, Long queuePosition, boolean recovered, JsonNode json) {
    /** Reads a session envelope. */
    static SessionResponse of(JsonNode json) {
        JsonNode session = json.get("session");
        if (session == null || !session.isObject()) {
            throw Errors.invalidResponse("the answer has no session object: " + Errors.excerpt(json.toString()));
        }
        return new SessionResponse(Session.of(session), Json.number(json, "queue_position"),
                Json.flag(json.path("_gumloop"), "recovered"), json);
    }
}
