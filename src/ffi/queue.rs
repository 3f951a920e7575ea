//! A session's message queue: list, add, edit, delete, send now.

use super::args::c_args;
use super::cancel::gumloop_cancel_token;
use super::client::{call_client, gumloop_client};
use super::codes::gumloop_code;
use crate::operations::call_future;
use std::ffi::c_char;

/// Lists a session's queued messages: `GET /sessions/{session_id}/queue`.
///
/// On `GUMLOOP_OK`, `*out_json` is `{"queue":[{"id","input","state","position","created_at",
/// "updated_at"}]}` (`position` from 1; `state` `queued` or `editing`).
///
/// # Safety
/// `client` and `cancel` must be NULL or live handles; `session_id` NULL or a NUL-terminated
/// string; `out_json` NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_list_queue(
    client: *const gumloop_client,
    session_id: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        call_client(client, cancel, out_json, |c, token| {
            call_future("list_queue", c_args!(session_id)?, c, token)
        })
    }
}

/// Adds a message to a session's queue: `POST /sessions/{session_id}/queue`.
///
/// `body_json` is `{"input":"…"}` (or its alias `message`; text that is not blank). It is sent
/// when the current run ends. On `GUMLOOP_OK`, `*out_json` is `{"queued_message":…,"queue":[…]}`;
/// a full queue (20) answers `GUMLOOP_ERR_CONFLICT` (`queue_full`). Not repeated after an
/// unknown outcome; for an add that is safe to repeat, use `gumloop_client_send_message` with
/// `"delivery":"queued"` and an `idempotency_key`.
///
/// # Safety
/// As for `gumloop_client_list_queue`; `body_json` NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_queue_message(
    client: *const gumloop_client,
    session_id: *const c_char,
    body_json: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        call_client(client, cancel, out_json, |c, token| {
            call_future("queue_message", c_args!(session_id, body_json)?, c, token)
        })
    }
}

/// Replaces the text of a queued message:
/// `PATCH /sessions/{session_id}/queue/{queued_message_id}` with `body_json` `{"input":"…"}`.
///
/// On `GUMLOOP_OK`, `*out_json` is `{"queued_message":…,"queue":[…]}`; an unknown message
/// answers `GUMLOOP_ERR_NOT_FOUND`.
///
/// # Safety
/// As for `gumloop_client_queue_message`; `queued_message_id` NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_edit_queued_message(
    client: *const gumloop_client,
    session_id: *const c_char,
    queued_message_id: *const c_char,
    body_json: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        call_client(client, cancel, out_json, |c, token| {
            call_future(
                "edit_queued_message",
                c_args!(session_id, queued_message_id, body_json)?,
                c,
                token,
            )
        })
    }
}

/// Removes a queued message: `DELETE /sessions/{session_id}/queue/{queued_message_id}`.
///
/// On `GUMLOOP_OK`, `*out_json` is `{"queue":[…]}`, the queue left.
///
/// # Safety
/// As for `gumloop_client_list_queue`; `queued_message_id` NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_delete_queued_message(
    client: *const gumloop_client,
    session_id: *const c_char,
    queued_message_id: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        call_client(client, cancel, out_json, |c, token| {
            call_future(
                "delete_queued_message",
                c_args!(session_id, queued_message_id)?,
                c,
                token,
            )
        })
    }
}

/// Sends a queued message now, aborting the run in progress:
/// `POST /sessions/{session_id}/queue/{queued_message_id}/send`.
///
/// On `GUMLOOP_OK`, `*out_json` is the session envelope. Not repeated after an unknown outcome.
///
/// # Safety
/// As for `gumloop_client_delete_queued_message`.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_send_queued_message(
    client: *const gumloop_client,
    session_id: *const c_char,
    queued_message_id: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        call_client(client, cancel, out_json, |c, token| {
            call_future(
                "send_queued_message",
                c_args!(session_id, queued_message_id)?,
                c,
                token,
            )
        })
    }
}
