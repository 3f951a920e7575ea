//! The stable result codes, owned by the core, and their groups.
//!
//! The numbers are written here once, as literals, because cbindgen reads them here for the C
//! header (it does not expand macros); the C boundary re-exports them (`ffi::codes`). The core's
//! `ErrorKind` table (`error.rs`) names each constant by its identifier, which gives a kind its
//! number and its name; `tests/header.rs` checks that every constant in the header is a kind's
//! and every kind has its constant. Values are grouped by range ([`GROUPS`]), never renumbered
//! and never reused.

#![allow(non_camel_case_types)]

/// The result of every fallible libgumloop function.
///
/// `GUMLOOP_OK` (0) is success. Other values are grouped by range:
/// 1–99 the caller's mistake (nothing was sent); 100–199 transport failures; 200–299 the server
/// answered with an error status; 300–399 the server's answer could not be used; 900–999 internal
/// errors. `gumloop_code_get_name` and `gumloop_code_get_message` describe any value.
pub type gumloop_code = u32;

/// Success.
pub const GUMLOOP_OK: gumloop_code = 0;
/// A required argument was NULL.
pub const GUMLOOP_ERR_NULL_ARGUMENT: gumloop_code = 1;
/// A string argument is not valid UTF-8.
pub const GUMLOOP_ERR_INVALID_UTF8: gumloop_code = 2;
/// A JSON argument could not be parsed.
pub const GUMLOOP_ERR_INVALID_JSON: gumloop_code = 3;
/// An argument is well-formed but not acceptable (wrong field type, empty ID, bad header value).
/// The error document's `param` names it.
pub const GUMLOOP_ERR_INVALID_ARGUMENT: gumloop_code = 4;
/// A client option is not acceptable (unknown key, wrong type, bad URL). `param` names it.
pub const GUMLOOP_ERR_INVALID_OPTION: gumloop_code = 5;
/// No access token was given, and none is in `GUMLOOP_ACCESS_TOKEN` or `GUMLOOP_API_KEY`.
pub const GUMLOOP_ERR_NO_CREDENTIALS: gumloop_code = 6;
/// The body has `"stream": true`, but the function called does not stream.
pub const GUMLOOP_ERR_USE_STREAMING_CALL: gumloop_code = 7;
/// A blocking call was made from a library callback or a runtime thread, where it would deadlock.
pub const GUMLOOP_ERR_WRONG_THREAD: gumloop_code = 8;
/// A JSON accessor (`gumloop_json_get_*`) found no value of the asked type at the pointer: the
/// pointer names nothing, or a value of another type (JSON `null` included).
pub const GUMLOOP_ERR_NO_VALUE: gumloop_code = 9;
/// The connection could not be made; the request was not sent.
pub const GUMLOOP_ERR_CONNECT: gumloop_code = 100;
/// A time limit ran out; the request may have reached the server.
pub const GUMLOOP_ERR_TIMEOUT: gumloop_code = 101;
/// The TLS handshake failed (for example an untrusted certificate).
pub const GUMLOOP_ERR_TLS: gumloop_code = 102;
/// The connection failed after the request was written; its outcome is unknown.
pub const GUMLOOP_ERR_CONNECTION_LOST: gumloop_code = 103;
/// The call was cancelled by the caller.
pub const GUMLOOP_ERR_CANCELLED: gumloop_code = 104;
/// A redirect was not followed: to another origin (credentials stay home), one that would change
/// the method of a POST or PATCH (301, 302, 303), or more than 5.
pub const GUMLOOP_ERR_REDIRECT: gumloop_code = 105;
/// HTTP 400: the server rejected the request.
pub const GUMLOOP_ERR_BAD_REQUEST: gumloop_code = 200;
/// HTTP 401: missing or invalid credentials.
pub const GUMLOOP_ERR_UNAUTHORIZED: gumloop_code = 201;
/// HTTP 403: permission denied.
pub const GUMLOOP_ERR_FORBIDDEN: gumloop_code = 202;
/// HTTP 404: the agent or session does not exist.
pub const GUMLOOP_ERR_NOT_FOUND: gumloop_code = 203;
/// HTTP 409: a conflict, such as an existing `session_id` or a busy session.
pub const GUMLOOP_ERR_CONFLICT: gumloop_code = 204;
/// HTTP 413: the request is too large.
pub const GUMLOOP_ERR_PAYLOAD_TOO_LARGE: gumloop_code = 205;
/// HTTP 429: a rate or concurrency limit was hit; see `retry_after_ms`.
pub const GUMLOOP_ERR_RATE_LIMITED: gumloop_code = 206;
/// HTTP 5xx: the server failed.
pub const GUMLOOP_ERR_SERVER: gumloop_code = 207;
/// Another unexpected HTTP status.
pub const GUMLOOP_ERR_HTTP_STATUS: gumloop_code = 208;
/// The server's answer is malformed: not valid HTTP, JSON or event stream.
pub const GUMLOOP_ERR_INVALID_RESPONSE: gumloop_code = 300;
/// The server's answer exceeds `max_response_bytes`.
pub const GUMLOOP_ERR_RESPONSE_TOO_LARGE: gumloop_code = 301;
/// An event stream ended before its final `finish` event and could not be resumed; the error
/// document's `stream` holds the stream summary (with the last cursor, for a manual resume).
pub const GUMLOOP_ERR_STREAM_INCOMPLETE: gumloop_code = 302;
/// A bug in libgumloop, including a caught panic.
pub const GUMLOOP_ERR_INTERNAL: gumloop_code = 900;

/// One range of codes: what went wrong in general, and the error class (stem) every binding
/// makes the base of the classes of the codes in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Group {
    /// The group's name, e.g. `"status"`.
    pub(crate) name: &'static str,
    /// The first code of the range.
    pub(crate) first: gumloop_code,
    /// The last code of the range.
    pub(crate) last: gumloop_code,
    /// The stem of the group's error class, e.g. `"APIStatus"` (`APIStatusError` in Python).
    pub(crate) error: &'static str,
}

/// Every group of error codes, in code order (`GUMLOOP_OK`, 0, is in none: its group is "ok").
pub(crate) const GROUPS: &[Group] = &[
    Group {
        name: "caller",
        first: 1,
        last: 99,
        error: "InvalidArgument",
    },
    Group {
        name: "transport",
        first: 100,
        last: 199,
        error: "APIConnection",
    },
    Group {
        name: "status",
        first: 200,
        last: 299,
        error: "APIStatus",
    },
    Group {
        name: "response",
        first: 300,
        last: 399,
        error: "InvalidResponse",
    },
    Group {
        name: "internal",
        first: 900,
        last: 999,
        error: "Internal",
    },
];

/// The name of the group of success.
pub(crate) const OK_GROUP: &str = "ok";

/// The group `code` lies in, if any (none for `GUMLOOP_OK` and for numbers outside the ranges).
pub(crate) fn group_of(code: gumloop_code) -> Option<&'static Group> {
    GROUPS.iter().find(|g| (g.first..=g.last).contains(&code))
}
