package com.gumloop.ffi;

import static com.gumloop.ffi.Json.args;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.jna.ptr.PointerByReference;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Signing in with OAuth as the official SDK does ({@code client.oauth()}): registration, the code
 * exchange, refresh and revocation, sent to the API's root host ({@code /oauth/*}) without the
 * client's credentials; and {@link #buildAuthorizationUrl}, which sends nothing.
 */
public final class OAuth {
    private final Calls calls;

    OAuth(Calls calls) {
        this.calls = calls;
    }

    /**
     * The authorization URL for a user to open (PKCE S256; the state and verifier come from a
     * CSPRNG unless given). Nothing is sent.
     *
     * @param clientId the OAuth client
     * @param redirectUri where the server sends the user back with a code
     * @param scopes the scopes (null: the SDK's {@code gumloop userinfo})
     * @param resource the resource indicator, or null
     * @param baseUrl the API base URL (null: {@code GUMLOOP_BASE_URL}, else the real service)
     * @return the URL, the verifier to keep and the state
     */
    public static AuthorizationUrl buildAuthorizationUrl(String clientId, String redirectUri, List<String> scopes,
            String resource, String baseUrl) {
        ObjectNode params = args("client_id", clientId, "redirect_uri", redirectUri, "scopes", scopes,
                "resource", resource, "base_url", baseUrl);
        Native lib = Native.get();
        PointerByReference out = new PointerByReference();
        int code = lib.lib.gumloop_oauth_build_authorization_url(Native.cString(params.toString()), out);
        String text = lib.takeString(out);
        if (code != 0) {
            throw Errors.fromLibrary(code, text);
        }
        JsonNode json = Json.parse(text, "an authorization URL");
        return new AuthorizationUrl(Json.text(json, "url"), Json.text(json, "code_verifier"), Json.text(json, "state"));
    }

    /**
     * Registers an OAuth client.
     *
     * @param redirectUri its redirect URI
     * @param clientName its name (null: the SDK's)
     * @param scopes its scopes (null: the SDK's)
     * @return the server's answer
     */
    public JsonResult registerClient(String redirectUri, String clientName, List<String> scopes) {
        return calls.run("oauth_register_client", args("redirect_uri", redirectUri, "client_name", clientName,
                "scopes", scopes), null, JsonResult::of);
    }

    /**
     * {@link #registerClient} without blocking.
     *
     * @param redirectUri the redirect URI
     * @param clientName the name or null
     * @param scopes the scopes or null
     * @return the answer's future
     */
    public CompletableFuture<JsonResult> registerClientAsync(String redirectUri, String clientName, List<String> scopes) {
        return calls.submit("oauth_register_client", args("redirect_uri", redirectUri, "client_name", clientName,
                "scopes", scopes), null, JsonResult::of);
    }

    /**
     * Exchanges the code of the redirect for tokens.
     *
     * @param clientId the OAuth client
     * @param code the redirect's code
     * @param redirectUri the redirect URI of the authorization URL
     * @param codeVerifier {@link AuthorizationUrl#codeVerifier()}
     * @param clientSecret the client's secret, or null (public clients)
     * @return the tokens
     */
    public TokenSet exchangeCode(String clientId, String code, String redirectUri, String codeVerifier, String clientSecret) {
        return calls.run("oauth_exchange_code", exchangeArgs(clientId, code, redirectUri, codeVerifier, clientSecret), null,
                TokenSet::of);
    }

    /**
     * {@link #exchangeCode} without blocking.
     *
     * @param clientId the client
     * @param code the code
     * @param redirectUri the redirect URI
     * @param codeVerifier the verifier
     * @param clientSecret the secret or null
     * @return the tokens' future
     */
    public CompletableFuture<TokenSet> exchangeCodeAsync(String clientId, String code, String redirectUri, String codeVerifier,
            String clientSecret) {
        return calls.submit("oauth_exchange_code", exchangeArgs(clientId, code, redirectUri, codeVerifier, clientSecret), null,
                TokenSet::of);
    }

    private static ObjectNode exchangeArgs(String clientId, String code, String redirectUri, String codeVerifier,
            String clientSecret) {
        return args("client_id", clientId, "code", code, "redirect_uri", redirectUri, "code_verifier", codeVerifier,
                "client_secret", clientSecret);
    }

    /**
     * Trades a refresh token for new tokens (the refresh token rotates).
     *
     * @param clientId the client
     * @param refreshToken the refresh token
     * @param clientSecret the secret or null
     * @return the tokens
     */
    public TokenSet refreshToken(String clientId, String refreshToken, String clientSecret) {
        return calls.run("oauth_refresh_token", args("client_id", clientId, "refresh_token", refreshToken,
                "client_secret", clientSecret), null, TokenSet::of);
    }

    /**
     * {@link #refreshToken} without blocking.
     *
     * @param clientId the client
     * @param refreshToken the token
     * @param clientSecret the secret or null
     * @return the tokens' future
     */
    public CompletableFuture<TokenSet> refreshTokenAsync(String clientId, String refreshToken, String clientSecret) {
        return calls.submit("oauth_refresh_token", args("client_id", clientId, "refresh_token", refreshToken,
                "client_secret", clientSecret), null, TokenSet::of);
    }

    /**
     * Revokes a token.
     *
     * @param clientId the client
     * @param token the access or refresh token
     */
    public void revoke(String clientId, String token) {
        calls.run("oauth_revoke", args("client_id", clientId, "token", token), null, JsonResult::of);
    }

    /**
     * {@link #revoke} without blocking.
     *
     * @param clientId the client
     * @param token the token
     * @return the future
     */
    public CompletableFuture<Void> revokeAsync(String clientId, String token) {
        return calls.submit("oauth_revoke", args("client_id", clientId, "token", token), null, json -> null);
    }
}
