package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An agent.
 *
 * @param id its ID
 * @param name its name
 * @param description what it does
 * @param teamId its team
 * @param modelName the model it runs
 * @param isActive whether it is active
 * @param json the server's whole agent object
 */
public record Agent(String id, String name, String description, String teamId, String modelName, boolean isActive,
        JsonNode json) {
    /** Reads an agent object. */
    static Agent of(JsonNode json) {
        return new Agent(Json.text(json, "id"), Json.text(json, "name"), Json.text(json, "description"),
                Json.text(json, "team_id"), Json.text(json, "model_name"), Json.flag(json, "is_active"), json);
    }

    /** Reads a retrieve's answer, {@code {"agent": {...}}}. */
    static Agent ofEnvelope(JsonNode json) {
        JsonNode agent = json.get("agent");
        if (agent == null || !agent.isObject()) {
            throw Errors.invalidResponse("the answer has no agent object: " + Errors.excerpt(json.toString()));
        }
        return of(agent);
    }
}
