//! The error model: a stable numeric kind for every failure, and a JSON error document that keeps
//! every detail the library or the server gave.
//!
//! The numbers are part of the C ABI (`gumloop_code`): they are grouped by range, never renumbered
//! and never reused.
//!
//! | range   | group                                                    |
//! |---------|----------------------------------------------------------|
//! | 0       | success                                                  |
//! | 1–99    | caller errors: nothing was sent                          |
//! | 100–199 | transport: the exchange with the server failed           |
//! | 200–299 | the server answered with an error status                 |
//! | 300–399 | the server's answer could not be used                    |
//! | 900–999 | internal errors of the library                           |

use serde_json::{json, Map, Value};
use std::fmt;

/// A C string from a literal that ends in its only NUL; checked at compile time.
const fn const_cstr(text: &'static str) -> &'static std::ffi::CStr {
    match std::ffi::CStr::from_bytes_with_nul(text.as_bytes()) {
        Ok(c) => c,
        Err(_) => panic!("a C string literal must end in its only NUL"),
    }
}

macro_rules! error_kinds {
    ($( $(#[$doc:meta])* $variant:ident = $num:literal, $name:literal, $message:literal; )*) => {
        /// What went wrong, as one of the library's stable codes.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ErrorKind {
            $( $(#[$doc])* $variant, )*
        }

        impl ErrorKind {
            /// Every kind, in code order.
            pub const ALL: &'static [ErrorKind] = &[$(ErrorKind::$variant),*];

            /// The stable number of this kind (the C `gumloop_code`).
            pub const fn code(self) -> u32 {
                match self { $(ErrorKind::$variant => $num,)* }
            }

            /// The constant's name in the C header, e.g. `GUMLOOP_ERR_CONFLICT`.
            pub const fn name(self) -> &'static str {
                match self { $(ErrorKind::$variant => $name,)* }
            }

            /// A one-line, human-readable description of the kind.
            pub const fn message(self) -> &'static str {
                match self { $(ErrorKind::$variant => $message,)* }
            }

            /// [`ErrorKind::name`] as a NUL-terminated C string.
            pub const fn name_c(self) -> &'static std::ffi::CStr {
                match self { $(ErrorKind::$variant => const_cstr(concat!($name, "\0")),)* }
            }

            /// [`ErrorKind::message`] as a NUL-terminated C string.
            pub const fn message_c(self) -> &'static std::ffi::CStr {
                match self { $(ErrorKind::$variant => const_cstr(concat!($message, "\0")),)* }
            }

            /// The kind with this number, if the number is one.
            pub fn from_code(code: u32) -> Option<ErrorKind> {
                match code { $($num => Some(ErrorKind::$variant),)* _ => None }
            }
        }
    };
}

