//! The OAuth endpoints at the api host's root (not under `/api/v1`): `GET /oauth/authorize`,
//! `POST /oauth/token` (form), `POST /oauth/revoke` (form), `POST /oauth/register` (JSON).
//! Errors use the RFC shape `{"error","error_description"}`.
//!
//! The authorization step needs no browser: `GET /oauth/authorize?…&auto_approve=true`
//! (optionally `&login_hint=<user id>`, default `user_ada`) answers `302` to the redirect URI
//! with `code` and `state`; without `auto_approve` it answers a small HTML consent page whose
//! link is that same approval.

use hyper::{header, HeaderMap, Method, Response, StatusCode};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde_json::{json, Value};

use crate::app_state::App;
use crate::body::{empty, full, RespBody};
use crate::clock::now_millis;
use crate::errors::json_response;
use crate::oauth::{AuthorizeRequest, OAuthError};
use crate::routes::Query;

/// The user who approves when the request names none.
const DEFAULT_USER: &str = "user_ada";

/// Whether `path` is one of the OAuth endpoints' paths.
pub fn is_oauth(path: &str) -> bool {
    path.starts_with("/oauth/")
}

/// Answers one request to `/oauth/*`.
pub fn handle(
    app: &App,
    method: &Method,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Response<RespBody> {
    let result = match (method, path.trim_end_matches('/')) {
        (&Method::GET, "/oauth/authorize") => authorize(app, &Query::parse(query)),
        (&Method::POST, "/oauth/token") => form(headers, body).and_then(|f| token(app, &f)),
        (&Method::POST, "/oauth/revoke") => form(headers, body).and_then(|f| revoke(app, &f)),
        (&Method::POST, "/oauth/register") => register(app, body),
        (_, "/oauth/authorize" | "/oauth/token" | "/oauth/revoke" | "/oauth/register") => {
            Err(OAuthError {
                status: 405,
                error: "invalid_request",
                description: format!("{method} is not allowed here"),
            })
        }
        _ => Err(OAuthError {
            status: 404,
            error: "not_found",
            description: "no such OAuth endpoint".into(),
        }),
    };
    result.unwrap_or_else(|e| rfc_error(&e))
}

fn rfc_error(error: &OAuthError) -> Response<RespBody> {
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::BAD_REQUEST);
    json_response(status, &error.body())
}

/// A form body (the token and revoke endpoints take only forms).
fn form(headers: &HeaderMap, body: &[u8]) -> Result<Query, OAuthError> {
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !media
        .to_ascii_lowercase()
        .starts_with("application/x-www-form-urlencoded")
    {
        return Err(OAuthError::request(
            "the body must be application/x-www-form-urlencoded",
        ));
    }
    let text =
        std::str::from_utf8(body).map_err(|_| OAuthError::request("the form is not UTF-8"))?;
    Ok(Query::parse(Some(text)))
}

/// A required, non-empty field.
fn field<'a>(form: &'a Query, name: &str) -> Result<&'a str, OAuthError> {
    form.get(name)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| OAuthError::request(format!("missing {name}")))
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, NON_ALPHANUMERIC).to_string()
}

/// `redirect_uri` with `pairs` added to its query.
fn redirect_to(redirect_uri: &str, pairs: &[(&str, &str)]) -> Response<RespBody> {
    let mut location = redirect_uri.to_string();
    for (name, value) in pairs {
        location.push(if location.contains('?') { '&' } else { '?' });
        location.push_str(&format!("{name}={}", encode(value)));
    }
    let mut resp = Response::new(empty());
    *resp.status_mut() = StatusCode::FOUND;
    if let Ok(v) = header::HeaderValue::from_str(&location) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// `POST /_emulator/oauth/approve` `{"url": "<authorization URL>"}`: the user approves that
/// request (as `auto_approve=true` does) and the answer says where the browser would go:
/// `{"redirect": "<redirect_uri>?code=…&state=…", "code", "state"}` (or `"error"`,
/// `"error_description"` from the redirect), or an RFC error body for a request that cannot
/// redirect. For tests in languages without an HTTP client at hand.
pub fn approve(app: &App, body: &[u8]) -> Response<RespBody> {
    let url = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("url").and_then(Value::as_str).map(str::to_string));
    let Some(url) = url else {
        return rfc_error(&OAuthError::request("the body must be {\"url\": \"…\"}"));
    };
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let query = Query::parse(Some(&format!("{query}&auto_approve=true")));
    let response = match authorize(app, &query) {
        Ok(response) => response,
        Err(e) => return rfc_error(&e),
    };
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let returned = Query::parse(location.split_once('?').map(|(_, q)| q));
    let mut answer = json!({ "redirect": location });
    for key in ["code", "state", "error", "error_description"] {
        if let Some(value) = returned.get(key) {
            answer[key] = json!(value);
        }
    }
    json_response(StatusCode::OK, &answer)
}

