package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One page of an agent's artifacts.
 *
 * @param artifacts the artifacts of this page
 * @param nextCursor the next page's cursor; null on the last page
 * @param json the server's whole answer
 */
public record ArtifactList(List<Artifact> artifacts, String nextCursor, JsonNode json) {
    /** Reads a page of artifacts. */
    static ArtifactList of(JsonNode json) {
        String next = Json.text(json, "next_cursor");
        return new ArtifactList(Json.list(json, "artifacts", Artifact::of), next == null || next.isEmpty() ? null : next,
                json);
    }
}
