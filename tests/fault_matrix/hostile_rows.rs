//! The rows of the fault matrix that the emulator cannot play: faults of a hostile server of the
//! tests' own (`tests/hostile`), each against create, get and a streamed create, on a client with
//! the matrix's options. The server logs every request, so a row states the outcome and the
//! methods of the requests, as the emulator rows do (no sessions exist on this server).

use super::{call_op, differences, Cell, Op, Outcome, MAX_BACKOFF_MS, TIMEOUT_MS};
use gumloop::{Client, ErrorKind};
use gumloop_hostile::{
    header_flood, redirect_back, response, short_answer, sse_event, sse_head, HostileServer,
    Request, Step,
};
use serde_json::json;
use std::fmt::Write as _;
use std::time::Duration;
use ErrorKind::{
    ConnectionLost, InvalidResponse, PayloadTooLarge, Redirect, ResponseTooLarge, Server,
};

const SESSION: &str = r#"{"session":{"id":"sess_hostile","state":"idle","agent_id":"agent_pro"}}"#;

/// One fault of the hostile server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hostile {
    /// 413 as soon as the head is read, then closed with the body unread.
    RejectUpload,
    /// `Content-Length: 1000000000000000`, five bytes, then closed.
    HugeLength,
    /// `Content-Length: 100`, five bytes, then closed.
    ShortBody,
    /// 10,000 response headers.
    ManyHeaders,
    /// Headers without end (a million, until the client hangs up).
    EndlessHeaders,
    /// The whole answer, 16 bytes a millisecond.
    SlowBytes,
    /// Closed after the request head, nothing answered.
    CloseBeforeAnswer,
    /// A same-origin 302 on the first request.
    Found302,
    /// A same-origin 303 on the first request.
    SeeOther303,
    /// A same-origin 308 on the first request.
    Permanent308,
    /// 503 with `Retry-After: 1e300`, every time.
    RetryAfterAbsurd,
    /// 503 with `Retry-After: 31536000` (a year), every time.
    RetryAfterYear,
    /// A stream that drops after three events, and a resume that replays from the start.
    ReplayFromStart,
}

impl Hostile {
    fn label(self) -> &'static str {
        match self {
            Hostile::RejectUpload => "`413`, closed with the body unread",
            Hostile::HugeLength => "`Content-Length` 10^15, 5 bytes sent",
            Hostile::ShortBody => "`Content-Length` 100, 5 bytes sent",
            Hostile::ManyHeaders => "10,000 headers",
            Hostile::EndlessHeaders => "headers without end",
            Hostile::SlowBytes => "slow bytes (16 bytes/ms)",
            Hostile::CloseBeforeAnswer => "closed before answering",
            Hostile::Found302 => "same-origin `302`",
            Hostile::SeeOther303 => "same-origin `303`",
            Hostile::Permanent308 => "same-origin `308`",
            Hostile::RetryAfterAbsurd => "`503` + `Retry-After: 1e300`",
            Hostile::RetryAfterYear => "`503` + `Retry-After: 31536000`",
            Hostile::ReplayFromStart => "a resume replayed from the start",
        }
    }

    /// The `retry_after_ms` a failure must report, where the row checks it.
    fn retry_after_ms(self) -> Option<Option<u64>> {
        match self {
            Hostile::RetryAfterAbsurd => Some(None),
            Hostile::RetryAfterYear => Some(Some(gumloop::internal::max_retry_after_ms())),
            _ => None,
        }
    }

    /// The script for `request`.
    fn script(self, request: &Request) -> Vec<Step> {
        let first = request.index == 0;
        let redirect = |status: u16| {
            if first {
                vec![redirect_back(status, request)]
            } else {
                answer(request, 3, true)
            }
        };
        let busy = |after: &str| {
            vec![Step::Write(response(
                503,
                &[("Retry-After", after)],
                r#"{"error":{"code":"busy","message":"busy"}}"#,
            ))]
        };
        match self {
            Hostile::RejectUpload => vec![
                Step::Write(response(
                    413,
                    &[],
                    r#"{"error":{"code":"too_large","message":"too large"}}"#,
                )),
                Step::ShutdownWrite,
                Step::Pause(Duration::from_millis(100)),
                Step::Close,
            ],
            Hostile::HugeLength => vec![Step::Write(short_answer(1_000_000_000_000_000))],
            Hostile::ShortBody => vec![Step::Write(short_answer(100))],
            Hostile::ManyHeaders => header_flood(10_000),
            Hostile::EndlessHeaders => header_flood(1_000_000),
            Hostile::SlowBytes => {
                let bytes = answer(request, 3, true)
                    .into_iter()
                    .flat_map(|step| match step {
                        Step::Write(bytes) => bytes,
                        _ => Vec::new(),
                    })
                    .collect();
                vec![
                    Step::ReadBody,
                    Step::Trickle {
                        bytes,
                        chunk: 16,
                        pause: Duration::from_millis(1),
                    },
                ]
            }
            Hostile::CloseBeforeAnswer => vec![Step::Close],
            Hostile::Found302 => redirect(302),
            Hostile::SeeOther303 => redirect(303),
            Hostile::Permanent308 => redirect(308),
            Hostile::RetryAfterAbsurd => busy("1e300"),
            Hostile::RetryAfterYear => busy("31536000"),
            Hostile::ReplayFromStart => answer(request, if first { 3 } else { 5 }, !first),
        }
    }
}

