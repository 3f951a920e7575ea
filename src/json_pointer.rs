//! Reading one value out of a JSON text by a JSON Pointer (RFC 6901), for callers that have no
//! JSON library of their own (the C accessors `gumloop_json_get_*`).

use crate::error::{Error, ErrorKind, Result};
use serde_json::Value;

/// The value at `pointer` in the JSON text `json`.
///
/// `pointer` is `""` (the whole document) or a sequence of `/`-prefixed reference tokens, in
/// which `~1` stands for `/` and `~0` for `~`; an array index is a decimal number without
/// leading zeros. A text that is not JSON is a `GUMLOOP_ERR_INVALID_JSON` error naming `json`; a
/// malformed pointer a `GUMLOOP_ERR_INVALID_ARGUMENT` naming `pointer`; a pointer that names no
/// value a `GUMLOOP_ERR_NO_VALUE` error.
pub fn lookup(json: &str, pointer: &str) -> Result<Value> {
    let tokens = parse_pointer(pointer)?;
    let mut document: Value = serde_json::from_str(json).map_err(|e| {
        Error::about(
            ErrorKind::InvalidJson,
            "json",
            format!("the text is not valid JSON: {e}"),
        )
    })?;
    let mut here = &mut document;
    for token in &tokens {
        here = match here {
            Value::Object(map) => map.get_mut(token.as_str()),
            Value::Array(items) => array_index(token).and_then(|i| items.get_mut(i)),
            _ => None,
        }
        .ok_or_else(|| no_value(pointer, "names no value"))?;
    }
    Ok(here.take())
}

/// The reference tokens of `pointer`, unescaped.
fn parse_pointer(pointer: &str) -> Result<Vec<String>> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(Error::invalid_argument(
            "pointer",
            "a JSON Pointer is empty or starts with `/` (for example \"/session/id\")",
        ));
    };
    rest.split('/').map(unescape).collect()
}

/// One reference token with `~1` and `~0` decoded; any other `~` is an error.
fn unescape(token: &str) -> Result<String> {
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars();
    while let Some(c) = chars.next() {
        if c != '~' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('0') => out.push('~'),
            Some('1') => out.push('/'),
            _ => {
                return Err(Error::invalid_argument(
                    "pointer",
                    "in a JSON Pointer `~` must be followed by `0` (for `~`) or `1` (for `/`)",
                ))
            }
        }
    }
    Ok(out)
}

/// The array index a token names: decimal digits, no leading zero (RFC 6901 §4).
fn array_index(token: &str) -> Option<usize> {
    let digits_only = !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit());
    let canonical = token == "0" || !token.starts_with('0');
    if digits_only && canonical {
        token.parse().ok()
    } else {
        None
    }
}

/// The error for a pointer that names no value of the asked type.
pub fn no_value(pointer: &str, what: &str) -> Error {
    Error::about(
        ErrorKind::NoValue,
        "pointer",
        format!("the JSON Pointer {pointer:?} {what}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const DOC: &str = r#"{"session":{"id":"sess_1","creator":{"id":"user_1"},"n":2.5,
        "ok":true,"none":null,"list":["a","b"]},"a/b":1,"m~n":2,"":3}"#;

    #[test]
    fn pointers_follow_rfc_6901() {
        assert_eq!(lookup(DOC, "/session/id").unwrap(), json!("sess_1"));
        assert_eq!(lookup(DOC, "/session/creator/id").unwrap(), json!("user_1"));
        assert_eq!(lookup(DOC, "/session/list/1").unwrap(), json!("b"));
        assert_eq!(lookup(DOC, "/a~1b").unwrap(), json!(1));
        assert_eq!(lookup(DOC, "/m~0n").unwrap(), json!(2));
        assert_eq!(lookup(DOC, "/").unwrap(), json!(3));
        assert_eq!(lookup(DOC, "/session/none").unwrap(), Value::Null);
        assert!(lookup(DOC, "").unwrap().is_object());
    }

    #[test]
    fn absent_values_and_bad_input_are_told_apart() {
        for absent in [
            "/session/missing",
            "/session/list/2",
            "/session/list/01",
            "/session/id/x",
        ] {
            assert_eq!(
                lookup(DOC, absent).unwrap_err().kind,
                ErrorKind::NoValue,
                "{absent}"
            );
        }
        let bad_pointer = lookup(DOC, "session").unwrap_err();
        assert_eq!(bad_pointer.kind, ErrorKind::InvalidArgument);
        assert_eq!(bad_pointer.param.as_deref(), Some("pointer"));
        assert_eq!(
            lookup(DOC, "/a~2").unwrap_err().kind,
            ErrorKind::InvalidArgument
        );
        let not_json = lookup("{\"a\":", "/a").unwrap_err();
        assert_eq!(not_json.kind, ErrorKind::InvalidJson);
        assert_eq!(not_json.param.as_deref(), Some("json"));
    }

    #[test]
    fn deep_documents_are_refused_without_a_crash() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert_eq!(
            lookup(&deep, "/0").unwrap_err().kind,
            ErrorKind::InvalidJson
        );
    }
}
