//! The blocking call by name: any JSON operation of the description, with its arguments as one
//! JSON object, as the poller starts them, and what its requests saw.

use super::args::{optional, required};
use super::cancel::gumloop_cancel_token;
use super::client::{call_client, gumloop_client};
use super::codes::gumloop_code;
use super::strings::into_c;
use crate::args::Args;
use crate::context::{CallContext, RequestOptions};
use crate::error::{Error, ErrorKind};
use crate::operations::{prepare, Prepared};
use std::ffi::c_char;
use std::ptr;
use std::sync::Arc;

/// Runs the operation named `operation` with `args_json`, blocking, as
/// `gumloop_poller_start_call` starts it (the same names and arguments: see
/// `gumloop_description_get`), including the reserved `"request_options"`
/// (`{"extra_headers": {..}, "timeout_ms": N}`, for this call only).
///
/// Only operations whose description has `"result":"json"` run here: a stream or bytes operation
/// is refused with `GUMLOOP_ERR_INVALID_ARGUMENT` (`param` `operation`); use its own function or
/// the poller. Raw bytes (`data`) are not taken here either: upload with
/// `gumloop_client_upload_file`.
///
/// `*out_json` is the result (`GUMLOOP_OK`) or an error document, exactly as the operation's own
/// function gives it. `out_info_json` may be NULL; otherwise, once the call has run (success or
/// failure), `*out_info_json` is `{"attempts","duration_ms","request_id"}` as
/// `gumloop_poller_take_call_info` gives it, and NULL when the call was refused before it started.
/// Free both with `gumloop_string_free`. `cancel` may be NULL.
///
/// # Safety
/// `client` and `cancel` must be NULL or live handles; `operation` and `args_json` NULL or
/// NUL-terminated strings; `out_json` and `out_info_json` NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_call(
    client: *const gumloop_client,
    operation: *const c_char,
    args_json: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
    out_info_json: *mut *mut c_char,
) -> gumloop_code {
    if !out_info_json.is_null() {
        // SAFETY: non-NULL and writable by the caller's contract.
        unsafe { *out_info_json = ptr::null_mut() };
    }
    let mut ran: Option<Arc<CallContext>> = None;
    // SAFETY: every pointer is read under the caller's contract.
    let code = unsafe {
        call_client(client, cancel, out_json, |c, token| {
            let name = required!(operation)?;
            let mut args = Args::parse(optional!(args_json)?)?;
            let options = RequestOptions::take(&mut args)?;
            let Prepared::Call(make) = prepare(name, args)? else {
                return Err(Error::about(
                    ErrorKind::InvalidArgument,
                    "operation",
                    format!(
                        "the operation `{name}` answers with a stream or bytes: call its own \
                         function or start it on a poller"
                    ),
                ));
            };
            let context = CallContext::new(options);
            ran = Some(Arc::clone(&context));
            Ok(CallContext::run(context, make(c, token)))
        })
    };
    if let (Some(context), false) = (ran, out_info_json.is_null()) {
        // The info is serde_json output, which has no NUL byte.
        let info = into_c(context.info().to_string()).unwrap_or(ptr::null_mut());
        // SAFETY: non-NULL and writable by the caller's contract.
        unsafe { *out_info_json = info };
    }
    code
}
