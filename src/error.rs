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

use crate::codes;
use serde_json::{json, Map, Value};
use std::fmt;

/// A C string from a literal that ends in its only NUL; checked at compile time.
const fn const_cstr(text: &'static str) -> &'static std::ffi::CStr {
    match std::ffi::CStr::from_bytes_with_nul(text.as_bytes()) {
        Ok(c) => c,
        Err(_) => panic!("a C string literal must end in its only NUL"),
    }
}

/// The table of kinds below: each row is `Variant = CONSTANT, Stem, "message";`. The number is
/// the C constant's (written once, in `codes.rs`, where cbindgen reads it), the name is that
/// constant's identifier, the stem names the error class every binding gives the code
/// (`<Stem>Error` in Python and Node, `Err<Stem>` in Go, `<Stem>Exception` in Java; several
/// codes may share one), and the message is the one-line description `gumloop_code_get_message`
/// returns.
macro_rules! error_kinds {
    ($( $variant:ident = $constant:ident, $stem:ident, $message:literal; )*) => {
        /// What went wrong, as one of the library's stable codes.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ErrorKind {
            $( #[doc = concat!("`", stringify!($constant), "`: ", $message, ".")] $variant, )*
        }

        impl ErrorKind {
            /// Every kind, in code order.
            pub const ALL: &'static [ErrorKind] = &[$(ErrorKind::$variant),*];

            /// The stable number of this kind (the C `gumloop_code`).
            pub const fn code(self) -> u32 {
                match self { $(ErrorKind::$variant => codes::$constant,)* }
            }

            /// The constant's name in the C header, e.g. `GUMLOOP_ERR_CONFLICT`.
            pub const fn name(self) -> &'static str {
                match self { $(ErrorKind::$variant => stringify!($constant),)* }
            }

            /// The stem of the kind's error class in every binding, e.g. `"RateLimit"`.
            pub const fn error(self) -> &'static str {
                match self { $(ErrorKind::$variant => stringify!($stem),)* }
            }

            /// A one-line, human-readable description of the kind.
            pub const fn message(self) -> &'static str {
                match self { $(ErrorKind::$variant => $message,)* }
            }

            /// [`ErrorKind::name`] as a NUL-terminated C string.
            pub const fn name_c(self) -> &'static std::ffi::CStr {
                match self {
                    $(ErrorKind::$variant => const_cstr(concat!(stringify!($constant), "\0")),)*
                }
            }

            /// [`ErrorKind::message`] as a NUL-terminated C string.
            pub const fn message_c(self) -> &'static std::ffi::CStr {
                match self { $(ErrorKind::$variant => const_cstr(concat!($message, "\0")),)* }
            }

            /// The kind with this number, if the number is one. (Two rows with one number would
            /// make an unreachable pattern here, which the lints refuse.)
            pub fn from_code(code: u32) -> Option<ErrorKind> {
                match code { $(codes::$constant => Some(ErrorKind::$variant),)* _ => None }
            }
        }
    };
}

