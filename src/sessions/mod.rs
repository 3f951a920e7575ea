//! The session operations over REST: create, retrieve, list, send, cancel, rename (the calls and
//! their bodies as `docs/API.md` §4 describes them).

pub(crate) mod access;
pub(crate) mod approvals;
pub(crate) mod create_body;
pub(crate) mod files;
pub(crate) mod queue;
pub(crate) mod recovery;
pub(crate) mod send_body;
pub(crate) mod wait;

use crate::cancel::CancelToken;
use crate::client::{Call, CallAuth, Client};
use crate::error::{Error, Result};
use crate::http::paths::Endpoint;
use crate::http::query::add_query;
use crate::http::retry::{settle, Creates, Repeat};
use crate::json::{body_text, parse_object, splice_field};
use create_body::check_create;
use recovery::Expected;
use reqwest::{Method, Url};
use send_body::plan_send;
use serde_json::{json, Map, Value};

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
                let id = crate::random::session_id()?;
                Ok((splice_field(&text, "session_id", &json!(id)), Some(id)))
            }
            None => Ok((text, None)),
        }
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
    /// Sends a JSON request with the client's own credentials (see [`Client::execute`]).
    async fn rest(
        &self,
        method: Method,
        url: Url,
        body: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        self.execute(Call::api(method, url, body), cancel).await
    }

    /// `POST /agents/{agent_id}/sessions`: creates a session (an idle stub without `input`, a
    /// running one with it) and returns the server's JSON exactly as sent.
    ///
    /// A body with a `session_id` (given, or generated with the `auto_session_id` option) is
    /// created exactly once: after an unknown outcome the create is repeated, and when the
    /// repeat answers 409 `session_already_exists` the session is fetched and, if it is the one
    /// this call made (see [`recovery`]), returned, marked with a top-level
    /// `"_gumloop":{"recovered":true,"attempts":N}`; otherwise the call fails with `Conflict`
    /// whose details name the check that failed.
    ///
    /// `auth` holds per-call credentials (the one-shot call's); pass `CallAuth::default()` for
    /// the client's own.
    pub async fn create_session(
        &self,
        agent_id: &str,
        body_json: Option<&str>,
        auth: &CallAuth,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let per_call = auth.access_token.is_some() || auth.user_id.is_some();
        self.create_session_as(agent_id, body_json, per_call.then_some(auth), cancel)
            .await
    }

    /// `create_session`, with per-call credentials only when the call has them.
    pub(crate) async fn create_session_as(
        &self,
        agent_id: &str,
        body_json: Option<&str>,
        auth: Option<&CallAuth>,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let url = self.rest_url(Endpoint::AgentSessions(agent_id))?;
        let fields = parse_object(body_json)?;
        check_create(&fields)?;
        let (text, session_id) = self.keyed_body(&fields, body_text(body_json))?;
        let mut call = Call::with_auth(Method::POST, url, Some(text), auth);
        call.creates = Some(Creates::Session);
        if session_id.is_some() {
            call.repeat = Repeat::CreateWithSessionId;
            call.session_id.clone_from(&session_id);
        }
        let (result, attempts) = self.execute_counted(&call, cancel).await;
        let (Err(error), Some(session_id)) = (&result, session_id) else {
            return result;
        };
        if !attempts.created_by_lost_attempt(error) {
            return result;
        }
        // An earlier attempt may have reached the server; if that failed, the session may
        // exist and the error says so.
        let envelope = self
            .recover_keyed_create(
                agent_id,
                &fields,
                &session_id,
                auth,
                error,
                attempts.count,
                cancel,
            )
            .await
            .map_err(|e| settle(e, &call.facts(true)))?;
        crate::log::recovered(&session_id, attempts.count);
        Ok(splice_field(
            &envelope,
            "_gumloop",
            &json!({ "recovered": true, "attempts": attempts.count }),
        ))
    }

    /// The session `session_id` if a keyed create of `fields` for `agent_id` made it: a repeat
    /// of that create met `conflict` (409 `session_already_exists`) after `attempts` attempts,
    /// one of which may have reached the server. The session is fetched with the call's own
    /// credentials and checked ([`recovery`]); one that is not the call's is `Conflict`.
    #[allow(clippy::too_many_arguments)] // each is one fact of the create being recovered
    pub(crate) async fn recover_keyed_create(
        &self,
        agent_id: &str,
        fields: &Map<String, Value>,
        session_id: &str,
        auth: Option<&CallAuth>,
        conflict: &Error,
        attempts: u32,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let envelope = self
            .get_session_as(session_id, auth, cancel)
            .await
            .map_err(|e| Error {
                attempts: attempts + e.attempts,
                ..e
            })?;
        let own = self.user_id();
        let caller = auth.and_then(|a| a.user_id.as_deref()).or(own.as_deref());
        Expected::of(agent_id, fields, caller)
            .check(&envelope)
            .map_err(|failed| failed.into_error(conflict, session_id, attempts + 1))?;
        Ok(envelope)
    }

    /// `GET /sessions/{session_id}`: the session envelope with its transcript.
    pub async fn get_session(
        &self,
        session_id: &str,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        self.get_session_as(session_id, None, cancel).await
    }

    /// `get_session` with per-call credentials.
    async fn get_session_as(
        &self,
        session_id: &str,
        auth: Option<&CallAuth>,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let url = self.rest_url(Endpoint::Session(session_id))?;
        self.execute(Call::with_auth(Method::GET, url, None, auth), cancel)
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
        let mut url = self.rest_url(Endpoint::AgentSessions(agent_id))?;
        add_query(&mut url, query_json, LIST_STRING_PARAMS)?;
        self.rest(Method::GET, url, None, cancel).await
    }

    /// `POST /sessions/{session_id}/messages`: sends a message, immediately or queued (then with
    /// an `Idempotency-Key`, generated when the body has no `idempotency_key`).
    pub async fn send_message(
        &self,
        session_id: &str,
        body_json: Option<&str>,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let url = self.rest_url(Endpoint::SessionMessages(session_id))?;
        let text = body_text(body_json);
        let plan = plan_send(parse_object(Some(&text))?, &text)?;
        let mut call = Call::api(Method::POST, url, Some(plan.body));
        call.creates = Some(Creates::Message);
        call.session_id = Some(session_id.to_string());
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
        let url = self.rest_url(Endpoint::SessionCancel(session_id))?;
        self.rest(Method::POST, url, Some("{}".into()), cancel)
            .await
    }

    /// `PATCH /sessions/{session_id}`: renames a session (1–256 characters after trimming).
    pub async fn rename_session(
        &self,
        session_id: &str,
        name: &str,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let url = self.rest_url(Endpoint::Session(session_id))?;
        let mut fields = serde_json::Map::new();
        fields.insert("name".into(), json!(name));
        check_create(&fields)?;
        let body = json!({ "name": name }).to_string();
        self.rest(Method::PATCH, url, Some(body), cancel).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: &str) -> Result<String> {
        let mut url = Url::parse("https://x.example/a").unwrap();
        add_query(&mut url, Some(q), LIST_STRING_PARAMS)?;
        Ok(url.query().unwrap_or("").to_string())
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
