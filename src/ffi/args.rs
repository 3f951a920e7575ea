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

/// A blocking function's C string parameters as an operation's arguments, each named by its
/// identifier: the argument is the parameter's name without `_json` (`body_json` gives `body`).
/// Unsafe to expand, as `args_from_c`.
macro_rules! c_args {
    ($($arg:ident),+ $(,)?) => {
        $crate::ffi::args::args_from_c(&[$((
            $crate::ffi::args::argument_name(stringify!($arg)),
            stringify!($arg),
            $arg,
        )),+])
    };
}

pub(crate) use {c_args, not_null, optional, required};

/// An operation's argument name for a C parameter: the parameter's name without `_json`.
pub(crate) fn argument_name(c_name: &str) -> &str {
    c_name.strip_suffix("_json").unwrap_or(c_name)
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

/// A blocking function's C parameters as an operation's arguments (see `crate::args`): each is
/// `(argument name, C parameter name, pointer)`; a NULL pointer leaves the argument out.
///
/// # Safety
/// Every pointer must be NULL or a NUL-terminated string.
pub(crate) unsafe fn args_from_c(
    params: &[(&str, &str, *const c_char)],
) -> Result<crate::args::Args> {
    let mut args = crate::args::Args::default();
    for &(name, c_name, pointer) in params {
        // SAFETY: NULL or NUL-terminated by the caller's contract.
        args = args.with_text(name, unsafe { optional_str(pointer, c_name) }?);
    }
    Ok(args)
}