error_kinds! {
    NullArgument = GUMLOOP_ERR_NULL_ARGUMENT, InvalidArgument, "a required argument was NULL";
    InvalidUtf8 = GUMLOOP_ERR_INVALID_UTF8, InvalidArgument, "a string argument is not valid UTF-8";
    InvalidJson = GUMLOOP_ERR_INVALID_JSON, InvalidArgument, "a JSON argument could not be parsed";
    InvalidArgument = GUMLOOP_ERR_INVALID_ARGUMENT, InvalidArgument, "an argument is not acceptable";
    InvalidOption = GUMLOOP_ERR_INVALID_OPTION, InvalidArgument, "a client option is not acceptable";
    NoCredentials = GUMLOOP_ERR_NO_CREDENTIALS, Authentication, "no access token was given or found in the environment";
    UseStreamingCall = GUMLOOP_ERR_USE_STREAMING_CALL, InvalidArgument, "the body asks for a stream: use a streaming call";
    WrongThread = GUMLOOP_ERR_WRONG_THREAD, WrongThread, "a blocking call was made from a library callback or runtime thread";
    NoValue = GUMLOOP_ERR_NO_VALUE, InvalidArgument, "the JSON has no value of the asked type at that pointer";
    Connect = GUMLOOP_ERR_CONNECT, APIConnection, "could not connect to the server; the request was not sent";
    Timeout = GUMLOOP_ERR_TIMEOUT, APITimeout, "the request timed out; it may have reached the server";
    Tls = GUMLOOP_ERR_TLS, APIConnection, "the TLS handshake failed";
    ConnectionLost = GUMLOOP_ERR_CONNECTION_LOST, APIConnection, "the connection failed mid-exchange; the outcome is unknown";
    Cancelled = GUMLOOP_ERR_CANCELLED, Cancelled, "the call was cancelled";
    Redirect = GUMLOOP_ERR_REDIRECT, APIConnection, "a redirect was not followed: to another origin, changing the method, or too many";
    BadRequest = GUMLOOP_ERR_BAD_REQUEST, BadRequest, "the server rejected the request (HTTP 400)";
    Unauthorized = GUMLOOP_ERR_UNAUTHORIZED, Unauthorized, "missing or invalid credentials (HTTP 401)";
    Forbidden = GUMLOOP_ERR_FORBIDDEN, PermissionDenied, "permission denied (HTTP 403)";
    NotFound = GUMLOOP_ERR_NOT_FOUND, NotFound, "not found (HTTP 404)";
    Conflict = GUMLOOP_ERR_CONFLICT, Conflict, "conflict with the current state (HTTP 409)";
    PayloadTooLarge = GUMLOOP_ERR_PAYLOAD_TOO_LARGE, PayloadTooLarge, "the request is too large (HTTP 413)";
    RateLimited = GUMLOOP_ERR_RATE_LIMITED, RateLimit, "a rate or concurrency limit was hit (HTTP 429)";
    Server = GUMLOOP_ERR_SERVER, InternalServer, "the server failed (HTTP 5xx)";
    HttpStatus = GUMLOOP_ERR_HTTP_STATUS, APIStatus, "the server answered with an unexpected HTTP status";
    InvalidResponse = GUMLOOP_ERR_INVALID_RESPONSE, InvalidResponse, "the server's answer is malformed: not valid HTTP, JSON or event stream";
    ResponseTooLarge = GUMLOOP_ERR_RESPONSE_TOO_LARGE, InvalidResponse, "the server's answer exceeds the response size limit";
    StreamIncomplete = GUMLOOP_ERR_STREAM_INCOMPLETE, StreamIncomplete, "the event stream ended before its final event and could not be resumed";
    Internal = GUMLOOP_ERR_INTERNAL, Internal, "internal error in libgumloop";
}

impl ErrorKind {
    /// The name of the group the kind's code lies in (`"caller"`, `"transport"`, `"status"`,
    /// `"response"` or `"internal"`).
    pub fn group(self) -> &'static str {
        crate::codes::group_of(self.code()).map_or("", |g| g.name)
    }

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

/// The fields of every error document's `error` object, in the order the documentation lists
/// them: the one list that `Error::to_document`, the header's preamble, README.md and the Python
/// package are checked against (tests below).
pub const DOCUMENT_FIELDS: &[&str] = &[
    "kind",
    "gumloop_code",
    "message",
    "status",
    "code",
    "type",
    "param",
    "details",
    "retryable",
    "attempts",
    "retry_after_ms",
    "trace_id",
    "body",
];

/// The field that only the error document of a streaming call has: the stream's summary.
pub const STREAM_FIELD: &str = "stream";

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
    /// Whether the call was a write the server may have acted on, so that repeating it is not
    /// safe (set where a call ends, by `http::retry::settle`; it makes `retryable` false).
    pub unsafe_to_repeat: bool,
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
            unsafe_to_repeat: false,
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

    /// Whether repeating this exact call is safe and may succeed (the rule is `http::retry::retryable`).
    pub fn retryable(&self) -> bool {
        crate::http::retry::retryable(self)
    }

    /// The error document handed to callers: `{"error":{…}}` with each of [`DOCUMENT_FIELDS`]
    /// (`null` where unknown), plus [`STREAM_FIELD`] (the stream's summary) for errors of
    /// streaming calls. `details` holds the server's details with the library's own added over
    /// them (e.g. `may_have_created` and `session_id` for a write that may have created
    /// something).
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
        doc.insert("details".into(), self.merged_details());
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
            doc.insert(STREAM_FIELD.into(), summary.clone());
        }
        doc.insert(
            "body".into(),
            server.map(|s| s.body.clone()).unwrap_or(Value::Null),
        );
        json!({ "error": doc })
    }
}

