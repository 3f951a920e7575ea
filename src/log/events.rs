//! One function per kind of record the library makes: each checks the level first, so a record
//! is built only when a sink takes it.

use super::record::{self, Event, Record};
use super::{emit, enabled, Level};

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
            Event::Retry,
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
            Event::Resume,
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
            Event::Recovered,
            format!(
                "session {session_id} was created by an earlier attempt; recovered after \
                 {attempts} attempts"
            ),
        )
        .with("session_id", session_id)
        .with("attempts", attempts),
    );
}

/// Records one request of `method` to `url` (its path only) that got `outcome` (a status, or
/// the error of a request that got no answer) after `elapsed`, the call's request number
/// `attempt`: at `debug` when it succeeded or redirects, at `info` when it failed.
pub(crate) fn attempt(
    method: &reqwest::Method,
    url: &url::Url,
    outcome: std::result::Result<u16, crate::error::ErrorKind>,
    elapsed: std::time::Duration,
    attempt: u32,
) {
    let level = match outcome {
        Ok(status) if status < 400 => Level::Debug,
        _ => Level::Info,
    };
    if !enabled(level) {
        return;
    }
    let path = record::path_of(url);
    let elapsed = record::millis(elapsed);
    let (status, shown) = match outcome {
        Ok(status) => (Some(status), status.to_string()),
        Err(kind) => (None, kind.name().to_string()),
    };
    let mut record = Record::new(
        level,
        Event::Attempt,
        format!("{method} {path} -> {shown} in {elapsed} ms (attempt {attempt})"),
    )
    .with("method", method.as_str())
    .with("path", path)
    .with("status", status);
    if let Err(kind) = outcome {
        record = record.with("error", kind.name());
    }
    emit(record.with("duration_ms", elapsed).with("attempt", attempt));
}

/// Records a redirect of `method` from `from` (answered `status`) to `to`, paths only.
pub(crate) fn redirect(method: &reqwest::Method, from: &url::Url, status: u16, to: &url::Url) {
    if !enabled(Level::Debug) {
        return;
    }
    let (from, to) = (record::path_of(from), record::path_of(to));
    emit(
        Record::new(
            Level::Debug,
            Event::Redirect,
            format!("{method} {from} -> {status}, following to {to}"),
        )
        .with("method", method.as_str())
        .with("path", from)
        .with("status", status)
        .with("to_path", to),
    );
}
