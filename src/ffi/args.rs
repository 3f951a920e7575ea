//! Reading the arguments of an exported function. Each check names the argument by its
//! identifier (`required!(agent_id)` reports `param: "agent_id"`), so a name is never written
//! twice.

use crate::error::{Error, ErrorKind, Result};
use std::ffi::{c_char, CStr};

/// The error for the argument `param` that was NULL although it is required.
pub(crate) fn null_argument(param: &str) -> Error {
    Error::about(
        ErrorKind::NullArgument,
        param,
        format!("`{param}` must not be NULL"),
    )
}

/// A C argument that may be NULL: a pointer, or a nullable function pointer.
pub(crate) trait Nullable {
    /// The argument once it is known not to be NULL.
    type Present;
    /// `None` for NULL.
    fn present(self) -> Option<Self::Present>;
}

impl<T> Nullable for *mut T {
    type Present = *mut T;
    fn present(self) -> Option<*mut T> {
        (!self.is_null()).then_some(self)
    }
}

impl<F> Nullable for Option<F> {
    type Present = F;
    fn present(self) -> Option<F> {
        self
    }
}

/// The argument `$arg` (a pointer or a nullable callback), or a `GUMLOOP_ERR_NULL_ARGUMENT`
/// error naming it.
macro_rules! not_null {
    ($arg:ident) => {
        $crate::ffi::args::Nullable::present($arg)
            .ok_or_else(|| $crate::ffi::args::null_argument(stringify!($arg)))
    };
}

/// The C string argument `$arg` as `&str`; NULL is a `GUMLOOP_ERR_NULL_ARGUMENT` error naming it.
/// Unsafe to expand: `$arg` must be NULL or a NUL-terminated string that outlives the use.
macro_rules! required {
    ($arg:ident) => {
        $crate::ffi::args::required_str($arg, stringify!($arg))
    };
}

/// The C string argument `$arg` as `Option<&str>` (NULL gives `None`). Unsafe to expand, as
/// `required!`.
macro_rules! optional {
    ($arg:ident) => {
        $crate::ffi::args::optional_str($arg, stringify!($arg))
    };
}

/// The C string parameter `$arg` as an operation's field: `String` (required: NULL is a
/// `GUMLOOP_ERR_NULL_ARGUMENT` naming it) or `Option<String>` (NULL gives `None`), as the field's
/// type asks. Unsafe to expand, as `required!`.
macro_rules! c_arg {
    ($arg:ident) => {
        $crate::ffi::args::FromC::from_c($arg, stringify!($arg))
    };
}

/// The prologue of the required out-parameter `$out`, written once for every function: when it
/// is not NULL, `*$out = $empty` (so that it is defined on every return); then the pointer, or a
/// `GUMLOOP_ERR_NULL_ARGUMENT` error naming it. Unsafe to expand: `$out` must be NULL or valid
/// for writing.
macro_rules! out_param {
    ($out:ident, $empty:expr) => {
        $crate::ffi::args::clear_out($out, $empty, stringify!($out))
    };
}

pub(crate) use {c_arg, not_null, optional, out_param, required};

/// The body of `out_param!`: clears `*out` to `empty` and returns `out`, unless it is NULL (an
/// error naming `param`).
///
/// # Safety
/// `out` must be NULL or valid for writing one `T`.
pub(crate) unsafe fn clear_out<T>(out: *mut T, empty: T, param: &str) -> Result<*mut T> {
    if out.is_null() {
        return Err(null_argument(param));
    }
    // SAFETY: non-NULL and writable by the caller's contract.
    unsafe { out.write(empty) };
    Ok(out)
}

/// The body of `required!`: the string at `ptr`, an argument named `param`.
///
/// # Safety
/// `ptr` must be NULL or point to a NUL-terminated string that stays valid for `'a`.
pub(crate) unsafe fn required_str<'a>(ptr: *const c_char, param: &str) -> Result<&'a str> {
    // SAFETY: forwarded from the caller's contract.
    unsafe { optional_str(ptr, param) }?.ok_or_else(|| null_argument(param))
}

/// The body of `optional!`: the string at `ptr` (NULL gives `None`), an argument named `param`.
///
/// # Safety
/// `ptr` must be NULL or point to a NUL-terminated string that stays valid for `'a`.
pub(crate) unsafe fn optional_str<'a>(ptr: *const c_char, param: &str) -> Result<Option<&'a str>> {
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

/// A C string parameter as an operation's field of this type.
pub(crate) trait FromC: Sized {
    /// The field from the string at `ptr`, the parameter named `param`.
    ///
    /// # Safety
    /// `ptr` must be NULL or point to a NUL-terminated string.
    unsafe fn from_c(ptr: *const c_char, param: &str) -> Result<Self>;
}

impl FromC for String {
    unsafe fn from_c(ptr: *const c_char, param: &str) -> Result<String> {
        // SAFETY: forwarded from the caller's contract.
        unsafe { required_str(ptr, param) }.map(str::to_owned)
    }
}

impl FromC for Option<String> {
    unsafe fn from_c(ptr: *const c_char, param: &str) -> Result<Option<String>> {
        // SAFETY: forwarded from the caller's contract.
        Ok(unsafe { optional_str(ptr, param) }?.map(str::to_owned))
    }
}
