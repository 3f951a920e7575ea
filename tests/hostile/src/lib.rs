//! A hostile HTTP server owned by the tests: it listens on 127.0.0.1 on a port the system
//! chooses and answers each request with whatever its script says, byte for byte: wrong
//! `Content-Length`, endless or very many headers, slow bytes, early closes, a 413 that closes
//! while the client is still sending, event streams that ignore the resume cursor, odd
//! `Retry-After` values, redirects. It can also stand in for a proxy (it records the request
//! line as sent, absolute form included).
//!
//! Everything is bounded in time: each connection waits at most [`IO_TIMEOUT`] for the client,
//! a [`Step::Hold`] at most [`MAX_HOLD`], and dropping the server stops it.

#![warn(missing_docs)]

mod script;
mod server;

pub use script::{header_flood, redirect_back, response, short_answer, sse_event, sse_head, Step};
pub use server::{HostileServer, Request};

/// Longest wait for the client to send, or to take, one piece of data.
pub const IO_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// Longest [`Step::Hold`].
pub const MAX_HOLD: std::time::Duration = std::time::Duration::from_secs(30);
/// Largest request head the server reads.
pub const MAX_HEAD_BYTES: usize = 1 << 20;
/// Largest request body the server reads for [`Step::ReadBody`].
pub const MAX_BODY_BYTES: usize = 64 << 20;

/// The named scenarios the `gumloop-hostile` binary serves (for tests in other languages).
pub fn scenario(name: &str) -> Option<fn(&Request) -> Vec<Step>> {
    match name {
        // The answer a server gives to an upload it will not take: 413 as soon as the head is
        // read, then the connection is closed with the body unread (the client's next write
        // fails with EPIPE, a reset, or both).
        "reject-upload" => Some(|_| {
            vec![
                Step::Write(response(
                    413,
                    &[],
                    r#"{"error":{"code":"payload_too_large","message":"request body too large"}}"#,
                )),
                Step::ShutdownWrite,
                Step::Pause(std::time::Duration::from_millis(200)),
                Step::Close,
            ]
        }),
        // An error that repeats the request's headers (credentials included) as they came,
        // percent-encoded, and with `+` for each space, in the message, the details and a
        // non-JSON body: the library must pass none of them on.
        "echo-headers" => {
            Some(|request: &Request| vec![Step::ReadBody, Step::Write(echo_headers(request))])
        }
        _ => None,
    }
}

/// Percent-encodes every byte of `text` that is not unreserved (RFC 3986).
pub fn percent_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A 400 whose JSON error body repeats every header of `request` in three spellings.
pub fn echo_headers(request: &Request) -> Vec<u8> {
    let plain: Vec<String> = request
        .headers
        .iter()
        .map(|(n, v)| format!("{n}: {v}"))
        .collect();
    let plain = plain.join("; ");
    let body = serde_json::json!({"error": {
        "code": "bad_request",
        "message": format!("rejected request with headers {plain}"),
        "type": "invalid_request_error",
        "param": null,
        "details": {
            "encoded": percent_encoded(&plain),
            "plus": plain.replace(' ', "+"),
            "target": request.target,
        },
    }});
    response(400, &[], &body.to_string())
}
