//! Request bodies: `body::parse_object` + `body::check_create` (create, and rename's check), and
//! `send_body::plan_send` / `send_body::check_stream_send` (send, REST and streaming).
//!
//! The input is the body text a C caller passes (valid UTF-8: the C boundary refuses the rest).
//! Each accepted body must satisfy the API's rules (docs/API.md §4.1, §4.4), checked here from the
//! spec rather than from the library's code, and must be sent as valid JSON.

#![no_main]

mod common;

use common::check_error;
use gumloop::internal::{check_create, parse_object};
use gumloop::internal::{check_stream_send, plan_send};
use gumloop::ErrorKind;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

/// The body text the library sends for `text`, as `sessions::body_text` builds it.
/// The params a refused body may name: the body itself or one of its known fields.
const BODY_PARAMS: &[&str] = &[
    "body_json",
    "input",
    "message",
    "session_id",
    "name",
    "metadata",
    "incognito",
    "stream",
    "attachments",
    "approval_responses",
    "delivery",
    "idempotency_key",
];

/// Checks a refused body's error.
fn refused(e: &gumloop::Error) {
    check_error(e);
    let param = e.param.as_deref().unwrap_or_default();
    assert!(
        BODY_PARAMS.contains(&param),
        "refused with param {param:?}: {e:?}"
    );
}

fn sent_text(text: &str) -> String {
    match text.trim() {
        "" => "{}".to_string(),
        t => t.to_string(),
    }
}

fn parse_sent(text: &str) -> Map<String, Value> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => map,
        other => panic!("the body the library sends is not a JSON object: {other:?} from {text:?}"),
    }
}

fn is_text_field(v: Option<&Value>) -> bool {
    matches!(v, None | Some(Value::String(_) | Value::Array(_)))
}

/// Create (REST): what `check_create` accepting a body promises.
fn check_accepted_create(map: &Map<String, Value>) {
    assert!(is_text_field(map.get("input")));
    assert!(is_text_field(map.get("message")));
    match map.get("session_id") {
        None => {}
        Some(Value::String(s)) => assert!(!s.is_empty()),
        Some(v) => panic!("accepted session_id {v:?}"),
    }
    match map.get("name") {
        None => {}
        Some(Value::String(s)) => {
            let n = s.trim().chars().count();
            assert!((1..=256).contains(&n), "accepted a name of {n} characters");
        }
        Some(v) => panic!("accepted name {v:?}"),
    }
    assert!(matches!(map.get("metadata"), None | Some(Value::Object(_))));
    assert!(matches!(map.get("incognito"), None | Some(Value::Bool(_))));
    assert!(matches!(map.get("stream"), None | Some(Value::Bool(false))));
}

fn check_attachments(map: &Map<String, Value>) {
    match map.get("attachments") {
        None => {}
        Some(Value::Array(items)) => {
            assert!(items.len() <= 10, "accepted {} attachments", items.len());
            for a in items {
                assert!(a.get("file_name").is_some_and(Value::is_string), "{a:?}");
                assert!(matches!(
                    a.get("media_type"),
                    None | Some(Value::String(_) | Value::Null)
                ));
            }
        }
        Some(v) => panic!("accepted attachments {v:?}"),
    }
}

fn is_immediate(delivery: Option<&Value>) -> bool {
    match delivery {
        None => true,
        Some(Value::String(d)) => d == "immediate",
        Some(_) => false,
    }
}

fn printable_key(k: &str) -> bool {
    (1..=256).contains(&k.len()) && k.bytes().all(|b| (b'!'..=b'~').contains(&b))
}

fn create(text: &str) {
    let map = match parse_object(Some(text)) {
        Ok(map) => map,
        Err(e) => {
            refused(&e);
            assert!(matches!(
                e.kind,
                ErrorKind::InvalidJson | ErrorKind::InvalidArgument
            ));
            assert_eq!(e.param.as_deref(), Some("body_json"));
            return;
        }
    };
    match check_create(&map) {
        Ok(()) => {
            check_accepted_create(&map);
            // The bytes sent are the caller's (trimmed): they must parse to the checked fields.
            let sent = sent_text(text);
            assert_eq!(
                parse_sent(&sent),
                map,
                "the sent body differs from the checked one"
            );
            // The accepted fields, written out and read again, are accepted again.
            let again = Value::Object(map.clone()).to_string();
            let reparsed = parse_object(Some(&again)).expect("an accepted body re-parses");
            assert_eq!(reparsed, map);
            check_create(&reparsed).expect("an accepted body, re-parsed, is accepted");
        }
        Err(e) => {
            refused(&e);
            assert!(matches!(
                e.kind,
                ErrorKind::InvalidArgument | ErrorKind::UseStreamingCall
            ));
        }
    }
}