error_kinds! {
    /// A required pointer argument was NULL.
    NullArgument = 1, "GUMLOOP_ERR_NULL_ARGUMENT", "a required argument was NULL";
    /// A string argument was not valid UTF-8.
    InvalidUtf8 = 2, "GUMLOOP_ERR_INVALID_UTF8", "a string argument is not valid UTF-8";
    /// A JSON argument could not be parsed.
    InvalidJson = 3, "GUMLOOP_ERR_INVALID_JSON", "a JSON argument could not be parsed";
    /// An argument was well-formed but not acceptable (wrong field type, empty ID, bad header value).
    InvalidArgument = 4, "GUMLOOP_ERR_INVALID_ARGUMENT", "an argument is not acceptable";
    /// The client options were not acceptable (unknown key, wrong type, bad URL).
    InvalidOption = 5, "GUMLOOP_ERR_INVALID_OPTION", "a client option is not acceptable";
    /// No credential was given and none was found in the environment.
    NoCredentials = 6, "GUMLOOP_ERR_NO_CREDENTIALS", "no access token was given or found in the environment";
    /// The body asked for a stream from a call that does not stream.
    UseStreamingCall = 7, "GUMLOOP_ERR_USE_STREAMING_CALL", "the body asks for a stream: use a streaming call";
    /// A blocking call was made from a thread where it would deadlock (a runtime thread or a callback).
    WrongThread = 8, "GUMLOOP_ERR_WRONG_THREAD", "a blocking call was made from a library callback or runtime thread";
    /// The connection could not be made; the request was not sent.
    Connect = 100, "GUMLOOP_ERR_CONNECT", "could not connect to the server; the request was not sent";
    /// A time limit ran out; the request may or may not have reached the server.
    Timeout = 101, "GUMLOOP_ERR_TIMEOUT", "the request timed out; it may have reached the server";
    /// The TLS handshake failed (untrusted certificate, protocol error).
    Tls = 102, "GUMLOOP_ERR_TLS", "the TLS handshake failed";
    /// The connection failed after the request was written; its outcome is unknown.
    ConnectionLost = 103, "GUMLOOP_ERR_CONNECTION_LOST", "the connection failed mid-exchange; the outcome is unknown";
    /// The call was cancelled by the caller.
    Cancelled = 104, "GUMLOOP_ERR_CANCELLED", "the call was cancelled";
    /// The server redirected to another origin, which the library refuses to follow.
    Redirect = 105, "GUMLOOP_ERR_REDIRECT", "the server redirected to another origin; not followed";
    /// HTTP 400: the server rejected the request as invalid.
    BadRequest = 200, "GUMLOOP_ERR_BAD_REQUEST", "the server rejected the request (HTTP 400)";
    /// HTTP 401: missing or invalid credentials.
    Unauthorized = 201, "GUMLOOP_ERR_UNAUTHORIZED", "missing or invalid credentials (HTTP 401)";
    /// HTTP 403: the caller may not do this.
    Forbidden = 202, "GUMLOOP_ERR_FORBIDDEN", "permission denied (HTTP 403)";
    /// HTTP 404: the agent or session does not exist.
    NotFound = 203, "GUMLOOP_ERR_NOT_FOUND", "not found (HTTP 404)";
    /// HTTP 409: a conflict, such as an existing session ID or a busy session.
    Conflict = 204, "GUMLOOP_ERR_CONFLICT", "conflict with the current state (HTTP 409)";
    /// HTTP 413: the request was too large for the server.
    PayloadTooLarge = 205, "GUMLOOP_ERR_PAYLOAD_TOO_LARGE", "the request is too large (HTTP 413)";
    /// HTTP 429: a concurrency or rate limit was hit.
    RateLimited = 206, "GUMLOOP_ERR_RATE_LIMITED", "a rate or concurrency limit was hit (HTTP 429)";
    /// HTTP 5xx: the server failed.
    Server = 207, "GUMLOOP_ERR_SERVER", "the server failed (HTTP 5xx)";
    /// Any other unexpected HTTP status.
    HttpStatus = 208, "GUMLOOP_ERR_HTTP_STATUS", "the server answered with an unexpected HTTP status";
    /// The server's answer was malformed: not valid HTTP, or not the JSON or event stream it should be.
    InvalidResponse = 300, "GUMLOOP_ERR_INVALID_RESPONSE", "the server's answer is malformed: not valid HTTP, JSON or event stream";
    /// The server's answer was larger than `max_response_bytes`.
    ResponseTooLarge = 301, "GUMLOOP_ERR_RESPONSE_TOO_LARGE", "the server's answer exceeds the response size limit";
    /// An event stream ended without its final `finish` event and could not be resumed.
    StreamIncomplete = 302, "GUMLOOP_ERR_STREAM_INCOMPLETE", "the event stream ended before its final event and could not be resumed";
    /// A bug in the library (including a caught panic).
    Internal = 900, "GUMLOOP_ERR_INTERNAL", "internal error in libgumloop";
}

impl ErrorKind {
    /// The kind that an HTTP error status maps to.
    pub fn from_status(status: u16) -> ErrorKind {
        match status {
            400 => ErrorKind::BadRequest,
            401 => ErrorKind::Unauthorized,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            409 => ErrorKind::Conflict,
            413 => ErrorKind::PayloadTooLarge,
            429 => ErrorKind::RateLimited,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::HttpStatus,
        }
    }
}

/// Details the server gave with an error status, as read from its body.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServerError {
    /// The HTTP status.
    pub status: u16,
    /// The server's error code, e.g. `session_already_exists`.
    pub code: Option<String>,
    /// The server's error type, e.g. `invalid_request_error`.
    pub error_type: Option<String>,
    /// The request field the error is about.
    pub param: Option<Value>,
    /// Structured details.
    pub details: Option<Value>,
    /// The server's trace ID, when it sent one.
    pub trace_id: Option<String>,
    /// The whole body: parsed JSON, or the raw text when it was not JSON.
    pub body: Value,
    /// How long the server asked us to wait (`Retry-After`), in milliseconds.
    pub retry_after_ms: Option<u64>,
}

/// A failure of any library call, with everything known about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    /// The stable kind.
    pub kind: ErrorKind,
    /// A human-readable message; never contains a credential.
    pub message: String,
    /// The argument or option the error is about, for caller errors.
    pub param: Option<String>,
    /// What the server said, for errors that come from a server response.
    pub server: Option<Box<ServerError>>,
    /// Structured details from the library (e.g. the last state a wait saw), when there is no server
    /// error.
    pub details: Option<Box<Value>>,
    /// How many attempts the call made (more than 1 when it was retried).
    pub attempts: u32,
    /// For a streaming call, what the stream delivered before it failed (its summary).
    pub stream: Option<Box<Value>>,
}

