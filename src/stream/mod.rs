//! Streaming a session's events over SSE, with automatic resume from the last cursor when the
//! connection drops, stalls or ends before the final `finish` event (`docs/API.md` §5).

pub(crate) mod peek;
pub(crate) mod relay;
pub(crate) mod replay;
pub(crate) mod sse;

use crate::cancel::{with_cancel, CancelToken};
use crate::client::{Call, Client};
use crate::error::{Error, ErrorKind, Result};
use crate::http::paths::Endpoint;
use crate::http::retry::{settle, Attempts, Backoff, CallFacts, Creates, Repeat};
use crate::http::transport::classify;
use crate::json::{body_text, parse_object, splice_field};
use crate::sessions::create_body::check_create;
use crate::sessions::send_body::check_stream_send;
use crate::stream::peek::Peeked;
use crate::stream::replay::Replay;
use crate::stream::sse::{decode, SseDecoder, SseEvent};
use futures_util::StreamExt;
use reqwest::Method;
use serde_json::{json, Map, Value};
use std::future::Future;
use std::task::Poll;
use std::time::Duration;

/// Resumes tried in a row without receiving an event before the stream is given up.
pub(crate) const MAX_RESUME_ATTEMPTS: u32 = 5;
/// The wait before each resume of a row: 100 ms, doubled up to 2 s.
const RESUME_BACKOFF: Backoff = Backoff {
    first: Duration::from_millis(100),
    max: Duration::from_secs(2),
};

impl<S> Start<S> {
    /// The name of the operation that streams this way (named in log records).
    pub(crate) fn operation(&self) -> &'static str {
        match self {
            Start::Create { .. } => "stream_session",
            Start::Send { .. } => "stream_message",
            Start::Resume { .. } => "resume_stream",
        }
    }
}

/// How a stream starts, borrowing its arguments.
pub type StreamStart<'a> = Start<&'a str>;

