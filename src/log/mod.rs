//! Structured records of what the library does on the wire: each attempt of a request, the
//! decision to repeat one, redirects, stream resumes, keyed-create recoveries and token
//! refreshes (docs in `gumloop_log_take`).
//!
//! Off by default. Records are *pulled* (DESIGN principle 11): they wait in one bounded queue per
//! process ([`queue`]) that the caller drains, woken by a file descriptor; `GUMLOOP_LOG=info` or
//! `debug` also writes them to stderr ([`stderr`]). A record never holds a credential, a user ID,
//! a header, a body or a URL's query: only the method, the path and facts the library made.

pub(crate) mod level;
pub(crate) mod queue;
pub(crate) mod record;
pub(crate) mod scope;
mod stderr;

pub(crate) use level::Level;
pub(crate) use record::Record;
pub(crate) use scope::{in_operation, operation};

/// Whether a record of `level` goes anywhere: the cheap test made before building one.
pub(crate) fn enabled(level: Level) -> bool {
    queue::accepts(level) || stderr::accepts(level)
}

/// Hands `record` to every sink that takes its level.
pub(crate) fn emit(record: Record) {
    if stderr::accepts(record.level) {
        stderr::write(&record);
    }
    if queue::accepts(record.level) {
        queue::push(record);
    }
}

/// Records that attempt number `attempt`, which failed with `(kind, status)`, is repeated
/// after `wait`.
pub(crate) fn retry(
    attempt: u32,
    (kind, status): (crate::error::ErrorKind, Option<u16>),
    wait: std::time::Duration,
) {
    if !enabled(Level::Info) {
        return;
    }
    let delay_ms = record::millis(wait);
    emit(
        Record::new(
            Level::Info,
            record::Event::Retry,
            format!(
                "attempt {attempt} failed ({}), repeating in {delay_ms} ms",
                kind.name()
            ),
        )
        .with("attempt", attempt)
        .with("reason", kind.name())
        .with("status", status)
        .with("delay_ms", delay_ms),
    );
}

/// Records a stream's `n`-th resume after `cursor`, because of `reason`.
pub(crate) fn resume(session_id: &str, cursor: &str, n: u32, reason: &crate::error::Error) {
    if !enabled(Level::Info) {
        return;
    }
    emit(
        Record::new(
            Level::Info,
            record::Event::Resume,
            format!(
                "stream of session {session_id} resumed after {cursor} (resume {n}): {}",
                reason.kind.name()
            ),
        )
        .with("session_id", session_id)
        .with("cursor", cursor)
        .with("resume", n)
        .with("reason", reason.kind.name()),
    );
}

/// Records that a keyed create's lost attempt was found to have made session `session_id`.
pub(crate) fn recovered(session_id: &str, attempts: u32) {
    if !enabled(Level::Info) {
        return;
    }
    emit(
        Record::new(
            Level::Info,
            record::Event::Recovered,
            format!(
                "session {session_id} was created by an earlier attempt; recovered after \
                 {attempts} attempts"
            ),
        )
        .with("session_id", session_id)
        .with("attempts", attempts),
    );
}
