//! The one-shot call: create a session without managing a client.

use super::args::{optional, required};
use super::codes::gumloop_code;
use super::guard::call;
use crate::oneshot;
use std::ffi::c_char;

/// Creates a session with the agent `agent_id` in one call, without a client handle.
///
/// `body_json` is as for `gumloop_client_create_session` (NULL means `{}`). `access_token` is
/// the bearer credential (an API key or OAuth token); NULL reads `GUMLOOP_ACCESS_TOKEN`, then
/// `GUMLOOP_API_KEY`. `user_id` is sent as `x-auth-key` (personal API keys need it); NULL reads
/// `GUMLOOP_USER_ID` and sends nothing when that is unset too. The base URL and team come from
/// `GUMLOOP_BASE_URL` and `GUMLOOP_TEAM_ID`. All one-shot calls share one process-wide
/// connection pool.
///
/// On `GUMLOOP_OK`, `*out_json` is the server's JSON response, byte for byte. Otherwise it is an
/// error document. Either way free it with `gumloop_string_free`. `out_json` is required.
///
/// # Safety
/// The string arguments must be NULL or NUL-terminated strings; `out_json` must be NULL or valid
/// for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_oneshot_create_session(
    agent_id: *const c_char,
    body_json: *const c_char,
    access_token: *const c_char,
    user_id: *const c_char,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        call(out_json, || {
            oneshot::create_session(
                required!(agent_id)?,
                optional!(body_json)?,
                optional!(access_token)?,
                optional!(user_id)?,
            )
        })
    }
}
