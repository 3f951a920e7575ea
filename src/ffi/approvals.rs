//! Resolving a session's pending approvals over REST.

use super::args::c_arg;
use super::cancel::gumloop_cancel_token;
use super::client::{gumloop_client, run_operation};
use super::codes::gumloop_code;
use crate::operations::ResolveApprovals;
use std::ffi::c_char;

/// Answers a session's pending approvals: `POST /sessions/{session_id}/approvals`.
///
/// `body_json` (NULL is no body, refused like `{}`) is `{"approval_responses":[{"action_request_id":…,"action":"accept"|"reject",
/// "reason"?:…,"response"?:{"values":{…}}}]}`: 1 to 20 answers, each ID once, `reason` at most
/// 1000 characters (checked before sending). The IDs are the `action_request_id`s of the
/// session's `pending_approvals` (as `gumloop_client_wait_session` returns them). On
/// `GUMLOOP_OK`, `*out_json` is `{"session":…,"results":[{"action_request_id","action",
/// "outcome"}],"stream_cursor":…}`; `outcome` is `accepted`, `rejected`, or
/// `already_accepted`/`already_rejected` for a repeat. Pass a non-null `stream_cursor` to
/// `gumloop_client_resume_stream` to stream the continued run. A session not awaiting approval
/// answers `GUMLOOP_ERR_CONFLICT` (`session_not_awaiting_approval`). Not repeated after an
/// unknown outcome.
///
/// # Safety
/// `client` and `cancel` must be NULL or live handles; `session_id` and `body_json` NULL or
/// NUL-terminated strings; `out_json` NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_resolve_approvals(
    client: *const gumloop_client,
    session_id: *const c_char,
    body_json: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        run_operation(client, cancel, out_json, || {
            Ok(ResolveApprovals {
                session_id: c_arg!(session_id)?,
                body: c_arg!(body_json)?,
            })
        })
    }
}