/// How a stream starts. `S` holds the text: `&str` in [`StreamStart`], which borrows it, and
/// `String` in `relay::OwnedStart`, for a stream whose network side runs on a worker.
#[derive(Clone, Copy, Debug)]
pub enum Start<S> {
    /// Create a session and stream its first run (`POST /agents/{agent_id}/sessions`).
    Create {
        /// The agent.
        agent_id: S,
        /// The create body (NULL means `{}`); `stream: true` is added.
        body_json: Option<S>,
    },
    /// Send a message and stream the run it starts (`POST /sessions/{session_id}/messages`).
    Send {
        /// The session.
        session_id: S,
        /// The message body; `stream: true` is added.
        body_json: Option<S>,
    },
    /// Resume a session's stream after `cursor` (`GET /sessions/{session_id}?stream=true`).
    Resume {
        /// The session.
        session_id: S,
        /// The last `stream_cursor` seen.
        cursor: S,
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

impl<S: AsRef<str>> Start<S> {
    /// The borrowed form the stream takes.
    pub fn borrowed(&self) -> StreamStart<'_> {
        match self {
            Start::Create {
                agent_id,
                body_json,
            } => Start::Create {
                agent_id: agent_id.as_ref(),
                body_json: body_json.as_ref().map(AsRef::as_ref),
            },
            Start::Send {
                session_id,
                body_json,
            } => Start::Send {
                session_id: session_id.as_ref(),
                body_json: body_json.as_ref().map(AsRef::as_ref),
            },
            Start::Resume { session_id, cursor } => Start::Resume {
                session_id: session_id.as_ref(),
                cursor: cursor.as_ref(),
            },
        }
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

/// What the request that opens a stream started by `start` is: a write unless it is a
/// resume, creating a session (a create) or a message (a send).
pub(crate) fn stream_write<S>(start: &Start<S>) -> (Repeat, Option<Creates>) {
    match start {
        Start::Create { .. } => (Repeat::Unsafe, Some(Creates::Session)),
        Start::Send { .. } => (Repeat::Unsafe, Some(Creates::Message)),
        Start::Resume { .. } => (Repeat::Idempotent, None),
    }
}

/// Settles the error a stream ends with (`retry::settle`); `write` is [`stream_write`] of its
/// start, `may_have_acted` whether the server may have acted on the request that opens it.
pub(crate) fn settle_stream_error(
    error: Error,
    write: (Repeat, Option<Creates>),
    session_id: Option<&str>,
    may_have_acted: bool,
) -> Error {
    let facts = CallFacts {
        repeat: write.0,
        creates: write.1,
        session_id,
        may_have_acted,
    };
    settle(error, &facts)
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

/// The body of a stream's opening request: `body_json` with `"stream": true` added, every other
/// byte as the caller wrote it; and its fields but `stream`, which `check` has accepted.
fn streamed_body(
    body_json: Option<&str>,
    check: fn(&Map<String, Value>) -> Result<()>,
) -> Result<(String, Map<String, Value>)> {
    let mut fields = parse_object(body_json)?;
    let text = body_text(body_json);
    let body = match fields.remove("stream") {
        Some(Value::Bool(true)) => text,
        Some(_) => {
            return Err(Error::invalid_argument(
                "stream",
                "a streaming call needs `stream` to be true or absent",
            ))
        }
        None => splice_field(&text, "stream", &json!(true)),
    };
    check(&fields)?;
    Ok((body, fields))
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
    /// Whether the server may have acted on the request that opens the stream: an attempt
    /// with an unknown outcome, or a stream that opened.
    may_have_acted: bool,
}

/// What the library reads from `event`, and its text for the callback.
fn inspect(event: SseEvent) -> (String, EventInfo) {
    // The common event: its data is a JSON object, handed on as it came.
    if let Some(peeked) = Peeked::read(&event.data) {
        let names_type = !event.event.is_empty() && event.event != "message" && !peeked.has_type;
        if !names_type {
            let text_of = |value: &Value| value.as_str().map(str::to_owned);
            let is_final =
                peeked.kind.as_str() == Some("finish") && peeked.is_final.as_bool() == Some(true);
            let info = EventInfo {
                session_id: text_of(&peeked.interaction_id),
                finish_reason: is_final.then(|| text_of(&peeked.finish_reason)).flatten(),
                cursor: text_of(&peeked.cursor),
                is_final,
            };
            return (event.data, info);
        }
    }
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
    fn stream_call<'a>(&self, start: StreamStart<'_>) -> Result<(Call<'a>, Option<String>)> {
        let mut keyed = None;
        let (method, url, body) = match start {
            StreamStart::Create {
                agent_id,
                body_json,
            } => {
                let url = self.stream_url(Endpoint::AgentSessions(agent_id))?;
                let (body, fields) = streamed_body(body_json, check_create)?;
                let (body, session_id) = self.keyed_body(&fields, body)?;
                keyed = session_id;
                (Method::POST, url, Some(body))
            }
            StreamStart::Send {
                session_id,
                body_json,
            } => {
                let url = self.stream_url(Endpoint::SessionMessages(session_id))?;
                let (body, _) = streamed_body(body_json, check_stream_send)?;
                (Method::POST, url, Some(body))
            }
            StreamStart::Resume { session_id, cursor } => {
                if cursor.is_empty() {
                    return Err(Error::invalid_argument(
                        "cursor",
                        "`cursor` must be a non-empty stream_cursor",
                    ));
                }
                let mut url = self.stream_url(Endpoint::Session(session_id))?;
                url.query_pairs_mut()
                    .append_pair("stream", "true")
                    .append_pair("last_cursor", cursor);
                (Method::GET, url, None)
            }
        };
        let mut call = Call::api(method, url, body);
        call.stream = true;
        match start {
            StreamStart::Create { .. } => call.creates = Some(Creates::Session),
            StreamStart::Send { session_id, .. } => {
                call.creates = Some(Creates::Message);
                call.session_id = Some(session_id.to_string());
            }
            StreamStart::Resume { .. } => {}
        }
        if keyed.is_some() {
            call.repeat = Repeat::CreateWithSessionId;
            call.session_id.clone_from(&keyed);
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
        // The request's future (connecting, sending, following redirects, waiting for the head)
        // is boxed: held inline, its space would stay reserved in every stream's task for the
        // stream's whole life, though it is needed only until the response's head arrives.
        let response = match tokio::time::timeout(idle, Box::pin(self.send(call))).await {
            Ok(sent) => sent?,
            Err(_) => {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    "no answer to the stream request within the stream idle timeout",
                ))
            }
        };
        if !response.status().is_success() {
            let error = Box::pin(self.error_of(response)).await;
            return Err(self.credential_redactor(call.auth).scrub(error));
        }
        // The server took the request: whatever happens next, it may have acted on it.
        streamer.may_have_acted = true;
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
        // Only the body is kept: the response's headers are slices of the connection's first
        // read buffer and would pin it (8 KiB) for the stream's whole life.
        let mut body = response.bytes_stream();
        // The idle limit is one timer for the whole connection, moved on only when it fires
        // (to the last chunk's time plus the limit): a chunk then costs a clock read, not a
        // timer set and cancelled.
        let mut last_chunk = tokio::time::Instant::now();
        let idle_timer = tokio::time::sleep(idle);
        tokio::pin!(idle_timer);
        loop {
            let next = std::future::poll_fn(|cx| {
                if let Poll::Ready(item) = body.poll_next_unpin(cx) {
                    return Poll::Ready(Ok(item.transpose()));
                }
                while idle_timer.as_mut().poll(cx).is_ready() {
                    let quiet_until = last_chunk + idle;
                    if tokio::time::Instant::now() >= quiet_until {
                        return Poll::Ready(Err(()));
                    }
                    idle_timer.as_mut().reset(quiet_until);
                }
                Poll::Pending
            })
            .await;
            last_chunk = tokio::time::Instant::now();
            let chunk = match next {
                Err(()) => {
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
    pub(crate) async fn stream_to<S: EventSink>(
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
            may_have_acted: false,
        };
        let write = stream_write(&start);
        let (first, keyed) = match self.stream_call(start) {
            Ok(opened) => opened,
            Err(error) => return (Err(error), streamer.summary),
        };
        if keyed.is_some() {
            streamer.summary.session_id = keyed;
        }
        // A token triggered before the call stops it before anything is sent.
        let sent = !cancel.is_some_and(CancelToken::is_cancelled);
        // Boxed: `with_cancel` keeps the future it is given beside the one it polls, so held
        // inline the stream's state (about 1.7 KiB) would take twice its space in the task.
        let all = Box::pin(crate::log::in_operation(
            start.operation(),
            self.stream_all(start, first, &mut streamer),
        ));
        let outcome = with_cancel(cancel, all).await.and_then(|inner| inner);
        let outcome = outcome.map_err(|error| {
            let acted = streamer.may_have_acted || (sent && error.kind == ErrorKind::Cancelled);
            settle_stream_error(error, write, streamer.summary.session_id.as_deref(), acted)
        });
        (outcome, streamer.summary)
    }

    /// The error of a keyed streaming create whose repeat met `conflict` (409
    /// `session_already_exists`) after an attempt that may have reached the server: the session
    /// is fetched and checked as a keyed create's recovery does; if it is this call's, its
    /// events cannot be replayed without a cursor (`created_by_lost_attempt`).
    async fn lost_streamed_create(
        &self,
        start: StreamStart<'_>,
        session_id: Option<&str>,
        conflict: &Error,
        attempts: u32,
    ) -> Error {
        let (
            StreamStart::Create {
                agent_id,
                body_json,
            },
            Some(session_id),
        ) = (start, session_id)
        else {
            return conflict.clone();
        };
        let fields = parse_object(body_json).unwrap_or_default();
        match self
            .recover_keyed_create(
                agent_id, &fields, session_id, None, conflict, attempts, None,
            )
            .await
        {
            Ok(_) => {
                crate::log::recovered(session_id, attempts + 1);
                created_by_lost_attempt(Some(session_id), attempts + 1)
            }
            Err(error) => error,
        }
    }

    async fn stream_all<S: EventSink>(
        &self,
        start: StreamStart<'_>,
        first: Call<'_>,
        streamer: &mut Streamer<S>,
    ) -> Result<()> {
        let mut call = first;
        let mut opening = Attempts::default();
        let mut failures = 0u32;
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
                // The opening request is repeated as every request is: only when the server
                // cannot have acted on it, or, for a create with a session ID, when a repeat
                // cannot make a second session.
                Err(error) if streamer.summary.resumes == 0 && before == 0 => {
                    opening.count += 1;
                    if opening.created_by_lost_attempt(&error) {
                        streamer.may_have_acted = true;
                        let id = streamer.summary.session_id.clone();
                        // Boxed: a rare path whose future would otherwise enlarge every
                        // stream's task.
                        let recovery =
                            self.lost_streamed_create(start, id.as_deref(), &error, opening.count);
                        return Err(Box::pin(recovery).await);
                    }
                    let seen = (error.kind, error.status());
                    let next = opening.next_wait(&self.config().retry, call.repeat, error);
                    streamer.may_have_acted |= opening.outcome_unknown;
                    let next = next?;
                    crate::log::retry(opening.count, seen, next);
                    tokio::time::sleep(next).await;
                    continue;
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
            tokio::time::sleep(RESUME_BACKOFF.step(failures)).await;
            streamer.summary.resumes += 1;
            streamer.replay.resumed(&cursor);
            crate::log::resume(&session_id, &cursor, streamer.summary.resumes, &reason);
            call = self
                .stream_call(StreamStart::Resume {
                    session_id: &session_id,
                    cursor: &cursor,
                })?
                .0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_true_is_added_without_touching_the_rest() {
        let accept = |_: &Map<String, Value>| Ok(());
        let (body, fields) = streamed_body(Some(r#"{"input":"x","n":2.50}"#), accept).unwrap();
        assert_eq!(body, r#"{"stream":true,"input":"x","n":2.50}"#);
        assert_eq!(fields.len(), 2);
        let (body, fields) = streamed_body(None, accept).unwrap();
        assert_eq!((body.as_str(), fields.len()), (r#"{"stream":true}"#, 0));
        let given = r#"{"stream":true,"input":"x"}"#;
        let (body, fields) = streamed_body(Some(given), accept).unwrap();
        assert_eq!(
            (body.as_str(), fields.contains_key("stream")),
            (given, false)
        );
        let off = streamed_body(Some(r#"{"stream":false}"#), accept).unwrap_err();
        assert_eq!(off.param.as_deref(), Some("stream"));
        let refused = streamed_body(Some(r#"{"name":1}"#), check_create).unwrap_err();
        assert_eq!(refused.param.as_deref(), Some("name"));
    }
}
