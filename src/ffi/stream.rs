//! Streaming calls: events are delivered to a callback on the caller's thread, as they arrive.

use super::args::c_arg;
use super::args::not_null;
use super::cancel::gumloop_cancel_token;
use super::client::gumloop_client;
use super::codes::gumloop_code;
use super::guard::call;
use super::handle::{shared, ArcHandle};
use crate::error::Result;
use crate::operations::{ResumeStream, StreamMessage, StreamSession, TypedOperation};
use crate::runtime::local::run_here;
use crate::stream::relay::OwnedStart;
use std::ffi::{c_char, c_int, c_void};

/// Receives one stream event.
///
/// `event_json` is a JSON object (NUL-terminated, `len` bytes without the NUL), valid only during
/// the call: copy what you keep. It has the server's fields (`type`, `stream_cursor`, `delta`,
/// `final`, `finishReason`, …). Return 0 to go on, non-zero to stop: the stream is closed and the
/// call returns `GUMLOOP_ERR_CANCELLED` (the event that stopped it counts as delivered: it is in
/// the summary's `events` and `last_cursor`). It runs on the thread that made the streaming call; it
/// must not call a blocking libgumloop function (that returns `GUMLOOP_ERR_WRONG_THREAD`).
#[allow(non_camel_case_types)]
pub type gumloop_event_callback = Option<
    unsafe extern "C" fn(user_data: *mut c_void, event_json: *const c_char, len: usize) -> c_int,
>;

/// Runs one streaming call, adapting the C callback, and writes the summary or the error
/// document to `*out_json`.
///
/// # Safety
/// As for the public streaming functions; `start` reads their string arguments.
unsafe fn call_stream(
    client: *const gumloop_client,
    on_event: gumloop_event_callback,
    user_data: *mut c_void,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
    start: impl FnOnce() -> Result<OwnedStart>,
) -> gumloop_code {
    let body = || {
        // SAFETY: `client` is NULL or live by the caller's contract.
        let client = unsafe { shared!(client) }?;
        let callback = not_null!(on_event)?;
        let start = start()?;
        let mut buffer: Vec<u8> = Vec::with_capacity(256);
        let mut deliver = |event: &str| -> bool {
            buffer.clear();
            buffer.extend_from_slice(event.as_bytes());
            buffer.push(0);
            // SAFETY: `buffer` is NUL-terminated and outlives the call; the caller promised that
            // `callback` may be called with `user_data`.
            unsafe { callback(user_data, buffer.as_ptr().cast(), event.len()) == 0 }
        };
        // SAFETY: `cancel` is NULL or live by the caller's contract.
        let token = unsafe { gumloop_cancel_token::share(cancel) };
        // The whole stream runs on this thread: events are read, decoded and handed to the
        // callback as they arrive, with no thread in between.
        let summary = run_here(client.stream(start.borrowed(), &mut deliver, token.as_deref()))??;
        Ok(summary.to_json().to_string())
    };
    // SAFETY: `out_json` is NULL or writable by the caller's contract.
    unsafe { call(out_json, body) }
}

/// Creates a session and streams its first run's events (`POST /agents/{agent_id}/sessions` on
/// the streaming host, with `"stream": true` added to `body_json`).
///
/// Blocks, calling `on_event(user_data, event_json, len)` on this thread for each event, until
/// the final `finish` event (`final: true`). When the connection drops, stalls (no byte for
/// `stream_idle_timeout_ms`) or closes early, the stream is resumed from the last
/// `stream_cursor`, up to 5 times in a row without progress, with backoff; each event reaches
/// the callback once.
///
/// On `GUMLOOP_OK`, `*out_json` is the summary
/// `{"session_id","last_cursor","finish_reason","final":true,"events","resumes"}`; a
/// `finish_reason` of `"not_resumable"` means the run ended before the stream could resume
/// (retrieve the session for its state). Otherwise it is an error document whose `stream` key
/// holds that summary (its `details` are the server's, when the server answered with an error,
/// with the library's added): `GUMLOOP_ERR_STREAM_INCOMPLETE` when the stream could not be
/// resumed, `GUMLOOP_ERR_CANCELLED` when the callback or `cancel` stopped it. A failed create
/// that may have made the session says `"may_have_created":"session"` in `details` (and
/// `session_id` when known), and is not `retryable`.
///
/// With a `session_id` in `body_json` (or the client option `auto_session_id`) the create is
/// repeated after an unknown outcome, and never makes two sessions. When the repeat meets 409
/// `session_already_exists`, the session is fetched and checked as
/// `gumloop_client_create_session` checks it: if the lost attempt made it, its events cannot be
/// replayed without a cursor and the call fails with `GUMLOOP_ERR_STREAM_INCOMPLETE` whose
/// `details` are `{"session_id":…,"created":true,"may_have_created":"session"}`; if it is not
/// this call's, `GUMLOOP_ERR_CONFLICT` names the failed check.
///
/// # Safety
/// `client` and `cancel` must be NULL or live handles; the strings NULL or NUL-terminated;
/// `on_event` safe to call with `user_data` during this call; `out_json` NULL or valid for
/// writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_stream_session(
    client: *const gumloop_client,
    agent_id: *const c_char,
    body_json: *const c_char,
    on_event: gumloop_event_callback,
    user_data: *mut c_void,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is forwarded under the caller's contract.
    unsafe {
        call_stream(client, on_event, user_data, cancel, out_json, || {
            StreamSession {
                agent_id: c_arg!(agent_id)?,
                body: c_arg!(body_json)?,
            }
            .prepare()
        })
    }
}

/// Sends a message and streams the run it starts (`POST /sessions/{session_id}/messages` on the
/// streaming host, with `"stream": true` added). `body_json` needs `input` (or `message`), or
/// `approval_responses` to answer pending approvals. Events, resume and results as for
/// `gumloop_client_stream_session`.
///
/// # Safety
/// As for `gumloop_client_stream_session`.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_stream_message(
    client: *const gumloop_client,
    session_id: *const c_char,
    body_json: *const c_char,
    on_event: gumloop_event_callback,
    user_data: *mut c_void,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: as for gumloop_client_stream_session.
    unsafe {
        call_stream(client, on_event, user_data, cancel, out_json, || {
            StreamMessage {
                session_id: c_arg!(session_id)?,
                body: c_arg!(body_json)?,
            }
            .prepare()
        })
    }
}

/// Resumes a session's stream after `cursor`, a `stream_cursor` seen earlier
/// (`GET /sessions/{session_id}?stream=true&last_cursor=…` on the streaming host). Events after
/// the cursor are replayed, then followed live. For a run that has ended, the one event is a
/// final `finish` with `finishReason` `"not_resumable"`. Results as for
/// `gumloop_client_stream_session`.
///
/// # Safety
/// As for `gumloop_client_stream_session`.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_resume_stream(
    client: *const gumloop_client,
    session_id: *const c_char,
    cursor: *const c_char,
    on_event: gumloop_event_callback,
    user_data: *mut c_void,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: as for gumloop_client_stream_session.
    unsafe {
        call_stream(client, on_event, user_data, cancel, out_json, || {
            ResumeStream {
                session_id: c_arg!(session_id)?,
                cursor: c_arg!(cursor)?,
            }
            .prepare()
        })
    }
}
