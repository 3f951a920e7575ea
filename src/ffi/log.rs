//! The library's log records, pulled by the caller (the library never calls into it).

use super::args::required;
use super::codes::gumloop_code;
use super::guard::{call, guard};
use crate::log::level::parse_setting;
use crate::log::queue;
use serde_json::json;
use std::ffi::{c_char, c_int};

/// Sets the level of the process's log queue: `"off"` (the default), `"error"`, `"warn"`,
/// `"info"` or `"debug"` (case-insensitive). Records of that level and above wait in the queue
/// for `gumloop_log_take`; turning it off drops what waits.
///
/// Levels: `debug` — each request that got a success or redirect status, and each redirect
/// followed; `info` — each request that failed (error status or transport error), each repeat
/// with its reason and wait, stream resumes with their cursor, keyed creates recovered,
/// refreshes; `warn` — a refresh that failed.
///
/// Independently, the environment variable `GUMLOOP_LOG` (`info` or `debug`, read once at the
/// first record) writes records of that level and above to stderr, one JSON line each.
///
/// On `GUMLOOP_OK`, `*out_json` is `{"level":"<previous level>"}`; an unknown level is
/// `GUMLOOP_ERR_INVALID_ARGUMENT` and changes nothing. Free it with `gumloop_string_free`.
///
/// # Safety
/// `level` must be NULL or NUL-terminated; `out_json` NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_log_set_level(
    level: *const c_char,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: the pointers are used under the caller's contract.
    unsafe {
        call(out_json, || {
            let setting = parse_setting("level", required!(level)?)?;
            Ok(json!({ "level": queue::set_setting(setting) }).to_string())
        })
    }
}

/// Takes every record waiting in the process's log queue, without blocking.
///
/// On `GUMLOOP_OK`, `*out_json` is `{"records":[…],"dropped":N}`: the records oldest first, and
/// how many were dropped since the last take because the queue was full (it holds 4096; the
/// oldest go first). A record is an object: `ts_ms` (Unix time in ms), `level`, `event`
/// (`"attempt"`, `"retry"`, `"redirect"`, `"resume"`, `"recovered"` or `"refresh"`),
/// `operation` (e.g. `"get_session"`, or null), the event's fields, and `message` (one human
/// line). `attempt`: `method`, `path`, `status` (null without a response), `error` (the code's
/// name, when the request failed), `duration_ms`, `attempt` (1 for a call's first request).
/// `retry`: `attempt`, `reason` (the code's name), `status`, `delay_ms`. `redirect`: `method`,
/// `path`, `status`, `to_path`. `resume`: `session_id`, `cursor`, `resume` (its number),
/// `reason`. `recovered`: `session_id`, `attempts`. `refresh`: `outcome` (`"ok"` or
/// `"failed"`), `duration_ms`, and when it failed `status` and `error`. A record never holds a
/// credential, a user ID, a header, a body, or a URL's query: paths only.
///
/// Free `*out_json` with `gumloop_string_free`.
///
/// # Safety
/// `out_json` must be NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_log_take(out_json: *mut *mut c_char) -> gumloop_code {
    // SAFETY: `out_json` is NULL or writable by the caller's contract.
    unsafe { call(out_json, || Ok(queue::take().to_string())) }
}

/// The read end of a non-blocking socket that is readable while log records wait, for event
/// loops (epoll, asyncio's `add_reader`, libuv, Go). When readable, call `gumloop_log_take`,
/// which clears it. Never read or close it. -1 when it could not be made. A child made by
/// `fork()` gets a descriptor (and a queue) of its own: ask for it again there.
#[no_mangle]
pub extern "C" fn gumloop_log_get_fd() -> c_int {
    // A panic gives -1, as an unavailable descriptor does.
    guard(|| Ok(queue::fd())).unwrap_or(-1)
}
