//! Server-sent event responses: replay a run's events after a cursor, follow it live,
//! send `: ping` comments while idle, and apply stream faults (stall, drop).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use hyper::{header, Response, StatusCode};
use serde_json::json;
use tokio::sync::mpsc;

use crate::body::{Aborted, BoxError, ChannelBody, RespBody};
use crate::faults::StreamFault;
use crate::runlog::{frame, RunLog};

const PING: &[u8] = b": ping\n\n";

fn sse_response(body: RespBody) -> Response<RespBody> {
    let mut resp = Response::new(body);
    *resp.status_mut() = StatusCode::OK;
    let headers = resp.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-cache"),
    );
    resp
}

/// A stream of `run`'s events with a cursor number above `after`, live until the run ends.
pub fn follow(
    run: Arc<RunLog>,
    after: u64,
    keepalive: Duration,
    fault: Option<StreamFault>,
) -> Response<RespBody> {
    let (tx, body) = ChannelBody::channel(16);
    tokio::spawn(pump(run, after, keepalive, fault, tx));
    sse_response(body)
}

/// The single event sent when resuming a run that has ended.
pub fn not_resumable(fault: Option<StreamFault>) -> Response<RespBody> {
    let (tx, body) = ChannelBody::channel(4);
    let ev = json!({"type": "finish", "finishReason": "not_resumable", "final": true});
    tokio::spawn(async move {
        let frames = vec![(1, frame(&ev))];
        let mut sent = 0;
        let _ = deliver(&frames, &mut sent, &fault, &tx).await;
        end(sent, &fault, &tx).await;
    });
    sse_response(body)
}

type Tx = mpsc::Sender<Result<Bytes, BoxError>>;

/// What happens at a stream fault's threshold.
async fn apply_fault(fault: &StreamFault, tx: &Tx) {
    match fault {
        StreamFault::Stall(_) => tx.closed().await,
        StreamFault::Drop(_) => {
            // Let the events already sent be flushed, then break the connection.
            tokio::time::sleep(Duration::from_millis(20)).await;
            let _ = tx.send(Err(Box::new(Aborted("stream dropped")))).await;
        }
    }
}

/// Sends frames, stopping at a fault's threshold. Returns false when the stream is over
/// (client gone or fault applied).
async fn deliver(
    frames: &[(u64, Bytes)],
    sent: &mut usize,
    fault: &Option<StreamFault>,
    tx: &Tx,
) -> bool {
    for (_, bytes) in frames {
        if let Some(f) = fault {
            if *sent >= f.after() {
                apply_fault(f, tx).await;
                return false;
            }
        }
        if tx.send(Ok(bytes.clone())).await.is_err() {
            return false;
        }
        *sent += 1;
    }
    true
}

/// The run is over: end the body, unless a fault's threshold was reached.
async fn end(sent: usize, fault: &Option<StreamFault>, tx: &Tx) {
    if let Some(f) = fault {
        if sent >= f.after() {
            apply_fault(f, tx).await;
        }
    }
}

async fn pump(
    run: Arc<RunLog>,
    mut after: u64,
    keepalive: Duration,
    fault: Option<StreamFault>,
    tx: Tx,
) {
    let mut changes = run.subscribe();
    let mut sent = 0usize;
    loop {
        let (frames, finished) = run.after(after);
        if let Some((last, _)) = frames.last() {
            after = *last;
        }
        if !deliver(&frames, &mut sent, &fault, &tx).await {
            return;
        }
        if finished {
            end(sent, &fault, &tx).await;
            return;
        }
        tokio::select! {
            changed = changes.changed() => {
                if changed.is_err() {
                    return;
                }
            }
            _ = tokio::time::sleep(keepalive) => {
                if tx.send(Ok(Bytes::from_static(PING))).await.is_err() {
                    return;
                }
            }
            _ = tx.closed() => return,
        }
    }
}
