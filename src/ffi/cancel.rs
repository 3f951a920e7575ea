//! Cancellation tokens: one thread triggers, another thread's blocking call ends.

use crate::cancel::CancelToken;
use std::sync::Arc;

/// A cancellation token.
///
/// Opaque. Create it with `gumloop_cancel_token_new`, pass it to any number of calls, trigger it from
/// any thread with `gumloop_cancel_token_trigger`, and free it with `gumloop_cancel_token_free` once no call
/// uses it. A triggered token stays triggered: every call given it ends with
/// `GUMLOOP_ERR_CANCELLED` as soon as it can (at once if it was already triggered).
#[allow(non_camel_case_types)]
pub struct gumloop_cancel_token {
    pub(crate) token: Arc<CancelToken>,
}

/// Creates a cancellation token that is not triggered.
#[no_mangle]
pub extern "C" fn gumloop_cancel_token_new() -> *mut gumloop_cancel_token {
    std::panic::catch_unwind(|| {
        Box::into_raw(Box::new(gumloop_cancel_token {
            token: Arc::new(CancelToken::new()),
        }))
    })
    .unwrap_or(std::ptr::null_mut())
}

/// Triggers `cancel`, ending every call that uses it. Safe to call from any thread, any number of
/// times. NULL is ignored.
///
/// # Safety
/// `cancel` must be NULL or a live token from `gumloop_cancel_token_new`.
#[no_mangle]
pub unsafe extern "C" fn gumloop_cancel_token_trigger(cancel: *const gumloop_cancel_token) {
    if cancel.is_null() {
        return;
    }
    // SAFETY: non-null and live by the caller's contract; the token is only used through `&`.
    let token = unsafe { &(*cancel).token };
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| token.cancel()));
}

/// Whether `cancel` was triggered (0 or 1). NULL gives 0.
///
/// # Safety
/// `cancel` must be NULL or a live token from `gumloop_cancel_token_new`.
#[no_mangle]
pub unsafe extern "C" fn gumloop_cancel_token_is_triggered(
    cancel: *const gumloop_cancel_token,
) -> i32 {
    if cancel.is_null() {
        return 0;
    }
    // SAFETY: non-null and live by the caller's contract.
    i32::from(unsafe { &(*cancel).token }.is_cancelled())
}

/// Frees a token. NULL is ignored.
///
/// # Safety
/// `cancel` must be NULL or a token from `gumloop_cancel_token_new` that no call is using and that was
/// not freed yet.
#[no_mangle]
pub unsafe extern "C" fn gumloop_cancel_token_free(cancel: *mut gumloop_cancel_token) {
    if cancel.is_null() {
        return;
    }
    let _ = std::panic::catch_unwind(|| {
        // SAFETY: the caller promises `cancel` came from Box::into_raw in gumloop_cancel_token_new and
        // is freed once.
        drop(unsafe { Box::from_raw(cancel) });
    });
}

/// A shared reference to the token behind a nullable handle, for a call that runs on a worker.
///
/// # Safety
/// `cancel` must be NULL or a live token.
pub(crate) unsafe fn token_arc(cancel: *const gumloop_cancel_token) -> Option<Arc<CancelToken>> {
    // SAFETY: NULL or live by the caller's contract.
    unsafe { cancel.as_ref() }.map(|c| Arc::clone(&c.token))
}
