//! The files agents produced: list them, learn where to fetch one, fetch its bytes.

use super::args::{c_arg, out_param};
use super::bytes::bytes_into_c;
use super::cancel::gumloop_cancel_token;
use super::client::{call_client, gumloop_client, run_operation};
use super::codes::{gumloop_code, GUMLOOP_OK};
use crate::operations::{
    DownloadArtifact, DownloadArtifactToFile, GetArtifactDownload, ListArtifacts, TypedOperation,
};
use std::ffi::c_char;
use std::ptr;
use std::sync::{Arc, Mutex};

/// Lists an agent's artifacts, one page: `GET /agents/{agent_id}/artifacts`.
///
/// `query_json` (NULL means none): `session_id` (only that session's), `search_query`,
/// `sort_order`, `page_size` (1–100), `cursor`; other keys are sent as given. On `GUMLOOP_OK`,
/// `*out_json` is `{"artifacts":[{"id","version_id","agent_id","session_id","filename",…}],
/// "next_cursor":…}`.
///
/// # Safety
/// `client` and `cancel` must be NULL or live handles; `agent_id` and `query_json` NULL or
/// NUL-terminated strings; `out_json` NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_list_artifacts(
    client: *const gumloop_client,
    agent_id: *const c_char,
    query_json: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        run_operation(client, cancel, out_json, || {
            Ok(ListArtifacts {
                agent_id: c_arg!(agent_id)?,
                query: c_arg!(query_json)?,
            })
        })
    }
}

/// Asks where an artifact's bytes are: `GET /artifacts/{artifact_id}/download`.
///
/// `version_id` may be NULL (the latest version). On `GUMLOOP_OK`, `*out_json` is the server's
/// `{"download_url","filename","media_type","size"}`. The `download_url` is a signed link:
/// treat it as a secret. To fetch the bytes, prefer `gumloop_client_download_artifact` or
/// `gumloop_client_download_artifact_to_file`, which never send Gumloop credentials to another
/// host.
///
/// # Safety
/// As for `gumloop_client_list_artifacts`; `artifact_id` and `version_id` NULL or
/// NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_get_artifact_download(
    client: *const gumloop_client,
    artifact_id: *const c_char,
    version_id: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        run_operation(client, cancel, out_json, || {
            Ok(GetArtifactDownload {
                artifact_id: c_arg!(artifact_id)?,
                version_id: c_arg!(version_id)?,
            })
        })
    }
}

/// Downloads an artifact's bytes into memory.
///
/// Asks `GET /artifacts/{artifact_id}/download`, then fetches its `download_url`: with the
/// client's credentials only when that URL is on the API's own origin, with none otherwise (a
/// signed storage URL needs none). `options_json` (NULL means defaults): `version_id`,
/// `max_bytes` (default: the client's `max_response_bytes`; more answers
/// `GUMLOOP_ERR_RESPONSE_TOO_LARGE`). No error document ever shows the URL's query (its
/// signature).
///
/// On `GUMLOOP_OK`, `*out_data`/`*out_len` are the bytes (NULL and 0 for an empty artifact),
/// to free with `gumloop_bytes_free(*out_data, *out_len)`, and `*out_json` is
/// `{"artifact_id","filename","media_type","size"}`. Otherwise `*out_data` is NULL, `*out_len`
/// 0 and `*out_json` an error document.
///
/// # Safety
/// `client` and `cancel` must be NULL or live handles; `artifact_id` and `options_json` NULL or
/// NUL-terminated strings; `out_data`, `out_len` and `out_json` NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_download_artifact(
    client: *const gumloop_client,
    artifact_id: *const c_char,
    options_json: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_data: *mut *mut u8,
    out_len: *mut usize,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: the out-parameters are checked for NULL before each write and writable by the
    // caller's contract; every other pointer is forwarded under it.
    unsafe {
        let outs = (
            out_param!(out_data, ptr::null_mut()),
            out_param!(out_len, 0),
        );
        let slot: Arc<Mutex<Vec<u8>>> = Arc::default();
        let filled = Arc::clone(&slot);
        let code = call_client(client, cancel, out_json, |c, token| {
            // Both are required; they are written once the download is done.
            let _ = (outs.0?, outs.1?);
            let download = DownloadArtifact {
                artifact_id: c_arg!(artifact_id)?,
                version_id: None,
                options: c_arg!(options_json)?,
            }
            .prepare()?(c, token);
            Ok(async move {
                let (bytes, document) = download.await?;
                *filled.lock().unwrap_or_else(|p| p.into_inner()) = bytes;
                Ok(document)
            })
        });
        // GUMLOOP_OK means both out-parameters were checked non-NULL before the call ran.
        if code == GUMLOOP_OK {
            let bytes = std::mem::take(&mut *slot.lock().unwrap_or_else(|p| p.into_inner()));
            let (data, len) = bytes_into_c(bytes);
            *out_data = data;
            *out_len = len;
        }
        code
    }
}

/// Downloads an artifact into a file.
///
/// As `gumloop_client_download_artifact`, but the bytes are written to `path`: a file path, or
/// an existing directory, into which the server's file name goes after being reduced to a
/// plain name (its last component; no control, bidirectional or zero-width characters; no
/// leading dots, so never a hidden file; never `..`, never a path). The bytes go to a temporary
/// file beside the target, renamed into place once complete; on any failure nothing is left
/// behind. `options_json`: `version_id`, `max_bytes` (default 1 GiB), `overwrite` (default
/// false). On `GUMLOOP_OK`, `*out_json` is
/// `{"artifact_id","filename","media_type","size","path"}` (`path`: the file written).
///
/// Only a regular file of the caller's naming is replaced. A FIFO, socket, device node or
/// dangling symbolic link at `path` is refused with `GUMLOOP_ERR_INVALID_ARGUMENT` (`param`
/// `"path"`, the message says what is there) before anything is fetched, and left as it was. A
/// symbolic link is followed to the regular file or directory it names (the link is kept). A
/// server-chosen name never follows a link and never replaces an existing entry unless
/// `overwrite` is true, and then only a regular file; otherwise the same error.
///
/// # Safety
/// As for `gumloop_client_download_artifact`; `path` NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_download_artifact_to_file(
    client: *const gumloop_client,
    artifact_id: *const c_char,
    path: *const c_char,
    options_json: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        run_operation(client, cancel, out_json, || {
            Ok(DownloadArtifactToFile {
                artifact_id: c_arg!(artifact_id)?,
                path: c_arg!(path)?,
                options: c_arg!(options_json)?,
            })
        })
    }
}
