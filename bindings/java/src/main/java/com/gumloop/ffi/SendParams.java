package com.gumloop.ffi;

import java.util.List;

/** The body of a send: {@code SendParams.of("Tell me more")}. Fields not set are left out. */
public final class SendParams extends Fields<SendParams> {
    /** Empty parameters. */
    public SendParams() {}

    /**
     * Parameters with a message.
     *
     * @param input the message
     * @return new parameters
     */
    public static SendParams of(String input) {
        return new SendParams().input(input);
    }

    @Override
    SendParams self() {
        return this;
    }

    /**
     * The message.
     *
     * @param input the text
     * @return this
     */
    public SendParams input(String input) {
        return put("input", input);
    }

    /**
     * The message as content parts.
     *
     * @param parts the parts
     * @return this
     */
    public SendParams inputParts(List<?> parts) {
        return put("input", parts);
    }

    /**
     * Queues the message on a busy session ({@code "delivery":"queued"}); the library adds an
     * {@code Idempotency-Key}.
     *
     * @param queued whether
     * @return this
     */
    public SendParams queued(boolean queued) {
        if (queued) {
            fields.put("delivery", "queued");
        } else {
            fields.remove("delivery");
        }
        return this;
    }

    /**
     * The idempotency key of a queued send (generated when not given).
     *
     * @param key the key
     * @return this
     */
    public SendParams idempotencyKey(String key) {
        return put("idempotency_key", key);
    }

    /**
     * Files uploaded to this session to attach.
     *
     * @param attachments the files
     * @return this
     */
    public SendParams attachments(List<Attachment> attachments) {
        var array = fields.putArray("attachments");
        attachments.forEach(a -> array.add(a.toJson()));
        return this;
    }

    /**
     * Answers to pending asks (streamed sends only).
     *
     * @param responses the answers
     * @return this
     */
    public SendParams approvalResponses(List<ApprovalResponse> responses) {
        var array = fields.putArray("approval_responses");
        responses.forEach(r -> array.add(r.toJson()));
        return this;
    }

    /** Whether this is a queued send (its answer is a receipt). */
    boolean isQueued() {
        return "queued".equals(Json.text(fields, "delivery"));
    }
}
