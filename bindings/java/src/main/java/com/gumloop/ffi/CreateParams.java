package com.gumloop.ffi;

import java.util.List;
import java.util.Map;

/**
 * The body of a session create: {@code new CreateParams().input("Hello").sessionId("sess_1")}.
 * Fields not set are left out.
 */
public final class CreateParams extends Fields<CreateParams> {
    /** Empty parameters: without an input the server creates an idle session. */
    public CreateParams() {}

    /**
     * Parameters with a first message.
     *
     * @param input the message
     * @return new parameters
     */
    public static CreateParams of(String input) {
        return new CreateParams().input(input);
    }

    @Override
    CreateParams self() {
        return this;
    }

    /**
     * The first message; without it the server creates an idle stub.
     *
     * @param input the text
     * @return this
     */
    public CreateParams input(String input) {
        return put("input", input);
    }

    /**
     * The first message as content parts.
     *
     * @param parts the parts
     * @return this
     */
    public CreateParams inputParts(List<?> parts) {
        return put("input", parts);
    }

    /**
     * The caller's ID for the session: with it the session is created exactly once even when an
     * answer is lost.
     *
     * @param sessionId the ID
     * @return this
     */
    public CreateParams sessionId(String sessionId) {
        return put("session_id", sessionId);
    }

    /**
     * The session's name (1–256 characters after trimming).
     *
     * @param name the name
     * @return this
     */
    public CreateParams name(String name) {
        return put("name", name);
    }

    /**
     * Data stored with the session.
     *
     * @param metadata the object
     * @return this
     */
    public CreateParams metadata(Map<String, ?> metadata) {
        return put("metadata", metadata);
    }

    /**
     * Asks that nothing be saved.
     *
     * @param incognito whether
     * @return this
     */
    public CreateParams incognito(boolean incognito) {
        fields.put("incognito", incognito);
        return this;
    }
}
