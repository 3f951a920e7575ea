//! OAuth 2.0 as the official SDK speaks it: the authorization URL (no client, nothing sent) and
//! the four calls to the root host's `/oauth/*` endpoints.

use super::args::{c_arg, required};
use super::cancel::gumloop_cancel_token;
use super::client::{gumloop_client, run_operation};
use super::codes::gumloop_code;
use super::guard::call;
use crate::operations::{OAuthExchangeCode, OAuthRefreshToken, OAuthRegisterClient, OAuthRevoke};
use std::ffi::c_char;

/// Builds the OAuth authorization URL to send a user to, with PKCE (S256), as the official
/// SDK's `build_authorization_url`. Nothing is sent.
///
/// `params_json` (required) is an object: `client_id` and `redirect_uri` (required strings);
/// `scopes` (an array of strings, or one space-separated string; default
/// `["gumloop","userinfo"]`); `resource` (optional; left out when absent or empty); `state`
/// (optional; default 24 random bytes, base64url); `base_url` (the API base URL, whose
/// `/api/v1` is removed; default `GUMLOOP_BASE_URL`, else `https://api.gumloop.com/api/v1`);
/// `allow_insecure_http` (plain `http://` is otherwise accepted only for loopback hosts). An
/// unknown key is refused.
///
/// On `GUMLOOP_OK`, `*out_json` is `{"url","state","code_verifier"}`: the URL is
/// `<root>/oauth/authorize?response_type=code&client_id=…&redirect_uri=…&scope=…&state=…&code_challenge=…&code_challenge_method=S256`
/// (then `&resource=…`), form-encoded; the verifier is 64 random bytes from the operating
/// system, base64url, and the challenge the base64url SHA-256 of it, both without padding. Keep
/// the verifier secret until `gumloop_client_oauth_exchange_code`, and check the `state` the
/// redirect brings back. Otherwise an error document. Free it with `gumloop_string_free`.
///
/// # Safety
/// `params_json` must be NULL or NUL-terminated; `out_json` NULL or valid for writing one
/// pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_oauth_build_authorization_url(
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: the pointers are used under the caller's contract.
    unsafe {
        call(out_json, || {
            crate::oauth::authorize::build(required!(params_json)?)
        })
    }
}

/// Registers an OAuth client: `POST <root>/oauth/register` with the JSON the SDK sends
/// (`client_name`, `redirect_uris: [redirect_uri]`, `grant_types`
/// `["authorization_code","refresh_token"]`, `response_types: ["code"]`,
/// `token_endpoint_auth_method: "none"`, `scope`).
///
/// `redirect_uri` is required; `client_name` (NULL: `"Gumloop Python SDK"`) and `scopes_json`
/// (NULL: `["gumloop","userinfo"]`; a JSON array of strings or a JSON string) are optional. The
/// OAuth calls go to the client's `base_url` without its `/api/v1`, without the client's
/// credentials, `team_id` or refresh; they use its pool, time-outs, TLS and proxy settings,
/// and are repeated only when the server cannot have acted (a failed connection, 429, 503).
/// On `GUMLOOP_OK`, `*out_json` is the server's JSON; otherwise an error document (an OAuth
/// error's `error` is its `code`, its `error_description` its `message`).
///
/// # Safety
/// `client` and `cancel` must be NULL or live handles; the strings NULL or NUL-terminated;
/// `out_json` NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_oauth_register_client(
    client: *const gumloop_client,
    redirect_uri: *const c_char,
    client_name: *const c_char,
    scopes_json: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        run_operation(client, cancel, out_json, || {
            Ok(OAuthRegisterClient {
                redirect_uri: c_arg!(redirect_uri)?,
                client_name: c_arg!(client_name)?,
                scopes: c_arg!(scopes_json)?,
            })
        })
    }
}

/// Exchanges an authorization code for tokens: `POST <root>/oauth/token` with the form
/// `grant_type=authorization_code&client_id&code&redirect_uri&code_verifier` (then
/// `client_secret` when given; NULL leaves it out, as the SDK's public clients do).
///
/// On `GUMLOOP_OK`, `*out_json` is the server's token JSON (`access_token`, `refresh_token`,
/// `token_type`, `expires_in`, `scope`). The client's own credentials are not changed: give
/// them with `gumloop_client_set_credentials`. See `gumloop_client_oauth_register_client` for
/// where the request goes and how it fails.
///
/// # Safety
/// As for `gumloop_client_oauth_register_client`.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_oauth_exchange_code(
    client: *const gumloop_client,
    client_id: *const c_char,
    code: *const c_char,
    redirect_uri: *const c_char,
    code_verifier: *const c_char,
    client_secret: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        run_operation(client, cancel, out_json, || {
            Ok(OAuthExchangeCode {
                client_id: c_arg!(client_id)?,
                code: c_arg!(code)?,
                redirect_uri: c_arg!(redirect_uri)?,
                code_verifier: c_arg!(code_verifier)?,
                client_secret: c_arg!(client_secret)?,
            })
        })
    }
}

/// Gets a new access token: `POST <root>/oauth/token` with the form
/// `grant_type=refresh_token&client_id&refresh_token` (then `client_secret` when given). The
/// server rotates the refresh token: store the one in the answer. The client's own credentials
/// are not changed (a client with the option `refresh_token` refreshes by itself after a 401).
///
/// # Safety
/// As for `gumloop_client_oauth_register_client`.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_oauth_refresh_token(
    client: *const gumloop_client,
    client_id: *const c_char,
    refresh_token: *const c_char,
    client_secret: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        run_operation(client, cancel, out_json, || {
            Ok(OAuthRefreshToken {
                client_id: c_arg!(client_id)?,
                refresh_token: c_arg!(refresh_token)?,
                client_secret: c_arg!(client_secret)?,
            })
        })
    }
}

/// Revokes an access or refresh token (RFC 7009): `POST <root>/oauth/revoke` with the form
/// `client_id&token`. On `GUMLOOP_OK`, `*out_json` is `{}` (the server answers 200 with an empty
/// body).
///
/// # Safety
/// As for `gumloop_client_oauth_register_client`.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_oauth_revoke(
    client: *const gumloop_client,
    client_id: *const c_char,
    token: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        run_operation(client, cancel, out_json, || {
            Ok(OAuthRevoke {
                client_id: c_arg!(client_id)?,
                token: c_arg!(token)?,
            })
        })
    }
}