impl Error {
    /// The server's details, with the library's added over them (the library's alone when the
    /// server's are not an object).
    fn merged_details(&self) -> Value {
        let server = self.server.as_deref().and_then(|s| s.details.clone());
        match (server, self.details.as_deref()) {
            (Some(Value::Object(mut map)), Some(Value::Object(ours))) => {
                map.extend(ours.iter().map(|(k, v)| (k.clone(), v.clone())));
                Value::Object(map)
            }
            (_, Some(ours)) => ours.clone(),
            (Some(theirs), None) => theirs,
            (None, None) => Value::Null,
        }
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

    /// The field names of the first `{"error":{…}}` object written in `text` after `from`:
    /// its keys when it has values (`"kind":"…"`), otherwise every quoted name in it.
    fn documented_fields(text: &str, from: &str) -> Vec<String> {
        let start = text.find(from).unwrap_or_else(|| panic!("no {from:?}"));
        let rest = &text[start..];
        let open = rest
            .find("{\"error\":")
            .or_else(|| rest.find("{\"error\": {"));
        let rest = &rest[open.expect("no {\"error\": document") + 1..];
        let body = &rest[rest.find('{').unwrap() + 1..];
        let (mut depth, mut end) = (0usize, body.len());
        for (i, c) in body.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    end = i;
                    break;
                }
                '}' => depth -= 1,
                _ => {}
            }
        }
        let body = &body[..end];
        let quoted: Vec<(&str, bool)> = body
            .split('"')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(i, name)| {
                let after = body.split('"').nth(i + 1).unwrap_or("");
                (name, after.starts_with(':'))
            })
            .collect();
        let keyed = quoted.iter().any(|(_, key)| *key);
        quoted
            .into_iter()
            .filter(|(_, key)| *key || !keyed)
            .map(|(name, _)| name.to_string())
            .collect()
    }

    fn read(path: &str) -> String {
        let path = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn the_document_has_the_listed_fields() {
        let keys = |doc: Value| -> Vec<String> {
            let mut keys: Vec<String> = doc["error"].as_object().unwrap().keys().cloned().collect();
            keys.sort();
            keys
        };
        let mut listed: Vec<String> = DOCUMENT_FIELDS.iter().map(|f| f.to_string()).collect();
        listed.sort();
        let plain = Error::new(ErrorKind::Timeout, "late");
        assert_eq!(keys(plain.to_document()), listed);
        let streamed = Error {
            server: Some(Box::default()),
            stream: Some(Box::new(json!({"events": 3}))),
            ..Error::about(ErrorKind::StreamIncomplete, "cursor", "cut")
        };
        listed.push(STREAM_FIELD.to_string());
        listed.sort();
        assert_eq!(keys(streamed.to_document()), listed);
    }

    #[test]
    fn the_documentation_lists_the_document_fields() {
        let listed: Vec<String> = DOCUMENT_FIELDS.iter().map(|f| f.to_string()).collect();
        let stream = format!("\"{STREAM_FIELD}\"");
        let header = read("include/gumloop.h");
        assert_eq!(
            documented_fields(&header, "Errors:"),
            listed,
            "include/gumloop.h"
        );
        let preamble = &header[..header.find("*/").unwrap()];
        assert!(
            preamble.contains(&stream),
            "the header's preamble names {stream}"
        );
        let readme = read("README.md");
        assert_eq!(
            documented_fields(&readme, "## The error model"),
            listed,
            "README.md"
        );
        assert!(
            readme.contains(&format!("`{STREAM_FIELD}`")),
            "README.md names `stream`"
        );
        let python = read("bindings/python/src/gumloop_ffi/_errors.py");
        let tuple = python
            .split("DOCUMENT_FIELDS: Tuple[str, ...] = (")
            .nth(1)
            .and_then(|rest| rest.split(')').next())
            .expect("_errors.py defines DOCUMENT_FIELDS");
        let python_fields: Vec<String> = tuple
            .split(',')
            .map(|f| f.trim().trim_matches('"').to_string())
            .filter(|f| !f.is_empty())
            .collect();
        assert_eq!(python_fields, listed, "_errors.py DOCUMENT_FIELDS");
        assert!(
            python.contains(&format!("STREAM_FIELD = {stream}")),
            "_errors.py defines STREAM_FIELD"
        );
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
