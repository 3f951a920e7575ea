//! Calls in flight that the caller's own event loop collects: each call runs as a task on the
//! library's runtime, and its stream events and its outcome wait in one ready queue until the
//! caller takes them. Nothing is pushed into the caller's code.
//!
//! Readiness is a byte on a socket pair: under the poller's lock, the first item pushed to an
//! empty queue sends one byte to the write end; [`Poller::take`], finding the queue empty, drains
//! the read end under the same lock. The read end is therefore readable whenever an item waits,
//! and no wake-up is lost whoever reads the bytes.
//!
//! Each stream holds at most [`IN_FLIGHT_BYTES`] of events in the queue, as a blocking stream
//! does: a caller that does not take them holds the stream back.

use crate::cancel::cancelled_error;
use crate::client::Client;
use crate::context::{CallContext, RequestOptions};
use crate::error::{Error, ErrorKind, Result};
use crate::operations::Prepared;
use crate::runtime::runtime;
use crate::stream::relay::{reserve, OwnedStart, IN_FLIGHT_BYTES};
use crate::stream::{EventInfo, EventSink, StreamSummary};
use futures_util::future::BoxFuture;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::io::{ErrorKind as IoErrorKind, Read};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use tokio::sync::Semaphore;
use tokio::task::AbortHandle;

/// What a call's task ends with: the blocking function's code and document.
pub type Outcome = Result<String>;

/// What a call's task ends with: its outcome, and the bytes of a bytes call that succeeded.
type Ended = (Outcome, Option<Vec<u8>>);

/// One ready item.
pub enum Item {
    /// A stream event of call `call`.
    Event {
        /// The call.
        call: u64,
        /// The event's JSON.
        text: String,
    },
    /// Call `call` ended; its ID is retired.
    Done {
        /// The call.
        call: u64,
        /// Its outcome, as the blocking function returns it.
        outcome: Outcome,
    },
}

/// An item in the queue; an event holds its bytes of its stream's budget until taken.
enum Queued {
    Event {
        call: u64,
        text: String,
        budget: Arc<Semaphore>,
        cost: u32,
    },
    Done {
        call: u64,
        outcome: Outcome,
    },
}

/// A call in flight (or ended, its `Done` not taken yet).
struct Entry {
    abort: Option<AbortHandle>,
    /// A stream's budget and what it handed to the queue (the summary a cancel reports).
    stream: Option<(Arc<Semaphore>, StreamSummary)>,
    /// Its `Done` is queued.
    ended: bool,
    /// Its options and what its requests saw.
    context: Arc<CallContext>,
    /// What its requests saw, from when it ended (kept once its `Done` is taken).
    info: Option<serde_json::Value>,
}

struct State {
    ready: VecDeque<Queued>,
    calls: HashMap<u64, Entry>,
    next_id: u64,
    /// A byte may be waiting in the socket.
    signalled: bool,
    /// The poller was freed: tasks still running drop what they would push.
    closed: bool,
    /// The bytes of ended bytes calls, until taken ([`Poller::take_bytes`]).
    bytes: HashMap<u64, Vec<u8>>,
    /// The infos of the calls whose `Done` was taken, until taken ([`Poller::take_call_info`]);
    /// at most [`HELD_INFOS`], the oldest dropped first (`info_order`).
    infos: HashMap<u64, serde_json::Value>,
    info_order: VecDeque<u64>,
}

/// The most call infos a poller keeps for the caller to take: a caller that never takes them
/// costs this much at most.
pub(crate) const HELD_INFOS: usize = 1024;

struct Shared {
    state: Mutex<State>,
    reader: UnixStream,
    writer: UnixStream,
    /// The fork generation the poller was made in: its tasks exist only there.
    generation: u64,
}

/// A set of calls in flight whose items the caller takes.
pub struct Poller {
    shared: Arc<Shared>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A panic while holding the lock leaves the queue consistent (every change is one step).
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    /// Queues `item`, signalling the socket when the queue was empty.
    fn push(&self, state: &mut State, item: Queued) {
        state.ready.push_back(item);
        if !state.signalled {
            state.signalled = true;
            let byte = 1u8;
            // SAFETY: `writer` is an open socket for the life of `self`; the buffer is one valid
            // byte. MSG_NOSIGNAL: a closed peer gives EPIPE, never SIGPIPE. A full buffer (EAGAIN)
            // already holds a byte, so the reader is readable either way.
            unsafe {
                libc::send(
                    self.writer.as_raw_fd(),
                    (&byte as *const u8).cast(),
                    1,
                    libc::MSG_NOSIGNAL | libc::MSG_DONTWAIT,
                )
            };
        }
    }

