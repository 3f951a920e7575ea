package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One message of a session's transcript.
 *
 * @param id the message ID
 * @param role {@code user} or {@code assistant}
 * @param content its text, when it has one
 * @param createdAt when it was written
 * @param parts its content parts (text, files, errors)
 * @param json the server's whole message object
 */
public record Message(String id, String role, String content, String createdAt, JsonNode parts, JsonNode json) {
    /** Reads a message object. */
    static Message of(JsonNode json) {
        return new Message(Json.text(json, "id"), Json.text(json, "role"), Json.text(json, "content"),
                Json.text(json, "created_at"), Json.member(json, "parts"), json);
    }
}
