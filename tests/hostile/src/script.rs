//! What the server does on a connection, step by step, and helpers that build common answers.

use std::time::Duration;

/// One step of a connection's script. After the last step the connection is closed.
#[derive(Clone, Debug)]
pub enum Step {
    /// Reads the request body (its `Content-Length`, up to [`crate::MAX_BODY_BYTES`]); by
    /// default the body is left unread.
    ReadBody,
    /// Writes these bytes.
    Write(Vec<u8>),
    /// Writes these bytes `chunk` bytes at a time, pausing between chunks (slow bytes).
    Trickle {
        /// The bytes.
        bytes: Vec<u8>,
        /// Bytes per write.
        chunk: usize,
        /// The pause after each write.
        pause: Duration,
    },
    /// Writes `count` copies of `line` (e.g. many headers), in large writes.
    Repeat {
        /// The bytes repeated.
        line: Vec<u8>,
        /// How many times.
        count: usize,
    },
    /// Waits.
    Pause(Duration),
    /// Keeps the connection open, sending nothing, until the client closes it or the time
    /// (at most [`crate::MAX_HOLD`]) passes.
    Hold(Duration),
    /// Sends FIN: the client reads the end of the answer, the server still holds its side.
    ShutdownWrite,
    /// Closes the connection now (with unread data, the system answers the client with a reset).
    Close,
}

/// An HTTP/1.1 response with `Content-Length`, `Connection: close`, a JSON content type unless
/// `headers` names one, and `headers` as given.
pub fn response(status: u16, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    if !headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
    {
        head.push_str("Content-Type: application/json\r\n");
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-length"))
    {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("Connection: close\r\n\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body.as_bytes());
    bytes
}

/// A redirect with `status` back to the target of `request` (same origin, same path).
pub fn redirect_back(status: u16, request: &crate::Request) -> Step {
    Step::Write(response(status, &[("Location", &request.target)], ""))
}

/// A 200 JSON head declaring `declared` bytes, followed by five bytes of body (then the script
/// closes the connection, or holds it).
pub fn short_answer(declared: u64) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {declared}\r\n\
         Connection: close\r\n\r\n{{\"a\":"
    )
    .into_bytes()
}

/// A 200 whose head carries `count` filler headers before a valid end (an answer no client
/// should take: thousands of headers, or, with a large count, headers without end).
pub fn header_flood(count: usize) -> Vec<Step> {
    vec![
        Step::Write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n".to_vec()),
        Step::Repeat {
            line: b"X-Filler: some header value\r\n".to_vec(),
            count,
        },
        Step::Write(b"Content-Length: 2\r\nConnection: close\r\n\r\n{}".to_vec()),
    ]
}

/// The head of an event-stream answer (200, `text/event-stream`, no length, `Connection: close`).
pub fn sse_head() -> Vec<u8> {
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n"
        .to_vec()
}

/// One SSE event whose data is `json`.
pub fn sse_event(json: &str) -> Vec<u8> {
    format!("data: {json}\n\n").into_bytes()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
