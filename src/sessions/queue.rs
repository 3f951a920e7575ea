//! A session's message queue: list, add, edit, delete and send now
//! (`/sessions/{session_id}/queue[/{queued_message_id}[/send]]`).

use crate::cancel::CancelToken;
use crate::client::{Call, Client};
use crate::error::{Error, Result};
use crate::http::paths::Endpoint;
use crate::json::body_text;
use crate::json::parse_object;
use reqwest::Method;
use serde_json::Value;

/// Checks a queue body: `input` (or its alias `message`), a string that is not blank. Other
/// fields pass through.
fn check_queue_body(body_json: Option<&str>) -> Result<String> {
    let body = parse_object(body_json)?;
    let key = if body.contains_key("input") {
        "input"
    } else {
        "message"
    };
    match body.get(key) {
        Some(Value::String(text)) if !text.trim().is_empty() => Ok(body_text(body_json)),
        Some(_) => Err(Error::invalid_argument(
            key,
            format!("`{key}` must be a string that is not blank"),
        )),
        None => Err(Error::invalid_argument(
            "input",
            "a queued message needs `input` (or its alias `message`)",
        )),
    }
}

impl Client {
    /// `GET /sessions/{session_id}/queue`: `{"queue":[…]}`, each entry `{id, input, state,
    /// position, created_at, updated_at}`.
    pub async fn list_queue(
        &self,
        session_id: &str,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let url = self.rest_url(Endpoint::SessionQueue(session_id))?;
        self.execute(Call::api(Method::GET, url, None), cancel)
            .await
    }

    /// `POST /sessions/{session_id}/queue` with `{"input":…}`: adds a message to the queue and
    /// returns `{"queued_message":…,"queue":[…]}`. A full queue answers 409 `queue_full`. Not
    /// repeated after an unknown outcome (a repeat would queue it twice; for a deduplicated
    /// add, send with `"delivery":"queued"` and an `idempotency_key`).
    pub async fn queue_message(
        &self,
        session_id: &str,
        body_json: Option<&str>,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let url = self.rest_url(Endpoint::SessionQueue(session_id))?;
        let body = check_queue_body(body_json)?;
        self.execute(Call::api(Method::POST, url, Some(body)), cancel)
            .await
    }

    /// `PATCH /sessions/{session_id}/queue/{queued_message_id}` with `{"input":…}`: replaces a
    /// queued message's text; returns `{"queued_message":…,"queue":[…]}`.
    pub async fn edit_queued_message(
        &self,
        session_id: &str,
        queued_message_id: &str,
        body_json: Option<&str>,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let url = self.rest_url(Endpoint::QueuedMessage(session_id, queued_message_id))?;
        let body = check_queue_body(body_json)?;
        self.execute(Call::api(Method::PATCH, url, Some(body)), cancel)
            .await
    }

    /// `DELETE /sessions/{session_id}/queue/{queued_message_id}`: removes a queued message;
    /// returns `{"queue":[…]}`.
    pub async fn delete_queued_message(
        &self,
        session_id: &str,
        queued_message_id: &str,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let url = self.rest_url(Endpoint::QueuedMessage(session_id, queued_message_id))?;
        self.execute(Call::api(Method::DELETE, url, None), cancel)
            .await
    }

    /// `POST /sessions/{session_id}/queue/{queued_message_id}/send`: sends a queued message now,
    /// aborting any run in progress; returns the session envelope.
    pub async fn send_queued_message(
        &self,
        session_id: &str,
        queued_message_id: &str,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let url = self.rest_url(Endpoint::QueuedMessageSend(session_id, queued_message_id))?;
        let call = Call::api(Method::POST, url, Some("{}".into()));
        self.execute(call, cancel).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_bodies_need_text() {
        assert!(check_queue_body(Some(r#"{"input":"next","x":1}"#)).is_ok());
        assert!(check_queue_body(Some(r#"{"message":"next"}"#)).is_ok());
        for (body, param) in [
            ("{}", "input"),
            (r#"{"input":"  "}"#, "input"),
            (r#"{"input":["a"]}"#, "input"),
            (r#"{"message":5}"#, "message"),
            ("[]", "body_json"),
        ] {
            let e = check_queue_body(Some(body)).unwrap_err();
            assert_eq!(e.param.as_deref(), Some(param), "{body}");
        }
    }
}
