//! Structured records of what the library does on the wire: each attempt of a request, the
//! decision to repeat one, redirects, stream resumes, keyed-create recoveries and token
//! refreshes (docs in `gumloop_log_take`).
//!
//! Off by default. Records are *pulled* (DESIGN principle 11): they wait in one bounded queue per
//! process ([`queue`]) that the caller drains, woken by a file descriptor; `GUMLOOP_LOG=info` or
//! `debug` also writes them to stderr ([`stderr`]). A record never holds a credential, a user ID,
//! a header, a body or a URL's query: only the method, the path and facts the library made.

mod events;
pub(crate) mod level;
pub(crate) mod queue;
pub(crate) mod record;
pub(crate) mod scope;
mod stderr;

pub(crate) use events::{attempt, recovered, redirect, resume, retry};
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
