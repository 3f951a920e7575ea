//! The event log of one run: SSE frames with their cursor numbers, appended by the run
//! and read (replayed, then followed live) by any number of streams.

use std::sync::Mutex;

use bytes::Bytes;
use serde_json::{Map, Value};
use tokio::sync::watch;

#[derive(Debug)]
struct Inner {
    /// (cursor number, encoded frame)
    events: Vec<(u64, Bytes)>,
    next_seq: u64,
    finished: bool,
}

/// Events of one run of one session.
#[derive(Debug)]
pub struct RunLog {
    session_id: String,
    inner: Mutex<Inner>,
    changed: watch::Sender<u64>,
}

/// Encodes one SSE frame: `data: <json>\n\n`.
pub fn frame(value: &Value) -> Bytes {
    let mut out = Vec::with_capacity(128);
    out.extend_from_slice(b"data: ");
    serde_json::to_writer(&mut out, value).unwrap_or_default();
    out.extend_from_slice(b"\n\n");
    Bytes::from(out)
}

impl RunLog {
    /// An empty log whose first event gets cursor number `first_seq`.
    pub fn new(session_id: &str, first_seq: u64) -> RunLog {
        RunLog {
            session_id: session_id.to_string(),
            inner: Mutex::new(Inner {
                events: Vec::new(),
                next_seq: first_seq,
                finished: false,
            }),
            changed: watch::Sender::new(0),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The session this run belongs to.
    pub fn session_id(&self) -> &str {
        &self.session_id
    }

    /// Cursor number the next event (of this or a following run) gets.
    pub fn next_seq(&self) -> u64 {
        self.lock().next_seq
    }

    /// Whether the run has ended (no more events will come).
    pub fn is_finished(&self) -> bool {
        self.lock().finished
    }

    /// Appends events (each gets a `stream_cursor`); with `finish` the log is closed after
    /// them. Returns false, appending nothing, when the log was already closed.
    pub fn append(&self, events: Vec<Map<String, Value>>, finish: bool) -> bool {
        {
            let mut inner = self.lock();
            if inner.finished {
                return false;
            }
            for mut ev in events {
                let seq = inner.next_seq;
                inner.next_seq += 1;
                ev.insert(
                    "stream_cursor".to_string(),
                    Value::String(format!("{}:{seq}", self.session_id)),
                );
                inner.events.push((seq, frame(&Value::Object(ev))));
            }
            inner.finished |= finish;
        }
        self.changed.send_modify(|v| *v += 1);
        true
    }

    /// Closes the log without further events (the session was deleted by a reset).
    pub fn abandon(&self) {
        self.lock().finished = true;
        self.changed.send_modify(|v| *v += 1);
    }

    /// Frames with a cursor number above `after`, and whether the log is closed.
    pub fn after(&self, after: u64) -> (Vec<(u64, Bytes)>, bool) {
        let inner = self.lock();
        let start = inner.events.partition_point(|(seq, _)| *seq <= after);
        (inner.events[start..].to_vec(), inner.finished)
    }

    /// A receiver that wakes on every change.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }
}
