//! Streaming a session's events over SSE, with automatic resume from the last cursor when the
//! connection drops, stalls or ends before the final `finish` event.

use crate::body::{self, parse_object};
use crate::cancel::{with_cancel, CancelToken};
use crate::client::{Call, CallAuth, Client};
use crate::error::{Error, ErrorKind, Result};
use crate::paths::Segment;
use crate::retry::Repeat;
use crate::send_body::check_stream_send;
use crate::sessions::agent_sessions_path;
use crate::sse::{decode, SseDecoder, SseEvent};
use crate::transport::classify;
use reqwest::Method;
use serde_json::{json, Map, Value};
use std::time::Duration;

/// Resumes tried in a row without receiving an event before the stream is given up.
pub const MAX_RESUME_ATTEMPTS: u32 = 5;
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// How a stream starts.
#[derive(Clone, Copy, Debug)]
pub enum StreamStart<'a> {
    /// Create a session and stream its first run (`POST /agents/{agent_id}/sessions`).
    Create {
        /// The agent.
        agent_id: &'a str,
        /// The create body (NULL means `{}`); `stream: true` is added.
        body_json: Option<&'a str>,
    },
    /// Send a message and stream the run it starts (`POST /sessions/{session_id}/messages`).
    Send {
        /// The session.
        session_id: &'a str,
        /// The message body; `stream: true` is added.
        body_json: Option<&'a str>,
    },
    /// Resume a session's stream after `cursor` (`GET /sessions/{session_id}?stream=true`).
    Resume {
        /// The session.
        session_id: &'a str,
        /// The last `stream_cursor` seen.
        cursor: &'a str,
    },
}

/// What a stream delivered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StreamSummary {
    /// The session streamed (from the call, or from `interaction_id`).
    pub session_id: Option<String>,
    /// The last `stream_cursor` delivered: resume from it.
    pub last_cursor: Option<String>,
    /// `finishReason` of the final event: `stop`, `error`, `not_resumable`, …
    pub finish_reason: Option<String>,
    /// Whether the final `finish` event (`final: true`) arrived.
    pub finished: bool,
    /// Events delivered to the callback.
    pub events: u64,
    /// Automatic resumes made.
    pub resumes: u32,
}

impl StreamSummary {
    /// The summary document:
    /// `{"session_id","last_cursor","finish_reason","final","events","resumes"}`.
    pub fn to_json(&self) -> Value {
        json!({
            "session_id": self.session_id,
            "last_cursor": self.last_cursor,
            "finish_reason": self.finish_reason,
            "final": self.finished,
            "events": self.events,
            "resumes": self.resumes,
        })
    }
}

