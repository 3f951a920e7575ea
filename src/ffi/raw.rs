//! A raw request, for what the library does not wrap.

use super::args::c_arg;
use super::cancel::gumloop_cancel_token;
use super::client::{gumloop_client, run_operation};
use super::codes::gumloop_code;
use crate::operations::SendRequest;
use std::ffi::c_char;

/// Sends a request the library does not wrap, to the REST base URL, with the client's
/// credentials, retry rules, time-outs, size cap and error model.
///
/// `method`: `"GET"`, `"HEAD"`, `"POST"`, `"PUT"`, `"PATCH"` or `"DELETE"`. `path_json`: a JSON
/// array of path segments under the base, e.g. `["sessions","sess_1","queue"]`; each is
/// percent-encoded as exactly one segment (`"a/b"` stays one; empty, `.` and `..` are refused).
/// `query_json` (NULL means none): an object of parameters (strings, numbers, booleans; null
/// values left out). `body_json` (NULL means none; not allowed with GET or HEAD): any JSON
/// value, sent as given. On `GUMLOOP_OK`, `*out_json` is the server's JSON as sent, or `null`
/// for an empty answer.
///
/// Only GET and HEAD are repeated after an unknown outcome (time-out, lost connection, 5xx);
/// other methods only when the server cannot have acted (a failed connection, 429, 503).
///
/// # Safety
/// `client` and `cancel` must be NULL or live handles; the strings NULL or NUL-terminated;
/// `out_json` NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_send_request(
    client: *const gumloop_client,
    method: *const c_char,
    path_json: *const c_char,
    query_json: *const c_char,
    body_json: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        run_operation(client, cancel, out_json, || {
            Ok(SendRequest {
                method: c_arg!(method)?,
                path: c_arg!(path_json)?,
                query: c_arg!(query_json)?,
                body: c_arg!(body_json)?,
            })
        })
    }
}
