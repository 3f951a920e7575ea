//! A session's message queue: entries, their wire form, which one goes out
//! next, and the `Idempotency-Key` window of queued deliveries.

use serde_json::{json, Value};

use crate::clock::{iso_seconds, now_millis};
use crate::ids::new_id;
use crate::store::Session;

/// At most this many entries per session.
pub const MAX_QUEUE: usize = 20;
/// A repeated `Idempotency-Key` replays its receipt for this long.
pub const IDEMPOTENCY_WINDOW_MS: u64 = 10 * 60 * 1000;

/// One queued message.
#[derive(Debug, Clone)]
pub struct Queued {
    /// `qmsg_…`.
    pub id: String,
    /// `msg_…`: the id of the user message it becomes when it goes out.
    pub message_id: String,
    /// The text to send.
    pub input: String,
    /// Who queued it.
    pub user_id: String,
    /// Being edited elsewhere: skipped until the edit ends.
    pub editing: bool,
    /// ISO-8601 creation time.
    pub created_at: String,
    /// ISO-8601 time of the last change.
    pub updated_at: String,
}

impl Queued {
    /// A new entry, not being edited.
    pub fn new(input: String, user_id: &str) -> Queued {
        let now = iso_seconds(now_millis());
        Queued {
            id: new_id("qmsg_"),
            message_id: new_id("msg_"),
            input,
            user_id: user_id.to_string(),
            editing: false,
            created_at: now.clone(),
            updated_at: now,
        }
    }

    /// Records a change now.
    pub fn touch(&mut self) {
        self.updated_at = iso_seconds(now_millis());
    }
}

/// One entry in wire form; `position` is 1-based.
pub fn entry_json(q: &Queued, position: usize) -> Value {
    json!({
        "id": q.id,
        "input": q.input,
        "state": if q.editing { "editing" } else { "queued" },
        "position": position,
        "created_at": q.created_at,
        "updated_at": q.updated_at,
    })
}

/// The whole queue in wire form.
pub fn queue_json(session: &Session) -> Value {
    Value::Array(
        session
            .queue
            .iter()
            .enumerate()
            .map(|(i, q)| entry_json(q, i + 1))
            .collect(),
    )
}

/// `{queued_message, queue}` for the entry with `id`.
pub fn with_entry(session: &Session, id: &str) -> Value {
    let entry = session
        .queue
        .iter()
        .enumerate()
        .find(|(_, q)| q.id == id)
        .map_or(Value::Null, |(i, q)| entry_json(q, i + 1));
    json!({"queued_message": entry, "queue": queue_json(session)})
}

/// Takes the first entry that is not being edited.
pub fn take_next(session: &mut Session) -> Option<Queued> {
    let index = session.queue.iter().position(|q| !q.editing)?;
    session.queue.remove(index)
}

/// The message id an earlier queued delivery with this key answered, if within the window.
pub fn replay(session: &Session, key: &str) -> Option<String> {
    let (id, at) = session.idempotency.get(key)?;
    (now_millis().saturating_sub(*at) < IDEMPOTENCY_WINDOW_MS).then(|| id.clone())
}

/// Whether a header value is a valid `Idempotency-Key`: 1 to 256 printable ASCII
/// characters without spaces.
pub fn valid_key(key: &str) -> bool {
    (1..=256).contains(&key.len()) && key.bytes().all(|b| (b'!'..=b'~').contains(&b))
}
