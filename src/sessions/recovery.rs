//! Recovering a keyed create: is the session found under the caller's `session_id` the one this
//! call created?
//!
//! A create with a `session_id` whose answer was lost is repeated; when the repeat meets 409
//! `session_already_exists`, the session is fetched. It may be this call's (an earlier attempt
//! made it) or another caller's that already had the ID (the earlier attempt never arrived).
//! The fetched session is checked against what the call sent, as far as the answer allows:
//!
//! 1. `agent`: its `agent_id` is the agent asked for (not checked for the aliases `gumball` and
//!    `analytics`, which the server resolves per caller);
//! 2. `creator`: its `creator.id` is the caller, when the library knows the caller (a `user_id`
//!    given to the client or the call) and the answer names a creator;
//! 3. `input`: its first user message is the text input sent (`input`, else `message`), and a
//!    create without input has no user message; not checked for input given as content parts,
//!    for an `incognito` create (nothing is saved), or when the answer has no `messages`;
//! 4. `name`: its `name` is the name sent, trimmed as the server trims it, when one was sent.
//!
//! The first check that fails makes the call fail with `Conflict`, whose `details` are
//! `{"session_id", "failed_check", "reason"}` (no content of the other session is copied).

use crate::error::{Error, ErrorKind};
use serde_json::{json, Map, Value};

/// Agent IDs that the server resolves per caller, so a session's `agent_id` differs from them.
const ALIAS_AGENTS: &[&str] = &["gumball", "analytics"];

/// What the session made by a create must look like.
pub(crate) struct Expected<'a> {
    agent_id: &'a str,
    creator: Option<&'a str>,
    /// `Some(None)`: no input was sent; `None`: the input is not checked.
    input: Option<Option<&'a str>>,
    name: Option<&'a str>,
}

/// A check that failed: its name and why.
pub(crate) struct Failed {
    check: &'static str,
    reason: String,
}

impl<'a> Expected<'a> {
    /// What the create of `fields` for `agent_id`, made by `caller` (when known), must have made.
    pub fn of(agent_id: &'a str, fields: &'a Map<String, Value>, caller: Option<&'a str>) -> Self {
        let text = |key: &str| fields.get(key).filter(|v| !v.is_null());
        let incognito = fields.get("incognito").and_then(Value::as_bool) == Some(true);
        let input = match text("input").or_else(|| text("message")) {
            _ if incognito => None,
            None => Some(None),
            Some(Value::String(s)) => Some(Some(s.as_str())),
            Some(_) => None,
        };
        Expected {
            agent_id,
            creator: caller,
            input,
            name: fields.get("name").and_then(Value::as_str).map(str::trim),
        }
    }

    /// Checks the envelope `{"session": …}` the recovering GET returned.
    pub fn check(&self, envelope: &str) -> Result<(), Failed> {
        let value: Value = serde_json::from_str(envelope).unwrap_or(Value::Null);
        let session = &value["session"];
        let fail = |check: &'static str, reason: String| Err(Failed { check, reason });
        if !ALIAS_AGENTS.contains(&self.agent_id) {
            match session["agent_id"].as_str() {
                Some(agent) if agent == self.agent_id => {}
                Some(agent) => {
                    return fail(
                        "agent",
                        format!("it belongs to agent `{agent}`, not `{}`", self.agent_id),
                    )
                }
                None => return fail("agent", "the answer names no agent_id".into()),
            }
        }
        if let (Some(caller), Some(creator)) = (self.creator, session["creator"]["id"].as_str()) {
            if creator != caller {
                return fail(
                    "creator",
                    format!("its creator is not the caller (`{caller}`)"),
                );
            }
        }
        if let (Some(sent), Some(messages)) = (self.input, session["messages"].as_array()) {
            let first = messages.iter().find(|m| m["role"] == "user");
            match (sent, first) {
                (None, Some(_)) => {
                    return fail(
                        "input",
                        "it has a user message, and this create sent no input".into(),
                    )
                }
                (Some(_), None) => {
                    return fail(
                        "input",
                        "it has no user message, and this create sent an input".into(),
                    )
                }
                (Some(text), Some(message)) if !says(message, text) => {
                    return fail(
                        "input",
                        "its first user message is not the input this create sent".into(),
                    )
                }
                _ => {}
            }
        }
        if let (Some(name), Some(found)) = (self.name, session.get("name")) {
            if found.as_str() != Some(name) {
                return fail("name", "its name is not the name this create sent".into());
            }
        }
        Ok(())
    }
}

