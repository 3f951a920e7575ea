//! Request bodies: the fields the library knows are type-checked, the rest passes through
//! untouched, and the caller's bytes are sent exactly as given.

use crate::error::{Error, ErrorKind, Result};
use serde_json::{Map, Value};

/// Longest session name, in characters, after trimming.
pub(crate) const MAX_NAME_CHARS: usize = 256;

/// Checks the body of a create-session call that does not stream.
///
/// Known fields are type-checked: `input`/`message` (string or array), `session_id` (non-empty
/// string), `name` (1–256 characters after trimming), `metadata` (object), `incognito` (bool),
/// `stream` (bool, and not `true` here: streaming needs the streaming call).
pub fn check_create(body: &Map<String, Value>) -> Result<()> {
    for key in ["input", "message"] {
        match body.get(key) {
            None | Some(Value::String(_) | Value::Array(_)) => {}
            Some(_) => {
                return Err(Error::invalid_argument(
                    key,
                    format!("`{key}` must be a string or an array of content parts"),
                ))
            }
        }
    }
    match body.get("session_id") {
        None => {}
        Some(Value::String(s)) if !s.is_empty() => {}
        Some(_) => {
            return Err(Error::invalid_argument(
                "session_id",
                "`session_id` must be a non-empty string",
            ))
        }
    }
    match body.get("name") {
        None => {}
        Some(Value::String(s)) => {
            let chars = s.trim().chars().count();
            if chars == 0 || chars > MAX_NAME_CHARS {
                return Err(Error::invalid_argument(
                    "name",
                    format!(
                        "`name` must be 1 to {MAX_NAME_CHARS} characters after trimming (it has {chars})"
                    ),
                ));
            }
        }
        Some(_) => return Err(Error::invalid_argument("name", "`name` must be a string")),
    }
    match body.get("metadata") {
        None | Some(Value::Object(_)) => {}
        Some(_) => {
            return Err(Error::invalid_argument(
                "metadata",
                "`metadata` must be a JSON object",
            ))
        }
    }
    match body.get("incognito") {
        None | Some(Value::Bool(_)) => {}
        Some(_) => {
            return Err(Error::invalid_argument(
                "incognito",
                "`incognito` must be true or false",
            ))
        }
    }
    match body.get("stream") {
        None | Some(Value::Bool(false)) => Ok(()),
        Some(Value::Bool(true)) => Err(Error::about(
            ErrorKind::UseStreamingCall,
            "stream",
            "`stream: true` asks for an event stream, which this call does not read; \
             use the streaming create call instead, or drop `stream`",
        )),
        Some(_) => Err(Error::invalid_argument(
            "stream",
            "`stream` must be true or false",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse_object;

    fn check(text: &str) -> Result<()> {
        check_create(&parse_object(Some(text))?)
    }

    #[test]
    fn accepts_known_fields_and_passes_unknown_ones() {
        assert!(check(r#"{"input":"hi","session_id":"s1","name":"  n  ","metadata":{"a":1},"incognito":false,"future_field":[1,2]}"#).is_ok());
        assert!(check(r#"{"message":[{"type":"text","text":"hi"}],"stream":false}"#).is_ok());
        assert!(check_create(&parse_object(None).unwrap()).is_ok());
    }

    #[test]
    fn names_the_bad_field() {
        for (body, param) in [
            (r#"{"input":5}"#, "input"),
            (r#"{"message":{}}"#, "message"),
            (r#"{"session_id":""}"#, "session_id"),
            (r#"{"name":"   "}"#, "name"),
            (r#"{"metadata":[]}"#, "metadata"),
            (r#"{"incognito":"yes"}"#, "incognito"),
            (r#"{"stream":1}"#, "stream"),
        ] {
            let e = check(body).unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidArgument, "{body}");
            assert_eq!(e.param.as_deref(), Some(param), "{body}");
        }
    }

    #[test]
    fn name_length_counts_characters_after_trimming() {
        let ok = format!(r#"{{"name":" {} "}}"#, "é".repeat(256));
        assert!(check(&ok).is_ok());
        let long = format!(r#"{{"name":"{}"}}"#, "a".repeat(257));
        assert_eq!(check(&long).unwrap_err().param.as_deref(), Some("name"));
    }

    #[test]
    fn stream_true_points_to_the_streaming_call() {
        let e = check(r#"{"stream":true}"#).unwrap_err();
        assert_eq!(e.kind, ErrorKind::UseStreamingCall);
    }

    #[test]
    fn non_objects_and_bad_json_are_refused() {
        assert_eq!(check("[]").unwrap_err().kind, ErrorKind::InvalidArgument);
        assert_eq!(check("\"x\"").unwrap_err().kind, ErrorKind::InvalidArgument);
        assert_eq!(check("{").unwrap_err().kind, ErrorKind::InvalidJson);
        let deep = "[".repeat(100_000);
        assert_eq!(check(&deep).unwrap_err().kind, ErrorKind::InvalidJson);
    }
}
