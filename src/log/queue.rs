//! The process's queue of records waiting for the caller: bounded (the oldest are dropped and
//! counted), with a socket that is readable while records wait, for event loops. A child made
//! by `fork()` starts with an empty queue and a socket of its own.

use super::level::{setting_name, OFF};
use super::record::Record;
use super::Level;
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// The most records that wait; beyond it the oldest are dropped.
pub(crate) const CAPACITY: usize = 4096;

/// The queue's setting: records of this level and above are kept (`OFF` keeps none).
static SETTING: AtomicU8 = AtomicU8::new(OFF);

struct State {
    records: VecDeque<Record>,
    dropped: u64,
    signalled: bool,
    /// The fork generation the records belong to.
    generation: u64,
}

static STATE: Mutex<State> = Mutex::new(State {
    records: VecDeque::new(),
    dropped: 0,
    signalled: false,
    generation: 0,
});

/// The queue of this process (a child after `fork()` drops the records it inherited).
fn state() -> MutexGuard<'static, State> {
    // Every change under the lock is one step: a poisoned lock leaves a usable queue.
    let mut state = STATE.lock().unwrap_or_else(|p| p.into_inner());
    let generation = crate::runtime::fork::generation();
    if state.generation != generation {
        state.records.clear();
        state.dropped = 0;
        state.signalled = false;
        state.generation = generation;
    }
    state
}

/// A wake-up socket pair (reader, writer) and the fork generation it was made in.
type Wake = (u64, Arc<(UnixStream, UnixStream)>);

/// The wake-up socket pair of this process, made on first use and again in a child after
/// `fork()` (the parent's pair is left to the parent); `None` if it could not be made.
fn wake() -> Option<Arc<(UnixStream, UnixStream)>> {
    static PAIR: Mutex<Option<Wake>> = Mutex::new(None);
    let generation = crate::runtime::fork::generation();
    let mut slot = PAIR.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((made_in, pair)) = slot.as_ref() {
        if *made_in == generation {
            return Some(pair.clone());
        }
    }
    let (reader, writer) = UnixStream::pair().ok()?;
    reader.set_nonblocking(true).ok()?;
    writer.set_nonblocking(true).ok()?;
    let pair = Arc::new((reader, writer));
    // A parent's pair inherited through fork() is forgotten, not closed: it is the parent's.
    if let Some((_, inherited)) = slot.replace((generation, pair.clone())) {
        std::mem::forget(inherited);
    }
    Some(pair)
}

/// Whether the queue takes records of `level`.
pub(crate) fn accepts(level: Level) -> bool {
    level as u8 >= SETTING.load(Ordering::Relaxed)
}

/// Sets the queue's level (`OFF` for none) and returns the previous one's name. Turning the
/// queue off drops what waits.
pub(crate) fn set_setting(setting: u8) -> &'static str {
    let previous = SETTING.swap(setting, Ordering::Relaxed);
    if setting == OFF {
        let mut state = state();
        state.records.clear();
        state.dropped = 0;
    }
    setting_name(previous)
}

/// Queues `record`, dropping the oldest when full, and makes the socket readable.
pub(crate) fn push(record: Record) {
    let mut state = state();
    if state.records.len() >= CAPACITY {
        state.records.pop_front();
        state.dropped += 1;
    }
    state.records.push_back(record);
    if !state.signalled {
        state.signalled = true;
        if let Some(pair) = wake() {
            let writer = &pair.1;
            let byte = 1u8;
            // SAFETY: `writer` lives for the process; the buffer is one valid byte.
            // MSG_NOSIGNAL: never SIGPIPE; a full buffer (EAGAIN) already makes the reader ready.
            unsafe {
                libc::send(
                    writer.as_raw_fd(),
                    (&byte as *const u8).cast(),
                    1,
                    libc::MSG_NOSIGNAL | libc::MSG_DONTWAIT,
                )
            };
        }
    }
}

/// Takes every waiting record, oldest first: `{"records":[…],"dropped":N}`, where `dropped`
/// counts the records lost to the bound since the last take. Clears the socket.
pub(crate) fn take() -> Value {
    let mut state = state();
    let records: Vec<Value> = state.records.drain(..).map(|r| r.to_json()).collect();
    let dropped = std::mem::take(&mut state.dropped);
    if std::mem::take(&mut state.signalled) {
        if let Some(pair) = wake() {
            let reader = &pair.0;
            let mut sink = [0u8; 64];
            // SAFETY: `reader` lives for the process; the buffer is valid for its length. The
            // socket is non-blocking: the loop ends at EAGAIN.
            while unsafe {
                libc::recv(
                    reader.as_raw_fd(),
                    sink.as_mut_ptr().cast(),
                    sink.len(),
                    libc::MSG_DONTWAIT,
                )
            } > 0
            {}
        }
    }
    json!({ "records": records, "dropped": dropped })
}

/// The socket's readable end, or -1 when it could not be made.
pub(crate) fn fd() -> RawFd {
    wake().map_or(-1, |pair| pair.0.as_raw_fd())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::record::Event;

    // The only unit test that touches the process's queue.
    #[test]
    fn the_queue_is_bounded_counts_what_it_drops_and_keeps_nothing_when_off() {
        set_setting(Level::Info as u8);
        assert!(accepts(Level::Warn) && !accepts(Level::Debug));
        for n in 0..CAPACITY + 3 {
            push(Record::new(Level::Info, Event::Retry, n.to_string()));
        }
        let taken = take();
        let records = taken["records"].as_array().unwrap();
        assert_eq!(
            (records.len(), taken["dropped"].as_u64()),
            (CAPACITY, Some(3))
        );
        assert_eq!(records[0]["message"], "3", "the oldest went first");
        assert_eq!(take()["dropped"], 0);
        push(Record::new(Level::Info, Event::Retry, "x".into()));
        assert_eq!(set_setting(OFF), "info");
        assert_eq!(take()["records"].as_array().unwrap().len(), 0);
        assert!(!accepts(Level::Error));
    }
}
