package com.gumloop.ffi;

/**
 * Where to send a user to sign in, and what to keep for the code exchange.
 *
 * @param url the authorization URL (PKCE S256)
 * @param codeVerifier the PKCE verifier: keep it for {@link OAuth#exchangeCode}
 * @param state the state to compare with the redirect's
 */
public record AuthorizationUrl(String url, String codeVerifier, String state) {
    @Override
    public String toString() {
        return "AuthorizationUrl[url=" + url + "]";
    }
}
