//! The process-wide multi-threaded tokio runtime: the poller's calls run on it as tasks, and the
//! library's background work (a stream's network side for a poller) with them.
//!
//! It is created on first use, and again in a child process after `fork()`: a child never touches
//! its parent's runtime, whose worker threads do not exist in the child.
//!
//! Blocking calls do not use it: they run on the caller's thread ([`local`]). [`block_on`], for
//! Rust callers of the async core, polls a future on the caller's thread, as are any callbacks
//! it makes (`Client::stream`), with this runtime's drivers.

pub(crate) mod fork;
pub(crate) mod local;
pub(crate) mod sigpipe;

use crate::error::{Error, ErrorKind, Result};
use std::future::Future;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};
use tokio::runtime::{Builder, Runtime};

/// The environment variable that sets the number of worker threads (1 to [`MAX_WORKERS`]).
pub(crate) const WORKER_THREADS_VAR: &str = "GUMLOOP_WORKER_THREADS";
/// The most worker threads the runtime accepts.
const MAX_WORKERS: usize = 64;
/// Cores per default worker: one worker for every four cores, at least one and at most four. A
/// worker serves many callers (it only parses and moves bytes); fewer workers mean fewer threads
/// to wake, and more of the cores left to the application.
const CORES_PER_WORKER: usize = 4;
const MAX_DEFAULT_WORKERS: usize = 4;

/// Worker threads of the shared runtime: they drive connections, timers and calls while callers
/// block. `GUMLOOP_WORKER_THREADS` overrides the default.
fn worker_threads() -> Result<usize> {
    if let Some(text) = crate::config::process_env(WORKER_THREADS_VAR) {
        return match text.trim().parse::<usize>() {
            Ok(n) if (1..=MAX_WORKERS).contains(&n) => Ok(n),
            _ => Err(Error::invalid_option(
                WORKER_THREADS_VAR,
                format!("{WORKER_THREADS_VAR} must be a whole number from 1 to {MAX_WORKERS}"),
            )),
        };
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    Ok((cores / CORES_PER_WORKER).clamp(1, MAX_DEFAULT_WORKERS))
}

struct Slot {
    generation: u64,
    runtime: Runtime,
}

/// The current process's runtime. Slots are leaked on purpose: a parent's slot seen in a forked
/// child must not be dropped there (its threads are gone), and the current one lives for the
/// whole process.
static SLOT: AtomicPtr<Slot> = AtomicPtr::new(ptr::null_mut());

fn build(generation: u64) -> Result<Box<Slot>> {
    let runtime = Builder::new_multi_thread()
        .worker_threads(worker_threads()?)
        .thread_name("gumloop-worker")
        // Every socket the library writes is written on these threads: see `sigpipe`.
        .on_thread_start(crate::runtime::sigpipe::block_for_this_thread)
        .enable_all()
        .build()
        .map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!("cannot start the runtime: {e}"),
            )
        })?;
    Ok(Box::new(Slot {
        generation,
        runtime,
    }))
}

/// The runtime of the current process, created on first use (and after a fork).
pub fn runtime() -> Result<&'static Runtime> {
    let generation = crate::runtime::fork::generation();
    loop {
        let current = SLOT.load(Ordering::Acquire);
        if !current.is_null() {
            // SAFETY: every non-null pointer in SLOT comes from Box::into_raw below and is never
            // freed, so it is valid for the rest of the process.
            let slot = unsafe { &*current };
            if slot.generation == generation {
                return Ok(&slot.runtime);
            }
        }
        let fresh = Box::into_raw(build(generation)?);
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

/// Refuses with `WrongThread` inside a runtime (a library callback or a runtime thread), where
/// blocking would deadlock.
pub(crate) fn refuse_inside_runtime() -> Result<()> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::new(
            ErrorKind::WrongThread,
            "a blocking libgumloop call was made from inside an async runtime or a library \
             callback; call it from an ordinary thread",
        ));
    }
    Ok(())
}

/// Runs `future` to completion on the caller's thread (for calls whose callbacks must run there).
///
/// Refuses with `WrongThread` when called from inside a runtime. SIGPIPE is blocked on the
/// caller's thread for the call (see `sigpipe`).
pub fn block_on<F: Future>(future: F) -> Result<F::Output> {
    refuse_inside_runtime()?;
    let runtime = runtime()?;
    let _sigpipe = crate::runtime::sigpipe::Blocked::new();
    Ok(runtime.block_on(future))
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
