//! The authorization URL, built without a request (`gumloop_oauth_build_authorization_url`): as
//! the SDK's `build_authorization_url`, with PKCE S256 and a state and verifier from the
//! operating system's generator.

use super::form;
use crate::config::{parse_base_url, process_env, DEFAULT_BASE_URL};
use crate::error::{Error, ErrorKind, Result};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Map, Value};
use zeroize::Zeroizing;

/// The keys the parameters object takes.
const KEYS: &[&str] = &[
    "client_id",
    "redirect_uri",
    "scopes",
    "resource",
    "state",
    "base_url",
    "allow_insecure_http",
];

/// `n` random bytes as base64url without padding: Python's `secrets.token_urlsafe(n)`.
pub(crate) fn token_urlsafe(n: usize) -> Result<Zeroizing<String>> {
    let mut bytes = Zeroizing::new(vec![0u8; n]);
    getrandom::getrandom(&mut bytes).map_err(|e| {
        Error::new(
            ErrorKind::Internal,
            format!("no randomness for the OAuth state or verifier: {e}"),
        )
    })?;
    Ok(Zeroizing::new(URL_SAFE_NO_PAD.encode(&*bytes)))
}

/// The PKCE S256 challenge of `verifier`: base64url of its SHA-256, without padding.
pub(crate) fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(ring::digest::digest(
        &ring::digest::SHA256,
        verifier.as_bytes(),
    ))
}

/// The scope string from a `scopes` value: one string as it is, an array of strings joined with
/// spaces (RFC 6749 §3.3, as the SDK's `_scope_string`), absent or null the SDK's default.
pub(crate) fn scope_string(value: Option<&Value>) -> Result<String> {
    let wrong =
        || Error::invalid_argument("scopes", "`scopes` must be a string or an array of strings");
    match value {
        None | Some(Value::Null) => Ok(super::DEFAULT_SCOPES.join(" ")),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().ok_or_else(wrong))
            .collect::<Result<Vec<&str>>>()
            .map(|scopes| scopes.join(" ")),
        Some(_) => Err(wrong()),
    }
}

/// A string parameter: absent/null is `None`; any other type is an error naming it.
fn text<'a>(map: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::invalid_argument(
            key,
            format!("`{key}` must be a string"),
        )),
    }
}

/// A required, non-empty string parameter.
fn required<'a>(map: &'a Map<String, Value>, key: &str) -> Result<&'a str> {
    match text(map, key)? {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(Error::invalid_argument(key, format!("`{key}` is required"))),
    }
}

/// Builds the authorization URL from `params_json` and returns
/// `{"url","state","code_verifier"}`.
pub(crate) fn build(params_json: &str) -> Result<String> {
    let map = crate::json::known_object(params_json, "params_json", KEYS)?;
    let client_id = required(&map, "client_id")?;
    let redirect_uri = required(&map, "redirect_uri")?;
    let scope = scope_string(map.get("scopes"))?;
    let resource = text(&map, "resource")?.filter(|r| !r.is_empty());
    let insecure = match map.get("allow_insecure_http") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(Error::invalid_argument(
                "allow_insecure_http",
                "`allow_insecure_http` must be true or false",
            ))
        }
    };
    let base_text = match text(&map, "base_url")? {
        Some(base) => base.to_string(),
        None => process_env("GUMLOOP_BASE_URL").unwrap_or_else(|| DEFAULT_BASE_URL.to_string()),
    };
    let base = parse_base_url("base_url", &base_text, insecure).map_err(|e| Error {
        kind: ErrorKind::InvalidArgument,
        ..e
    })?;
    // The SDK: `state or secrets.token_urlsafe(24)`; the verifier `token_urlsafe(64)`.
    let state = match text(&map, "state")?.filter(|s| !s.is_empty()) {
        Some(state) => Zeroizing::new(state.to_string()),
        None => token_urlsafe(24)?,
    };
    let verifier = token_urlsafe(64)?;
    let code_challenge = challenge(&verifier);
    let mut pairs = vec![
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", redirect_uri),
        ("scope", scope.as_str()),
        ("state", state.as_str()),
        ("code_challenge", code_challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    if let Some(resource) = resource {
        pairs.push(("resource", resource));
    }
    let url = format!(
        "{}/oauth/authorize?{}",
        super::oauth_base(&base),
        form::encode(&pairs)
    );
    Ok(json!({
        "url": url,
        "state": state.as_str(),
        "code_verifier": verifier.as_str(),
    })
    .to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_challenge_is_the_sdks() {
        // The SDK's formula, run in Python: base64.urlsafe_b64encode(
        // hashlib.sha256(verifier.encode("ascii")).digest()).decode("ascii").rstrip("=")
        assert_eq!(
            challenge("dBjftJeZ4CVP-mJ0kNw9XpI0cnwgYyRxM7FSM7cCZk"),
            "v48doeNx9KiMpJNOI3GwPlMK3otkBaMPZ4ADhzSXcsA"
        );
    }

    #[test]
    fn the_url_carries_the_sdks_parameters_in_its_order() {
        let out: Value = serde_json::from_str(
            &build(
                r#"{"client_id":"c 1","redirect_uri":"http://127.0.0.1:8765/callback",
                   "scopes":["gumloop_api","userinfo"],"resource":"https://r.example/x",
                   "base_url":"https://api.gumloop.com/api/v1"}"#,
            )
            .unwrap(),
        )
        .unwrap();
        let (url, state, verifier) = (
            out["url"].as_str().unwrap(),
            out["state"].as_str().unwrap(),
            out["code_verifier"].as_str().unwrap(),
        );
        assert_eq!((state.len(), verifier.len()), (32, 86));
        let expected = format!(
            "https://api.gumloop.com/oauth/authorize?response_type=code&client_id=c+1&\
             redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback&scope=gumloop_api+userinfo&\
             state={state}&code_challenge={}&code_challenge_method=S256&\
             resource=https%3A%2F%2Fr.example%2Fx",
            challenge(verifier)
        );
        assert_eq!(url, expected);
        let again: Value = serde_json::from_str(
            &build(r#"{"client_id":"c","redirect_uri":"r","state":"s1","resource":""}"#).unwrap(),
        )
        .unwrap();
        let url = again["url"].as_str().unwrap();
        assert!(url.contains("&scope=gumloop+userinfo&state=s1&"), "{url}");
        assert!(!url.contains("resource"), "{url}");
        assert_ne!(again["code_verifier"], out["code_verifier"]);
    }

    #[test]
    fn bad_parameters_are_named() {
        for (params, param) in [
            (r#"{"redirect_uri":"r"}"#, "client_id"),
            (r#"{"client_id":"c","redirect_uri":""}"#, "redirect_uri"),
            (
                r#"{"client_id":"c","redirect_uri":"r","scopes":[1]}"#,
                "scopes",
            ),
            (
                r#"{"client_id":"c","redirect_uri":"r","scope":"x"}"#,
                "scope",
            ),
            (
                r#"{"client_id":"c","redirect_uri":"r","base_url":"ftp://x"}"#,
                "base_url",
            ),
            ("[]", "params_json"),
        ] {
            let e = build(params).unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidArgument, "{params}");
            assert_eq!(e.param.as_deref(), Some(param), "{params}");
        }
    }
}
