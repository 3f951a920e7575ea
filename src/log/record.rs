//! One log record, and its JSON form (the shape `gumloop_log_take` documents).

use super::level::Level;
use serde_json::{json, Map, Value};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What a record is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    /// One request sent and its answer (or the transport error instead of one).
    Attempt,
    /// A failed attempt that will be repeated after a wait.
    Retry,
    /// A redirect followed.
    Redirect,
    /// A stream resumed after a cursor.
    Resume,
    /// A keyed create whose lost first attempt was found to have made the session.
    Recovered,
    /// An access token refreshed after a 401 (or the attempt to).
    Refresh,
}

impl Event {
    fn name(self) -> &'static str {
        match self {
            Event::Attempt => "attempt",
            Event::Retry => "retry",
            Event::Redirect => "redirect",
            Event::Resume => "resume",
            Event::Recovered => "recovered",
            Event::Refresh => "refresh",
        }
    }
}

/// A record: its level, its event, the operation it belongs to, its fields and a human line.
#[derive(Clone, Debug)]
pub(crate) struct Record {
    /// Severity.
    pub level: Level,
    event: Event,
    ts_ms: u64,
    operation: Option<&'static str>,
    fields: Map<String, Value>,
    message: String,
}

/// The path of `url`, never its query or fragment (a signed URL's signature, a `team_id`).
pub(crate) fn path_of(url: &url::Url) -> String {
    url.path().to_string()
}

/// A duration in whole milliseconds.
pub(crate) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

impl Record {
    /// A record of `event` at `level` with the human line `message`, in the current operation.
    pub(crate) fn new(level: Level, event: Event, message: String) -> Record {
        let ts_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, millis);
        Record {
            level,
            event,
            ts_ms,
            operation: super::operation(),
            fields: Map::new(),
            message,
        }
    }

    /// The record with field `name` set to `value`.
    pub(crate) fn with(mut self, name: &str, value: impl Into<Value>) -> Record {
        self.fields.insert(name.to_string(), value.into());
        self
    }

    /// The record's JSON object: `ts_ms`, `level`, `event`, `operation`, the event's fields and
    /// `message`.
    pub(crate) fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("ts_ms".into(), json!(self.ts_ms));
        map.insert("level".into(), json!(self.level.name()));
        map.insert("event".into(), json!(self.event.name()));
        map.insert("operation".into(), json!(self.operation));
        map.extend(self.fields.iter().map(|(k, v)| (k.clone(), v.clone())));
        map.insert("message".into(), json!(self.message));
        Value::Object(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_has_its_fields_in_order_and_never_a_query() {
        let url = url::Url::parse("https://h.example/api/v1/x?team_id=t&sig=abc").unwrap();
        let record = Record::new(Level::Debug, Event::Attempt, "m".into())
            .with("path", path_of(&url))
            .with("status", 200);
        let value = record.to_json();
        let text = value.to_string();
        assert_eq!(
            (&value["level"], &value["event"], &value["operation"]),
            (&json!("debug"), &json!("attempt"), &Value::Null),
            "{text}"
        );
        assert!(value["ts_ms"].as_u64().is_some_and(|t| t > 0), "{text}");
        assert_eq!(value["path"], "/api/v1/x", "{text}");
        assert!(!text.contains("sig") && !text.contains("team_id"), "{text}");
    }
}
