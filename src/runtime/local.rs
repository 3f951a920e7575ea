//! Blocking calls on the caller's own thread, as libcurl makes them: no hand-over to another
//! thread, one sleep per wait for the network.
//!
//! A blocking C call checks a single-threaded runtime out of a process-wide shelf, runs the
//! call's future to completion on the calling thread (`block_on`), and puts the runtime back.
//! The runtime's I/O driver is polled by that same thread, so a request costs no thread wake-up
//! at all: the thread writes the request, sleeps in `epoll_wait` until the answer arrives, and
//! reads it, like a `curl_easy_perform`.
//!
//! Connections belong to the runtime that opened them (their tasks are spawned on it), so each
//! shelved runtime keeps its own connection pool per client ([`Pools`]): a runtime taken from the
//! shelf finds the warm connections it left there. The shelf holds as many runtimes as calls ever
//! ran at once, and never shrinks (as libcurl's easy handles, kept one per thread). Before a call
//! reuses a pooled connection, the runtime's driver is polled once so that a connection the
//! server closed while it idled is seen closed and not chosen (libcurl's dead-connection check).
//!
//! The shelf belongs to the process that built it: a forked child starts a new one, never
//! touching its parent's runtimes (whose driver state is shared with the parent), as
//! `runtime::runtime` does for the shared multi-threaded runtime.

use crate::error::{Error, ErrorKind, Result};
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::ptr;
use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use tokio::runtime::{Builder, Runtime};

/// A single-threaded runtime and the connection pools opened on it.
struct Local {
    runtime: Runtime,
    pools: RefCell<Pools>,
}

/// The connection pools of one runtime, one per client that used it.
#[derive(Default)]
pub(crate) struct Pools {
    entries: Vec<PoolEntry>,
}

struct PoolEntry {
    /// The client's transport, by its identity: gone once the client is freed.
    owner: Weak<TransportId>,
    id: u64,
    pool: reqwest::Client,
}

/// The identity of one client's transport, held by the transport; each runtime's pool for it
/// holds a weak reference, so the pools of a freed client are dropped on the next look-up.
#[derive(Debug)]
pub struct TransportId(u64);

impl TransportId {
    /// A new, process-unique identity.
    pub fn new() -> Arc<TransportId> {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Arc::new(TransportId(NEXT.fetch_add(1, Ordering::Relaxed)))
    }
}

impl Pools {
    /// The pool of `owner` on this runtime, built by `build` the first time.
    fn pool(
        &mut self,
        owner: &Arc<TransportId>,
        build: impl FnOnce() -> Result<reqwest::Client>,
    ) -> Result<reqwest::Client> {
        if let Some(entry) = self.entries.iter().find(|e| e.id == owner.0) {
            return Ok(entry.pool.clone());
        }
        // A miss: forget the pools of freed clients (their idle connections close as their tasks
        // next run), then add this client's.
        self.entries.retain(|e| e.owner.strong_count() > 0);
        let pool = build()?;
        self.entries.push(PoolEntry {
            owner: Arc::downgrade(owner),
            id: owner.0,
            pool: pool.clone(),
        });
        Ok(pool)
    }
}

/// The runtimes of one process that no call is using.
struct Shelf {
    generation: u64,
    /// Boxed: `ACTIVE` points at a checked-out runtime, whose address must not change when the
    /// box moves between the shelf and the call.
    #[allow(clippy::vec_box)]
    idle: Mutex<Vec<Box<Local>>>,
}

/// The current process's shelf. Shelves are leaked: a parent's seen in a forked child must not
/// be dropped there, and the current one lives for the whole process.
static SHELF: AtomicPtr<Shelf> = AtomicPtr::new(ptr::null_mut());

fn shelf() -> &'static Shelf {
    let generation = crate::runtime::fork::generation();
    loop {
        let current = SHELF.load(Ordering::Acquire);
        if !current.is_null() {
            // SAFETY: every non-null pointer in SHELF comes from Box::into_raw below and is never
            // freed, so it is valid for the rest of the process.
            let shelf = unsafe { &*current };
            if shelf.generation == generation {
                return shelf;
            }
        }
        let fresh = Box::into_raw(Box::new(Shelf {
            generation,
            idle: Mutex::new(Vec::new()),
        }));
        match SHELF.compare_exchange(current, fresh, Ordering::AcqRel, Ordering::Acquire) {
            // SAFETY: `fresh` was just stored and is never freed (see SHELF).
            Ok(_) => return unsafe { &*fresh },
            // SAFETY: `fresh` came from Box::into_raw above and was never shared.
            Err(_) => drop(unsafe { Box::from_raw(fresh) }),
        }
    }
}

