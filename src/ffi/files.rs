//! Uploading a file to a session, for use in a message's `attachments`.

use super::args::c_arg;
use super::bytes::bytes_arg;
use super::cancel::gumloop_cancel_token;
use super::client::{gumloop_client, run_operation};
use super::codes::gumloop_code;
use super::handle::shared;
use crate::operations::UploadFile;
use std::ffi::c_char;

/// Uploads `data_len` bytes at `data` to a session as the file `file_name`:
/// `POST /sessions/{session_id}/files` (the library base64-encodes the bytes; they are not text
/// and need no escaping).
///
/// `media_type` (e.g. `"application/pdf"`) may be NULL. The server strips directory parts from
/// `file_name` and sanitizes the rest. On `GUMLOOP_OK`, `*out_json` is
/// `{"file_name":"<stored path>","media_type":…,"size":…}`: pass that `file_name` in
/// `attachments` (`[{"file_name":…}]`) of a message to the same session.
///
/// Size: more than the client option `max_upload_bytes` (default 200 MiB) is refused with
/// `GUMLOOP_ERR_INVALID_ARGUMENT` (`param` `"data"`) from `data_len` alone, before a byte is read,
/// copied or sent; the server's own
/// limit answers `GUMLOOP_ERR_PAYLOAD_TOO_LARGE` (code `file_too_large`). `data` may be NULL only
/// when `data_len` is 0. An upload that may have reached the server is never repeated.
///
/// # Safety
/// `client` and `cancel` must be NULL or live handles; `session_id`, `file_name` and
/// `media_type` NULL or NUL-terminated strings; `data` NULL or valid for reading `data_len`
/// bytes; `out_json` NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_upload_file(
    client: *const gumloop_client,
    session_id: *const c_char,
    file_name: *const c_char,
    media_type: *const c_char,
    data: *const u8,
    data_len: usize,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        run_operation(client, cancel, out_json, || {
            // Judged from the length alone: nothing is read or copied past the cap.
            shared!(client)?.check_upload_size(data_len)?;
            Ok(UploadFile {
                session_id: c_arg!(session_id)?,
                file_name: c_arg!(file_name)?,
                media_type: c_arg!(media_type)?,
                data: bytes_arg(data, data_len, "data")?,
            })
        })
    }
}
