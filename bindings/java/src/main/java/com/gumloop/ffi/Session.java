package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A session as the server describes it. Fields the server leaves out are null (or empty);
 * {@link #json()} keeps the whole object.
 *
 * @param id the session ID
 * @param agentId the agent running it
 * @param name its name
 * @param state {@code idle}, {@code queued}, {@code processing}, {@code completed}, {@code failed} or {@code approval_required}
 * @param createdAt when it was created (ISO-8601)
 * @param messages its transcript (empty in lists)
 * @param pendingApprovals the asks waiting for an answer, when {@code approval_required}
 * @param json the server's whole session object
 */
public record Session(String id, String agentId, String name, String state, String createdAt,
        List<Message> messages, JsonNode pendingApprovals, JsonNode json) {
    /** Reads a session object. */
    static Session of(JsonNode json) {
        return new Session(Json.text(json, "id"), Json.text(json, "agent_id"), Json.text(json, "name"),
                Json.text(json, "state"), Json.text(json, "created_at"), Json.list(json, "messages", Message::of),
                Json.member(json, "pending_approvals"), json);
    }
}
