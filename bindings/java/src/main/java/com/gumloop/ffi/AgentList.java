package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One page of agents.
 *
 * @param agents the agents of this page
 * @param nextCursor the next page's cursor; null on the last page
 * @param json the server's whole answer
 */
public record AgentList(List<Agent> agents, String nextCursor, JsonNode json) {
    /** Reads a page of agents. */
    static AgentList of(JsonNode json) {
        String next = Json.text(json, "next_cursor");
        return new AgentList(Json.list(json, "agents", Agent::of), next == null || next.isEmpty() ? null : next, json);
    }
}
