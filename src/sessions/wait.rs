//! Waiting for a session to settle: polling with backoff under an overall deadline.

use crate::cancel::{with_cancel, CancelToken};
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::json::parse_object;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// States in which a session waits for nobody but its caller.
pub(crate) const SETTLED_STATES: &[&str] = &["completed", "failed", "approval_required", "idle"];

/// How to wait.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WaitOptions {
    /// Overall deadline (default 10 minutes).
    pub timeout: Duration,
    /// First pause between two polls (default 250 ms); it grows by half each time.
    pub poll_interval: Duration,
    /// Longest pause between two polls (default 5 s).
    pub max_poll_interval: Duration,
}

impl Default for WaitOptions {
    fn default() -> WaitOptions {
        WaitOptions {
            timeout: Duration::from_secs(600),
            poll_interval: Duration::from_millis(250),
            max_poll_interval: Duration::from_secs(5),
        }
    }
}

impl WaitOptions {
    /// Parses `{"timeout_ms","poll_interval_ms","max_poll_interval_ms"}` (NULL means defaults).
    pub fn parse(options_json: Option<&str>) -> Result<WaitOptions> {
        let map = parse_object(options_json).map_err(|mut e| {
            e.param = Some("options_json".into());
            e
        })?;
        let mut options = WaitOptions::default();
        for (key, value) in &map {
            let slot = match key.as_str() {
                "timeout_ms" => &mut options.timeout,
                "poll_interval_ms" => &mut options.poll_interval,
                "max_poll_interval_ms" => &mut options.max_poll_interval,
                _ => {
                    return Err(Error::invalid_argument(key.as_str(),
                        format!("unknown wait option `{key}`; known: timeout_ms, poll_interval_ms, max_poll_interval_ms"),
                    ))
                }
            };
            match value.as_u64() {
                Some(ms) if ms > 0 => *slot = Duration::from_millis(ms),
                _ => {
                    return Err(Error::invalid_argument(
                        key.as_str(),
                        format!("`{key}` must be a positive whole number of milliseconds"),
                    ))
                }
            }
        }
        options.max_poll_interval = options.max_poll_interval.max(options.poll_interval);
        Ok(options)
    }
}

/// The `session.state` of an envelope.
fn state_of(envelope: &str) -> Option<String> {
    let value: Value = serde_json::from_str(envelope).ok()?;
    value["session"]["state"].as_str().map(str::to_owned)
}

impl Client {
    /// Polls `GET /sessions/{session_id}` until the session is `completed`, `failed`,
    /// `approval_required` or `idle`, and returns that envelope.
    ///
    /// Fails with `Timeout` at the deadline; the error's details hold the last state seen.
    pub async fn wait_session(
        &self,
        session_id: &str,
        options: WaitOptions,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let deadline = Instant::now() + options.timeout;
        let mut pause = options.poll_interval;
        let mut polls = 0u64;
        loop {
            let envelope = self.get_session(session_id, cancel).await?;
            polls += 1;
            let state = state_of(&envelope);
            if state
                .as_deref()
                .is_some_and(|s| SETTLED_STATES.contains(&s))
            {
                return Ok(envelope);
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "session {session_id} did not settle within {} ms",
                        options.timeout.as_millis()
                    ),
                )
                .with_details(json!({ "last_state": state, "polls": polls })));
            }
            let nap = pause.min(deadline - now);
            with_cancel(cancel, tokio::time::sleep(nap)).await?;
            pause = (pause + pause / 2).min(options.max_poll_interval);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse_with_defaults_and_refuse_unknown_keys() {
        assert_eq!(WaitOptions::parse(None).unwrap(), WaitOptions::default());
        let o = WaitOptions::parse(Some(r#"{"timeout_ms":1000,"poll_interval_ms":10}"#)).unwrap();
        assert_eq!(o.timeout, Duration::from_secs(1));
        assert_eq!(o.poll_interval, Duration::from_millis(10));
        let e = WaitOptions::parse(Some(r#"{"timeout":1}"#)).unwrap_err();
        assert_eq!(e.param.as_deref(), Some("timeout"));
        let e = WaitOptions::parse(Some(r#"{"timeout_ms":0}"#)).unwrap_err();
        assert_eq!(e.param.as_deref(), Some("timeout_ms"));
    }

    #[test]
    fn reads_the_state() {
        assert_eq!(
            state_of(r#"{"session":{"state":"completed"}}"#).as_deref(),
            Some("completed")
        );
        assert_eq!(state_of("{}"), None);
    }
}
