//! The session operations on a client handle: create, retrieve, list, send, cancel, rename,
//! wait.
//!
//! Each blocks the calling thread until it completes, takes an optional cancellation token, and
//! writes the server's JSON (or an error document) to `*out_json`.

use super::args::c_arg;
use super::cancel::gumloop_cancel_token;
use super::client::{gumloop_client, run_operation};
use super::codes::gumloop_code;
use crate::operations::{
    CancelSession, CreateSession, GetSession, ListSessions, RenameSession, SendMessage, WaitSession,
};
use std::ffi::c_char;

/// Creates a session with the agent `agent_id`: `POST /agents/{agent_id}/sessions`.
///
/// `body_json` is the request body, a JSON object (NULL means `{}`): without `input` the server
/// creates an idle stub (HTTP 201); with `input` (or its alias `message`) the agent starts working
/// (HTTP 202). Known fields are checked before sending (`input`/`message` string or array,
/// `session_id` non-empty string, `name` 1–256 characters after trimming, `metadata` object,
/// `incognito` bool); unknown fields are sent as they are. `"stream": true` is refused with
/// `GUMLOOP_ERR_USE_STREAMING_CALL`. The agent ID is percent-encoded as one path segment.
///
/// Exactly-once creation: when the body has a `session_id`, a create whose outcome is unknown
/// (time-out, lost connection, HTTP 500/502/504) is repeated; if the repeat answers 409
/// `session_already_exists`, the session is fetched and checked: its `agent_id` is `agent_id`
/// (unless that is the alias `gumball` or `analytics`), its `creator.id` is the caller (when the
/// client or call has a `user_id` and the answer names a creator), its first user message is the
/// text `input` (or `message`) sent, and no user message when none was sent (not checked for
/// content parts or an `incognito` create), and its `name` is the `name` sent, trimmed. If so,
/// the first attempt made it, and it is returned as a success with a top-level
/// `"_gumloop":{"attempts":N,"recovered":true}` added (the rest is the server's
/// `GET /sessions/{id}` answer). If not, the ID was another session's: `GUMLOOP_ERR_CONFLICT`
/// whose `details` are `{"session_id","failed_check","reason"}` (`failed_check` is `agent`,
/// `creator`, `input` or `name`). If the fetch fails, its error says
/// `"may_have_created":"session"` and the `session_id` in `details`, and is not `retryable`
/// (repeating the create would meet the session as a conflict). A create without a
/// `session_id` whose outcome is unknown is not `retryable` either, and says
/// `"may_have_created":"session"`: list the agent's sessions to find it. With the client option
/// `auto_session_id`, a body
/// without `session_id` gets a generated one (`sess_` and 24 letters and digits) so every create
/// is protected. It is off by default because the API does not document which ID formats it
/// accepts, and because it changes the body the caller wrote.
///
/// On `GUMLOOP_OK`, `*out_json` is the server's JSON response, byte for byte. Otherwise it is an
/// error document. Either way free it with `gumloop_string_free`. `out_json` is required.
///
/// Blocks the calling thread until the call completes; safe to call from many threads at once.
/// `cancel` (may be NULL) lets another thread end the call with `GUMLOOP_ERR_CANCELLED`.
///
/// # Safety
/// `client` and `cancel` must be NULL or live handles; `agent_id` and `body_json` must be NULL or
/// NUL-terminated strings; `out_json` must be NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_create_session(
    client: *const gumloop_client,
    agent_id: *const c_char,
    body_json: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        run_operation(client, cancel, out_json, || {
            Ok(CreateSession {
                agent_id: c_arg!(agent_id)?,
                body: c_arg!(body_json)?,
            })
        })
    }
}

/// Retrieves a session with its transcript: `GET /sessions/{session_id}`.
///
/// On `GUMLOOP_OK`, `*out_json` is the session envelope `{"session":…,"queue_position":…}`,
/// byte for byte as the server sent it; otherwise an error document. Free it with
/// `gumloop_string_free`. `cancel` may be NULL.
///
/// # Safety
/// `client` and `cancel` must be NULL or live handles; `session_id` NULL or a NUL-terminated
/// string; `out_json` NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_get_session(
    client: *const gumloop_client,
    session_id: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        run_operation(client, cancel, out_json, || {
            Ok(GetSession {
                session_id: c_arg!(session_id)?,
            })
        })
    }
}

