//! A session's message queue: list, add, edit, delete, send now.

use super::args::c_arg;
use super::cancel::gumloop_cancel_token;
use super::client::{gumloop_client, run_operation};
use super::codes::gumloop_code;
use crate::operations::{
    DeleteQueuedMessage, EditQueuedMessage, ListQueue, QueueMessage, SendQueuedMessage,
};
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
        run_operation(client, cancel, out_json, || {
            Ok(ListQueue {
                session_id: c_arg!(session_id)?,
            })
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
        run_operation(client, cancel, out_json, || {
            Ok(QueueMessage {
                session_id: c_arg!(session_id)?,
                body: c_arg!(body_json)?,
            })
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
        run_operation(client, cancel, out_json, || {
            Ok(EditQueuedMessage {
                session_id: c_arg!(session_id)?,
                queued_message_id: c_arg!(queued_message_id)?,
                body: c_arg!(body_json)?,
            })
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
        run_operation(client, cancel, out_json, || {
            Ok(DeleteQueuedMessage {
                session_id: c_arg!(session_id)?,
                queued_message_id: c_arg!(queued_message_id)?,
            })
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
        run_operation(client, cancel, out_json, || {
            Ok(SendQueuedMessage {
                session_id: c_arg!(session_id)?,
                queued_message_id: c_arg!(queued_message_id)?,
            })
        })
    }
}
