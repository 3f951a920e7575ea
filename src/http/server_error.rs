//! Reading an error status: every error body shape the Gumloop API uses (docs/API.md §6) becomes
//! one `Error`, keeping the whole body.

use crate::error::{Error, ErrorKind, ServerError};
use serde_json::{Map, Value};

/// Top-level keys of a flat error body that are not part of its `details`.
const FLAT_KNOWN_KEYS: &[&str] = &[
    "error",
    "message",
    "error_description",
    "trace_id",
    "metadata",
];

/// A non-blank string field (an empty message counts as missing, as in the official SDK).
fn string_of(value: Option<&Value>) -> Option<String> {
    value
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}

fn non_null(value: Option<&Value>) -> Option<Value> {
    value.filter(|v| !v.is_null()).cloned()
}

/// Builds the error for an HTTP error `status` whose body is `bytes`.
pub fn from_response(status: u16, bytes: &[u8], retry_after_ms: Option<u64>) -> Error {
    let kind = ErrorKind::from_status(status);
    let generic = format!("Gumloop API returned HTTP {status}");
    let mut server = ServerError {
        status,
        retry_after_ms,
        ..ServerError::default()
    };

    let message = match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => {
            let message = read_object(&map, &mut server, &generic);
            server.body = Value::Object(map);
            message
        }
        // JSON that is not an object, or not JSON at all: keep it as the body.
        Ok(value) => {
            server.body = value;
            generic
        }
        Err(_) => {
            server.body = Value::String(String::from_utf8_lossy(bytes).into_owned());
            generic
        }
    };
    Error {
        server: Some(Box::new(server)),
        ..Error::new(kind, message)
    }
}

/// Reads a JSON object error body into `server`, returning the message.
fn read_object(map: &Map<String, Value>, server: &mut ServerError, generic: &str) -> String {
    server.trace_id = string_of(map.get("trace_id"));
    let top_message = string_of(map.get("message"));
    let description = string_of(map.get("error_description"));
    match map.get("error") {
        // 1. The nested developer-API envelope.
        Some(Value::Object(inner)) => {
            server.code = string_of(inner.get("code"));
            server.error_type = string_of(inner.get("type"));
            server.param = non_null(inner.get("param"));
            server.details = non_null(inner.get("details"));
            string_of(inner.get("message"))
                .or(top_message)
                .or(description)
                .unwrap_or_else(|| generic.to_owned())
        }
        // 2–4. Flat shapes: PublicError, OAuth, legacy permission errors.
        Some(flat @ Value::String(_)) => {
            // A blank code counts as absent, as blank messages do.
            server.code = string_of(Some(flat));
            server.details = match map.get("metadata") {
                Some(meta) if !meta.is_null() => Some(meta.clone()),
                _ => {
                    let rest: Map<String, Value> = map
                        .iter()
                        .filter(|(k, _)| !FLAT_KNOWN_KEYS.contains(&k.as_str()))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    (!rest.is_empty()).then_some(Value::Object(rest))
                }
            };
            top_message
                .or(description)
                .unwrap_or_else(|| match &server.code {
                    Some(code) => format!("{generic}: {code}"),
                    None => generic.to_owned(),
                })
        }
        _ => top_message
            .or(description)
            .unwrap_or_else(|| generic.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_blank_flat_code_counts_as_absent() {
        let e = from_response(403, br#"{"error":" ","trace_id":""}"#, None);
        let server = e.server.as_deref().unwrap();
        assert_eq!(server.code, None);
        assert_eq!(server.trace_id, None);
        assert!(!e.message.trim_end().ends_with(':'), "{}", e.message);
        assert_eq!(e.message.trim(), e.message);
    }

    fn doc(status: u16, body: &str) -> Value {
        from_response(status, body.as_bytes(), None).to_document()["error"].clone()
    }

    #[test]
    fn nested_envelope() {
        let d = doc(
            409,
            r#"{"error":{"code":"session_already_exists","message":"Session exists","type":"invalid_request_error","param":"session_id","details":{"id":"s"}}}"#,
        );
        assert_eq!(d["kind"], "GUMLOOP_ERR_CONFLICT");
        assert_eq!(d["status"], 409);
        assert_eq!(d["code"], "session_already_exists");
        assert_eq!(d["message"], "Session exists");
        assert_eq!(d["type"], "invalid_request_error");
        assert_eq!(d["param"], "session_id");
        assert_eq!(d["details"], json!({"id":"s"}));
        assert_eq!(d["body"]["error"]["code"], "session_already_exists");
    }

    #[test]
    fn flat_public_error() {
        let d = doc(
            403,
            r#"{"error":"policy_denied","message":"Denied by policy","metadata":{"k":1},"trace_id":"t-1"}"#,
        );
        assert_eq!(d["code"], "policy_denied");
        assert_eq!(d["message"], "Denied by policy");
        assert_eq!(d["details"], json!({"k":1}));
        assert_eq!(d["trace_id"], "t-1");
        assert_eq!(d["type"], Value::Null);
    }

    #[test]
    fn oauth_error() {
        let d = doc(
            401,
            r#"{"error":"invalid_token","error_description":"Token expired"}"#,
        );
        assert_eq!(d["kind"], "GUMLOOP_ERR_UNAUTHORIZED");
        assert_eq!(d["code"], "invalid_token");
        assert_eq!(d["message"], "Token expired");
    }

    #[test]
    fn legacy_flat_error_keeps_leftover_keys_as_details() {
        let d = doc(
            403,
            r#"{"error":"tier_required_pro","minimum_tier":"pro","denied_keys":["a"]}"#,
        );
        assert_eq!(d["code"], "tier_required_pro");
        assert_eq!(
            d["message"],
            "Gumloop API returned HTTP 403: tier_required_pro"
        );
        assert_eq!(
            d["details"],
            json!({"minimum_tier":"pro","denied_keys":["a"]})
        );
    }

    #[test]
    fn non_json_body_is_kept_as_text() {
        let d = doc(502, "<html>Bad gateway</html>");
        assert_eq!(d["kind"], "GUMLOOP_ERR_SERVER");
        assert_eq!(d["message"], "Gumloop API returned HTTP 502");
        assert_eq!(d["body"], "<html>Bad gateway</html>");
        assert_eq!(d["retryable"], true);
    }

    #[test]
    fn retry_after_is_reported() {
        let e = from_response(429, b"{}", Some(1000));
        let d = e.to_document();
        assert_eq!(d["error"]["retry_after_ms"], 1000);
        assert_eq!(d["error"]["kind"], "GUMLOOP_ERR_RATE_LIMITED");
    }
}
