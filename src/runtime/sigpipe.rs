//! SIGPIPE: the library never raises it in its host.
//!
//! A write to a connection the peer has closed fails with `EPIPE`, and the kernel also sends
//! SIGPIPE to the writing thread, whose default action kills the whole process. Plain `send`
//! calls avoid it with `MSG_NOSIGNAL`, but the HTTP stack also writes with `writev` (vectored
//! writes of a request's head and body), which takes no flags, and Linux has no per-socket
//! `SO_NOSIGPIPE`.
//!
//! The library's own threads (the poller's runtime workers, name resolution's blocking threads)
//! block SIGPIPE in their own signal mask as they start: a failed write then only returns
//! `EPIPE` (reported as a lost connection), and the signal stays pending on that thread, which
//! never unblocks it, so it is never delivered. A blocking call, which runs on its caller's
//! thread (`runtime::local`), and a Rust caller polling the core there
//! ([`crate::runtime::block_on`]) are covered by [`Blocked`] around the call: the caller's mask
//! is restored, and a SIGPIPE raised meanwhile is taken. The process-wide disposition is never
//! touched, and neither is a handler the host installed.

use std::mem::MaybeUninit;

/// Blocks SIGPIPE for the calling thread, for good (the runtime's threads call it as they start).
pub fn block_for_this_thread() {
    // The previous mask is not needed: these threads never unblock SIGPIPE.
    let _ = mask(libc::SIG_BLOCK);
}

/// Blocks SIGPIPE for the current thread while alive; when dropped, discards a SIGPIPE that
/// became pending meanwhile and restores the thread's mask (as libpq does around its writes).
pub struct Blocked {
    previous: Option<libc::sigset_t>,
    was_pending: bool,
}

impl Blocked {
    /// Blocks SIGPIPE on this thread.
    pub fn new() -> Blocked {
        let was_pending = pending();
        Blocked {
            previous: mask(libc::SIG_BLOCK),
            was_pending,
        }
    }
}

impl Default for Blocked {
    fn default() -> Blocked {
        Blocked::new()
    }
}

impl Drop for Blocked {
    fn drop(&mut self) {
        let Some(previous) = self.previous else {
            return;
        };
        if !self.was_pending && pending() {
            consume();
        }
        // SAFETY: `previous` is a signal set filled in by pthread_sigmask; a null old-set pointer
        // is allowed.
        unsafe {
            libc::pthread_sigmask(libc::SIG_SETMASK, &previous, std::ptr::null_mut());
        }
    }
}

/// The set holding SIGPIPE alone.
fn sigpipe_set() -> libc::sigset_t {
    let mut set = MaybeUninit::<libc::sigset_t>::uninit();
    // SAFETY: sigemptyset initialises the set it is given; sigaddset then adds a valid signal.
    unsafe {
        libc::sigemptyset(set.as_mut_ptr());
        libc::sigaddset(set.as_mut_ptr(), libc::SIGPIPE);
        set.assume_init()
    }
}

/// Applies `how` with SIGPIPE to this thread's mask; returns the previous mask.
fn mask(how: libc::c_int) -> Option<libc::sigset_t> {
    let set = sigpipe_set();
    let mut previous = MaybeUninit::<libc::sigset_t>::uninit();
    // SAFETY: both pointers are valid for a sigset_t; pthread_sigmask fills `previous` on success.
    let rc = unsafe { libc::pthread_sigmask(how, &set, previous.as_mut_ptr()) };
    // SAFETY: rc == 0 means `previous` was written.
    (rc == 0).then(|| unsafe { previous.assume_init() })
}

/// Whether a SIGPIPE is pending for this thread (or the process).
fn pending() -> bool {
    let mut set = MaybeUninit::<libc::sigset_t>::uninit();
    // SAFETY: sigpending fills the set it is given; sigismember reads an initialised set.
    unsafe {
        if libc::sigpending(set.as_mut_ptr()) != 0 {
            return false;
        }
        libc::sigismember(set.as_ptr(), libc::SIGPIPE) == 1
    }
}

/// Takes one pending SIGPIPE without waiting.
fn consume() {
    let set = sigpipe_set();
    let zero = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: the set and the timeout are valid; SIGPIPE is blocked, so it is taken, not delivered.
    unsafe {
        libc::sigtimedwait(&set, std::ptr::null_mut(), &zero);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocked_now() -> bool {
        let mut current = MaybeUninit::<libc::sigset_t>::uninit();
        // SAFETY: a null new set only reads the mask into `current`.
        unsafe {
            libc::pthread_sigmask(libc::SIG_BLOCK, std::ptr::null(), current.as_mut_ptr());
            libc::sigismember(current.as_ptr(), libc::SIGPIPE) == 1
        }
    }

    #[test]
    fn a_raised_sigpipe_is_taken_and_the_mask_restored() {
        std::thread::spawn(|| {
            assert!(!blocked_now());
            {
                let _guard = Blocked::new();
                assert!(blocked_now());
                // SAFETY: raising a blocked signal on this thread only marks it pending.
                unsafe {
                    libc::pthread_kill(libc::pthread_self(), libc::SIGPIPE);
                }
                assert!(pending());
            }
            assert!(!pending());
            assert!(!blocked_now());
        })
        .join()
        .unwrap();
    }

    #[test]
    fn runtime_threads_block_sigpipe() {
        let runtime = crate::runtime::runtime().unwrap();
        let blocked = runtime
            .block_on(runtime.spawn(async { blocked_now() }))
            .unwrap();
        assert!(blocked);
        assert!(!blocked_now(), "the caller's mask was changed");
    }
}
