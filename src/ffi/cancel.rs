//! Cancellation tokens: one thread triggers, another thread's blocking call ends.

use super::guard::guard;
use super::handle::ArcHandle;
use crate::cancel::CancelToken;

/// A cancellation token.
///
/// Opaque. Create it with `gumloop_cancel_token_new`, pass it to any number of calls, trigger it from
/// any thread with `gumloop_cancel_token_trigger`, and free it with `gumloop_cancel_token_free` once no call
/// uses it. A triggered token stays triggered: every call given it ends with
/// `GUMLOOP_ERR_CANCELLED` as soon as it can (at once if it was already triggered).
#[allow(non_camel_case_types)]
pub struct gumloop_cancel_token {
    _opaque: [u8; 0],
}

impl ArcHandle for gumloop_cancel_token {
    type Target = CancelToken;
}

/// Creates a cancellation token that is not triggered.
#[no_mangle]
pub extern "C" fn gumloop_cancel_token_new() -> *mut gumloop_cancel_token {
    guard(|| gumloop_cancel_token::into_raw(CancelToken::new()))
}

/// Triggers `cancel`, ending every call that uses it. Safe to call from any thread, any number of
/// times. NULL is ignored.
///
/// # Safety
/// `cancel` must be NULL or a live token from `gumloop_cancel_token_new`.
#[no_mangle]
pub unsafe extern "C" fn gumloop_cancel_token_trigger(cancel: *const gumloop_cancel_token) {
    // SAFETY: NULL or live by the caller's contract.
    guard(|| unsafe { gumloop_cancel_token::borrow(cancel) }.map_or((), CancelToken::cancel))
}

/// Whether `cancel` was triggered. NULL gives false.
///
/// # Safety
/// `cancel` must be NULL or a live token from `gumloop_cancel_token_new`.
#[no_mangle]
pub unsafe extern "C" fn gumloop_cancel_token_is_triggered(
    cancel: *const gumloop_cancel_token,
) -> bool {
    // SAFETY: NULL or live by the caller's contract.
    guard(|| unsafe { gumloop_cancel_token::borrow(cancel) }.is_some_and(CancelToken::is_cancelled))
}

/// Frees a token. NULL is ignored.
///
/// # Safety
/// `cancel` must be NULL or a token from `gumloop_cancel_token_new` that no call is using and that was
/// not freed yet.
#[no_mangle]
pub unsafe extern "C" fn gumloop_cancel_token_free(cancel: *mut gumloop_cancel_token) {
    // SAFETY: NULL or not yet freed, by the caller's contract.
    guard(|| unsafe { gumloop_cancel_token::free(cancel) })
}
