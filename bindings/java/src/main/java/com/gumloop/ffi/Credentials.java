package com.gumloop.ffi;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A change of a live client's credentials ({@link GumloopClient#setCredentials}): only what is
 * set changes; setting a value to null clears it (the access token falls back to the
 * environment, no user ID is sent, automatic refresh stops).
 */
public final class Credentials {
    private final ObjectNode json = Json.object();

    /** No change yet. */
    public Credentials() {}

    /**
     * The new access token (null: back to the environment's).
     *
     * @param token the token
     * @return this
     */
    public Credentials accessToken(String token) {
        json.put("access_token", token);
        return this;
    }

    /**
     * The new user ID (null: none is sent).
     *
     * @param userId the user
     * @return this
     */
    public Credentials userId(String userId) {
        json.put("user_id", userId);
        return this;
    }

    /**
     * The new refresh token (null: automatic refresh stops).
     *
     * @param token the token
     * @return this
     */
    public Credentials refreshToken(String token) {
        json.put("refresh_token", token);
        return this;
    }

    /** The change as the library takes it. */
    ObjectNode toJson() {
        return json.deepCopy();
    }

    @Override
    public String toString() {
        java.util.List<String> names = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return "Credentials" + names;
    }
}
