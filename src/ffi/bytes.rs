//! Byte buffers in and out: raw data given by pointer and length, and owned buffers handed to C.

use crate::error::Result;

/// Copies `len` bytes at `data` (NULL is allowed only with `len` 0), the argument named `param`.
///
/// # Safety
/// `data` must be NULL or valid for reading `len` bytes.
pub(crate) unsafe fn bytes_arg(data: *const u8, len: usize, param: &str) -> Result<Vec<u8>> {
    if len == 0 {
        return Ok(Vec::new());
    }
    if data.is_null() {
        return Err(super::args::null_argument(param));
    }
    // SAFETY: non-null and readable for `len` bytes by the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(data, len) }.to_vec())
}

/// Hands `bytes` to C: the pointer and length to free with `gumloop_bytes_free` (NULL and 0
/// for no bytes).
pub(crate) fn bytes_into_c(bytes: Vec<u8>) -> (*mut u8, usize) {
    if bytes.is_empty() {
        return (std::ptr::null_mut(), 0);
    }
    let boxed = bytes.into_boxed_slice();
    let len = boxed.len();
    (Box::into_raw(boxed).cast::<u8>(), len)
}

/// Frees a byte buffer returned by libgumloop (e.g. by `gumloop_client_download_artifact`),
/// given its pointer and the length returned with it. NULL is accepted and ignored.
///
/// # Safety
/// `data` must be NULL or a buffer returned by libgumloop with length `len`, not freed yet.
/// Never free it with libc `free` or `gumloop_string_free`.
#[no_mangle]
pub unsafe extern "C" fn gumloop_bytes_free(data: *mut u8, len: usize) {
    if data.is_null() {
        return;
    }
    super::guard::guard(|| {
        // SAFETY: the caller promises `data`/`len` came from `bytes_into_c` (a boxed slice of
        // exactly `len` bytes) and are freed once.
        drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(data, len)) });
    });
}