/// A well-formed answer: for a stream request, events with cursors 1 to `events` (and the final
/// event when `finish`); otherwise the session.
fn answer(request: &Request, events: u32, finish: bool) -> Vec<Step> {
    let streaming = request
        .header("accept")
        .is_some_and(|a| a.contains("text/event-stream"));
    if !streaming {
        return vec![Step::ReadBody, Step::Write(response(200, &[], SESSION))];
    }
    let mut steps = vec![
        Step::ReadBody,
        Step::Write(sse_head()),
        Step::Write(sse_event(r#"{"type":"text-start","id":"m1"}"#)),
    ];
    for cursor in 1..=events {
        let event = json!({
            "type": "text-delta",
            "delta": "w ",
            "interaction_id": "sess_hostile",
            "stream_cursor": format!("sess_hostile:{cursor}"),
        });
        steps.push(Step::Write(sse_event(&event.to_string())));
    }
    if finish {
        steps.push(Step::Write(sse_event(
            r#"{"type":"finish","finishReason":"stop","final":true}"#,
        )));
    }
    steps
}

/// One row: a fault, an operation, the outcome and the methods of the requests the server saw.
pub struct HostileRow {
    fault: Hostile,
    op: Op,
    outcome: Outcome,
    requests: &'static str,
}

/// The rows: every fault against create, get and a streamed create (a replay only on a stream).
pub fn hostile_rows() -> Vec<HostileRow> {
    let row = |fault, op, outcome, requests| HostileRow {
        fault,
        op,
        outcome,
        requests,
    };
    let f = Outcome::Failed;
    use Hostile::*;
    use Op::{Create, Get, Stream};
    vec![
        // The answer a server gives to an upload it will not take; never a signal (see
        // tests/c/test_hostile.c for a 50 MB body).
        row(RejectUpload, Create, f(PayloadTooLarge), "POST"),
        row(RejectUpload, Get, f(PayloadTooLarge), "GET"),
        row(RejectUpload, Stream, f(PayloadTooLarge), "POST"),
        // A declared size is a hint, never an allocation.
        row(HugeLength, Create, f(ResponseTooLarge), "POST"),
        row(HugeLength, Get, f(ResponseTooLarge), "GET"),
        row(HugeLength, Stream, f(InvalidResponse), "POST"),
        // A body that stops short is a lost answer (a read is repeated).
        row(ShortBody, Create, f(ConnectionLost), "POST"),
        row(ShortBody, Get, f(ConnectionLost), "GET GET GET"),
        row(ShortBody, Stream, f(InvalidResponse), "POST"),
        // A head that is not a head is a bad answer, not a lost connection; never repeated.
        row(ManyHeaders, Create, f(InvalidResponse), "POST"),
        row(ManyHeaders, Get, f(InvalidResponse), "GET"),
        row(ManyHeaders, Stream, f(InvalidResponse), "POST"),
        row(EndlessHeaders, Create, f(InvalidResponse), "POST"),
        row(EndlessHeaders, Get, f(InvalidResponse), "GET"),
        row(EndlessHeaders, Stream, f(InvalidResponse), "POST"),
        row(SlowBytes, Create, Outcome::Ok, "POST"),
        row(SlowBytes, Get, Outcome::Ok, "GET"),
        row(SlowBytes, Stream, Outcome::Streamed("stop", 0), "POST"),
        row(CloseBeforeAnswer, Create, f(ConnectionLost), "POST"),
        row(CloseBeforeAnswer, Get, f(ConnectionLost), "GET GET GET"),
        row(CloseBeforeAnswer, Stream, f(ConnectionLost), "POST"),
        // A write never changes method: 302 and 303 are refused, 307/308 followed.
        row(Found302, Create, f(Redirect), "POST"),
        row(Found302, Get, Outcome::Ok, "GET GET"),
        row(Found302, Stream, f(Redirect), "POST"),
        row(SeeOther303, Create, f(Redirect), "POST"),
        row(SeeOther303, Get, Outcome::Ok, "GET GET"),
        row(SeeOther303, Stream, f(Redirect), "POST"),
        row(Permanent308, Create, Outcome::Ok, "POST POST"),
        row(Permanent308, Get, Outcome::Ok, "GET GET"),
        row(
            Permanent308,
            Stream,
            Outcome::Streamed("stop", 0),
            "POST POST",
        ),
        // A Retry-After that is not a number is ignored (the usual backoff applies); a year is
        // reported as the documented day and left to the caller.
        row(RetryAfterAbsurd, Create, f(Server), "POST POST POST"),
        row(RetryAfterAbsurd, Get, f(Server), "GET GET GET"),
        row(RetryAfterAbsurd, Stream, f(Server), "POST POST POST"),
        row(RetryAfterYear, Create, f(Server), "POST"),
        row(RetryAfterYear, Get, f(Server), "GET"),
        row(RetryAfterYear, Stream, f(Server), "POST"),
        // Each event reaches the caller once, whatever the server replays.
        row(
            ReplayFromStart,
            Stream,
            Outcome::Streamed("stop", 1),
            "POST GET",
        ),
    ]
}

/// Runs one row against a fresh hostile server; returns what differs from the row.
pub fn check(row: &HostileRow) -> Vec<String> {
    let fault = row.fault;
    let server = HostileServer::start(move |request: &Request| fault.script(request));
    let base = format!("{}/api/v1", server.url());
    let options = json!({
        "access_token": "gk_personal_ada",
        "user_id": "user_ada",
        "base_url": base,
        "stream_base_url": base,
        "timeout_ms": TIMEOUT_MS * 10,
        "stream_idle_timeout_ms": TIMEOUT_MS * 10,
        "max_backoff_ms": MAX_BACKOFF_MS,
    });
    let client = Client::new(Some(&options.to_string())).expect("client");
    let observed = call_op(&client, row.op, false, None);
    let requests: Vec<String> = server.requests().into_iter().map(|r| r.method).collect();
    let expect = Cell {
        outcome: row.outcome.clone(),
        requests: row.requests,
        sessions: 0,
        bug: None,
    };
    let mut wrong = differences(observed.problems, &observed.outcome, &requests, &expect);
    if let Some(expected) = row.fault.retry_after_ms() {
        if observed.retry_after_ms != expected {
            wrong.push(format!(
                "retry_after_ms {:?}, expected {expected:?}",
                observed.retry_after_ms
            ));
        }
    }
    wrong
        .into_iter()
        .map(|w| format!("{} / {}: {w}", row.fault.label(), row.op.label()))
        .collect()
}

/// The rows as a markdown table.
pub fn render() -> String {
    let mut out = String::from(
        "\nHostile-server rows (`tests/hostile`):\n\n| fault | operation | outcome | requests |\n|---|---|---|---|\n",
    );
    for row in hostile_rows() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            row.fault.label(),
            row.op.label(),
            row.outcome.describe(),
            row.requests
        );
    }
    out
}
