//! A streaming call split across two threads: its network side runs on a runtime worker, beside
//! the connection it reads; its events cross to the caller's thread, where the callback runs.
//!
//! Read on the caller's thread, a fast stream costs two thread hand-overs per event (the worker
//! wakes the caller for each chunk). Relayed, the worker reads, decodes and inspects events
//! without waking anyone but the caller, which takes every event queued by the time it runs: one
//! wake-up serves many events. The queue holds at most [`IN_FLIGHT_BYTES`] of event text, so a
//! slow callback holds the stream back instead of growing memory.

use crate::cancel::{cancelled_error, CancelToken};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::runtime::{refuse_inside_runtime, runtime, task_output};
use crate::stream::{
    settle_stream_error, stopped_by_callback, stream_write, EventInfo, EventSink, Start,
    StreamSummary,
};
use std::future::Future;
use std::sync::Arc;
use tokio::sync::{mpsc, Semaphore};

/// Event text queued for the callback at most (an event larger than this travels alone).
pub const IN_FLIGHT_BYTES: usize = 1 << 20;

/// How a stream starts, owning its arguments (the worker's task outlives no borrow).
pub type OwnedStart = Start<String>;

/// One event on its way to the caller's thread.
struct Relayed {
    text: String,
    info: EventInfo,
    resumes: u32,
    /// Bytes of the in-flight budget it holds.
    cost: u32,
}

/// Takes an event of `len` bytes out of `budget`, waiting while it is spent; returns the cost to
/// give back when the event is taken, or `None` once the budget is closed (the reader is gone).
/// An event larger than the whole budget costs the whole budget and travels alone.
pub(crate) async fn reserve(budget: &Semaphore, len: usize) -> Option<u32> {
    let cost = len.clamp(1, IN_FLIGHT_BYTES) as u32;
    budget.acquire_many(cost).await.ok()?.forget();
    Some(cost)
}

/// The worker's end: queues events while the budget allows, waiting when it does not.
struct RelaySink {
    queue: mpsc::UnboundedSender<Relayed>,
    budget: Arc<Semaphore>,
}

impl EventSink for RelaySink {
    fn take(&mut self, text: String, info: &EventInfo, resumes: u32) -> impl Future<Output = bool> {
        let info = info.clone();
        async move {
            // The budget is closed only when the caller has stopped reading.
            let Some(cost) = reserve(&self.budget, text.len()).await else {
                return false;
            };
            let event = Relayed {
                text,
                info,
                resumes,
                cost,
            };
            self.queue.send(event).is_ok()
        }
    }
}

/// Why the caller's side stopped reading.
enum Stop {
    /// The worker's side ended (every event it queued was delivered).
    Drained,
    /// The callback asked to stop.
    ByCallback,
    /// The cancellation token was triggered.
    Cancelled,
}

/// Streams `start` on a worker, calling `on_event` on this thread for each event; otherwise as
/// [`Client::stream`]. Refuses with `WrongThread` inside a runtime (a callback included).
pub fn stream_relayed(
    client: Arc<Client>,
    start: OwnedStart,
    on_event: &mut dyn FnMut(&str) -> bool,
    cancel: Option<Arc<CancelToken>>,
) -> Result<StreamSummary> {
    refuse_inside_runtime()?;
    let runtime = runtime()?;
    let mut summary = StreamSummary::for_start(&start.borrowed());
    let (queue, mut events) = mpsc::unbounded_channel();
    let budget = Arc::new(Semaphore::new(IN_FLIGHT_BYTES));
    let sink = RelaySink {
        queue,
        budget: Arc::clone(&budget),
    };
    let token = cancel.clone();
    let write = stream_write(&start);
    // A token triggered before the call stops it before anything is sent.
    let cancelled_before = cancel.as_ref().is_some_and(|t| t.is_cancelled());
    let worker = runtime.spawn(async move {
        let (outcome, sent) = client
            .stream_to(start.borrowed(), sink, token.as_deref())
            .await;
        (outcome, sent)
    });
    // Callbacks run inside the runtime's context, so a blocking call made from one is refused.
    let stop = runtime.block_on(async {
        while let Some(event) = events.recv().await {
            budget.add_permits(event.cost as usize);
            if cancel.as_ref().is_some_and(|t| t.is_cancelled()) {
                return Stop::Cancelled;
            }
            summary.record(&event.info);
            summary.resumes = event.resumes;
            if !on_event(&event.text) {
                return Stop::ByCallback;
            }
            summary.finished |= event.info.is_final;
        }
        Stop::Drained
    });
    let outcome = match stop {
        Stop::Drained => task_output(runtime.block_on(worker)).and_then(|(outcome, sent)| {
            // Every event sent was delivered; what the worker learnt without an event (resumes
            // tried, a session ID known from the body) completes the summary.
            summary.resumes = sent.resumes;
            if summary.session_id.is_none() {
                summary.session_id = sent.session_id;
            }
            outcome
        }),
        Stop::ByCallback | Stop::Cancelled => {
            // The worker may be waiting for the network: end it rather than wait for it.
            budget.close();
            worker.abort();
            let error = match stop {
                Stop::ByCallback => stopped_by_callback(),
                _ => cancelled_error(),
            };
            // An event arrived, or the request may be in flight: the server may have acted.
            let acted = matches!(stop, Stop::ByCallback) || !cancelled_before;
            let session_id = summary.session_id.clone();
            Err(settle_stream_error(
                error,
                write,
                session_id.as_deref(),
                acted,
            ))
        }
    };
    match outcome {
        Ok(()) => Ok(summary),
        Err(error) => Err(Error {
            stream: Some(Box::new(summary.to_json())),
            ..error
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::FutureExt;

    fn event(text: &str) -> (String, EventInfo) {
        (text.to_string(), EventInfo::default())
    }

    #[test]
    fn the_sink_waits_once_the_budget_is_spent_and_stops_when_the_reader_goes() {
        let (queue, mut events) = mpsc::unbounded_channel();
        let budget = Arc::new(Semaphore::new(10));
        let mut sink = RelaySink {
            queue,
            budget: Arc::clone(&budget),
        };
        let (text, info) = event("123456");
        assert_eq!(sink.take(text, &info, 0).now_or_never(), Some(true));
        // 6 of 10 bytes are in flight: 5 more must wait for the reader.
        let (text, info) = event("12345");
        let mut blocked = Box::pin(sink.take(text, &info, 0));
        assert_eq!(blocked.as_mut().now_or_never(), None);
        let first = events.try_recv().unwrap();
        assert_eq!((first.text.as_str(), first.cost), ("123456", 6));
        budget.add_permits(first.cost as usize);
        assert_eq!(blocked.now_or_never(), Some(true));
        assert_eq!(events.try_recv().unwrap().text, "12345");
        // The reader stopped: the budget is closed and every later event is refused.
        budget.close();
        let (text, info) = event("x");
        assert_eq!(sink.take(text, &info, 0).now_or_never(), Some(false));
    }

    #[test]
    fn an_event_larger_than_the_budget_travels_alone() {
        let (queue, mut events) = mpsc::unbounded_channel();
        let mut sink = RelaySink {
            queue,
            budget: Arc::new(Semaphore::new(IN_FLIGHT_BYTES)),
        };
        let big = "x".repeat(IN_FLIGHT_BYTES + 1);
        assert_eq!(
            sink.take(big, &EventInfo::default(), 0).now_or_never(),
            Some(true)
        );
        assert_eq!(events.try_recv().unwrap().cost as usize, IN_FLIGHT_BYTES);
    }
}
