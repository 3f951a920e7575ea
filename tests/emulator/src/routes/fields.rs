//! Reading and validating JSON request bodies.

use serde_json::{Map, Value};

use crate::errors::ApiError;

/// The body as a JSON object; an empty body counts as `{}`.
pub fn parse_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::invalid(
            "body",
            "The request body must be a JSON object",
        )),
        Err(e) => Err(ApiError::new(
            400,
            "invalid_request",
            format!("The request body is not valid JSON: {e}"),
        )),
    }
}

/// An optional string field (`null` counts as absent).
pub fn opt_str<'a>(m: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, ApiError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::invalid(key, format!("`{key}` must be a string"))),
    }
}

/// An optional boolean field.
pub fn opt_bool(m: &Map<String, Value>, key: &str) -> Result<Option<bool>, ApiError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(ApiError::invalid(key, format!("`{key}` must be a boolean"))),
    }
}

/// An optional object field.
pub fn opt_object<'a>(
    m: &'a Map<String, Value>,
    key: &str,
) -> Result<Option<&'a Map<String, Value>>, ApiError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(_) => Err(ApiError::invalid(key, format!("`{key}` must be an object"))),
    }
}

/// An optional array field.
pub fn opt_array<'a>(
    m: &'a Map<String, Value>,
    key: &str,
) -> Result<Option<&'a [Value]>, ApiError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(a)) => Ok(Some(a)),
        Some(_) => Err(ApiError::invalid(key, format!("`{key}` must be an array"))),
    }
}

/// `input` (or its alias `message`): a non-empty string, or a list of text parts
/// (strings or `{type: "text"|"input_text", text}`) joined with newlines.
pub fn input_field(m: &Map<String, Value>) -> Result<Option<String>, ApiError> {
    for key in ["input", "message"] {
        let text = match m.get(key) {
            None | Some(Value::Null) => continue,
            Some(Value::String(s)) => s.clone(),
            Some(Value::Array(parts)) => {
                let mut texts = Vec::with_capacity(parts.len());
                for part in parts {
                    let text = match part {
                        Value::String(s) => Some(s.as_str()),
                        Value::Object(o) => match o.get("type").and_then(Value::as_str) {
                            Some("text") | Some("input_text") => {
                                o.get("text").and_then(Value::as_str)
                            }
                            _ => None,
                        },
                        _ => None,
                    };
                    let Some(text) = text else {
                        return Err(ApiError::invalid(
                            key,
                            format!("`{key}` parts must be strings or text parts"),
                        ));
                    };
                    texts.push(text);
                }
                texts.join("\n")
            }
            Some(_) => {
                return Err(ApiError::invalid(
                    key,
                    format!("`{key}` must be a string or a list of text parts"),
                ))
            }
        };
        if text.trim().is_empty() {
            return Err(ApiError::invalid(key, format!("`{key}` must not be empty")));
        }
        return Ok(Some(text));
    }
    Ok(None)
}

/// A session name: trimmed, then 1 to 256 characters.
pub fn valid_name(name: &str) -> Result<String, ApiError> {
    let trimmed = name.trim();
    let len = trimmed.chars().count();
    if len == 0 {
        return Err(ApiError::invalid("name", "`name` must not be empty"));
    }
    if len > 256 {
        return Err(ApiError::invalid(
            "name",
            "`name` must be at most 256 characters",
        ));
    }
    Ok(trimmed.to_string())
}
