//! The one guard every exported function runs its body in, and the out-parameter protocol of
//! the fallible ones.
//!
//! [`guard`] catches a panic and returns the function's typed default instead ([`OnPanic`]): NULL
//! for a pointer, false for a flag, nothing for a function without a result, and for a fallible body
//! a `GUMLOOP_ERR_INTERNAL` error. [`call`] is the form of every function that returns a
//! `gumloop_code`: the guard, then the outcome written to `*out_json`.

use super::codes::{gumloop_code, GUMLOOP_ERR_NULL_ARGUMENT, GUMLOOP_OK};
use super::strings::into_c;
use crate::error::{Error, ErrorKind, Result};
use std::ffi::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

/// What an exported function returns when its body panics.
pub(crate) trait OnPanic {
    /// The return value standing for the caught panic `error`.
    fn on_panic(error: Error) -> Self;
}

impl OnPanic for () {
    fn on_panic(_: Error) {}
}

impl OnPanic for bool {
    fn on_panic(_: Error) -> bool {
        false
    }
}

impl<T> OnPanic for *mut T {
    fn on_panic(_: Error) -> *mut T {
        ptr::null_mut()
    }
}

impl<T> OnPanic for *const T {
    fn on_panic(_: Error) -> *const T {
        ptr::null()
    }
}

impl<T> OnPanic for Result<T> {
    fn on_panic(error: Error) -> Result<T> {
        Err(error)
    }
}

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

/// Runs `body`; a panic in it returns `R`'s default for a panic instead of unwinding into C.
pub(crate) fn guard<R: OnPanic>(body: impl FnOnce() -> R) -> R {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|p| R::on_panic(panicked(p.as_ref())))
}

/// What a successful fallible call leaves in `*out_json`.
pub(crate) trait Success {
    /// The JSON text of the result, or `None` for a call whose success has no document.
    fn into_json(self) -> Option<String>;
}

impl Success for String {
    fn into_json(self) -> Option<String> {
        Some(self)
    }
}

impl Success for () {
    fn into_json(self) -> Option<String> {
        None
    }
}

/// Runs a fallible `body` under [`guard`] and writes its outcome to `*out_json`: the result on
/// success (NULL when the success has no document), an error document otherwise. Returns the
/// outcome's code.
///
/// Returns `GUMLOOP_ERR_NULL_ARGUMENT` without running `body` when `out_json` is NULL.
///
/// # Safety
/// `out_json` must be NULL or valid for writing one pointer.
pub(crate) unsafe fn call<T: Success>(
    out_json: *mut *mut c_char,
    body: impl FnOnce() -> Result<T>,
) -> gumloop_code {
    if out_json.is_null() {
        return GUMLOOP_ERR_NULL_ARGUMENT;
    }
    // SAFETY: non-null and writable by the caller's contract.
    unsafe { *out_json = ptr::null_mut() };
    let (code, text) = match guard(body) {
        Ok(success) => (GUMLOOP_OK, success.into_json()),
        Err(error) => (error.kind.code(), Some(error.to_document().to_string())),
    };
    let Some(text) = text else {
        return code;
    };
    let (code, c_text) = text_to_c(code, text);
    // SAFETY: as above.
    unsafe { *out_json = c_text };
    code
}

/// An outcome as the C API hands it over: its code, and its result or error document as an
/// owned C string.
pub(crate) fn outcome_to_c(outcome: Result<String>) -> (gumloop_code, *mut c_char) {
    match outcome {
        Ok(json) => text_to_c(GUMLOOP_OK, json),
        Err(error) => text_to_c(error.kind.code(), error.to_document().to_string()),
    }
}

/// `text` as an owned C string with its `code`; text that cannot be one (a NUL byte) becomes an
/// `GUMLOOP_ERR_INVALID_RESPONSE` document.
fn text_to_c(code: gumloop_code, text: String) -> (gumloop_code, *mut c_char) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_returns_the_typed_default() {
        assert!(guard(|| -> *mut u8 { panic!("boom") }).is_null());
        assert!(guard(|| -> *const u8 { panic!("boom") }).is_null());
        assert!(!guard(|| -> bool { panic!("boom") }));
        guard(|| -> () { panic!("boom") });
        let error = guard(|| -> Result<u8> { panic!("boom") }).unwrap_err();
        assert_eq!(error.kind, ErrorKind::Internal);
        assert!(error.message.contains("boom"), "{}", error.message);
        assert!(guard(|| true));
    }

    #[test]
    fn a_panicking_call_writes_an_internal_error_document() {
        let mut out: *mut c_char = ptr::null_mut();
        // SAFETY: `out` is writable.
        let code = unsafe { call(&mut out, || -> Result<String> { panic!("at the disco") }) };
        assert_eq!(code, ErrorKind::Internal.code());
        // SAFETY: `call` wrote an owned string from `into_c`, freed once here.
        let text = unsafe { std::ffi::CString::from_raw(out) };
        let doc: serde_json::Value = serde_json::from_slice(text.as_bytes()).unwrap();
        assert_eq!(doc["error"]["kind"], "GUMLOOP_ERR_INTERNAL");
        assert!(doc["error"]["message"]
            .as_str()
            .unwrap()
            .contains("at the disco"));
    }

    #[test]
    fn a_success_without_a_document_leaves_out_json_null() {
        let mut out: *mut c_char = 1 as *mut c_char;
        // SAFETY: `out` is writable.
        let code = unsafe { call(&mut out, || Ok(())) };
        assert_eq!(code, GUMLOOP_OK);
        assert!(out.is_null());
    }
}
