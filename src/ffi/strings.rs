//! C strings in and out.

use crate::error::{Error, ErrorKind, Result};
use std::ffi::{c_char, CStr, CString};

/// Reads a required C string argument named `param`.
///
/// # Safety
/// `ptr` must be NULL or point to a NUL-terminated string that stays valid for `'a`.
pub(crate) unsafe fn required<'a>(ptr: *const c_char, param: &str) -> Result<&'a str> {
    // SAFETY: forwarded from the caller's contract.
    unsafe { optional(ptr, param) }?.ok_or_else(|| {
        Error::about(
            ErrorKind::NullArgument,
            param,
            format!("`{param}` must not be NULL"),
        )
    })
}

/// Reads an optional C string argument named `param` (NULL gives `None`).
///
/// # Safety
/// `ptr` must be NULL or point to a NUL-terminated string that stays valid for `'a`.
pub(crate) unsafe fn optional<'a>(ptr: *const c_char, param: &str) -> Result<Option<&'a str>> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: non-null, and the caller promises a NUL-terminated string valid for 'a.
    let bytes = unsafe { CStr::from_ptr(ptr) }.to_bytes();
    std::str::from_utf8(bytes).map(Some).map_err(|e| {
        Error::about(
            ErrorKind::InvalidUtf8,
            param,
            format!(
                "`{param}` is not valid UTF-8 (bad byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}

/// Hands `text` to C as an owned string, to be freed with `gumloop_string_free`.
pub(crate) fn into_c(text: String) -> std::result::Result<*mut c_char, String> {
    CString::new(text)
        .map(CString::into_raw)
        .map_err(|e| format!("a NUL byte at offset {}", e.nul_position()))
}

/// Frees a string returned by libgumloop. NULL is accepted and ignored.
///
/// # Safety
/// `s` must be NULL or a string returned by libgumloop that was not freed yet. Never free such a
/// string with libc `free`, and never pass this function memory from anywhere else.
#[no_mangle]
pub unsafe extern "C" fn gumloop_string_free(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    let _ = std::panic::catch_unwind(|| {
        // SAFETY: the caller promises `s` came from CString::into_raw in `into_c` and was not
        // freed before, so ownership returns to Rust exactly once.
        drop(unsafe { CString::from_raw(s) });
    });
}
