//! The context of one call: the caller's options for that call alone (`request_options`: extra
//! headers, a time limit) and what its requests saw (attempts, the server's request ID, the
//! duration), read on success without changing the server's JSON.
//!
//! A call runs inside [`CallContext::run`], which makes the context the current one for every
//! request the call's future sends (a task-local value: each call sees its own, however many
//! run at once on the runtime's workers).

use crate::client::Call;
use crate::error::{Error, ErrorKind, Result};
use crate::http::headers::parse_extra_headers;
use crate::http::retry::{settle, CallFacts, Creates, Repeat};
use serde_json::{json, Map, Value};
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The reserved key of a poller's (or `gumloop_client_call`'s) `args_json` that holds the
/// call's [`RequestOptions`].
pub(crate) const REQUEST_OPTIONS_KEY: &str = "request_options";

/// The name of the response header that carries the server's request ID.
const REQUEST_ID_HEADER: &str = "x-request-id";

/// The longest request ID kept; a longer one is not the server's ID but noise.
const MAX_REQUEST_ID_LEN: usize = 256;

/// Options of one call, applied to that call's requests only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct RequestOptions {
    /// Headers added to each of the call's requests (replacing a client-wide extra header of
    /// the same name), checked as the client option `extra_headers` is.
    pub(crate) extra_headers: Vec<(String, String)>,
    /// The whole-request time limit of each of the call's requests (not of a stream), instead
    /// of the client's `timeout_ms`.
    pub(crate) timeout: Option<Duration>,
}

impl RequestOptions {
    /// Parses the `request_options` object (`{"extra_headers": {..}, "timeout_ms": N}`); an
    /// unknown key, a header the library owns or a bad value is a `GUMLOOP_ERR_INVALID_ARGUMENT`
    /// naming it.
    pub(crate) fn parse(text: &str) -> Result<RequestOptions> {
        let invalid =
            |param: &str, message: String| Error::about(ErrorKind::InvalidArgument, param, message);
        let map: Map<String, Value> = serde_json::from_str(text).map_err(|_| {
            invalid(
                REQUEST_OPTIONS_KEY,
                "`request_options` must be a JSON object: {\"extra_headers\": {..}, \"timeout_ms\": N}"
                    .to_string(),
            )
        })?;
        let mut options = RequestOptions::default();
        for (key, value) in &map {
            match key.as_str() {
                "extra_headers" => {
                    options.extra_headers = parse_extra_headers(
                        Some(value),
                        ErrorKind::InvalidArgument,
                        "request_options.extra_headers",
                    )?
                }
                "timeout_ms" => {
                    options.timeout =
                        match value {
                            Value::Null => None,
                            value => match value.as_u64() {
                                Some(ms) if ms > 0 => Some(Duration::from_millis(ms)),
                                _ => return Err(invalid(
                                    "request_options.timeout_ms",
                                    "`request_options.timeout_ms` must be a positive whole number \
                                     of milliseconds"
                                        .to_string(),
                                )),
                            },
                        }
                }
                other => {
                    return Err(invalid(
                        REQUEST_OPTIONS_KEY,
                        format!(
                            "unknown request option `{other}`; known: extra_headers, timeout_ms"
                        ),
                    ))
                }
            }
        }
        Ok(options)
    }

    /// Takes the reserved `request_options` argument out of a call's arguments (absent or
    /// `null`: none), so that the operation never sees it.
    pub(crate) fn take(args: &mut crate::args::Args) -> Result<RequestOptions> {
        match args.json(REQUEST_OPTIONS_KEY) {
            None => Ok(RequestOptions::default()),
            Some(text) => RequestOptions::parse(&text),
        }
    }

    /// Whether these options add a header named `name` (any case).
    pub(crate) fn has_header(&self, name: &str) -> bool {
        self.extra_headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }
}

/// One call's options and what its requests saw.
#[derive(Debug)]
pub(crate) struct CallContext {
    /// The caller's options for this call.
    pub(crate) options: RequestOptions,
    started: Instant,
    attempts: AtomicU32,
    request_id: Mutex<Option<String>>,
    /// What the last request sent may do if the server acts on it (for a cancellation that
    /// ends the call from outside: the poller's).
    write: Mutex<Option<WriteFacts>>,
}

/// What a sent request may have done: the facts `http::retry::settle` reads.
#[derive(Clone, Debug)]
struct WriteFacts {
    repeat: Repeat,
    creates: Option<Creates>,
    session_id: Option<String>,
}

tokio::task_local! {
    static CURRENT: Arc<CallContext>;
}

