//! The panic guard and the out-parameter protocol shared by every fallible function.

use super::codes::{gumloop_code, GUMLOOP_ERR_NULL_ARGUMENT, GUMLOOP_OK};
use super::strings::into_c;
use crate::error::{Error, ErrorKind, Result};
use std::ffi::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

/// The error for a panic caught at the boundary.
fn panicked(payload: &(dyn std::any::Any + Send)) -> Error {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    Error::new(
        ErrorKind::Internal,
        format!("libgumloop panicked: {what}; please report this bug"),
    )
}

/// Runs `body` under the panic guard and writes its outcome to `*out_json`.
///
/// Returns `GUMLOOP_ERR_NULL_ARGUMENT` without running `body` when `out_json` is NULL.
///
/// # Safety
/// `out_json` must be NULL or valid for writing one pointer.
pub(crate) unsafe fn run_json(
    out_json: *mut *mut c_char,
    body: impl FnOnce() -> Result<String>,
) -> gumloop_code {
    if out_json.is_null() {
        return GUMLOOP_ERR_NULL_ARGUMENT;
    }
    // SAFETY: non-null and writable by the caller's contract.
    unsafe { *out_json = ptr::null_mut() };
    let outcome = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(result) => result,
        Err(payload) => Err(panicked(payload.as_ref())),
    };
    let (code, c_text) = outcome_to_c(outcome);
    // SAFETY: as above.
    unsafe { *out_json = c_text };
    code
}

/// An outcome as the C API hands it over: its code, and the result or error document as an owned
/// C string (NULL only if even the error document could not be made one, which cannot happen).
pub(crate) fn outcome_to_c(outcome: Result<String>) -> (gumloop_code, *mut c_char) {
    let (code, text) = match outcome {
        Ok(json) => (GUMLOOP_OK, json),
        Err(error) => (error.kind.code(), error.to_document().to_string()),
    };
    match into_c(text) {
        Ok(c) => (code, c),
        Err(why) => {
            let error = Error::new(
                ErrorKind::InvalidResponse,
                format!("the result cannot be a C string: {why}"),
            );
            let doc = error.to_document().to_string();
            // An error document is serde_json output, which never contains a raw NUL.
            (error.kind.code(), into_c(doc).unwrap_or(ptr::null_mut()))
        }
    }
}

/// As [`run_json`] for a function whose success has no document: on `GUMLOOP_OK`, `*out_json`
/// is NULL.
///
/// # Safety
/// As for [`run_json`].
pub(crate) unsafe fn run_status(
    out_json: *mut *mut c_char,
    body: impl FnOnce() -> Result<()>,
) -> gumloop_code {
    // SAFETY: forwarded from the caller's contract.
    let code = unsafe { run_json(out_json, || body().map(|()| String::new())) };
    if code == GUMLOOP_OK {
        // SAFETY: run_json wrote an owned string (or NULL) to the non-null `out_json`.
        unsafe {
            super::strings::gumloop_string_free(*out_json);
            *out_json = ptr::null_mut();
        }
    }
    code
}
