//! A raw request, for what the library does not wrap: any method and path under the REST base,
//! with the client's credentials, retry rules, limits and error model.

use crate::cancel::CancelToken;
use crate::client::{Call, Client};
use crate::error::{Error, ErrorKind, Result};
use crate::http::paths::Endpoint;
use crate::http::query::add_query;
use crate::json::parse_object;
use reqwest::Method;
use serde_json::Value;

/// The methods a raw request may use.
const METHODS: &[&str] = &["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

fn invalid(param: &str, message: impl Into<String>) -> Error {
    Error::invalid_argument(param, message)
}

/// The method named `text` (upper case, one of [`METHODS`]).
fn parse_method(text: &str) -> Result<Method> {
    if !METHODS.contains(&text) {
        return Err(invalid(
            "method",
            format!("`method` must be one of {}", METHODS.join(", ")),
        ));
    }
    Method::from_bytes(text.as_bytes()).map_err(|_| invalid("method", "not an HTTP method"))
}

/// The path segments of `path_json`, a JSON array of at least one string; each becomes exactly
/// one percent-encoded segment.
fn parse_segments(path_json: &str) -> Result<Vec<String>> {
    let value: Value = serde_json::from_str(path_json).map_err(|e| {
        Error::about(
            ErrorKind::InvalidJson,
            "path_json",
            format!("`path_json` is not valid JSON: {e}"),
        )
    })?;
    let Value::Array(items) = value else {
        return Err(invalid(
            "path_json",
            "`path_json` must be an array of path segments, e.g. [\"sessions\",\"sess_1\"]",
        ));
    };
    if items.is_empty() {
        return Err(invalid(
            "path_json",
            "`path_json` needs at least one segment",
        ));
    }
    items
        .into_iter()
        .map(|item| match item {
            Value::String(s) => Ok(s),
            _ => Err(invalid("path_json", "every path segment must be a string")),
        })
        .collect()
}

impl Client {
    /// Sends `method` to the REST base plus the segments of `path_json` (each encoded as one
    /// segment, so `"a/b"` stays one), with the parameters of `query_json` (as for the list
    /// calls) and `body_json` (any JSON value, sent as given; NULL sends no body). Returns the
    /// server's JSON as sent, or `null` for an empty answer (HEAD, 204).
    ///
    /// Only GET and HEAD are repeated after an unknown outcome; other methods only when the
    /// server cannot have acted (a failed connection, 429, 503).
    pub async fn send_request(
        &self,
        method: &str,
        path_json: &str,
        query_json: Option<&str>,
        body_json: Option<&str>,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let method = parse_method(method)?;
        let owned = parse_segments(path_json)?;
        let mut url = self.rest_url(Endpoint::Raw(&owned))?;
        add_query(&mut url, query_json, &[])?;
        let body = match body_json.map(str::trim) {
            None | Some("") => None,
            Some(text) => {
                serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| {
                    Error::about(
                        ErrorKind::InvalidJson,
                        "body_json",
                        format!("the body is not valid JSON: {e}"),
                    )
                })?;
                Some(text.to_owned())
            }
        };
        if body.is_some() && (method == Method::GET || method == Method::HEAD) {
            return Err(invalid("body_json", "a GET or HEAD request takes no body"));
        }
        if let Some(Value::Bool(true)) = body
            .as_deref()
            .and_then(|b| parse_object(Some(b)).ok())
            .and_then(|mut m| m.remove("stream"))
        {
            return Err(Error::about(
                ErrorKind::UseStreamingCall,
                "stream",
                "`stream: true` asks for an event stream, which a raw request does not read",
            ));
        }
        let mut call = Call::api(method, url, body);
        call.allow_empty = true;
        self.execute(call, cancel).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_and_paths_are_checked() {
        assert_eq!(parse_method("GET").unwrap(), Method::GET);
        assert_eq!(
            parse_method("get").unwrap_err().param.as_deref(),
            Some("method")
        );
        assert_eq!(
            parse_method("TRACE").unwrap_err().param.as_deref(),
            Some("method")
        );
        assert_eq!(
            parse_segments(r#"["sessions","a/b"]"#).unwrap(),
            vec!["sessions".to_string(), "a/b".to_string()]
        );
        for bad in ["[]", "{}", "[1]", "\"sessions\"", "["] {
            assert_eq!(
                parse_segments(bad).unwrap_err().param.as_deref(),
                Some("path_json"),
                "{bad}"
            );
        }
    }
}
