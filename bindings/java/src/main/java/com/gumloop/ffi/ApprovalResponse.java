package com.gumloop.ffi;

import java.util.Map;

/**
 * An answer to one pending ask ({@code action-request}).
 *
 * @param actionRequestId the ask's ID
 * @param action {@code accept} or {@code reject}
 * @param reason why (a rejection's reason), or null
 * @param response the answer's values for a human-input ask ({@code {"values": {...}}}), or null
 */
public record ApprovalResponse(String actionRequestId, String action, String reason, Map<String, ?> response) {
    /**
     * Accepts an ask.
     *
     * @param actionRequestId the ask
     * @return the answer
     */
    public static ApprovalResponse accept(String actionRequestId) {
        return new ApprovalResponse(actionRequestId, "accept", null, null);
    }

    /**
     * Rejects an ask.
     *
     * @param actionRequestId the ask
     * @param reason why
     * @return the answer
     */
    public static ApprovalResponse reject(String actionRequestId, String reason) {
        return new ApprovalResponse(actionRequestId, "reject", reason, null);
    }

    /** The answer as the API takes it. */
    com.fasterxml.jackson.databind.node.ObjectNode toJson() {
        var node = Json.object().put("action_request_id", actionRequestId).put("action", action);
        if (reason != null) {
            node.put("reason", reason);
        }
        if (response != null) {
            node.set("response", Json.tree(response));
        }
        return node;
    }
}
