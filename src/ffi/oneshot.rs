//! The one-shot call: create a session without managing a client.

use super::codes::gumloop_code;
use super::guard::run_json;
use super::strings::{optional, required};
use crate::client::CallAuth;
use crate::error::{Error, ErrorKind};
use crate::oneshot;
use crate::runtime::run;
use crate::secret::Secret;
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
    // SAFETY: every pointer is forwarded under the caller's contract.
    unsafe {
        run_json(out_json, || {
            let agent_id = required(agent_id, "agent_id")?;
            let body = optional(body_json, "body_json")?;
            let token = optional(access_token, "access_token")?;
            let user = optional(user_id, "user_id")?;
            for (param, value) in [("access_token", token), ("user_id", user)] {
                if value == Some("") {
                    return Err(Error::about(
                        ErrorKind::InvalidArgument,
                        param,
                        format!("`{param}` must not be empty; pass NULL to use the environment"),
                    ));
                }
            }
            let auth = CallAuth {
                access_token: token.map(|t| Secret::new(t.to_string())),
                user_id: user.map(str::to_string),
            };
            auth.check()?;
            let client = oneshot::client()?;
            let agent_id = agent_id.to_owned();
            let body = body.map(str::to_owned);
            run(async move {
                client
                    .create_session(&agent_id, body.as_deref(), &auth, None)
                    .await
            })?
        })
    }
}
