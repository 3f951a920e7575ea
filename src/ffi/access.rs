//! Who can see a session: read and change its access.

use super::args::c_arg;
use super::cancel::gumloop_cancel_token;
use super::client::{gumloop_client, run_operation};
use super::codes::gumloop_code;
use crate::operations::{GetSessionAccess, UpdateSessionAccess};
use std::ffi::c_char;

/// Reads a session's access: `GET /sessions/{session_id}/access`.
///
/// On `GUMLOOP_OK`, `*out_json` is `{"access":{"grants_visibility","people":[{email,name,role}],
/// "teams":[{team_id,role}],"organization_access","link","link_role","password_protected",
/// "hidden_by_role"}}`.
///
/// # Safety
/// `client` and `cancel` must be NULL or live handles; `session_id` NULL or a NUL-terminated
/// string; `out_json` NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_get_session_access(
    client: *const gumloop_client,
    session_id: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        run_operation(client, cancel, out_json, || {
            Ok(GetSessionAccess {
                session_id: c_arg!(session_id)?,
            })
        })
    }
}

/// Changes a session's access: `PUT /sessions/{session_id}/access`.
///
/// `body_json` has at least one of `share` (`[{"type":"person","email","role"}`,
/// `{"type":"team","team_id","role"}`, `{"type":"organization","role"}]`), `remove` (the same
/// without `role`) and `link` (`{"mode":"none"|"anyone"|"password","role"?}`); their shapes are
/// checked before sending, roles by the server. On `GUMLOOP_OK`, `*out_json` is the new access
/// document plus `notified`, the e-mails newly shared with.
///
/// # Safety
/// As for `gumloop_client_get_session_access`; `body_json` NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_update_session_access(
    client: *const gumloop_client,
    session_id: *const c_char,
    body_json: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        run_operation(client, cancel, out_json, || {
            Ok(UpdateSessionAccess {
                session_id: c_arg!(session_id)?,
                body: c_arg!(body_json)?,
            })
        })
    }
}