    /// Ends call `call` with `outcome` (and, for a bytes call that succeeded, its `bytes`),
    /// unless it was cancelled (or the poller freed) first.
    fn finish(&self, call: u64, (outcome, bytes): (Outcome, Option<Vec<u8>>)) {
        let mut state = lock(&self.state);
        if state.closed {
            return;
        }
        match state.calls.get_mut(&call) {
            Some(entry) if !entry.ended => {
                entry.ended = true;
                entry.info = Some(entry.context.info());
            }
            _ => return,
        }
        if let Some(bytes) = bytes {
            state.bytes.insert(call, bytes);
        }
        self.push(&mut state, Queued::Done { call, outcome });
    }
}

/// The stream's end in the poller: queues events while the stream's budget allows.
struct PollerSink {
    shared: Arc<Shared>,
    call: u64,
    budget: Arc<Semaphore>,
}

impl EventSink for PollerSink {
    fn take(&mut self, text: String, info: &EventInfo, resumes: u32) -> impl Future<Output = bool> {
        let info = info.clone();
        async move {
            // The budget is closed when the call is cancelled or the poller freed.
            let Some(cost) = reserve(&self.budget, text.len()).await else {
                return false;
            };
            let shared = Arc::clone(&self.shared);
            let mut state = lock(&shared.state);
            if state.closed {
                return false;
            }
            match state.calls.get_mut(&self.call) {
                Some(Entry {
                    stream: Some((_, summary)),
                    ended: false,
                    ..
                }) => {
                    summary.record(&info);
                    summary.resumes = resumes;
                }
                _ => return false,
            }
            let item = Queued::Event {
                call: self.call,
                text,
                budget: Arc::clone(&self.budget),
                cost,
            };
            shared.push(&mut state, item);
            true
        }
    }
}

/// A stream's outcome as the blocking function gives it: the summary, or an error carrying it.
fn stream_outcome(outcome: Result<()>, summary: StreamSummary) -> Outcome {
    match outcome {
        Ok(()) => Ok(summary.to_json().to_string()),
        Err(error) => Err(Error {
            stream: Some(Box::new(summary.to_json())),
            ..error
        }),
    }
}

/// Whether an error is a caller error found before anything was sent (codes 1–99).
fn refused_before_sending(error: &Error) -> bool {
    error.kind.code() < 100
}

/// The error for a call whose end was not taken yet.
fn not_taken_yet(id: u64) -> Error {
    Error::about(
        ErrorKind::InvalidArgument,
        "call_id",
        format!("call {id} has not ended, or its end was not taken yet: take its DONE item first"),
    )
}

/// The error of a poller used in a child process after `fork()`.
fn forked() -> Error {
    Error::new(
        ErrorKind::WrongThread,
        "this poller was made before fork(); its calls run only in the parent: make a new \
         poller in the child",
    )
}