fn build() -> Result<Box<Local>> {
    let runtime = Builder::new_current_thread()
        .enable_all()
        .thread_name("gumloop-resolver")
        // Name resolution runs on this runtime's blocking threads, which may write nothing to a
        // socket, but block SIGPIPE as every library thread does.
        .on_thread_start(crate::runtime::sigpipe::block_for_this_thread)
        .build()
        .map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!("cannot start a runtime for the calling thread: {e}"),
            )
        })?;
    Ok(Box::new(Local {
        runtime,
        pools: RefCell::new(Pools::default()),
    }))
}

thread_local! {
    /// The runtime this thread is running a call on, while it does.
    static ACTIVE: Cell<*const Local> = const { Cell::new(ptr::null()) };
}

/// The pool of the client `owner` on the runtime running the current call, when the current
/// call runs on a caller's thread (see [`run_here`]); `None` elsewhere (the shared runtime's
/// workers use the client's shared pool).
pub(crate) fn active_pool(
    owner: &Arc<TransportId>,
    build: impl FnOnce() -> Result<reqwest::Client>,
) -> Option<Result<reqwest::Client>> {
    let local = ACTIVE.with(Cell::get);
    if local.is_null() {
        return None;
    }
    // SAFETY: ACTIVE is non-null only while `run_here`, on this thread, holds the checked-out
    // runtime it points to; the pools are only borrowed here, never across an await.
    let local = unsafe { &*local };
    let pools = local.pools.try_borrow_mut();
    Some(match pools {
        Ok(mut pools) => pools.pool(owner, build),
        Err(_) => build(),
    })
}

/// Clears ACTIVE and returns the runtime to the shelf when a call ends, even by a panic (a
/// runtime whose call panicked is dropped instead: its tasks may be in any state).
struct CheckedOut {
    local: Option<Box<Local>>,
    previous: *const Local,
}

impl Drop for CheckedOut {
    fn drop(&mut self) {
        ACTIVE.with(|a| a.set(self.previous));
        let Some(local) = self.local.take() else {
            return;
        };
        if std::thread::panicking() {
            local.runtime.shutdown_background();
            return;
        }
        let mut idle = shelf().idle.lock().unwrap_or_else(|p| p.into_inner());
        idle.push(local);
    }
}

/// Runs `future` to completion on the calling thread, on a runtime of its own for the call.
///
/// Refuses with `WrongThread` inside a runtime (a library callback or a runtime thread), where
/// blocking would deadlock. SIGPIPE is blocked on the caller's thread for the call (see
/// `sigpipe`).
pub fn run_here<F: Future>(future: F) -> Result<F::Output> {
    crate::runtime::refuse_inside_runtime()?;
    let taken = shelf().idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
    let local = match taken {
        Some(local) => local,
        None => build()?,
    };
    let checked_out = CheckedOut {
        previous: ACTIVE.with(|a| a.replace(&*local as *const Local)),
        local: Some(local),
    };
    let _sigpipe = crate::runtime::sigpipe::Blocked::new();
    let local = checked_out
        .local
        .as_deref()
        .expect("a checked-out runtime is present until the guard drops");
    Ok(local.runtime.block_on(async {
        // Lets the driver see what happened on idle connections (a server's close) before the
        // call picks one from the pool.
        tokio::task::yield_now().await;
        let output = future.await;
        // The call's state is gone: one more turn lets the connections it dropped mid-answer (a
        // stream the callback stopped, a cancelled call) close now rather than at the next call.
        tokio::task::yield_now().await;
        output
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_runs_on_the_calling_thread_and_refuses_nesting() {
        let caller = std::thread::current().id();
        assert_eq!(
            run_here(async { std::thread::current().id() }).unwrap(),
            caller
        );
        let nested = run_here(async { run_here(async {}).map_err(|e| e.kind) }).unwrap();
        assert_eq!(nested, Err(ErrorKind::WrongThread));
    }

    #[test]
    fn runtimes_are_reused_and_a_panic_does_not_leave_one_active() {
        run_here(async {}).unwrap();
        let caught = std::panic::catch_unwind(|| run_here(async { panic!("boom") }));
        assert!(caught.is_err());
        assert!(ACTIVE.with(Cell::get).is_null());
        assert_eq!(run_here(async { 7 }).unwrap(), 7);
    }

    #[test]
    fn pools_are_kept_per_client_and_dropped_with_it() {
        let mut pools = Pools::default();
        let a = TransportId::new();
        let b = TransportId::new();
        let built = Cell::new(0);
        let make = || {
            built.set(built.get() + 1);
            Ok(reqwest::Client::new())
        };
        pools.pool(&a, make).unwrap();
        pools.pool(&a, make).unwrap();
        pools.pool(&b, make).unwrap();
        assert_eq!((built.get(), pools.entries.len()), (2, 2));
        drop(a);
        let c = TransportId::new();
        pools.pool(&c, make).unwrap();
        assert_eq!(pools.entries.len(), 2, "the freed client's pool was kept");
    }
}
