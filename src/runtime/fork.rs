//! Fork detection without a system call on every request.
//!
//! A forked child must not use its parent's runtime or connections (their threads and tasks do
//! not exist in the child). Asking for the process ID on every call would tell, at the price of
//! a system call each time; instead a handler registered with `pthread_atfork` counts forks, and
//! state built in one process records the count it was built under.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Once;

/// Forks this process's ancestors and itself went through since the library was first used.
static GENERATION: AtomicU64 = AtomicU64::new(0);
/// Set when the fork handler could not be registered: the process ID stands in for the count.
static BY_PROCESS_ID: AtomicBool = AtomicBool::new(false);
static REGISTER: Once = Once::new();

/// Runs in the child right after `fork()`, on its only thread.
extern "C" fn after_fork_in_child() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
}

/// The current process's generation: it changes in a child after each `fork()`, so state that
/// recorded another generation belongs to an ancestor process.
pub fn generation() -> u64 {
    REGISTER.call_once(|| {
        // SAFETY: registering a handler is sound at any time; the handler only updates an
        // atomic, which is async-signal-safe as a fork handler must be.
        let failed = unsafe { libc::pthread_atfork(None, None, Some(after_fork_in_child)) } != 0;
        BY_PROCESS_ID.store(failed, Ordering::SeqCst);
    });
    if BY_PROCESS_ID.load(Ordering::Relaxed) {
        // The mode is chosen before any state records a generation, so values of the two
        // modes are never compared.
        return u64::from(std::process::id());
    }
    GENERATION.load(Ordering::SeqCst)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forked_child_sees_a_new_generation() {
        let parent = generation();
        assert_eq!(generation(), parent);
        // SAFETY: the child only reads an atomic and exits without running destructors.
        match unsafe { libc::fork() } {
            0 => {
                let code = if generation() == parent + 1 { 0 } else { 1 };
                // SAFETY: `_exit` ends the child at once, as a forked child of a threaded
                // process must.
                unsafe { libc::_exit(code) }
            }
            child if child > 0 => {
                let mut status = 0;
                // SAFETY: waits for the child created just above.
                unsafe { libc::waitpid(child, &mut status, 0) };
                assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
                assert_eq!(generation(), parent);
            }
            _ => panic!("fork failed"),
        }
    }
}
