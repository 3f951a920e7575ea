//! Strings the library hands out, and the one function that frees them.

use super::guard::guard;
use std::ffi::{c_char, CString};

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
    // SAFETY: the caller promises `s` came from CString::into_raw in `into_c` and was not freed
    // before, so ownership returns to Rust exactly once.
    guard(|| drop(unsafe { CString::from_raw(s) }))
}
