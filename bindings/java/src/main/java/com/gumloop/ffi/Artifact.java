package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A file an agent's run produced.
 *
 * @param id the artifact ID
 * @param versionId this version's ID
 * @param agentId the agent
 * @param sessionId the session whose run made it
 * @param filename its name as the server gives it (never trust it as a path)
 * @param createdAt when it was made
 * @param json the server's whole artifact object
 */
public record Artifact(String id, String versionId, String agentId, String sessionId, String filename,
        String createdAt, JsonNode json) {
    /** Reads an artifact object. */
    static Artifact of(JsonNode json) {
        return new Artifact(Json.text(json, "id"), Json.text(json, "version_id"), Json.text(json, "agent_id"),
                Json.text(json, "session_id"), Json.text(json, "filename"), Json.text(json, "created_at"), json);
    }
}