/// Streaming create and streaming send, as `src/stream/mod.rs` prepares them: `stream` must be true or
/// absent, is removed, then the rest is checked.
fn streaming(text: &str) {
    let Ok(mut fields) = parse_object(Some(text)) else {
        return;
    };
    if !matches!(fields.get("stream"), None | Some(Value::Bool(true))) {
        return;
    }
    fields.remove("stream");
    if let Err(e) = check_create(&fields) {
        refused(&e);
        assert_eq!(
            e.kind,
            ErrorKind::InvalidArgument,
            "streaming create: {e:?}"
        );
    }
    match check_stream_send(&fields) {
        Ok(()) => {
            assert!(is_text_field(fields.get("input")));
            assert!(is_text_field(fields.get("message")));
            match fields.get("approval_responses") {
                None => assert!(fields.contains_key("input") || fields.contains_key("message")),
                Some(Value::Array(items)) => assert!(!items.is_empty()),
                Some(v) => panic!("accepted approval_responses {v:?}"),
            }
            check_attachments(&fields);
            assert!(is_immediate(fields.get("delivery")));
            assert!(!fields.contains_key("idempotency_key"));
        }
        Err(e) => {
            refused(&e);
            assert_eq!(e.kind, ErrorKind::InvalidArgument);
        }
    }
}

/// Send (REST), as `sessions::send_message` calls it: the trimmed text, parsed.
fn send(text: &str) {
    let text = sent_text(text);
    let map = match parse_object(Some(&text)) {
        Ok(map) => map,
        Err(e) => {
            refused(&e);
            return;
        }
    };
    let plan = match plan_send(map.clone(), &text) {
        Ok(plan) => plan,
        Err(e) => {
            refused(&e);
            assert!(matches!(
                e.kind,
                ErrorKind::InvalidArgument | ErrorKind::UseStreamingCall
            ));
            return;
        }
    };
    assert!(map.contains_key("input") || map.contains_key("message"));
    assert!(is_text_field(map.get("input")));
    assert!(is_text_field(map.get("message")));
    assert!(matches!(map.get("stream"), None | Some(Value::Bool(false))));
    assert!(!map.contains_key("approval_responses"));
    check_attachments(&map);
    let sent = parse_sent(&plan.body);
    match plan.idempotency_key {
        None => {
            // Immediate delivery: the caller's bytes, unchanged.
            assert_eq!(plan.body, text);
            assert!(is_immediate(map.get("delivery")));
            assert!(!map.contains_key("idempotency_key"));
        }
        Some(key) => {
            // Queued delivery (docs/API.md §4.4): key in a header, text only, nothing else.
            assert!(printable_key(&key), "idempotency key {key:?}");
            assert_eq!(map.get("delivery").and_then(Value::as_str), Some("queued"));
            if let Some(given) = map.get("idempotency_key") {
                assert_eq!(given.as_str(), Some(key.as_str()));
            }
            assert!(
                !sent.contains_key("idempotency_key"),
                "the key stays in the body"
            );
            assert!(!sent.contains_key("attachments"));
            assert!(!sent.contains_key("approval_responses"));
            assert!(matches!(
                sent.get("stream"),
                None | Some(Value::Bool(false))
            ));
            let text_key = if map.contains_key("input") {
                "input"
            } else {
                "message"
            };
            match sent.get(text_key) {
                Some(Value::String(s)) => assert!(!s.trim().is_empty()),
                v => panic!("queued `{text_key}` is sent as {v:?}"),
            }
            // Text only: the alias, when given too, must not carry non-text content either.
            for alias in ["input", "message"] {
                if let Some(v) = sent.get(alias) {
                    assert!(
                        v.is_string(),
                        "queued delivery sends a non-text `{alias}`: {v}"
                    );
                }
            }
            // Every other field goes through unchanged.
            for (k, v) in &map {
                if k != "idempotency_key" && k != text_key {
                    assert_eq!(sent.get(k), Some(v), "field `{k}` changed");
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    create(text);
    streaming(text);
    send(text);
});