/// `body` with `"stream": true` added, leaving every other byte as the caller wrote it.
fn with_stream_true(body_json: Option<&str>, fields: &Map<String, Value>) -> Result<String> {
    let text = body_json.map(str::trim).unwrap_or("");
    match fields.get("stream") {
        Some(Value::Bool(true)) => return Ok(text.to_string()),
        Some(_) => {
            return Err(Error::about(
                ErrorKind::InvalidArgument,
                "stream",
                "a streaming call needs `stream` to be true or absent",
            ))
        }
        None => {}
    }
    if fields.is_empty() {
        return Ok(r#"{"stream":true}"#.to_string());
    }
    // A non-empty JSON object's text starts with `{`, so the field can go right after it.
    Ok(format!(r#"{{"stream":true,{}"#, &text[1..]))
}

/// Why one connection's stream ended.
enum Ended {
    /// The final event arrived.
    Final,
    /// The callback asked to stop.
    Stopped,
    /// The connection dropped, stalled or closed early: resume if possible.
    Dropped(Error),
}

/// The state of one streaming call across its connections.
struct Streamer<'a> {
    summary: StreamSummary,
    on_event: &'a mut dyn FnMut(&str) -> bool,
}

impl Streamer<'_> {
    /// Delivers one decoded event; returns how the stream ends, if it does.
    fn deliver(&mut self, event: &SseEvent) -> Option<Ended> {
        let (object, verbatim) = decode(event);
        let cursor = object
            .get("stream_cursor")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if cursor.is_some() && cursor == self.summary.last_cursor {
            return None; // replayed by a resume that included its starting point
        }
        if let Some(id) = object.get("interaction_id").and_then(Value::as_str) {
            self.summary.session_id = Some(id.to_string());
        }
        let is_final = object.get("type").and_then(Value::as_str) == Some("finish")
            && object.get("final").and_then(Value::as_bool) == Some(true);
        if is_final {
            self.summary.finish_reason = object
                .get("finishReason")
                .and_then(Value::as_str)
                .map(str::to_owned);
        }
        let rebuilt;
        let text = if verbatim {
            event.data.as_str()
        } else {
            rebuilt = Value::Object(object).to_string();
            rebuilt.as_str()
        };
        if cursor.is_some() {
            self.summary.last_cursor = cursor;
        }
        self.summary.events += 1;
        if !(self.on_event)(text) {
            return Some(Ended::Stopped);
        }
        if is_final {
            self.summary.finished = true;
            return Some(Ended::Final);
        }
        None
    }
}

impl Client {
    fn stream_call<'a>(&self, start: StreamStart<'_>, auth: &'a CallAuth) -> Result<Call<'a>> {
        let (method, url, body) = match start {
            StreamStart::Create {
                agent_id,
                body_json,
            } => {
                let url = self.stream_url(&agent_sessions_path(agent_id))?;
                let mut fields = parse_object(body_json)?;
                let body = with_stream_true(body_json, &fields)?;
                fields.remove("stream");
                body::check_create(&fields)?;
                (Method::POST, url, Some(body))
            }
            StreamStart::Send {
                session_id,
                body_json,
            } => {
                let url = self.stream_url(&[
                    Segment::Fixed("sessions"),
                    Segment::Id {
                        param: "session_id",
                        value: session_id,
                    },
                    Segment::Fixed("messages"),
                ])?;
                let mut fields = parse_object(body_json)?;
                let body = with_stream_true(body_json, &fields)?;
                fields.remove("stream");
                check_stream_send(&fields)?;
                (Method::POST, url, Some(body))
            }
            StreamStart::Resume { session_id, cursor } => {
                if cursor.is_empty() {
                    return Err(Error::about(
                        ErrorKind::InvalidArgument,
                        "cursor",
                        "`cursor` must be a non-empty stream_cursor",
                    ));
                }
                let mut url = self.stream_url(&[
                    Segment::Fixed("sessions"),
                    Segment::Id {
                        param: "session_id",
                        value: session_id,
                    },
                ])?;
                url.query_pairs_mut()
                    .append_pair("stream", "true")
                    .append_pair("last_cursor", cursor);
                (Method::GET, url, None)
            }
        };
        let mut call = Call::json(method, url, body, auth);
        call.stream = true;
        Ok(call)
    }

    /// Opens one connection and delivers its events until it ends.
    async fn stream_once(&self, call: &Call<'_>, streamer: &mut Streamer<'_>) -> Result<Ended> {
        let idle = self.config().stream_idle_timeout;
        let request = self.request(call)?;
        let mut response = match tokio::time::timeout(idle, request.send()).await {
            Ok(sent) => sent.map_err(classify)?,
            Err(_) => {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    "no answer to the stream request within the stream idle timeout",
                ))
            }
        };
        if !response.status().is_success() {
            return Err(self.error_of(response).await);
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if !content_type.starts_with("text/event-stream") {
            return Err(Error::new(
                ErrorKind::InvalidResponse,
                format!("expected an event stream, got content type {content_type:?}"),
            ));
        }
        let max = usize::try_from(self.config().max_response_bytes).unwrap_or(usize::MAX);
        let mut decoder = SseDecoder::new(max);
        let mut events = Vec::new();
        loop {
            let chunk = match tokio::time::timeout(idle, response.chunk()).await {
                Err(_) => {
                    return Ok(Ended::Dropped(Error::new(
                        ErrorKind::Timeout,
                        format!("the stream was idle for {} ms", idle.as_millis()),
                    )))
                }
                Ok(Err(e)) => return Ok(Ended::Dropped(classify(e))),
                Ok(Ok(None)) => {
                    return Ok(Ended::Dropped(Error::new(
                        ErrorKind::StreamIncomplete,
                        "the stream closed before its final event",
                    )))
                }
                Ok(Ok(Some(chunk))) => chunk,
            };
            decoder.feed(&chunk, &mut events)?;
            for event in events.drain(..) {
                if let Some(end) = streamer.deliver(&event) {
                    return Ok(end);
                }
            }
        }
    }

    /// Streams a session's events to `on_event` (which returns `false` to stop), resuming
    /// automatically from the last cursor when the connection drops before the final event.
    ///
    /// Succeeds only when the final `finish` event (`final: true`) arrived; its
    /// `finish_reason` may be `not_resumable` (the run ended before it could be resumed).
    pub async fn stream(
        &self,
        start: StreamStart<'_>,
        on_event: &mut dyn FnMut(&str) -> bool,
        cancel: Option<&CancelToken>,
    ) -> Result<StreamSummary> {
        let auth = CallAuth::default();
        let first = self.stream_call(start, &auth)?;
        let mut streamer = Streamer {
            summary: StreamSummary::default(),
            on_event,
        };
        if let StreamStart::Send { session_id, .. } | StreamStart::Resume { session_id, .. } = start
        {
            streamer.summary.session_id = Some(session_id.to_string());
        }
        if let StreamStart::Resume { cursor, .. } = start {
            streamer.summary.last_cursor = Some(cursor.to_string());
        }
        let outcome = with_cancel(cancel, self.stream_all(first, &mut streamer)).await;
        let summary = streamer.summary;
        match outcome {
            Ok(Ok(())) => Ok(summary),
            Ok(Err(error)) | Err(error) => Err(Error {
                stream: Some(Box::new(summary.to_json())),
                ..error
            }),
        }
    }

    async fn stream_all(&self, first: Call<'_>, streamer: &mut Streamer<'_>) -> Result<()> {
        let auth = CallAuth::default();
        let mut call = first;
        let mut failures = 0u32;
        let mut backoff = FIRST_BACKOFF;
        let mut first_attempts = 0u32;
        loop {
            let before = streamer.summary.events;
            let outcome = self.stream_once(&call, streamer).await;
            let reason = match outcome {
                Ok(Ended::Final) => return Ok(()),
                Ok(Ended::Stopped) => {
                    return Err(Error::new(
                        ErrorKind::Cancelled,
                        "the event callback stopped the stream",
                    ))
                }
                Ok(Ended::Dropped(reason)) => reason,
                // The first request is repeated only when the server cannot have acted on it.
                Err(error) if streamer.summary.resumes == 0 && before == 0 => {
                    first_attempts += 1;
                    let retry = &self.config().retry;
                    match retry.delay(Repeat::Unsafe, &error, first_attempts) {
                        Some(wait) => {
                            tokio::time::sleep(wait).await;
                            continue;
                        }
                        None => {
                            return Err(Error {
                                attempts: first_attempts,
                                ..error
                            })
                        }
                    }
                }
                Err(error)
                    if error
                        .server
                        .as_ref()
                        .is_some_and(|s| s.status < 500 && s.status != 429) =>
                {
                    return Err(error)
                }
                Err(error) => error,
            };
            if streamer.summary.events > before {
                failures = 0;
                backoff = FIRST_BACKOFF;
            }
            failures += 1;
            let (Some(session_id), Some(cursor)) = (
                streamer.summary.session_id.clone(),
                streamer.summary.last_cursor.clone(),
            ) else {
                return Err(Error::new(
                    ErrorKind::StreamIncomplete,
                    format!(
                        "the stream ended before its final event, with no cursor to resume from: {}",
                        reason.message
                    ),
                ));
            };
            if failures > MAX_RESUME_ATTEMPTS {
                return Err(Error::new(
                    ErrorKind::StreamIncomplete,
                    format!(
                        "the stream could not be resumed after {MAX_RESUME_ATTEMPTS} attempts: {}",
                        reason.message
                    ),
                ));
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
            streamer.summary.resumes += 1;
            call = self.stream_call(
                StreamStart::Resume {
                    session_id: &session_id,
                    cursor: &cursor,
                },
                &auth,
            )?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_true_is_added_without_touching_the_rest() {
        let text = r#"{"input":"x","n":2.50}"#;
        let fields = parse_object(Some(text)).unwrap();
        assert_eq!(
            with_stream_true(Some(text), &fields).unwrap(),
            r#"{"stream":true,"input":"x","n":2.50}"#
        );
        let empty = parse_object(None).unwrap();
        assert_eq!(
            with_stream_true(None, &empty).unwrap(),
            r#"{"stream":true}"#
        );
        let off = parse_object(Some(r#"{"stream":false}"#)).unwrap();
        assert_eq!(
            with_stream_true(Some(r#"{"stream":false}"#), &off)
                .unwrap_err()
                .param
                .as_deref(),
            Some("stream")
        );
    }
}
