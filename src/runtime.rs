//! The process-wide tokio runtime that every blocking call runs on.
//!
//! It is created on first use, and again in a child process after `fork()`: a child never touches
//! its parent's runtime, whose worker threads do not exist in the child.

use crate::error::{Error, ErrorKind, Result};
use std::future::Future;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};
use tokio::runtime::{Builder, Runtime};

/// Worker threads of the shared runtime: they drive connections and timers while callers block.
const WORKER_THREADS: usize = 2;

struct Slot {
    pid: u32,
    runtime: Runtime,
}

/// The current process's runtime. Slots are leaked on purpose: a parent's slot seen in a forked
/// child must not be dropped there (its threads are gone), and the current one lives for the
/// whole process.
static SLOT: AtomicPtr<Slot> = AtomicPtr::new(ptr::null_mut());

fn build(pid: u32) -> Result<Box<Slot>> {
    let runtime = Builder::new_multi_thread()
        .worker_threads(WORKER_THREADS)
        .thread_name("gumloop-worker")
        .enable_all()
        .build()
        .map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!("cannot start the runtime: {e}"),
            )
        })?;
    Ok(Box::new(Slot { pid, runtime }))
}

/// The runtime of the current process, created on first use (and after a fork).
pub fn runtime() -> Result<&'static Runtime> {
    let pid = std::process::id();
    loop {
        let current = SLOT.load(Ordering::Acquire);
        if !current.is_null() {
            // SAFETY: every non-null pointer in SLOT comes from Box::into_raw below and is never
            // freed, so it is valid for the rest of the process.
            let slot = unsafe { &*current };
            if slot.pid == pid {
                return Ok(&slot.runtime);
            }
        }
        let fresh = Box::into_raw(build(pid)?);
        match SLOT.compare_exchange(current, fresh, Ordering::AcqRel, Ordering::Acquire) {
            // SAFETY: `fresh` was just stored and is never freed (see SLOT).
            Ok(_) => return Ok(unsafe { &(*fresh).runtime }),
            Err(_) => {
                // Another thread installed a runtime first: discard ours and use theirs.
                // SAFETY: `fresh` came from Box::into_raw above and was never shared.
                let lost = unsafe { Box::from_raw(fresh) };
                lost.runtime.shutdown_background();
            }
        }
    }
}

/// Runs `future` to completion on the caller's thread.
///
/// Refuses with `WrongThread` when called from inside a runtime (a library callback or a runtime
/// thread), where blocking would deadlock.
pub fn block_on<F: Future>(future: F) -> Result<F::Output> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::new(
            ErrorKind::WrongThread,
            "a blocking libgumloop call was made from inside an async runtime or a library \
             callback; call it from an ordinary thread",
        ));
    }
    Ok(runtime()?.block_on(future))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_futures_and_refuses_nested_blocking() {
        assert_eq!(block_on(async { 41 + 1 }).unwrap(), 42);
        let nested = block_on(async { block_on(async {}).map_err(|e| e.kind) }).unwrap();
        assert_eq!(nested, Err(ErrorKind::WrongThread));
    }

    #[test]
    fn the_runtime_is_shared() {
        let a = runtime().unwrap() as *const Runtime;
        let b = runtime().unwrap() as *const Runtime;
        assert_eq!(a, b);
    }
}
