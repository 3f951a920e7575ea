//! Running one blocking client call whose arguments are all optional strings or already owned.

use super::cancel::{gumloop_cancel_token, token_arc};
use super::client::{client_ref, gumloop_client};
use super::codes::gumloop_code;
use super::guard::run_json;
use crate::cancel::CancelToken;
use crate::client::Client;
use crate::runtime::run;
use std::ffi::c_char;
use std::future::Future;
use std::sync::Arc;

/// Runs the call `op` builds (from the client and the token behind `cancel`) on a runtime
/// worker while this thread waits, under the panic guard, writing its outcome to `*out_json`.
/// `op` reads and checks the call's arguments first, so a bad one sends nothing.
///
/// # Safety
/// `client` and `cancel` must be NULL or live handles; `out_json` NULL or valid for writing one
/// pointer; whatever `op` reads must be valid by the caller's contract.
pub(crate) unsafe fn run_client_call<F>(
    client: *const gumloop_client,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
    op: impl FnOnce(Arc<Client>, Option<Arc<CancelToken>>) -> crate::Result<F>,
) -> gumloop_code
where
    F: Future<Output = crate::Result<String>> + Send + 'static,
{
    // SAFETY: every pointer is forwarded under the caller's contract.
    unsafe {
        run_json(out_json, || {
            let client = Arc::clone(client_ref(client)?);
            let call = op(client, token_arc(cancel))?;
            run(call)?
        })
    }
}
