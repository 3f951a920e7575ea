//! Reading the JSON the library returns without a JSON library: one value at a JSON Pointer
//! (RFC 6901), e.g. `gumloop_json_get_string(json, "/session/id", &id)`.
//!
//! Each accessor parses `json` (any JSON text: a result, an event, an error document), follows
//! `pointer` and writes the value to its out-parameter. It returns a code and no error document:
//! `GUMLOOP_ERR_NULL_ARGUMENT` (a NULL argument), `GUMLOOP_ERR_INVALID_UTF8`,
//! `GUMLOOP_ERR_INVALID_JSON` (`json` does not parse, or nests deeper than 128 levels),
//! `GUMLOOP_ERR_INVALID_ARGUMENT` (a malformed pointer), `GUMLOOP_ERR_NO_VALUE` (nothing of the
//! asked type there, JSON `null` included). On any failure the out-parameter is set to its zero
//! value (NULL, 0, false) when it is not NULL.

use super::args::required;
use super::codes::{gumloop_code, GUMLOOP_ERR_NULL_ARGUMENT, GUMLOOP_OK};
use super::guard::guard;
use super::strings::into_c;
use crate::error::Result;
use crate::json_pointer::{lookup, no_value};
use serde_json::Value;
use std::ffi::c_char;

/// Looks `pointer` up in `json`, converts the value with `convert` and writes it to `*out`,
/// which is first set to `zero`. The common body of every accessor.
///
/// # Safety
/// `json` and `pointer` must be NULL or NUL-terminated strings; `out` NULL or valid for writing
/// one `T`.
unsafe fn get<T: Copy>(
    json: *const c_char,
    pointer: *const c_char,
    out: *mut T,
    zero: T,
    convert: impl FnOnce(Value, &str) -> Result<T>,
) -> gumloop_code {
    if out.is_null() {
        return GUMLOOP_ERR_NULL_ARGUMENT;
    }
    // SAFETY: `out` is non-null and writable by the caller's contract.
    unsafe { *out = zero };
    let outcome = guard(|| -> Result<T> {
        // SAFETY: NULL or NUL-terminated, by the caller's contract.
        let (json, pointer) = unsafe { (required!(json)?, required!(pointer)?) };
        convert(lookup(json, pointer)?, pointer)
    });
    match outcome {
        Ok(value) => {
            // SAFETY: as above.
            unsafe { *out = value };
            GUMLOOP_OK
        }
        Err(error) => error.kind.code(),
    }
}

/// Reads the string at `pointer` in `json` (e.g. `"/session/id"`) into `*out_value`, an owned
/// copy to free with `gumloop_string_free`. A string holding a NUL character cannot be a C
/// string and gives `GUMLOOP_ERR_NO_VALUE`. Codes: see the accessors' introduction.
///
/// # Safety
/// `json` and `pointer` must be NULL or NUL-terminated strings; `out_value` NULL or valid for
/// writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_json_get_string(
    json: *const c_char,
    pointer: *const c_char,
    out_value: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: forwarded under the caller's contract.
    unsafe {
        get(
            json,
            pointer,
            out_value,
            std::ptr::null_mut(),
            |value, at| {
                let Value::String(text) = value else {
                    return Err(no_value(at, "names no string"));
                };
                into_c(text).map_err(|_| no_value(at, "names a string with a NUL character"))
            },
        )
    }
}

/// Reads the number at `pointer` in `json` into `*out_value` (integers beyond 2^53 lose
/// precision: read them with `gumloop_json_get_int64`). Codes: see the accessors' introduction.
///
/// # Safety
/// `json` and `pointer` must be NULL or NUL-terminated strings; `out_value` NULL or valid for
/// writing one `double`.
#[no_mangle]
pub unsafe extern "C" fn gumloop_json_get_number(
    json: *const c_char,
    pointer: *const c_char,
    out_value: *mut f64,
) -> gumloop_code {
    // SAFETY: forwarded under the caller's contract.
    unsafe {
        get(json, pointer, out_value, 0.0, |value, at| {
            value
                .as_f64()
                .ok_or_else(|| no_value(at, "names no number"))
        })
    }
}

/// Reads the integer at `pointer` in `json` into `*out_value`, exactly; a number with a fraction
/// or outside the range of `int64_t` gives `GUMLOOP_ERR_NO_VALUE`. Codes: see the accessors'
/// introduction.
///
/// # Safety
/// `json` and `pointer` must be NULL or NUL-terminated strings; `out_value` NULL or valid for
/// writing one `int64_t`.
#[no_mangle]
pub unsafe extern "C" fn gumloop_json_get_int64(
    json: *const c_char,
    pointer: *const c_char,
    out_value: *mut i64,
) -> gumloop_code {
    // SAFETY: forwarded under the caller's contract.
    unsafe {
        get(json, pointer, out_value, 0, |value, at| {
            value
                .as_i64()
                .ok_or_else(|| no_value(at, "names no integer that fits in int64_t"))
        })
    }
}

/// Reads the boolean at `pointer` in `json` into `*out_value`. Codes: see the accessors'
/// introduction.
///
/// # Safety
/// `json` and `pointer` must be NULL or NUL-terminated strings; `out_value` NULL or valid for
/// writing one `bool`.
#[no_mangle]
pub unsafe extern "C" fn gumloop_json_get_bool(
    json: *const c_char,
    pointer: *const c_char,
    out_value: *mut bool,
) -> gumloop_code {
    // SAFETY: forwarded under the caller's contract.
    unsafe {
        get(json, pointer, out_value, false, |value, at| {
            value
                .as_bool()
                .ok_or_else(|| no_value(at, "names no boolean"))
        })
    }
}

/// Reads the number of items of the array (or members of the object) at `pointer` in `json`
/// into `*out_length`, to walk a list by index (`"/sessions/0/id"`, `"/sessions/1/id"`, …).
/// Codes: see the accessors' introduction.
///
/// # Safety
/// `json` and `pointer` must be NULL or NUL-terminated strings; `out_length` NULL or valid for
/// writing one `size_t`.
#[no_mangle]
pub unsafe extern "C" fn gumloop_json_get_length(
    json: *const c_char,
    pointer: *const c_char,
    out_length: *mut usize,
) -> gumloop_code {
    // SAFETY: forwarded under the caller's contract.
    unsafe {
        get(json, pointer, out_length, 0, |value, at| match value {
            Value::Array(items) => Ok(items.len()),
            Value::Object(members) => Ok(members.len()),
            _ => Err(no_value(at, "names no array or object")),
        })
    }
}
