//! JSON bodies as text: parsed to be checked, and sent as the caller wrote them, with at most a
//! field added at the front.

use crate::error::{Error, ErrorKind, Result};
use serde_json::{json, Map, Value};

/// Parses a JSON body that must be an object (NULL or empty text means `{}`).
pub fn parse_object(body_json: Option<&str>) -> Result<Map<String, Value>> {
    let text = match body_json.map(str::trim) {
        None | Some("") => return Ok(Map::new()),
        Some(text) => text,
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Error::invalid_argument(
            "body_json",
            "the body must be a JSON object",
        )),
        Err(e) => Err(Error::about(
            ErrorKind::InvalidJson,
            "body_json",
            format!("the body is not valid JSON: {e}"),
        )),
    }
}

/// Parses `text`, the argument `param`, as a JSON object whose keys are all in `keys`; an
/// unknown key is refused by name.
pub(crate) fn known_object(text: &str, param: &str, keys: &[&str]) -> Result<Map<String, Value>> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        Error::about(
            ErrorKind::InvalidJson,
            param,
            format!("`{param}` is not valid JSON: {e}"),
        )
    })?;
    let Value::Object(map) = value else {
        return Err(Error::invalid_argument(
            param,
            format!("`{param}` must be a JSON object"),
        ));
    };
    if let Some(unknown) = map.keys().find(|k| !keys.contains(&k.as_str())) {
        return Err(Error::invalid_argument(
            unknown,
            format!(
                "unknown key `{unknown}` in `{param}`; known: {}",
                keys.join(", ")
            ),
        ));
    }
    Ok(map)
}

/// The body text to send: the caller's text unchanged, or `{}` when none was given.
pub(crate) fn body_text(body_json: Option<&str>) -> String {
    match body_json.map(str::trim) {
        None | Some("") => "{}".to_string(),
        Some(text) => text.to_string(),
    }
}

/// Adds `"key": value` at the front of the JSON object `object_text`, leaving the rest of its
/// bytes as they were. `object_text` must be a JSON object without `key` (empty text counts as
/// `{}`).
pub(crate) fn splice_field(object_text: &str, key: &str, value: &Value) -> String {
    let inner = object_text.trim().strip_prefix('{').unwrap_or("}");
    let field = format!("{}:{}", json!(key), value);
    if inner.trim_start().starts_with('}') {
        format!("{{{field}}}")
    } else {
        format!("{{{field},{inner}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splice_keeps_the_rest_of_the_object() {
        assert_eq!(
            splice_field(r#"{"input":"x","n":2.50}"#, "session_id", &json!("s")),
            r#"{"session_id":"s","input":"x","n":2.50}"#
        );
        assert_eq!(splice_field(" { } ", "k", &json!(1)), r#"{"k":1}"#);
        assert_eq!(splice_field("", "k", &json!(true)), r#"{"k":true}"#);
    }

    #[test]
    fn non_objects_and_bad_json_are_refused() {
        assert_eq!(
            parse_object(Some("[]")).unwrap_err().kind,
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            parse_object(Some("{")).unwrap_err().kind,
            ErrorKind::InvalidJson
        );
        assert!(parse_object(Some("  ")).unwrap().is_empty());
        assert_eq!(body_text(None), "{}");
        assert_eq!(body_text(Some(" {\"a\":1} ")), "{\"a\":1}");
    }
}
