//! The session operations over REST: create, retrieve, list, send, cancel, rename.

use crate::body::{self, parse_object};
use crate::cancel::CancelToken;
use crate::client::{Call, CallAuth, Client};
use crate::error::{Error, ErrorKind, Result};
use crate::paths::Segment;
use crate::query::add_query;
use crate::retry::Repeat;
use crate::send_body::plan_send;
use reqwest::Method;
use serde_json::{json, Map, Value};

/// The path segments of `/sessions/{session_id}` followed by `rest`.
pub(crate) fn session_path<'a>(session_id: &'a str, rest: &[&'static str]) -> Vec<Segment<'a>> {
    let mut segments = vec![
        Segment::Fixed("sessions"),
        Segment::Id {
            param: "session_id",
            value: session_id,
        },
    ];
    segments.extend(rest.iter().map(|s| Segment::Fixed(s)));
    segments
}

/// The path segments of `/agents/{agent_id}/sessions`.
pub(crate) fn agent_sessions_path(agent_id: &str) -> [Segment<'_>; 3] {
    [
        Segment::Fixed("agents"),
        Segment::Id {
            param: "agent_id",
            value: agent_id,
        },
        Segment::Fixed("sessions"),
    ]
}

/// Agent IDs that the server resolves per caller, so a session's `agent_id` differs from them.
const ALIAS_AGENTS: &[&str] = &["gumball", "analytics"];

/// A session ID for `auto_session_id`: `sess_` and 24 random letters and digits.
fn generated_session_id() -> Result<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut bytes = [0u8; 24];
    getrandom::getrandom(&mut bytes).map_err(|e| {
        Error::new(
            ErrorKind::Internal,
            format!("no randomness for a session ID: {e}"),
        )
    })?;
    // 248 is the largest multiple of 62 that fits a byte; the small bias left is harmless here.
    let id: String = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    Ok(format!("sess_{id}"))
}

/// Adds `"key": value` at the front of the JSON object `object_text`, leaving the rest of its
/// bytes as they were. `object_text` must be a JSON object without `key`.
fn splice_field(object_text: &str, key: &str, value: &Value) -> String {
    let inner = object_text.trim().strip_prefix('{').unwrap_or("}");
    let field = format!("{}:{}", json!(key), value);
    if inner.trim_start().starts_with('}') {
        format!("{{{field}}}")
    } else {
        format!("{{{field},{inner}")
    }
}

/// Whether `error` is the 409 `session_already_exists` of a create whose `session_id` is taken.
pub(crate) fn already_exists(error: &Error) -> bool {
    error.kind == ErrorKind::Conflict
        && error.server.as_ref().and_then(|s| s.code.as_deref()) == Some("session_already_exists")
}

impl Client {
    /// The create body to send (`text`, whose parsed fields are `fields`) and its session ID:
    /// the caller's `session_id`, or with the `auto_session_id` option one generated here and
    /// added to the body. A create with a session ID is safe to repeat.
    pub(crate) fn keyed_body(
        &self,
        fields: &Map<String, Value>,
        text: String,
    ) -> Result<(String, Option<String>)> {
        match fields.get("session_id").and_then(Value::as_str) {
            Some(id) => Ok((text, Some(id.to_string()))),
            None if self.config().auto_session_id => {
                let id = generated_session_id()?;
                Ok((splice_field(&text, "session_id", &json!(id)), Some(id)))
            }
            None => Ok((text, None)),
        }
    }
}

/// The body text to send: the caller's text unchanged, or `{}` when none was given.
pub(crate) fn body_text(body_json: Option<&str>) -> String {
    match body_json.map(str::trim) {
        None | Some("") => "{}".to_string(),
        Some(text) => text.to_string(),
    }
}

/// Query parameters of the list call whose values must be strings.
const LIST_STRING_PARAMS: &[&str] = &[
    "cursor",
    "search",
    "search_query",
    "sort_order",
    "type",
    "state",
    "creator_user_id",
    "trigger_id",
];

impl Client {
    /// `POST /agents/{agent_id}/sessions`: creates a session (an idle stub without `input`, a
    /// running one with it) and returns the server's JSON exactly as sent.
    ///
    /// A body with a `session_id` (given, or generated with the `auto_session_id` option) is
    /// created exactly once: after an unknown outcome the create is repeated, and when the
    /// repeat answers 409 `session_already_exists` the session is fetched and returned, marked
    /// with a top-level `"_gumloop":{"recovered":true,"attempts":N}`.
    pub async fn create_session(
        &self,
        agent_id: &str,
        body_json: Option<&str>,
        auth: &CallAuth,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let url = self.rest_url(&agent_sessions_path(agent_id))?;
        let fields = parse_object(body_json)?;
        body::check_create(&fields)?;
        let (text, session_id) = self.keyed_body(&fields, body_text(body_json))?;
        let mut call = Call::json(Method::POST, url, Some(text), auth);
        if session_id.is_some() {
            call.repeat = Repeat::CreateWithSessionId;
        }
        let (result, attempts) = self.execute_counted(&call, cancel).await;
        let (Err(error), Some(session_id)) = (&result, session_id) else {
            return result;
        };
        if !(already_exists(error) && attempts.outcome_unknown) {
            return result;
        }
        // An earlier attempt reached the server: that session is the one this call created.
        // It is fetched with this call's own credentials.
        let envelope = self
            .get_session_as(&session_id, auth, cancel)
            .await
            .map_err(|e| Error {
                attempts: attempts.count + e.attempts,
                ..e
            })?;
        let owner = serde_json::from_str::<Value>(&envelope)
            .ok()
            .and_then(|v| v["session"]["agent_id"].as_str().map(str::to_owned));
        if owner.as_deref() != Some(agent_id) && !ALIAS_AGENTS.contains(&agent_id) {
            return result; // an unrelated session of another agent has this ID
        }
        Ok(splice_field(
            &envelope,
            "_gumloop",
            &json!({ "recovered": true, "attempts": attempts.count }),
        ))
    }

