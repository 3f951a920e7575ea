//! When a failed request may be repeated, and how long to wait first.
//!
//! Only repeats that are provably safe are made (docs/API.md §6):
//! - a connection that failed before the request was sent (`Connect`), for any request;
//! - HTTP 429 and 503, which say the request was not acted on, honouring `Retry-After` up to
//!   `max_backoff` (a longer wait is left to the caller: the error carries `retry_after_ms`);
//! - for reads (GET), also other 5xx statuses, time-outs and lost connections;
//! - for a create that carries a `session_id`, also an unknown outcome (time-out, lost
//!   connection, 500/502/504): a repeat answers 409 `session_already_exists` if the first one
//!   arrived, and the client then fetches that session. Exactly one session, never two.
//!
//! A POST that may have reached the server is otherwise never repeated.
//!
//! The same facts decide what a failed call's error document says (`retryable`, and
//! `details.may_have_created` / `details.session_id`): [`settle`] is the one place for both.

use crate::error::{Error, ErrorKind, Result};
use serde_json::{json, Value};
use std::time::Duration;

/// Default number of repeats after the first attempt.
pub(crate) const DEFAULT_MAX_RETRIES: u32 = 2;
/// Default longest wait between two attempts.
pub(crate) const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(8);
/// The first backoff step of a repeated request, doubled at each attempt.
const FIRST_BACKOFF: Duration = Duration::from_millis(200);

/// Exponential backoff: `first` for the first attempt, doubled at each further one, never more
/// than `max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Backoff {
    /// The first wait.
    pub first: Duration,
    /// The longest wait.
    pub max: Duration,
}

impl Backoff {
    /// The wait after failed attempt number `attempt` (1 for the first).
    pub(crate) fn step(&self, attempt: u32) -> Duration {
        self.first
            .saturating_mul(1 << attempt.saturating_sub(1).min(16))
            .min(self.max)
    }
}

/// How safe a request is to repeat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Repeat {
    /// A read: repeating it changes nothing.
    Idempotent,
    /// A write that may start work: repeated only when the server cannot have acted on it.
    Unsafe,
    /// A create with a caller-chosen `session_id`: a repeat cannot make a second session.
    CreateWithSessionId,
}

/// The retry settings of a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Repeats after the first attempt; 0 turns retries off.
    pub max_retries: u32,
    /// Longest wait between two attempts, and the most of a `Retry-After` that is honoured.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_retries: DEFAULT_MAX_RETRIES,
            max_backoff: DEFAULT_MAX_BACKOFF,
        }
    }
}

/// Whether the outcome of the failed request is unknown: it may have been acted on.
fn outcome_unknown(error: &Error) -> bool {
    match error.kind {
        ErrorKind::Timeout | ErrorKind::ConnectionLost => true,
        ErrorKind::Server => matches!(error.status(), Some(500 | 502 | 504)),
        _ => false,
    }
}

/// Whether the server said, or the transport knows, that it did not act on the request: a
/// connection never made, HTTP 429 or 503.
fn not_acted_on(error: &Error) -> bool {
    error.kind == ErrorKind::Connect || matches!(error.status(), Some(429 | 503))
}

/// Whether the same request, sent again, may get another answer: the failures of the moment
/// (connection, time-out, limits, 500/502/503/504), not a refusal.
fn may_succeed_later(error: &Error) -> bool {
    match error.kind {
        ErrorKind::Connect | ErrorKind::Timeout | ErrorKind::ConnectionLost => true,
        ErrorKind::RateLimited => true,
        ErrorKind::Server => matches!(error.status(), Some(500 | 502 | 503 | 504)),
        _ => false,
    }
}

/// Whether repeating the exact call that failed with `error` is safe and may succeed: the
/// rule behind the error document's `retryable`. A write that may have been acted on
/// (`error.unsafe_to_repeat`, set by [`settle`]) is never retryable: repeating it could do it
/// twice, or, for a create with a `session_id`, meet the caller's own session as a conflict.
pub(crate) fn retryable(error: &Error) -> bool {
    !error.unsafe_to_repeat && may_succeed_later(error)
}

