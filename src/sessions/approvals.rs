//! Resolving a session's pending approvals over REST: `POST /sessions/{session_id}/approvals`.

use crate::cancel::CancelToken;
use crate::client::{Call, Client};
use crate::error::{Error, Result};
use crate::http::paths::Endpoint;
use crate::json::body_text;
use crate::json::parse_object;
use reqwest::Method;
use serde_json::{Map, Value};
use std::collections::HashSet;

/// Most answers in one resolution.
const MAX_RESPONSES: usize = 20;
/// Longest `reason`, in characters.
const MAX_REASON_CHARS: usize = 1000;

fn invalid(param: &str, message: impl Into<String>) -> Error {
    Error::invalid_argument(param, message)
}

/// Checks one answer: `action_request_id` (non-empty string), `action` (`accept` or `reject`),
/// optional `reason` (at most 1000 characters) and `response` (an object with a `values`
/// object). Other fields pass through.
fn check_response(item: &Value) -> Result<&str> {
    let Some(item) = item.as_object() else {
        return Err(invalid(
            "approval_responses",
            "each approval response must be a JSON object",
        ));
    };
    let id = match item.get("action_request_id") {
        Some(Value::String(id)) if !id.is_empty() => id.as_str(),
        _ => {
            return Err(invalid(
                "action_request_id",
                "each approval response needs a non-empty string `action_request_id`",
            ))
        }
    };
    match item.get("action").and_then(Value::as_str) {
        Some("accept" | "reject") => {}
        _ => {
            return Err(invalid(
                "action",
                "`action` must be \"accept\" or \"reject\"",
            ))
        }
    }
    match item.get("reason") {
        None | Some(Value::Null) => {}
        Some(Value::String(r)) if r.chars().count() <= MAX_REASON_CHARS => {}
        Some(_) => {
            return Err(invalid(
                "reason",
                format!("`reason` must be a string of at most {MAX_REASON_CHARS} characters"),
            ))
        }
    }
    match item.get("response") {
        None | Some(Value::Null) => {}
        Some(Value::Object(r)) if r.get("values").is_none_or(Value::is_object) => {}
        Some(_) => {
            return Err(invalid(
                "response",
                "`response` must be an object whose `values` is an object of answers",
            ))
        }
    }
    Ok(id)
}

/// Checks an approvals body: `approval_responses`, 1 to 20 answers, each ID at most once.
pub(crate) fn check_approvals(body: &Map<String, Value>) -> Result<()> {
    let Some(Value::Array(items)) = body.get("approval_responses") else {
        return Err(invalid(
            "approval_responses",
            "the body needs `approval_responses`, an array of answers",
        ));
    };
    if items.is_empty() || items.len() > MAX_RESPONSES {
        return Err(invalid(
            "approval_responses",
            format!("`approval_responses` must have 1 to {MAX_RESPONSES} answers"),
        ));
    }
    let mut seen = HashSet::new();
    for item in items {
        let id = check_response(item)?;
        if !seen.insert(id) {
            return Err(invalid(
                "action_request_id",
                format!("`action_request_id` {id:?} is answered twice"),
            ));
        }
    }
    Ok(())
}

impl Client {
    /// `POST /sessions/{session_id}/approvals`: answers pending approvals and returns
    /// `{"session":…,"results":[{action_request_id,action,outcome}],"stream_cursor":…}`. A
    /// `stream_cursor` resumes the continued run's stream (`resume_stream`). Not repeated after
    /// an unknown outcome (a repeat would answer `already_accepted`, hiding the first result).
    pub async fn resolve_approvals(
        &self,
        session_id: &str,
        body_json: Option<&str>,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let url = self.rest_url(Endpoint::SessionApprovals(session_id))?;
        check_approvals(&parse_object(body_json)?)?;
        let call = Call::api(Method::POST, url, Some(body_text(body_json)));
        self.execute(call, cancel).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<()> {
        check_approvals(&parse_object(Some(text))?)
    }

    #[test]
    fn accepts_answers_and_passes_unknown_fields() {
        assert!(check(r#"{"approval_responses":[{"action_request_id":"a","action":"accept","future":1},{"action_request_id":"b","action":"reject","reason":"no","response":{"values":{"q":"x"}}}]}"#).is_ok());
    }

    #[test]
    fn names_the_bad_part() {
        let many: Vec<String> = (0..21)
            .map(|i| format!(r#"{{"action_request_id":"a{i}","action":"accept"}}"#))
            .collect();
        let many = format!(r#"{{"approval_responses":[{}]}}"#, many.join(","));
        let long = format!(
            r#"{{"approval_responses":[{{"action_request_id":"a","action":"reject","reason":"{}"}}]}}"#,
            "x".repeat(1001)
        );
        for (body, param) in [
            ("{}", "approval_responses"),
            (r#"{"approval_responses":[]}"#, "approval_responses"),
            (many.as_str(), "approval_responses"),
            (r#"{"approval_responses":[1]}"#, "approval_responses"),
            (
                r#"{"approval_responses":[{"action":"accept"}]}"#,
                "action_request_id",
            ),
            (
                r#"{"approval_responses":[{"action_request_id":"a","action":"maybe"}]}"#,
                "action",
            ),
            (long.as_str(), "reason"),
            (
                r#"{"approval_responses":[{"action_request_id":"a","action":"accept","response":{"values":1}}]}"#,
                "response",
            ),
            (
                r#"{"approval_responses":[{"action_request_id":"a","action":"accept"},{"action_request_id":"a","action":"reject"}]}"#,
                "action_request_id",
            ),
        ] {
            let e = check(body).unwrap_err();
            assert_eq!(e.kind, crate::ErrorKind::InvalidArgument, "{body}");
            assert_eq!(e.param.as_deref(), Some(param), "{body}");
        }
    }
}
