//! Handles: the opaque C types that stand for a Rust value shared through an `Arc`.
//!
//! The pointer a caller holds is `Arc::into_raw` of the value, cast to the opaque type, and owns
//! one strong reference; a call in flight takes its own reference, so it owns what it uses. The
//! conversions between the two live here, once.

use super::args::null_argument;
use crate::error::Result;
use std::sync::Arc;

/// An opaque C type whose pointers stand for an `Arc<Self::Target>`.
///
/// Implemented by zero-sized marker types that C only ever sees behind a pointer.
pub(crate) trait ArcHandle: Sized {
    /// The Rust value behind the handle.
    type Target: Send + Sync;

    /// Hands `value` to C: the returned pointer owns one strong reference.
    fn into_raw(value: Self::Target) -> *mut Self {
        Arc::into_raw(Arc::new(value)).cast_mut().cast()
    }

    /// Borrows the value behind `handle`; NULL gives `None`.
    ///
    /// # Safety
    /// `handle` must be NULL or a pointer from [`ArcHandle::into_raw`] of this type that was not
    /// freed and stays live for `'a`.
    unsafe fn borrow<'a>(handle: *const Self) -> Option<&'a Self::Target> {
        // SAFETY: by the contract, a non-null `handle` is `Arc::into_raw` of a live
        // `Arc<Self::Target>`, which points at the value itself.
        unsafe { handle.cast::<Self::Target>().as_ref() }
    }

    /// A new strong reference to the value behind `handle`, for a call that owns what it uses;
    /// NULL gives `None`.
    ///
    /// # Safety
    /// As for [`ArcHandle::borrow`].
    unsafe fn share(handle: *const Self) -> Option<Arc<Self::Target>> {
        let value = handle.cast::<Self::Target>();
        if value.is_null() {
            return None;
        }
        // SAFETY: by the contract, `value` is `Arc::into_raw` of a live `Arc<Self::Target>`
        // whose own reference keeps it alive; counting one more reference and taking it as an
        // `Arc` leaves the handle's reference untouched.
        unsafe {
            Arc::increment_strong_count(value);
            Some(Arc::from_raw(value))
        }
    }

    /// As [`ArcHandle::share`], with NULL an error naming the argument `param`.
    ///
    /// # Safety
    /// As for [`ArcHandle::borrow`].
    unsafe fn share_required(handle: *const Self, param: &str) -> Result<Arc<Self::Target>> {
        // SAFETY: forwarded from the caller's contract.
        unsafe { Self::share(handle) }.ok_or_else(|| null_argument(param))
    }

    /// Gives back the reference `handle` owns; NULL is ignored.
    ///
    /// # Safety
    /// `handle` must be NULL or a pointer from [`ArcHandle::into_raw`] of this type that was not
    /// freed yet; it is invalid afterwards.
    unsafe fn free(handle: *mut Self) {
        if handle.is_null() {
            return;
        }
        // SAFETY: by the contract, `handle` is `Arc::into_raw` of an `Arc<Self::Target>` whose
        // reference is given back exactly once, here.
        drop(unsafe { Arc::from_raw(handle.cast_const().cast::<Self::Target>()) });
    }
}

/// The handle argument `$arg` as a new `Arc` of its value; NULL is a `GUMLOOP_ERR_NULL_ARGUMENT`
/// error naming it. Unsafe to expand, as [`ArcHandle::share`].
macro_rules! shared {
    ($arg:ident) => {
        $crate::ffi::handle::ArcHandle::share_required($arg, stringify!($arg))
    };
}

pub(crate) use shared;

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static DROPS: AtomicUsize = AtomicUsize::new(0);

    #[derive(Debug)]
    struct Counted(u32);

    impl Drop for Counted {
        fn drop(&mut self) {
            DROPS.fetch_add(1, Ordering::SeqCst);
        }
    }

    struct Opaque {
        _opaque: [u8; 0],
    }

    impl ArcHandle for Opaque {
        type Target = Counted;
    }

    #[test]
    fn a_shared_reference_outlives_the_freed_handle() {
        let handle = Opaque::into_raw(Counted(42));
        // SAFETY: `handle` is live until the free below; NULL is allowed.
        unsafe {
            assert_eq!(Opaque::borrow(handle).map(|c| c.0), Some(42));
            assert!(Opaque::borrow(ptr_null()).is_none());
            assert!(Opaque::share(ptr_null()).is_none());
            let err = Opaque::share_required(ptr_null(), "client").unwrap_err();
            assert_eq!(err.param.as_deref(), Some("client"));
            let shared = Opaque::share(handle).unwrap();
            assert_eq!(Arc::strong_count(&shared), 2);
            Opaque::free(handle);
            Opaque::free(std::ptr::null_mut());
            assert_eq!(
                DROPS.load(Ordering::SeqCst),
                0,
                "the call's reference keeps it"
            );
            assert_eq!(shared.0, 42);
            drop(shared);
        }
        assert_eq!(DROPS.load(Ordering::SeqCst), 1);
    }

    fn ptr_null() -> *const Opaque {
        std::ptr::null()
    }
}
