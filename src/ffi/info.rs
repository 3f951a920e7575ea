//! Static descriptions: the library version and the meaning of each code.

use super::codes::{gumloop_code, GUMLOOP_OK};
use super::guard::guard;
use crate::error::ErrorKind;
use std::ffi::{c_char, CStr};

const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => panic!("the package version must not contain NUL"),
    };

/// The version of the loaded library, e.g. `"0.2.0"`: compare it with `GUMLOOP_VERSION_STRING`
/// to detect a header/library mismatch. Static: never free it.
#[no_mangle]
pub extern "C" fn gumloop_version_get() -> *const c_char {
    guard(|| VERSION.as_ptr())
}

/// The constant's name for `code`, e.g. `"GUMLOOP_ERR_CONFLICT"`; `"GUMLOOP_OK"` for 0 and
/// `"GUMLOOP_ERR_UNKNOWN"` for a value this library does not define. Static: never free it.
#[no_mangle]
pub extern "C" fn gumloop_code_get_name(code: gumloop_code) -> *const c_char {
    guard(|| match ErrorKind::from_code(code) {
        Some(kind) => kind.name_c().as_ptr(),
        None if code == GUMLOOP_OK => c"GUMLOOP_OK".as_ptr(),
        None => c"GUMLOOP_ERR_UNKNOWN".as_ptr(),
    })
}

/// A one-line English description of `code`, for any value (known or not). Static: never free
/// it. The error document of a failed call has a more specific `message`.
#[no_mangle]
pub extern "C" fn gumloop_code_get_message(code: gumloop_code) -> *const c_char {
    guard(|| match ErrorKind::from_code(code) {
        Some(kind) => kind.message_c().as_ptr(),
        None if code == GUMLOOP_OK => c"success".as_ptr(),
        None => c"unknown gumloop_code".as_ptr(),
    })
}