impl Poller {
    /// A poller with no call in flight.
    pub fn new() -> Result<Poller> {
        let (reader, writer) = UnixStream::pair().map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!("cannot make a socket pair: {e}"),
            )
        })?;
        for end in [&reader, &writer] {
            end.set_nonblocking(true).map_err(|e| {
                Error::new(
                    ErrorKind::Internal,
                    format!("cannot make a socket non-blocking: {e}"),
                )
            })?;
        }
        let state = State {
            ready: VecDeque::new(),
            calls: HashMap::new(),
            next_id: 1,
            signalled: false,
            closed: false,
            bytes: HashMap::new(),
            infos: HashMap::new(),
            info_order: VecDeque::new(),
        };
        Ok(Poller {
            shared: Arc::new(Shared {
                state: Mutex::new(state),
                reader,
                writer,
                generation: crate::runtime::fork::generation(),
            }),
        })
    }

    /// The read end of the socket pair: readable while an item waits.
    pub fn fd(&self) -> RawFd {
        self.shared.reader.as_raw_fd()
    }

    fn check_process(&self) -> Result<()> {
        if self.shared.generation == crate::runtime::fork::generation() {
            Ok(())
        } else {
            Err(forked())
        }
    }

    /// Starts `prepared` on `client` and returns its call ID (never 0). A caller error found
    /// before anything is sent (a bad body, no credentials) is returned here and starts nothing.
    pub fn start(&self, client: Arc<Client>, prepared: Prepared) -> Result<u64> {
        self.start_with(client, prepared, RequestOptions::default())
    }

    /// As [`Poller::start`], with the call's own request `options`.
    pub(crate) fn start_with(
        &self,
        client: Arc<Client>,
        prepared: Prepared,
        options: RequestOptions,
    ) -> Result<u64> {
        self.check_process()?;
        let context = CallContext::new(options);
        let runtime = runtime()?;
        let shared = &self.shared;
        let id = {
            let mut state = lock(&shared.state);
            let id = state.next_id;
            state.next_id += 1;
            id
        };
        let (task, stream): (BoxFuture<'static, Ended>, _) = match prepared {
            Prepared::Call(make) => {
                let call = make(client, None);
                (Box::pin(async move { (call.await, None) }) as _, None)
            }
            Prepared::Bytes(make) => {
                let call = make(client, None);
                let task = async move {
                    match call.await {
                        Ok((bytes, document)) => (Ok(document), Some(bytes)),
                        Err(error) => (Err(error), None),
                    }
                };
                (Box::pin(task) as _, None)
            }
            Prepared::Stream(start) => {
                let budget = Arc::new(Semaphore::new(IN_FLIGHT_BYTES));
                let summary = StreamSummary::for_start(&start.borrowed());
                let sink = PollerSink {
                    shared: Arc::clone(shared),
                    call: id,
                    budget: Arc::clone(&budget),
                };
                (stream_task(client, start, sink), Some((budget, summary)))
            }
        };
        let mut task = Box::pin(CallContext::run(Arc::clone(&context), task));
        lock(&shared.state).calls.insert(
            id,
            Entry {
                abort: None,
                stream,
                ended: false,
                context,
                info: None,
            },
        );
        // The call's checks run before its first request: one poll here, inside the runtime's
        // context, runs them on this thread without waiting for anything.
        let _context = runtime.enter();
        let waker = futures_util::task::noop_waker_ref();
        let first = Pin::new(&mut task).poll(&mut Context::from_waker(waker));
        match first {
            Poll::Ready((Err(error), _)) if refused_before_sending(&error) => {
                lock(&shared.state).calls.remove(&id);
                return Err(error);
            }
            Poll::Ready(ended) => shared.finish(id, ended),
            Poll::Pending => {
                let finisher = Arc::clone(shared);
                let handle = runtime.spawn(async move {
                    let ended = task.await;
                    finisher.finish(id, ended);
                });
                let mut state = lock(&shared.state);
                let closed = state.closed;
                match state.calls.get_mut(&id) {
                    Some(entry) if !closed => entry.abort = Some(handle.abort_handle()),
                    _ => handle.abort(),
                }
            }
        }
        Ok(id)
    }

    /// Cancels call `id`: its task is aborted (its connection closes) and it ends with a
    /// `Cancelled` outcome, unless it had ended already. An unknown or retired ID is refused.
    pub fn cancel(&self, id: u64) -> Result<()> {
        self.check_process()?;
        let shared = &self.shared;
        let mut state = lock(&shared.state);
        let Some(entry) = state.calls.get_mut(&id) else {
            return Err(Error::about(
                ErrorKind::InvalidArgument,
                "call_id",
                format!(
                    "call {id} is not in flight on this poller (unknown, or its end was taken)"
                ),
            ));
        };
        if entry.ended {
            return Ok(());
        }
        entry.ended = true;
        entry.info = Some(entry.context.info());
        if let Some(abort) = entry.abort.take() {
            abort.abort();
        }
        // Settled as the call would settle its own cancellation: a write in flight may have
        // been acted on, and says what it may have made.
        let cancelled = entry.context.settle_cancelled(cancelled_error());
        let outcome = match &entry.stream {
            Some((budget, summary)) => {
                budget.close();
                stream_outcome(Err(cancelled), summary.clone())
            }
            None => Err(cancelled),
        };
        shared.push(&mut state, Queued::Done { call: id, outcome });
        Ok(())
    }

    /// Takes one ready item, or `None` when nothing is ready (never waits).
    pub fn take(&self) -> Result<Option<Item>> {
        self.check_process()?;
        let shared = &self.shared;
        let mut state = lock(&shared.state);
        match state.ready.pop_front() {
            Some(Queued::Event {
                call,
                text,
                budget,
                cost,
            }) => {
                budget.add_permits(cost as usize);
                Ok(Some(Item::Event { call, text }))
            }
            Some(Queued::Done { call, outcome }) => {
                if let Some(info) = state.calls.remove(&call).and_then(|entry| entry.info) {
                    if state.info_order.len() == HELD_INFOS {
                        if let Some(oldest) = state.info_order.pop_front() {
                            state.infos.remove(&oldest);
                        }
                    }
                    state.info_order.push_back(call);
                    state.infos.insert(call, info);
                }
                Ok(Some(Item::Done { call, outcome }))
            }
            None => {
                let mut sink = [0u8; 64];
                let mut reader = &shared.reader;
                loop {
                    match reader.read(&mut sink) {
                        Ok(n) if n > 0 => continue,
                        Err(e) if e.kind() == IoErrorKind::Interrupted => continue,
                        // EOF, EAGAIN or another error: nothing more to drain.
                        _ => break,
                    }
                }
                state.signalled = false;
                Ok(None)
            }
        }
    }

    /// Takes the bytes of the bytes call `id` (e.g. `download_artifact`), once, after its `Done`
    /// item was taken. Refused while the call's `Done` is still to be taken, and when no bytes
    /// are held for `id` (not a bytes call, failed, cancelled, already taken, or unknown).
    pub fn take_bytes(&self, id: u64) -> Result<Vec<u8>> {
        self.check_process()?;
        let mut state = lock(&self.shared.state);
        if state.calls.contains_key(&id) {
            return Err(not_taken_yet(id));
        }
        state.bytes.remove(&id).ok_or_else(|| {
            Error::about(
                ErrorKind::InvalidArgument,
                "call_id",
                format!(
                    "no bytes are held for call {id}: it is not a bytes call that succeeded, or \
                     its bytes were taken already"
                ),
            )
        })
    }

    /// Takes what the requests of call `id` saw (`{"attempts","duration_ms","request_id"}`),
    /// once, after its `Done` item was taken; the infos of the last [`HELD_INFOS`] calls whose
    /// `Done` was taken are kept. Refused before, and for an ID whose info was taken or dropped.
    pub fn take_call_info(&self, id: u64) -> Result<String> {
        self.check_process()?;
        let mut state = lock(&self.shared.state);
        if state.calls.contains_key(&id) {
            return Err(not_taken_yet(id));
        }
        let info = state.infos.remove(&id).ok_or_else(|| {
            Error::about(
                ErrorKind::InvalidArgument,
                "call_id",
                format!(
                    "no info is held for call {id}: unknown, taken already, or older than the \
                     last {HELD_INFOS} calls whose end was taken"
                ),
            )
        })?;
        state.info_order.retain(|&held| held != id);
        Ok(info.to_string())
    }

    /// Bytes calls whose bytes are held, not taken yet.
    pub fn held_bytes(&self) -> usize {
        lock(&self.shared.state).bytes.len()
    }

    /// Calls in flight or whose end is not taken yet.
    pub fn calls(&self) -> usize {
        lock(&self.shared.state).calls.len()
    }

    /// Events waiting to be taken, and the bytes of budget they hold.
    pub fn queued_events(&self) -> (usize, usize) {
        let state = lock(&self.shared.state);
        state
            .ready
            .iter()
            .fold((0, 0), |(n, bytes), item| match item {
                Queued::Event { cost, .. } => (n + 1, bytes + *cost as usize),
                Queued::Done { .. } => (n, bytes),
            })
    }
}

/// A stream run as one task: events go to `sink`, the outcome is the blocking one.
fn stream_task(
    client: Arc<Client>,
    start: OwnedStart,
    sink: PollerSink,
) -> BoxFuture<'static, Ended> {
    Box::pin(async move {
        let (outcome, summary) = client.stream_to(start.borrowed(), sink, None).await;
        (stream_outcome(outcome, summary), None)
    })
}

impl Drop for Poller {
    /// Cancels every call still in flight (their connections close) without waiting.
    fn drop(&mut self) {
        if self.check_process().is_err() {
            // In a forked child the lock may be held by a thread that does not exist here, and
            // the entries name the parent's tasks: leave the state untouched, never dropped.
            std::mem::forget(Arc::clone(&self.shared));
            return;
        }
        let mut state = lock(&self.shared.state);
        state.closed = true;
        state.ready.clear();
        state.bytes.clear();
        state.infos.clear();
        for (_, entry) in state.calls.drain() {
            if let Some(abort) = entry.abort {
                abort.abort();
            }
            if let Some((budget, _)) = entry.stream {
                budget.close();
            }
        }
    }
}
