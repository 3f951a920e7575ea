//! The log of received requests, read by tests through `GET /_emulator/requests`.

use std::collections::VecDeque;

use hyper::http::request::Parts;
use serde_json::{json, Map, Value};

use crate::app::Listener;
use crate::clock::{iso_millis, now_millis};

/// Bounded log of requests, oldest dropped first.
#[derive(Debug)]
pub struct RequestLog {
    limit: usize,
    next_seq: u64,
    dropped: u64,
    entries: VecDeque<Value>,
}

impl RequestLog {
    /// An empty log that keeps at most `limit` entries.
    pub fn new(limit: usize) -> RequestLog {
        RequestLog {
            limit,
            next_seq: 1,
            dropped: 0,
            entries: VecDeque::new(),
        }
    }

    /// Records one request. `fault` names the fault applied to it, if any.
    pub fn record(&mut self, listener: Listener, parts: &Parts, body: &[u8], fault: Option<&str>) {
        if self.limit == 0 {
            self.dropped += 1;
            return;
        }
        let mut headers = Map::new();
        for (name, value) in &parts.headers {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            match headers.get_mut(name.as_str()) {
                Some(Value::String(prev)) => {
                    prev.push_str(", ");
                    prev.push_str(&value);
                }
                _ => {
                    headers.insert(name.as_str().to_string(), Value::String(value));
                }
            }
        }
        let entry = json!({
            "seq": self.next_seq,
            "listener": listener.as_str(),
            "method": parts.method.as_str(),
            "path": parts.uri.path(),
            "query": parts.uri.query(),
            "headers": headers,
            "body": String::from_utf8_lossy(body),
            "time": iso_millis(now_millis()),
            "fault": fault,
        });
        self.next_seq += 1;
        if self.entries.len() >= self.limit {
            self.entries.pop_front();
            self.dropped += 1;
        }
        self.entries.push_back(entry);
    }

    /// The log as a JSON document.
    pub fn to_json(&self) -> Value {
        json!({
            "requests": self.entries,
            "dropped": self.dropped,
        })
    }

    /// Empties the log.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.dropped = 0;
    }

    /// Number of entries held.
    pub fn held(&self) -> usize {
        self.entries.len()
    }
}
