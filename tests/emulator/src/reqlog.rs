//! The log of received requests, read by tests through `GET /_emulator/requests`.

use std::collections::VecDeque;

use hyper::header::HeaderName;
use hyper::http::request::Parts;
use hyper::Method;
use serde_json::{json, Map, Value};

use crate::app_state::Listener;
use crate::clock::{iso_millis, now_millis};

/// One received request, kept compact; turned into JSON only when the log is read.
#[derive(Debug)]
struct Entry {
    seq: u64,
    listener: Listener,
    method: Method,
    path: String,
    query: Option<String>,
    headers: Vec<(HeaderName, Box<[u8]>)>,
    body: Box<[u8]>,
    millis: u64,
    fault: Option<String>,
}

impl Entry {
    fn to_json(&self) -> Value {
        let mut headers = Map::new();
        for (name, value) in &self.headers {
            let value = String::from_utf8_lossy(value).into_owned();
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
        json!({
            "seq": self.seq,
            "listener": self.listener.as_str(),
            "method": self.method.as_str(),
            "path": self.path,
            "query": self.query,
            "headers": headers,
            "body": String::from_utf8_lossy(&self.body),
            "time": iso_millis(self.millis),
            "fault": self.fault,
        })
    }
}

/// Bounded log of requests, oldest dropped first.
#[derive(Debug)]
pub struct RequestLog {
    limit: usize,
    next_seq: u64,
    dropped: u64,
    entries: VecDeque<Entry>,
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

    /// Records one request and returns its sequence number (the `seq` of its entry, and the
    /// `x-request-id` the emulator answers it with). `fault` names the fault applied to it.
    pub fn record(
        &mut self,
        listener: Listener,
        parts: &Parts,
        body: &[u8],
        fault: Option<&str>,
    ) -> u64 {
        if self.limit == 0 {
            self.dropped += 1;
            self.next_seq += 1;
            return self.next_seq - 1;
        }
        // Copies, so that no entry keeps a connection's read buffer alive.
        let entry = Entry {
            seq: self.next_seq,
            listener,
            method: parts.method.clone(),
            path: parts.uri.path().to_string(),
            query: parts.uri.query().map(str::to_string),
            headers: parts
                .headers
                .iter()
                .map(|(n, v)| (n.clone(), Box::from(v.as_bytes())))
                .collect(),
            body: Box::from(body),
            millis: now_millis(),
            fault: fault.map(str::to_string),
        };
        self.next_seq += 1;
        if self.entries.len() >= self.limit {
            self.entries.pop_front();
            self.dropped += 1;
        }
        self.entries.push_back(entry);
        self.next_seq - 1
    }

    /// The log as a JSON document.
    pub fn to_json(&self) -> Value {
        json!({
            "requests": self.entries.iter().map(Entry::to_json).collect::<Vec<_>>(),
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