/// What a write leaves on the server when it is acted on, as the error document names it in
/// `details.may_have_created`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Creates {
    /// A session (a create, or the create that opens a stream).
    Session,
    /// A message, and the run it starts (a send, or the send that opens a stream).
    Message,
}

impl Creates {
    /// The name used in `details.may_have_created`.
    pub fn name(self) -> &'static str {
        match self {
            Creates::Session => "session",
            Creates::Message => "message",
        }
    }
}

/// What is known of a call whose error is being settled.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CallFacts<'a> {
    /// How safe the call's request is to repeat.
    pub repeat: Repeat,
    /// What the call makes when it is acted on, if anything.
    pub creates: Option<Creates>,
    /// The session the call creates (a keyed create) or writes to, when known.
    pub session_id: Option<&'a str>,
    /// Whether the server may have acted on one of the call's requests: an attempt with an
    /// unknown outcome (the last one included), a cancellation while a request was in flight,
    /// or a stream that opened.
    pub may_have_acted: bool,
}

/// Settles the error a call ends with (the one place that decides it): a write that may have
/// been acted on is marked unsafe to repeat (so not `retryable`), and when it may have created
/// something its `details` say so: `may_have_created` (`"session"` or `"message"`) and
/// `session_id` when known, added to any details the error already has.
pub(crate) fn settle(mut error: Error, facts: &CallFacts<'_>) -> Error {
    if facts.repeat == Repeat::Idempotent || !facts.may_have_acted {
        return error;
    }
    error.unsafe_to_repeat = true;
    let Some(creates) = facts.creates else {
        return error;
    };
    let mut details = match error.details.take().map(|d| *d) {
        Some(Value::Object(map)) => map,
        Some(other) => {
            let mut map = serde_json::Map::new();
            map.insert("library".into(), other);
            map
        }
        None => serde_json::Map::new(),
    };
    details.insert("may_have_created".into(), json!(creates.name()));
    if let Some(id) = facts.session_id {
        details.entry("session_id").or_insert_with(|| json!(id));
    }
    error.details = Some(Box::new(Value::Object(details)));
    error
}

/// Whether `error` is the 409 `session_already_exists` of a create whose `session_id` is taken.
fn already_exists(error: &Error) -> bool {
    error.kind == ErrorKind::Conflict
        && error.server.as_ref().and_then(|s| s.code.as_deref()) == Some("session_already_exists")
}

/// The attempts of one request so far, and what they saw: the one retry state of every request
/// and of every stream's opening request.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Attempts {
    /// Attempts made.
    pub count: u32,
    /// Whether an attempt failed with an unknown outcome (it may have been acted on).
    pub outcome_unknown: bool,
}

impl Attempts {
    /// After the failure of attempt number `self.count` of a request of kind `repeat`: how long
    /// to wait before the next attempt, or the error to give up with (counting the attempts).
    pub(crate) fn next_wait(
        &mut self,
        policy: &RetryPolicy,
        repeat: Repeat,
        error: Error,
    ) -> Result<Duration> {
        let wait = match error.kind {
            ErrorKind::Cancelled => None,
            _ => policy.delay(repeat, &error, self.count),
        };
        match wait {
            Some(wait) => {
                self.outcome_unknown |= outcome_unknown(&error);
                Ok(wait)
            }
            None => {
                self.outcome_unknown |= outcome_unknown(&error);
                Err(Error {
                    attempts: self.count,
                    ..error
                })
            }
        }
    }

    /// Whether `error` says that an earlier attempt of this create, whose outcome was unknown,
    /// made the session: a repeat of a create with a `session_id` answers 409
    /// `session_already_exists` then.
    pub(crate) fn created_by_lost_attempt(&self, error: &Error) -> bool {
        self.outcome_unknown && already_exists(error)
    }
}

