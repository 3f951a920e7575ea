//! Checks every fuzz target applies to the errors it sees.

use gumloop::{Error, ErrorKind};
use serde_json::Value;

/// Kinds 1–99 are caller errors: nothing was sent, and each names the argument it is about.
pub fn is_caller_error(kind: ErrorKind) -> bool {
    (1..100).contains(&kind.code())
}

/// What must hold for every error the library returns:
/// - the message says something (not empty, not only blanks);
/// - a caller error names a `param` (each target checks which names are right);
/// - the error document serializes to JSON text that parses back, its `error.kind` is the kind's
///   `GUMLOOP_ERR_` name, and its `gumloop_code`, `message`, `status` and `retryable` agree with
///   the error.
///
/// Returns the document's JSON text, for the callers' own checks (e.g. that a secret is absent).
pub fn check_error(e: &Error) -> String {
    assert!(
        !e.message.trim().is_empty(),
        "an error has an empty message: {e:?}"
    );
    if is_caller_error(e.kind) {
        assert!(e.param.is_some(), "a caller error names no param: {e:?}");
    }
    let doc = e.to_document();
    let text = serde_json::to_string(&doc).expect("an error document serializes");
    let back: Value = serde_json::from_str(&text).expect("an error document is valid JSON");
    let inner = back
        .get("error")
        .and_then(Value::as_object)
        .expect("the document has an `error` object");
    let kind = inner
        .get("kind")
        .and_then(Value::as_str)
        .expect("error.kind is a string");
    assert!(kind.starts_with("GUMLOOP_ERR_"), "error.kind is {kind:?}");
    assert_eq!(kind, e.kind.name());
    assert_eq!(
        inner.get("gumloop_code").and_then(Value::as_u64),
        Some(u64::from(e.kind.code()))
    );
    assert_eq!(
        inner.get("message").and_then(Value::as_str),
        Some(e.message.as_str())
    );
    assert_eq!(
        inner.get("status").and_then(Value::as_u64),
        e.status().map(u64::from)
    );
    assert_eq!(
        inner.get("retryable").and_then(Value::as_bool),
        Some(e.retryable())
    );
    if let Some(param) = &e.param {
        assert_eq!(
            inner.get("param").and_then(Value::as_str),
            Some(param.as_str())
        );
    }
    text
}
