//! The storage host: serves artifact bytes at signed URLs and refuses any request that
//! carries a credential (a signed URL needs none, so a client that sends its Gumloop
//! credential here is leaking it).

use hyper::http::request::Parts;
use hyper::{header, Method, Response, StatusCode};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde_json::json;

use crate::app_state::App;
use crate::artifacts::signature_ok;
use crate::body::{full, RespBody};
use crate::clock::now_millis;
use crate::errors::ApiError;
use crate::routes::Query;

/// Headers that carry a credential; a request with any of them is refused.
const CREDENTIAL_HEADERS: [&str; 2] = ["authorization", "x-auth-key"];

fn forbidden(code: &'static str, message: &str) -> ApiError {
    ApiError::new(403, code, message)
}

/// `Content-Disposition` for a name that is not trusted: an ASCII fallback with quotes,
/// backslashes and anything unprintable replaced, plus the exact name in RFC 8187 form.
fn disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        utf8_percent_encode(name, NON_ALPHANUMERIC)
    )
}

fn serve(app: &App, parts: &Parts) -> Result<Response<RespBody>, ApiError> {
    if let Some(name) = CREDENTIAL_HEADERS
        .iter()
        .find(|h| parts.headers.contains_key(**h))
    {
        return Err(forbidden(
            "credentials_not_accepted",
            "The storage host takes no credentials; the signed URL is the authorization",
        )
        .details(json!({"header": name})));
    }
    if parts.method != Method::GET {
        return Err(
            ApiError::new(405, "method_not_allowed", "Method not allowed on this path")
                .header("allow", "GET"),
        );
    }
    let segs: Vec<&str> = parts
        .uri
        .path()
        .trim_start_matches('/')
        .split('/')
        .collect();
    let ["artifacts", id, version] = segs.as_slice() else {
        return Err(ApiError::new(404, "not_found", "No such object"));
    };
    let q = Query::parse(parts.uri.query());
    let expires = q.get("expires").and_then(|e| e.parse::<u64>().ok());
    let signature = q.get("signature").unwrap_or("");
    let Some(expires) = expires.filter(|e| signature_ok(app, id, version, *e, signature)) else {
        return Err(forbidden(
            "signature_invalid",
            "The URL's signature does not match",
        ));
    };
    if now_millis() > expires {
        return Err(forbidden("url_expired", "The signed URL has expired")
            .details(json!({"expired_at_ms": expires})));
    }
    let store = app.store();
    let Some(artifact) = store
        .artifacts
        .iter()
        .find(|a| a.id == *id && a.version_id == *version)
    else {
        return Err(ApiError::new(404, "not_found", "No such object"));
    };
    let bytes = artifact.bytes();
    let len = bytes.len();
    let mut resp = Response::new(full(bytes));
    let headers = resp.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(artifact.media_type()),
    );
    headers.insert(header::CONTENT_LENGTH, header::HeaderValue::from(len));
    if let Ok(v) = header::HeaderValue::from_str(&disposition(&artifact.filename)) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    *resp.status_mut() = StatusCode::OK;
    Ok(resp)
}

/// Answers one storage request (errors in the usual envelope).
pub fn handle(app: &App, parts: &Parts) -> Response<RespBody> {
    serve(app, parts).unwrap_or_else(ApiError::into_response)
}

#[cfg(test)]
mod tests {
    use super::disposition;

    #[test]
    fn dispositions_never_carry_raw_quotes_or_non_ascii() {
        assert_eq!(
            disposition("a \"b\".txt"),
            "attachment; filename=\"a _b_.txt\"; filename*=UTF-8''a%20%22b%22%2Etxt"
        );
        assert!(disposition("../ä\\x").is_ascii());
    }
}