impl CallContext {
    /// A context for a call starting now.
    pub(crate) fn new(options: RequestOptions) -> Arc<CallContext> {
        Arc::new(CallContext {
            options,
            started: Instant::now(),
            attempts: AtomicU32::new(0),
            request_id: Mutex::new(None),
            write: Mutex::new(None),
        })
    }

    /// Runs `call` with `context` as the current context of every request it sends.
    pub(crate) fn run<F: Future>(
        context: Arc<CallContext>,
        call: F,
    ) -> impl Future<Output = F::Output> {
        CURRENT.scope(context, call)
    }

    /// The context of the call whose request is being built, if it has one.
    pub(crate) fn current() -> Option<Arc<CallContext>> {
        CURRENT.try_with(Arc::clone).ok()
    }

    /// Counts one request sent (redirects it follows are not counted).
    pub(crate) fn record_attempt(&self) {
        self.attempts.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one request of `call` sent, keeping what it may do if the server acts on it.
    pub(crate) fn record_request(&self, call: &Call<'_>) {
        self.record_attempt();
        *self.write.lock().unwrap_or_else(|p| p.into_inner()) = Some(WriteFacts {
            repeat: call.repeat,
            creates: call.creates,
            session_id: call.session_id.clone(),
        });
    }

    /// `error`, a cancellation that ended the call from outside while its requests may have
    /// been in flight, settled as the call itself would settle it: a write that may have been
    /// acted on is not `retryable` and says what it may have created.
    pub(crate) fn settle_cancelled(&self, error: Error) -> Error {
        let facts = self.write.lock().unwrap_or_else(|p| p.into_inner()).clone();
        match facts {
            Some(facts) => settle(
                error,
                &CallFacts {
                    repeat: facts.repeat,
                    creates: facts.creates,
                    session_id: facts.session_id.as_deref(),
                    may_have_acted: true,
                },
            ),
            None => error,
        }
    }

    /// Keeps the request ID of an answer the call received (the last one wins).
    pub(crate) fn record_answer(&self, headers: &reqwest::header::HeaderMap) {
        let id = headers
            .get(REQUEST_ID_HEADER)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty() && v.len() <= MAX_REQUEST_ID_LEN);
        if let Some(id) = id {
            *self.request_id.lock().unwrap_or_else(|p| p.into_inner()) = Some(id.to_string());
        }
    }

    /// What the call's requests saw, as JSON: `{"attempts","duration_ms","request_id"}`. Never
    /// holds a secret: a count, a time and the server's own ID.
    pub(crate) fn info(&self) -> Value {
        let request_id = self
            .request_id
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        json!({
            "attempts": self.attempts.load(Ordering::Relaxed),
            "duration_ms": u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX),
            "request_id": request_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_options_are_checked_as_the_client_options_are() {
        let options = RequestOptions::parse(
            r#"{"extra_headers":{"traceparent":"00-a-b-01"},"timeout_ms":5}"#,
        )
        .unwrap();
        assert_eq!(
            options.extra_headers,
            [("traceparent".to_string(), "00-a-b-01".to_string())]
        );
        assert_eq!(options.timeout, Some(Duration::from_millis(5)));
        assert!(options.has_header("TraceParent"));
        for (text, param) in [
            (
                r#"{"extra_headers":{"Authorization":"x"}}"#,
                "request_options.extra_headers",
            ),
            (
                r#"{"extra_headers":{"x-a":"1\n2"}}"#,
                "request_options.extra_headers",
            ),
            (
                r#"{"extra_headers":["x"]}"#,
                "request_options.extra_headers",
            ),
            (r#"{"timeout_ms":0}"#, "request_options.timeout_ms"),
            (r#"{"timeout_ms":"5"}"#, "request_options.timeout_ms"),
            (r#"{"retries":1}"#, "request_options"),
            (r#"[1]"#, "request_options"),
        ] {
            let error = RequestOptions::parse(text).unwrap_err();
            assert_eq!(error.kind, ErrorKind::InvalidArgument, "{text}");
            assert_eq!(error.param.as_deref(), Some(param), "{text}");
        }
    }

    #[test]
    fn the_info_counts_attempts_and_keeps_the_last_request_id() {
        let context = CallContext::new(RequestOptions::default());
        assert_eq!(context.info()["request_id"], Value::Null);
        let mut headers = reqwest::header::HeaderMap::new();
        context.record_attempt();
        context.record_answer(&headers);
        headers.insert(REQUEST_ID_HEADER, "req_7".parse().unwrap());
        context.record_attempt();
        context.record_answer(&headers);
        let info = context.info();
        assert_eq!(
            (info["attempts"].clone(), info["request_id"].clone()),
            (json!(2), json!("req_7"))
        );
        assert!(info["duration_ms"].is_u64());
    }
}
