//! Static descriptions: the library version and the meaning of each code.

use super::codes::{gumloop_code, GUMLOOP_OK};
use super::guard::guard;
use crate::error::ErrorKind;
use std::ffi::{c_char, CStr};

const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => panic!("the package version must not contain NUL"),
    };

/// The version of the loaded library, e.g. `"0.3.0"`: compare it with `GUMLOOP_VERSION_STRING`
/// to detect a header/library mismatch. Static: never free it.
#[no_mangle]
pub extern "C" fn gumloop_version_get() -> *const c_char {
    guard(|| VERSION.as_ptr())
}

/// The constant's name for `code`, e.g. `"GUMLOOP_ERR_CONFLICT"`; `"GUMLOOP_OK"` for 0 and
/// `"GUMLOOP_ERR_UNKNOWN"` for a value this library does not define. Static: never free it.
#[no_mangle]
pub extern "C" fn gumloop_code_get_name(code: gumloop_code) -> *const c_char {
    guard(|| match ErrorKind::from_code(code) {
        Some(kind) => kind.name_c().as_ptr(),
        None if code == GUMLOOP_OK => c"GUMLOOP_OK".as_ptr(),
        None => c"GUMLOOP_ERR_UNKNOWN".as_ptr(),
    })
}

/// A one-line English description of `code`, for any value (known or not). Static: never free
/// it. The error document of a failed call has a more specific `message`.
#[no_mangle]
pub extern "C" fn gumloop_code_get_message(code: gumloop_code) -> *const c_char {
    guard(|| match ErrorKind::from_code(code) {
        Some(kind) => kind.message_c().as_ptr(),
        None if code == GUMLOOP_OK => c"success".as_ptr(),
        None => c"unknown gumloop_code".as_ptr(),
    })
}

/// The library's description of itself, as UTF-8 JSON: what bindings and their tests read
/// instead of re-declaring it. Static: never free it; the same pointer for the process's life.
///
/// ```text
/// {"version": "0.3.0",
///  "operations": [{"name": "get_session",                   // the poller's operation name
///                  "function": "gumloop_client_get_session", // its blocking function, or null
///                  "result": "json",                         // "json" | "bytes" | "stream"
///                  "arguments": [{"name": "session_id", "type": "string", "required": true}]},
///                 ...],
///  "options": [{"name": "timeout_ms", "type": "integer", "default": 90000, "secret": false}, ...],
///  "codes": [{"name": "GUMLOOP_ERR_RATE_LIMITED", "code": 206, "group": "status",
///             "error": "RateLimit", "message": "..."}, ...],
///  "groups": [{"name": "status", "first": 200, "last": 299, "error": "APIStatus"}, ...],
///  "error_fields": ["kind", "gumloop_code", "message", ...]}
/// ```
///
/// An argument's `name` is its key in `gumloop_poller_start_call`'s `args_json`; its `type` is
/// `"string"`, `"object"`, `"array"`, `"json"` (any JSON value) or `"bytes"` (the poller's
/// `data`/`data_len`). An option's `type` is `"string"`, `"integer"`, `"boolean"` or `"object"`;
/// `default` is null when the option is unset by default (`secret`: the value is a credential,
/// never to be shown). Each code's `error` is the stem of its error class in every binding
/// (`RateLimitError`, `ErrRateLimit`, `RateLimitException`); each group's `error` is the base
/// class of the codes in its range; `GUMLOOP_OK` has group `"ok"` and error null.
/// `error_fields` are the fields of an error document's `error` object.
#[no_mangle]
pub extern "C" fn gumloop_description_get() -> *const c_char {
    guard(|| crate::description::description_c().as_ptr())
}
