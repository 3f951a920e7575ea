//! Error bodies: `server_error::from_response(status, bytes, retry_after_ms)` and
//! `Error::to_document()`.
//!
//! Input layout: bytes 0–1 the HTTP status (big-endian), byte 2 the `Retry-After` (0: none,
//! 255: u64::MAX ms, n: n × 250 ms), the rest the response body as received.

#![no_main]

mod common;

use common::check_error;
use gumloop::ErrorKind;
use gumloop::internal::from_response;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// A text field as the library reads it: a blank string counts as absent.
fn blank_as_none(value: Option<&Value>) -> Option<&str> {
    value
        .and_then(Value::as_str)
        .filter(|t| !t.trim().is_empty())
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let status = u16::from_be_bytes([data[0], data[1]]);
    let retry_after_ms = match data[2] {
        0 => None,
        255 => Some(u64::MAX),
        n => Some(u64::from(n) * 250),
    };
    let body = &data[3..];

    let e = from_response(status, body, retry_after_ms);
    let text = check_error(&e);
    assert_eq!(e.kind, ErrorKind::from_status(status));
    assert_eq!(e.status(), Some(status));
    assert!(
        e.param.is_none(),
        "a server error has a caller param: {e:?}"
    );

    let doc: Value = serde_json::from_str(&text).unwrap();
    let doc = &doc["error"];
    assert_eq!(doc["retry_after_ms"].as_u64(), retry_after_ms);

    // The whole body is kept: the parsed JSON, or the text when it is not JSON.
    let server = e
        .server
        .as_deref()
        .expect("a server error keeps the server's answer");
    match serde_json::from_slice::<Value>(body) {
        Ok(v) => assert_eq!(server.body, v),
        Err(_) => assert_eq!(
            server.body,
            Value::String(String::from_utf8_lossy(body).into_owned())
        ),
    }

    // The SDK's reading of the shapes (docs/API.md §6).
    if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) {
        match map.get("error") {
            Some(Value::Object(inner)) => {
                assert_eq!(server.code.as_deref(), blank_as_none(inner.get("code")));
                assert_eq!(
                    server.error_type.as_deref(),
                    blank_as_none(inner.get("type"))
                );
                if let Some(m) = inner.get("message").and_then(Value::as_str) {
                    if !m.trim().is_empty() {
                        assert_eq!(e.message, m, "nested error.message comes first");
                    }
                }
            }
            Some(code @ Value::String(_)) => {
                assert_eq!(server.code.as_deref(), blank_as_none(Some(code)));
                assert_eq!(server.error_type, None);
            }
            _ => {}
        }
        assert_eq!(
            server.trace_id.as_deref(),
            blank_as_none(map.get("trace_id"))
        );
    }
});
