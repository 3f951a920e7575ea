package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a queued send answers.
 *
 * @param messageId the ID of the user message it becomes
 * @param status {@code accepted}
 * @param json the server's whole answer
 */
public record MessageReceipt(String messageId, String status, JsonNode json) {
    /** Reads a receipt. */
    static MessageReceipt of(JsonNode json) {
        return new MessageReceipt(Json.text(json, "message_id"), Json.text(json, "status"), json);
    }
}
