package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An answer this package gives no record of its own (queues, access, approvals, raw requests):
 * the server's JSON as it is.
 *
 * @param json the whole answer
 */
public record JsonResult(JsonNode json) {
    /**
     * A member of the answer.
     *
     * @param field its name
     * @return the member, or a missing node
     */
    public JsonNode get(String field) {
        return json.path(field);
    }

    static JsonResult of(JsonNode json) {
        return new JsonResult(json);
    }
}