impl Error {
    /// An error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            param: None,
            server: None,
            details: None,
            attempts: 1,
            stream: None,
        }
    }

    /// The same error with structured `details`.
    pub fn with_details(mut self, details: Value) -> Error {
        self.details = Some(Box::new(details));
        self
    }

    /// An error about the argument or option named `param`.
    pub fn about(kind: ErrorKind, param: impl Into<String>, message: impl Into<String>) -> Error {
        Error {
            param: Some(param.into()),
            ..Error::new(kind, message)
        }
    }

    /// An `InvalidArgument` error about the argument (or body field) named `param`.
    pub(crate) fn invalid_argument(param: impl Into<String>, message: impl Into<String>) -> Error {
        Error::about(ErrorKind::InvalidArgument, param, message)
    }

    /// An `InvalidOption` error about the client option named `param`.
    pub(crate) fn invalid_option(param: impl Into<String>, message: impl Into<String>) -> Error {
        Error::about(ErrorKind::InvalidOption, param, message)
    }

    /// The HTTP status, for errors that come from a server response.
    pub fn status(&self) -> Option<u16> {
        self.server.as_ref().map(|s| s.status)
    }

    /// Whether repeating the same call later may succeed.
    pub fn retryable(&self) -> bool {
        match self.kind {
            ErrorKind::Connect | ErrorKind::Timeout | ErrorKind::ConnectionLost => true,
            ErrorKind::RateLimited => true,
            ErrorKind::Server => matches!(self.status(), Some(500 | 502 | 503 | 504)),
            _ => false,
        }
    }

    /// The error document handed to callers:
    /// `{"error":{"kind","gumloop_code","message","status","code","type","param","details","retryable","attempts","retry_after_ms","trace_id","body"}}`,
    /// plus `"stream"` (the stream's summary) for errors of streaming calls.
    pub fn to_document(&self) -> Value {
        let mut doc = Map::new();
        doc.insert("kind".into(), json!(self.kind.name()));
        doc.insert("gumloop_code".into(), json!(self.kind.code()));
        doc.insert("message".into(), json!(self.message));
        let server = self.server.as_deref();
        doc.insert("status".into(), json!(server.map(|s| s.status)));
        doc.insert("code".into(), json!(server.and_then(|s| s.code.clone())));
        doc.insert(
            "type".into(),
            json!(server.and_then(|s| s.error_type.clone())),
        );
        let param = match (&self.param, server.and_then(|s| s.param.clone())) {
            (Some(p), _) => json!(p),
            (None, Some(p)) => p,
            (None, None) => Value::Null,
        };
        doc.insert("param".into(), param);
        doc.insert(
            "details".into(),
            server
                .and_then(|s| s.details.clone())
                .or_else(|| self.details.as_deref().cloned())
                .unwrap_or(Value::Null),
        );
        doc.insert("retryable".into(), json!(self.retryable()));
        doc.insert("attempts".into(), json!(self.attempts));
        doc.insert(
            "retry_after_ms".into(),
            json!(server.and_then(|s| s.retry_after_ms)),
        );
        doc.insert(
            "trace_id".into(),
            json!(server.and_then(|s| s.trace_id.clone())),
        );
        if let Some(summary) = self.stream.as_deref() {
            doc.insert("stream".into(), summary.clone());
        }
        doc.insert(
            "body".into(),
            server.map(|s| s.body.clone()).unwrap_or(Value::Null),
        );
        json!({ "error": doc })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl std::error::Error for Error {}

/// The result of a library call.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for kind in ErrorKind::ALL {
            assert!(seen.insert(kind.code()), "duplicate code {}", kind.code());
            assert_eq!(ErrorKind::from_code(kind.code()), Some(*kind));
            assert!(kind.name().starts_with("GUMLOOP_ERR_"));
        }
        assert_eq!(ErrorKind::from_code(0), None);
        assert_eq!(ErrorKind::from_code(12345), None);
    }

    #[test]
    fn statuses_map_to_kinds() {
        assert_eq!(ErrorKind::from_status(409), ErrorKind::Conflict);
        assert_eq!(ErrorKind::from_status(503), ErrorKind::Server);
        assert_eq!(ErrorKind::from_status(418), ErrorKind::HttpStatus);
    }

    #[test]
    fn caller_error_document_names_the_param() {
        let doc = Error::about(ErrorKind::InvalidArgument, "name", "too long").to_document();
        assert_eq!(doc["error"]["kind"], "GUMLOOP_ERR_INVALID_ARGUMENT");
        assert_eq!(doc["error"]["gumloop_code"], 4);
        assert_eq!(doc["error"]["param"], "name");
        assert_eq!(doc["error"]["status"], Value::Null);
        assert_eq!(doc["error"]["retryable"], false);
    }
}
