package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Tokens from the OAuth token endpoint: an exchange's or a refresh's answer. A refresh rotates the
 * refresh token: store the new one.
 *
 * @param accessToken the access token
 * @param refreshToken the refresh token (null when the server sent none)
 * @param tokenType e.g. {@code Bearer}
 * @param expiresIn seconds until the access token expires, or null
 * @param scope the granted scopes, space-separated, or null
 * @param json the endpoint's whole answer (secret: do not log it)
 */
public record TokenSet(String accessToken, String refreshToken, String tokenType, Long expiresIn, String scope,
        JsonNode json) {
    /** Reads a token response. */
    static TokenSet of(JsonNode json) {
        return new TokenSet(Json.text(json, "access_token"), Json.text(json, "refresh_token"),
                Json.text(json, "token_type"), Json.number(json, "expires_in"), Json.text(json, "scope"), json);
    }

    @Override
    public String toString() {
        return "TokenSet[tokenType=" + tokenType + ", expiresIn=" + expiresIn + ", scope=" + scope + "]";
    }
}
