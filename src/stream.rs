//! Streaming a session's events over SSE, with automatic resume from the last cursor when the
//! connection drops, stalls or ends before the final `finish` event.

use crate::body::{self, parse_object};
use crate::cancel::{with_cancel, CancelToken};
use crate::client::{Call, CallAuth, Client};
use crate::error::{Error, ErrorKind, Result};
use crate::paths::Segment;
use crate::replay::Replay;
use crate::retry::Repeat;
use crate::send_body::check_stream_send;
use crate::sessions::{agent_sessions_path, already_exists};
use crate::sse::{decode, SseDecoder, SseEvent};
use crate::transport::classify;
use reqwest::Method;
use serde_json::{json, Map, Value};
use std::future::Future;
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

impl StreamSummary {
    /// The summary before any event: a send or resume knows its session, a resume its cursor.
    pub fn for_start(start: &StreamStart<'_>) -> StreamSummary {
        let mut summary = StreamSummary::default();
        if let StreamStart::Send { session_id, .. } | StreamStart::Resume { session_id, .. } = start
        {
            summary.session_id = Some(session_id.to_string());
        }
        if let StreamStart::Resume { cursor, .. } = start {
            summary.last_cursor = Some(cursor.to_string());
        }
        summary
    }

    /// Counts one event handed to the callback, taking what it tells of the stream.
    pub fn record(&mut self, info: &EventInfo) {
        if let Some(id) = &info.session_id {
            self.session_id = Some(id.clone());
        }
        if info.is_final {
            self.finish_reason.clone_from(&info.finish_reason);
        }
        if info.cursor.is_some() {
            self.last_cursor.clone_from(&info.cursor);
        }
        self.events += 1;
    }
}

/// The error of a stream its callback stopped.
pub(crate) fn stopped_by_callback() -> Error {
    Error::new(
        ErrorKind::Cancelled,
        "the event callback stopped the stream",
    )
}

/// The error of a keyed streaming create whose first attempt created the session but lost its
/// answer: the repeat met 409 `session_already_exists`, and without a cursor the run's events
/// cannot be replayed. Exactly one session exists; the caller can retrieve or wait for it.
fn created_by_lost_attempt(session_id: Option<&str>, attempts: u32) -> Error {
    let id = session_id.unwrap_or("(unknown)");
    let mut error = Error::new(
        ErrorKind::StreamIncomplete,
        format!(
            "session {id} was created by an earlier attempt whose answer was lost; its events \
             cannot be replayed without a cursor: retrieve the session or wait for it"
        ),
    );
    error.attempts = attempts;
    error.details = Some(Box::new(
        json!({ "session_id": session_id, "created": true }),
    ));
    error
}

/// What the library reads from an event, beside its text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventInfo {
    /// Its `stream_cursor`.
    pub cursor: Option<String>,
    /// Its `interaction_id`: the session streamed.
    pub session_id: Option<String>,
    /// Whether it is the final event (`type: finish`, `final: true`).
    pub is_final: bool,
    /// The final event's `finishReason`.
    pub finish_reason: Option<String>,
}

/// Where a stream's events go, in order.
pub trait EventSink {
    /// Takes one event (its JSON text, and what the library read from it); returns `false` to
    /// stop the stream. It may wait, which holds the stream back.
    fn take(&mut self, text: String, info: &EventInfo, resumes: u32) -> impl Future<Output = bool>;
}

/// A sink that calls a function for each event, wherever the stream is polled.
pub struct CallbackSink<'a>(pub &'a mut dyn FnMut(&str) -> bool);