fn authorize(app: &App, query: &Query) -> Result<Response<RespBody>, OAuthError> {
    let client_id = field(query, "client_id")?;
    let redirect_uri = field(query, "redirect_uri")?;
    {
        let store = app.oauth();
        if !store.knows(client_id) {
            return Err(OAuthError {
                status: 400,
                error: "invalid_client",
                description: "unknown client_id".into(),
            });
        }
        if !store.redirect_allowed(client_id, redirect_uri) {
            return Err(OAuthError::request(
                "redirect_uri is not registered for this client",
            ));
        }
    }
    // From here on, errors go back to the client's redirect URI (RFC 6749 §4.1.2.1).
    let state = query.get("state").unwrap_or("");
    let fail = |error: &str, description: &str| {
        let mut pairs = vec![("error", error), ("error_description", description)];
        if !state.is_empty() {
            pairs.push(("state", state));
        }
        Ok(redirect_to(redirect_uri, &pairs))
    };
    if query.get("response_type") != Some("code") {
        return fail("unsupported_response_type", "response_type must be code");
    }
    let Some(challenge) = query.get("code_challenge").filter(|c| !c.is_empty()) else {
        return fail("invalid_request", "code_challenge is required (PKCE)");
    };
    if query.get("code_challenge_method") != Some("S256") {
        return fail("invalid_request", "code_challenge_method must be S256");
    }
    let user_id = query.get("login_hint").unwrap_or(DEFAULT_USER);
    if !app.fixtures.users.contains_key(user_id) {
        return fail("access_denied", "unknown user");
    }
    let approved = matches!(query.get("auto_approve"), Some("true" | "1"));
    if !approved {
        return Ok(consent_page(query));
    }
    let request = AuthorizeRequest {
        client_id,
        redirect_uri,
        challenge,
        scope: query.get("scope").unwrap_or(""),
        user_id,
    };
    let code = app.oauth().issue_code(&request, now_millis());
    let mut pairs = vec![("code", code.as_str())];
    if !state.is_empty() {
        pairs.push(("state", state));
    }
    Ok(redirect_to(redirect_uri, &pairs))
}

/// The consent page: one link, the same request with `auto_approve=true`.
fn consent_page(query: &Query) -> Response<RespBody> {
    let mut approve = String::from("/oauth/authorize?auto_approve=true");
    for (name, value) in query.pairs() {
        if name != "auto_approve" {
            approve.push_str(&format!("&{}={}", encode(name), encode(value)));
        }
    }
    let html = format!(
        "<!doctype html><title>Authorize</title><p>Allow this application to use your \
         Gumloop account?</p><p><a id=\"approve\" href=\"{}\">Allow</a></p>",
        approve.replace('&', "&amp;")
    );
    let mut resp = Response::new(full(html));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    resp
}

fn token(app: &App, form: &Query) -> Result<Response<RespBody>, OAuthError> {
    let grant_type = field(form, "grant_type")?;
    let client_id = field(form, "client_id")?;
    if !app.oauth().knows(client_id) {
        return Err(OAuthError {
            status: 401,
            error: "invalid_client",
            description: "unknown client_id".into(),
        });
    }
    let ttl = app.fixtures.oauth_token_ttl_ms;
    let now = now_millis();
    let tokens = match grant_type {
        "authorization_code" => {
            let code = field(form, "code")?;
            let redirect_uri = field(form, "redirect_uri")?;
            let verifier = field(form, "code_verifier")?;
            app.oauth()
                .exchange(client_id, code, redirect_uri, verifier, ttl, now)?
        }
        "refresh_token" => {
            let refresh = field(form, "refresh_token")?;
            app.oauth().refresh(client_id, refresh, ttl, now)?
        }
        _ => {
            return Err(OAuthError {
                status: 400,
                error: "unsupported_grant_type",
                description: format!("grant_type {grant_type} is not supported"),
            })
        }
    };
    let mut resp = json_response(StatusCode::OK, &tokens);
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(resp)
}

fn revoke(app: &App, form: &Query) -> Result<Response<RespBody>, OAuthError> {
    let client_id = field(form, "client_id")?;
    let token = field(form, "token")?;
    let mut store = app.oauth();
    if !store.knows(client_id) {
        return Err(OAuthError {
            status: 401,
            error: "invalid_client",
            description: "unknown client_id".into(),
        });
    }
    store.revoke(token);
    // RFC 7009: 200 with an empty body, whether or not the token was known.
    Ok(Response::new(empty()))
}

fn register(app: &App, body: &[u8]) -> Result<Response<RespBody>, OAuthError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| OAuthError::request(format!("the body is not JSON: {e}")))?;
    let uris: Vec<String> = value
        .get("redirect_uris")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|u| u.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if uris.is_empty() || uris.iter().any(|u| u.is_empty()) {
        return Err(OAuthError {
            status: 400,
            error: "invalid_redirect_uri",
            description: "redirect_uris must be a non-empty array of URIs".into(),
        });
    }
    let client_id = app.oauth().register(uris.clone());
    let pick = |key: &str, default: Value| value.get(key).cloned().unwrap_or(default);
    Ok(json_response(
        StatusCode::CREATED,
        &json!({
            "client_id": client_id,
            "client_id_issued_at": now_millis() / 1000,
            "client_name": pick("client_name", Value::Null),
            "redirect_uris": uris,
            "grant_types": pick("grant_types", json!(["authorization_code"])),
            "response_types": pick("response_types", json!(["code"])),
            "token_endpoint_auth_method": pick("token_endpoint_auth_method", json!("none")),
            "scope": pick("scope", json!("")),
        }),
    ))
}