    /// `GET /sessions/{session_id}`: the session envelope with its transcript.
    pub async fn get_session(
        &self,
        session_id: &str,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        self.get_session_as(session_id, &CallAuth::default(), cancel)
            .await
    }

    /// `get_session` with per-call credentials.
    async fn get_session_as(
        &self,
        session_id: &str,
        auth: &CallAuth,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let url = self.rest_url(&session_path(session_id, &[]))?;
        self.execute(Call::json(Method::GET, url, None, auth), cancel)
            .await
    }

    /// `GET /agents/{agent_id}/sessions`: one page of sessions, filtered by `query_json`
    /// (`page_size`, `cursor`, `search`, `sort_order`, `type`, `state`, `creator_user_id`,
    /// `trigger_id`, and any other parameter as given).
    pub async fn list_sessions(
        &self,
        agent_id: &str,
        query_json: Option<&str>,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let mut url = self.rest_url(&agent_sessions_path(agent_id))?;
        add_query(&mut url, query_json, LIST_STRING_PARAMS)?;
        let auth = CallAuth::default();
        self.execute(Call::json(Method::GET, url, None, &auth), cancel)
            .await
    }

    /// `POST /sessions/{session_id}/messages`: sends a message, immediately or queued (then with
    /// an `Idempotency-Key`, generated when the body has no `idempotency_key`).
    pub async fn send_message(
        &self,
        session_id: &str,
        body_json: Option<&str>,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let url = self.rest_url(&session_path(session_id, &["messages"]))?;
        let text = body_text(body_json);
        let plan = plan_send(parse_object(Some(&text))?, &text)?;
        let auth = CallAuth::default();
        let mut call = Call::json(Method::POST, url, Some(plan.body), &auth);
        if let Some(key) = plan.idempotency_key {
            call.headers.push(("idempotency-key", key));
        }
        self.execute(call, cancel).await
    }

    /// `POST /sessions/{session_id}/cancel`: stops a running or queued session.
    pub async fn cancel_session(
        &self,
        session_id: &str,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let url = self.rest_url(&session_path(session_id, &["cancel"]))?;
        let auth = CallAuth::default();
        self.execute(
            Call::json(Method::POST, url, Some("{}".into()), &auth),
            cancel,
        )
        .await
    }

    /// `PATCH /sessions/{session_id}`: renames a session (1–256 characters after trimming).
    pub async fn rename_session(
        &self,
        session_id: &str,
        name: &str,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let url = self.rest_url(&session_path(session_id, &[]))?;
        let mut fields = serde_json::Map::new();
        fields.insert("name".into(), json!(name));
        body::check_create(&fields)?;
        let auth = CallAuth::default();
        let body = json!({ "name": name }).to_string();
        self.execute(Call::json(Method::PATCH, url, Some(body), &auth), cancel)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: &str) -> Result<String> {
        let mut url = reqwest::Url::parse("https://x.example/a").unwrap();
        add_query(&mut url, Some(q), LIST_STRING_PARAMS)?;
        Ok(url.query().unwrap_or("").to_string())
    }

    #[test]
    fn splice_keeps_the_rest_of_the_object() {
        assert_eq!(
            splice_field(r#"{"input":"x","n":2.50}"#, "session_id", &json!("s")),
            r#"{"session_id":"s","input":"x","n":2.50}"#
        );
        assert_eq!(splice_field(" { } ", "k", &json!(1)), r#"{"k":1}"#);
        let id = generated_session_id().unwrap();
        assert!(id.starts_with("sess_") && id.len() == 29, "{id}");
        assert_ne!(id, generated_session_id().unwrap());
    }

    #[test]
    fn list_filters_become_query_parameters() {
        assert_eq!(
            query(r#"{"page_size":5,"state":"completed","search":"a b&c","cursor":null}"#).unwrap(),
            "page_size=5&search=a+b%26c&state=completed"
        );
        assert_eq!(
            query(r#"{"page_size":0}"#).unwrap_err().param.as_deref(),
            Some("page_size")
        );
        assert_eq!(
            query(r#"{"state":1}"#).unwrap_err().param.as_deref(),
            Some("state")
        );
        assert_eq!(
            query(r#"{"x":[1]}"#).unwrap_err().param.as_deref(),
            Some("x")
        );
        assert_eq!(
            query("[]").unwrap_err().param.as_deref(),
            Some("query_json")
        );
    }
}