/// Lists an agent's sessions, one page: `GET /agents/{agent_id}/sessions`.
///
/// `query_json` is a JSON object of filters (NULL means none): `page_size` (1–100), `cursor`
/// (the previous page's `next_cursor`), `search`, `sort_order`, `type`, `state`,
/// `creator_user_id`, `trigger_id`; other keys are sent as query parameters as given.
/// On `GUMLOOP_OK`, `*out_json` is `{"sessions":[…],"next_cursor":…}`.
///
/// # Safety
/// As for `gumloop_client_get_session`.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_list_sessions(
    client: *const gumloop_client,
    agent_id: *const c_char,
    query_json: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        run_operation(client, cancel, out_json, || {
            Ok(ListSessions {
                agent_id: c_arg!(agent_id)?,
                query: c_arg!(query_json)?,
            })
        })
    }
}

/// Sends a message to a session: `POST /sessions/{session_id}/messages`.
///
/// `body_json` needs `input` (or `message`). With `"delivery":"queued"` the message waits in the
/// session's queue and is sent with an `Idempotency-Key` header: the body's `idempotency_key`
/// (1–256 printable ASCII characters) or a generated UUID; the answer is then a receipt
/// `{"message_id","status"}`. Otherwise the answer is the session envelope; a busy session
/// answers 409 (`GUMLOOP_ERR_CONFLICT`, code `interaction_not_in_terminal_state`).
///
/// # Safety
/// As for `gumloop_client_get_session`; `body_json` NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_send_message(
    client: *const gumloop_client,
    session_id: *const c_char,
    body_json: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        run_operation(client, cancel, out_json, || {
            Ok(SendMessage {
                session_id: c_arg!(session_id)?,
                body: c_arg!(body_json)?,
            })
        })
    }
}

/// Cancels a running or queued session: `POST /sessions/{session_id}/cancel`.
///
/// The session becomes `failed`; a settled session is returned unchanged. On `GUMLOOP_OK`,
/// `*out_json` is an envelope in which only `id`, `agent_id` and `state` are meaningful.
///
/// # Safety
/// As for `gumloop_client_get_session`.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_cancel_session(
    client: *const gumloop_client,
    session_id: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        run_operation(client, cancel, out_json, || {
            Ok(CancelSession {
                session_id: c_arg!(session_id)?,
            })
        })
    }
}

/// Renames a session: `PATCH /sessions/{session_id}` with `{"name": name}`.
///
/// `name` must be 1–256 characters after trimming. On `GUMLOOP_OK`, `*out_json` is the envelope.
///
/// # Safety
/// As for `gumloop_client_get_session`; `name` NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_rename_session(
    client: *const gumloop_client,
    session_id: *const c_char,
    name: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        run_operation(client, cancel, out_json, || {
            Ok(RenameSession {
                session_id: c_arg!(session_id)?,
                name: c_arg!(name)?,
            })
        })
    }
}

/// Waits until a session settles (`completed`, `failed`, `approval_required` or `idle`), polling
/// `GET /sessions/{session_id}` with a growing pause, and returns the final envelope.
///
/// `options_json` (NULL means defaults): `timeout_ms` (overall deadline, default 600000),
/// `poll_interval_ms` (first pause, default 250; it grows by half each poll),
/// `max_poll_interval_ms` (default 5000). At the deadline the call fails with
/// `GUMLOOP_ERR_TIMEOUT`, and the error document's `details.last_state` is the last state seen.
///
/// # Safety
/// As for `gumloop_client_get_session`; `options_json` NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_wait_session(
    client: *const gumloop_client,
    session_id: *const c_char,
    options_json: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        run_operation(client, cancel, out_json, || {
            Ok(WaitSession {
                session_id: c_arg!(session_id)?,
                options: c_arg!(options_json)?,
            })
        })
    }
}