impl RetryPolicy {
    /// How long to wait before repeating a request of kind `repeat` that failed with `error` on
    /// attempt number `attempt` (1 for the first), or `None` when it must not be repeated.
    pub(crate) fn delay(&self, repeat: Repeat, error: &Error, attempt: u32) -> Option<Duration> {
        if attempt > self.max_retries {
            return None;
        }
        let allowed = not_acted_on(error)
            || match repeat {
                Repeat::Idempotent | Repeat::CreateWithSessionId => outcome_unknown(error),
                Repeat::Unsafe => false,
            };
        if !allowed {
            return None;
        }
        if let Some(ms) = error.server.as_ref().and_then(|s| s.retry_after_ms) {
            let wanted = Duration::from_millis(ms);
            return (wanted <= self.max_backoff).then_some(wanted);
        }
        // Exponential backoff with "equal jitter": half fixed, half random.
        let step = Backoff {
            first: FIRST_BACKOFF,
            max: self.max_backoff,
        }
        .step(attempt);
        Some(step / 2 + step.mul_f64(crate::random::fraction() / 2.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ServerError;

    fn status(code: u16, retry_after_ms: Option<u64>) -> Error {
        Error {
            server: Some(Box::new(ServerError {
                status: code,
                retry_after_ms,
                ..ServerError::default()
            })),
            ..Error::new(ErrorKind::from_status(code), "x")
        }
    }

    #[test]
    fn unsafe_writes_repeat_only_when_nothing_happened() {
        let p = RetryPolicy::default();
        assert!(p
            .delay(Repeat::Unsafe, &Error::new(ErrorKind::Connect, "x"), 1)
            .is_some());
        assert!(p.delay(Repeat::Unsafe, &status(503, None), 1).is_some());
        assert!(p
            .delay(Repeat::Unsafe, &status(429, Some(1000)), 1)
            .is_some());
        assert!(p
            .delay(Repeat::Unsafe, &Error::new(ErrorKind::Timeout, "x"), 1)
            .is_none());
        assert!(p
            .delay(
                Repeat::Unsafe,
                &Error::new(ErrorKind::ConnectionLost, "x"),
                1
            )
            .is_none());
        assert!(p.delay(Repeat::Unsafe, &status(502, None), 1).is_none());
        assert!(p.delay(Repeat::Unsafe, &status(409, None), 1).is_none());
    }

    #[test]
    fn reads_and_keyed_creates_repeat_after_unknown_outcomes() {
        let p = RetryPolicy::default();
        for repeat in [Repeat::Idempotent, Repeat::CreateWithSessionId] {
            assert!(p
                .delay(repeat, &Error::new(ErrorKind::Timeout, "x"), 1)
                .is_some());
            assert!(p.delay(repeat, &status(502, None), 2).is_some());
            assert!(p.delay(repeat, &status(400, None), 1).is_none());
        }
    }

    #[test]
    fn attempts_and_retry_after_are_bounded() {
        let p = RetryPolicy {
            max_retries: 1,
            max_backoff: Duration::from_secs(2),
        };
        let busy = status(503, None);
        assert!(p.delay(Repeat::Idempotent, &busy, 1).is_some());
        assert!(p.delay(Repeat::Idempotent, &busy, 2).is_none());
        assert_eq!(
            p.delay(Repeat::Idempotent, &status(429, Some(1500)), 1),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            p.delay(Repeat::Idempotent, &status(429, Some(60_000)), 1),
            None
        );
        let off = RetryPolicy {
            max_retries: 0,
            ..p
        };
        assert!(off.delay(Repeat::Idempotent, &busy, 1).is_none());
    }

    #[test]
    fn backoff_grows_and_stays_under_the_cap() {
        let p = RetryPolicy {
            max_retries: 10,
            max_backoff: Duration::from_millis(1000),
        };
        let lost = Error::new(ErrorKind::Connect, "x");
        for attempt in 1..=10 {
            let d = p.delay(Repeat::Unsafe, &lost, attempt).unwrap();
            assert!(d <= Duration::from_millis(1000), "{d:?}");
            let floor = (FIRST_BACKOFF * (1 << (attempt - 1))).min(p.max_backoff) / 2;
            assert!(d >= floor, "{d:?} < {floor:?}");
        }
    }
}