impl EventSink for CallbackSink<'_> {
    fn take(&mut self, text: String, _: &EventInfo, _: u32) -> impl Future<Output = bool> {
        std::future::ready((self.0)(&text))
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
struct Streamer<S> {
    /// What was received and handed to the sink.
    summary: StreamSummary,
    /// What was delivered, so that a resume's replay is not delivered again.
    replay: Replay,
    sink: S,
}

/// What the library reads from `event`, and its text for the callback.
fn inspect(event: SseEvent) -> (String, EventInfo) {
    let (object, verbatim) = decode(&event);
    let text_of = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
    let cursor = text_of("stream_cursor");
    let is_final = object.get("type").and_then(Value::as_str) == Some("finish")
        && object.get("final").and_then(Value::as_bool) == Some(true);
    let info = EventInfo {
        session_id: text_of("interaction_id"),
        finish_reason: is_final.then(|| text_of("finishReason")).flatten(),
        cursor,
        is_final,
    };
    let text = if verbatim {
        event.data
    } else {
        Value::Object(object).to_string()
    };
    (text, info)
}

impl<S: EventSink> Streamer<S> {
    /// Takes one decoded event off the wire; returns how the stream ends, if it does.
    async fn deliver(&mut self, event: SseEvent) -> Option<Ended> {
        let ready = self.replay.take(inspect(event));
        self.hand_over(ready).await
    }

    /// The connection ended: the events held back while a resume was undecided are delivered.
    async fn connection_ended(&mut self) -> Option<Ended> {
        let held = self.replay.connection_ended();
        self.hand_over(held).await
    }

    async fn hand_over(&mut self, events: Vec<(String, EventInfo)>) -> Option<Ended> {
        for (text, info) in events {
            if let Some(end) = self.hand_over_one(text, info).await {
                return Some(end);
            }
        }
        None
    }

    async fn hand_over_one(&mut self, text: String, info: EventInfo) -> Option<Ended> {
        self.summary.record(&info);
        if !self.sink.take(text, &info, self.summary.resumes).await {
            return Some(Ended::Stopped);
        }
        if info.is_final {
            self.summary.finished = true;
            return Some(Ended::Final);
        }
        None
    }
}

impl Client {
    /// The request that opens a stream, and for a create with a session ID (given, or made for
    /// `auto_session_id`) that ID: such a create is safe to repeat after an unknown outcome.
    fn stream_call<'a>(
        &self,
        start: StreamStart<'_>,
        auth: &'a CallAuth,
    ) -> Result<(Call<'a>, Option<String>)> {
        let mut keyed = None;
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
                let (body, session_id) = self.keyed_body(&fields, body)?;
                keyed = session_id;
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
        if keyed.is_some() {
            call.repeat = Repeat::CreateWithSessionId;
        }
        Ok((call, keyed))
    }

    /// Opens one connection and delivers its events until it ends.
    async fn stream_once<S: EventSink>(
        &self,
        call: &Call<'_>,
        streamer: &mut Streamer<S>,
    ) -> Result<Ended> {
        let idle = self.config().stream_idle_timeout;
        let mut response = match tokio::time::timeout(idle, self.send(call)).await {
            Ok(sent) => sent?,
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
                if let Some(end) = streamer.deliver(event).await {
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
    /// `on_event` runs wherever this future is polled.
    pub async fn stream(
        &self,
        start: StreamStart<'_>,
        on_event: &mut dyn FnMut(&str) -> bool,
        cancel: Option<&CancelToken>,
    ) -> Result<StreamSummary> {
        let (outcome, summary) = self.stream_to(start, CallbackSink(on_event), cancel).await;
        match outcome {
            Ok(()) => Ok(summary),
            Err(error) => Err(Error {
                stream: Some(Box::new(summary.to_json())),
                ..error
            }),
        }
    }

    /// As [`Client::stream`], handing the events to `sink`; returns the outcome and the summary
    /// of what was handed over.
    pub async fn stream_to<S: EventSink>(
        &self,
        start: StreamStart<'_>,
        sink: S,
        cancel: Option<&CancelToken>,
    ) -> (Result<()>, StreamSummary) {
        let resumed_after = match start {
            StreamStart::Resume { cursor, .. } => Some(cursor),
            _ => None,
        };
        let mut streamer = Streamer {
            summary: StreamSummary::for_start(&start),
            replay: Replay::new(resumed_after),
            sink,
        };
        let auth = CallAuth::default();
        let outcome = match self.stream_call(start, &auth) {
            Ok((first, keyed)) => {
                if keyed.is_some() {
                    streamer.summary.session_id = keyed;
                }
                with_cancel(cancel, self.stream_all(first, &mut streamer))
                    .await
                    .and_then(|inner| inner)
            }
            Err(error) => Err(error),
        };
        (outcome, streamer.summary)
    }

    async fn stream_all<S: EventSink>(
        &self,
        first: Call<'_>,
        streamer: &mut Streamer<S>,
    ) -> Result<()> {
        let auth = CallAuth::default();
        let mut call = first;
        let mut failures = 0u32;
        let mut backoff = FIRST_BACKOFF;
        let mut first_attempts = 0u32;
        let mut first_unknown = false;
        loop {
            let before = streamer.summary.events;
            let mut outcome = self.stream_once(&call, streamer).await;
            if !matches!(outcome, Ok(Ended::Final | Ended::Stopped)) {
                if let Some(end) = streamer.connection_ended().await {
                    outcome = Ok(end);
                }
            }
            let reason = match outcome {
                Ok(Ended::Final) => return Ok(()),
                Ok(Ended::Stopped) => return Err(stopped_by_callback()),
                Ok(Ended::Dropped(reason)) => reason,
                // The first request is repeated only when the server cannot have acted on it,
                // or, for a create with a session ID, when a repeat cannot make a second session.
                Err(error) if streamer.summary.resumes == 0 && before == 0 => {
                    first_attempts += 1;
                    if first_unknown && already_exists(&error) {
                        return Err(created_by_lost_attempt(
                            streamer.summary.session_id.as_deref(),
                            first_attempts,
                        ));
                    }
                    let retry = &self.config().retry;
                    match retry.delay(call.repeat, &error, first_attempts) {
                        Some(wait) => {
                            first_unknown |= crate::retry::outcome_unknown(&error);
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
            streamer.replay.resumed(&cursor);
            call = self
                .stream_call(
                    StreamStart::Resume {
                        session_id: &session_id,
                        cursor: &cursor,
                    },
                    &auth,
                )?
                .0;
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