/// Whether `message` carries `text`: as its `content`, or as the text of one of its `parts`.
fn says(message: &Value, text: &str) -> bool {
    if message["content"].as_str() == Some(text) {
        return true;
    }
    message["parts"]
        .as_array()
        .is_some_and(|parts| parts.iter().any(|p| p["text"].as_str() == Some(text)))
}

impl Failed {
    /// The `Conflict` error of a create whose `session_id` belongs to a session it did not
    /// make, keeping what the server said in its 409 (`conflict`).
    pub fn into_error(self, conflict: &Error, session_id: &str, attempts: u32) -> Error {
        Error {
            kind: ErrorKind::Conflict,
            message: format!(
                "session_id `{session_id}` belongs to a session this call did not create: {} \
                 (check `{}`); choose another session_id",
                self.reason, self.check
            ),
            attempts,
            ..conflict.clone()
        }
        .with_details(json!({
            "session_id": session_id,
            "failed_check": self.check,
            "reason": self.reason,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(session: Value) -> String {
        json!({ "session": session }).to_string()
    }

    fn fields(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    fn failed(expected: &Expected<'_>, session: Value) -> Option<&'static str> {
        expected.check(&envelope(session)).err().map(|f| f.check)
    }

    #[test]
    fn each_check_names_itself() {
        let sent = fields(json!({"input": "hello", "name": " Mine "}));
        let ours = Expected::of("agent_a", &sent, Some("user_a"));
        let good = json!({
            "agent_id": "agent_a", "name": "Mine", "creator": {"id": "user_a"},
            "messages": [{"role": "user", "content": "hello"}, {"role": "assistant"}],
        });
        assert_eq!(failed(&ours, good.clone()), None);
        let with = |key: &str, value: Value| {
            let mut s = good.clone();
            s[key] = value;
            s
        };
        assert_eq!(
            failed(&ours, with("agent_id", json!("agent_b"))),
            Some("agent")
        );
        assert_eq!(
            failed(&ours, with("creator", json!({"id": "user_b"}))),
            Some("creator")
        );
        assert_eq!(
            failed(
                &ours,
                with("messages", json!([{"role": "user", "content": "other"}]))
            ),
            Some("input")
        );
        assert_eq!(failed(&ours, with("messages", json!([]))), Some("input"));
        assert_eq!(failed(&ours, with("name", json!("Theirs"))), Some("name"));
        assert_eq!(failed(&ours, with("name", Value::Null)), Some("name"));
    }

    #[test]
    fn what_cannot_be_checked_passes() {
        let sent = fields(json!({"input": [{"type": "text", "text": "x"}]}));
        let unknown_caller = Expected::of("gumball", &sent, None);
        let session = json!({"agent_id": "agent_z", "creator": {"id": "anyone"},
                             "messages": [{"role": "user", "content": "y"}]});
        assert_eq!(failed(&unknown_caller, session), None);
        let incognito = fields(json!({"input": "x", "incognito": true}));
        let e = Expected::of("a", &incognito, Some("u"));
        assert_eq!(failed(&e, json!({"agent_id": "a", "messages": []})), None);
        // No input sent: a user message in the session is someone else's.
        let stub = fields(json!({}));
        let e = Expected::of("a", &stub, Some("u"));
        assert_eq!(failed(&e, json!({"agent_id": "a", "messages": []})), None);
        assert_eq!(
            failed(
                &e,
                json!({"agent_id": "a", "messages": [{"role": "user", "content": "q"}]})
            ),
            Some("input")
        );
        // The text may sit in the parts.
        let alias = fields(json!({"message": "m"}));
        let e = Expected::of("a", &alias, None);
        let parts =
            json!([{"role": "user", "content": null, "parts": [{"type": "text", "text": "m"}]}]);
        assert_eq!(
            failed(&e, json!({"agent_id": "a", "messages": parts})),
            None
        );
    }
}
