//! The fault matrix: every fault the emulator can inject, against every core operation, with
//! the outcome the library must give (success or error kind), the requests the emulator must
//! log for the operation (every attempt, in order), and the sessions the operation must leave
//! behind.
//!
//! The expectations are data (`grid()` and `extra_rows()` below); each row runs against a
//! freshly reset emulator, and every row that does not hold is reported with the row. A row
//! states the *correct* behaviour: a row marked with a `bug` note is one the library gets wrong
//! today, and it fails until the library is fixed (then drop the note).
//!
//! `docs/RELIABILITY.md` holds the same table, rendered from this data between two markers;
//! `the_documented_matrix_matches_the_data` fails when they differ. To refresh the document:
//! `GUMLOOP_BLESS=1 cargo test --test fault_matrix the_documented_matrix`; to see the table:
//! `cargo test --test fault_matrix -- --nocapture`.
//!
//! Timings are chosen so that the rows are decided by behaviour, never by a race: a `delay_ms`
//! fault is three times the client's `timeout_ms`; a stream that must be resumed runs for three
//! times its idle timeout.

mod common;
#[path = "fault_matrix/hostile_rows.rs"]
mod hostile_rows;

use common::{parse, run, Emulator};
use gumloop::Secret;
use gumloop::StreamStart;
use gumloop::{CallAuth, Client, ErrorKind};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The client options every row starts from: short time limits, short backoff.
const TIMEOUT_MS: u64 = 500;
const DELAY_MS: u64 = 1500;
const MAX_BACKOFF_MS: u64 = 100;
/// The `max_backoff_ms` of the rows that show a `Retry-After` being honoured.
const PATIENT_BACKOFF_MS: u64 = 1000;

/// Emulators the rows are spread over.
const LANES: usize = 3;

const AGENT: &str = "agent_pro";
/// The session that get, send, cancel and rename work on (created before the fault is armed).
const TARGET: &str = "sess_fm_target";
/// The `session_id` of the keyed creates.
const KEYED: &str = "sess_fm_created";

// ---------------------------------------------------------------------------------------------
// Operations

/// One call of the library's core API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    /// `create_session` without `session_id`, with `input` (starts a run).
    Create,
    /// `create_session` with a `session_id` in the body.
    CreateWithId,
    /// `create_session` without `session_id`, on a client with `auto_session_id`.
    CreateAutoId,
    /// `get_session`.
    Get,
    /// `list_sessions`.
    List,
    /// `send_message` (immediate delivery) to an idle session.
    Send,
    /// `cancel_session` of a running session.
    Cancel,
    /// `rename_session`.
    Rename,
    /// `stream(StreamStart::Create)`: create a session and stream its first run.
    Stream,
    /// As `CreateWithId`, with per-call credentials (`CallAuth`, as the C one-shot call uses)
    /// on a client configured for another user.
    CreateWithIdCallAuth,
    /// As `Stream`, with a `session_id` in the body.
    StreamWithId,
    /// `upload_file` to an idle session.
    Upload,
    /// `resolve_approvals`, accepting the one pending ask of a paused session.
    Resolve,
    /// `list_queue` of a busy session.
    QueueList,
    /// `queue_message` to a busy session.
    QueueAdd,
    /// `edit_queued_message` of a queued message.
    QueueEdit,
    /// `delete_queued_message` of a queued message.
    QueueDelete,
    /// `send_queued_message` of a queued message.
    QueueSend,
    /// `get_session_access`.
    AccessGet,
    /// `update_session_access`, sharing with one person.
    AccessUpdate,
    /// `list_agents`.
    AgentsList,
    /// `get_agent`.
    AgentGet,
    /// `send_request("GET", ["sessions", TARGET])`.
    RawGet,
    /// `send_request("POST", ["agents", AGENT, "sessions"], {})`: creates an idle session.
    RawPost,
    /// `list_artifacts` of the agent.
    ArtifactsList,
    /// `download_artifact` into memory: the download answer, then the storage host.
    ArtifactDownload,
}

/// The operations added for the rest of the surface, each run under the faults of
/// `SURFACE_FAULTS`.
const SURFACE_OPS: [Op; 15] = [
    Op::Upload,
    Op::Resolve,
    Op::QueueList,
    Op::QueueAdd,
    Op::QueueEdit,
    Op::QueueDelete,
    Op::QueueSend,
    Op::AccessGet,
    Op::AccessUpdate,
    Op::AgentsList,
    Op::AgentGet,
    Op::RawGet,
    Op::RawPost,
    Op::ArtifactsList,
    Op::ArtifactDownload,
];

/// The faults that tell which calls may be repeated: one that says nothing happened (every
/// call repeats), two with an unknown outcome (only reads repeat).
const SURFACE_FAULTS: [Fault; 3] = [Fault::Busy, Fault::BadGateway, Fault::ResetBeforeResponse];

/// The operations of the main grid, in column order.
const GRID_OPS: [Op; 9] = [
    Op::Create,
    Op::CreateWithId,
    Op::CreateAutoId,
    Op::Get,
    Op::List,
    Op::Send,
    Op::Cancel,
    Op::Rename,
    Op::Stream,
];

impl Op {
    fn label(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::CreateWithId => "create + session_id",
            Op::CreateAutoId => "create + auto_session_id",
            Op::Get => "get",
            Op::List => "list",
            Op::Send => "send",
            Op::Cancel => "cancel",
            Op::Rename => "rename",
            Op::Stream => "stream (create)",
            Op::CreateWithIdCallAuth => "create + session_id, per-call credentials",
            Op::StreamWithId => "stream (create + session_id)",
            Op::Upload => "upload file",
            Op::Resolve => "resolve approvals",
            Op::QueueList => "list queue",
            Op::QueueAdd => "queue message",
            Op::QueueEdit => "edit queued message",
            Op::QueueDelete => "delete queued message",
            Op::QueueSend => "send queued message",
            Op::AccessGet => "get access",
            Op::AccessUpdate => "update access",
            Op::AgentsList => "list agents",
            Op::AgentGet => "get agent",
            Op::RawGet => "raw GET",
            Op::RawPost => "raw POST",
            Op::ArtifactsList => "list artifacts",
            Op::ArtifactDownload => "download artifact",
        }
    }

    /// Whether the operation only reads.
    fn reads(self) -> bool {
        self.target().0 == "GET"
    }

    /// The method, path pattern and listener of the operation's first request.
    fn target(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Op::Create | Op::CreateWithId | Op::CreateAutoId | Op::CreateWithIdCallAuth => {
                ("POST", "/api/v1/agents/*/sessions", "api")
            }
            Op::Get => ("GET", "/api/v1/sessions/*", "api"),
            Op::List => ("GET", "/api/v1/agents/*/sessions", "api"),
            Op::Send => ("POST", "/api/v1/sessions/*/messages", "api"),
            Op::Cancel => ("POST", "/api/v1/sessions/*/cancel", "api"),
            Op::Rename => ("PATCH", "/api/v1/sessions/*", "api"),
            Op::Stream | Op::StreamWithId => ("POST", "/api/v1/agents/*/sessions", "stream"),
            Op::Upload => ("POST", "/api/v1/sessions/*/files", "api"),
            Op::Resolve => ("POST", "/api/v1/sessions/*/approvals", "api"),
            Op::QueueList => ("GET", "/api/v1/sessions/*/queue", "api"),
            Op::QueueAdd => ("POST", "/api/v1/sessions/*/queue", "api"),
            Op::QueueEdit => ("PATCH", "/api/v1/sessions/*/queue/*", "api"),
            Op::QueueDelete => ("DELETE", "/api/v1/sessions/*/queue/*", "api"),
            Op::QueueSend => ("POST", "/api/v1/sessions/*/queue/*/send", "api"),
            Op::AccessGet => ("GET", "/api/v1/sessions/*/access", "api"),
            Op::AccessUpdate => ("PUT", "/api/v1/sessions/*/access", "api"),
            Op::AgentsList => ("GET", "/api/v1/agents", "api"),
            Op::AgentGet => ("GET", "/api/v1/agents/*", "api"),
            Op::RawGet => ("GET", "/api/v1/sessions/*", "api"),
            Op::RawPost => ("POST", "/api/v1/agents/*/sessions", "api"),
            Op::ArtifactsList => ("GET", "/api/v1/agents/*/artifacts", "api"),
            Op::ArtifactDownload => ("GET", "/api/v1/artifacts/*/download", "api"),
        }
    }

    /// The concrete URL of the operation's first request (for same-origin redirects).
    fn url(self, emu: &Emulator) -> String {
        let api = &emu.running.api_url;
        let stream = &emu.running.stream_url;
        match self {
            Op::Create | Op::CreateWithId | Op::CreateAutoId | Op::CreateWithIdCallAuth => {
                format!("{api}/agents/{AGENT}/sessions")
            }
            Op::Get | Op::Rename => format!("{api}/sessions/{TARGET}"),
            Op::List => format!("{api}/agents/{AGENT}/sessions?page_size=5"),
            Op::Send => format!("{api}/sessions/{TARGET}/messages"),
            Op::Cancel => format!("{api}/sessions/{TARGET}/cancel"),
            Op::Stream | Op::StreamWithId => format!("{stream}/agents/{AGENT}/sessions"),
            _ => unreachable!("redirect faults are armed only for the grid's operations"),
        }
    }

    /// Whether the operation can create a session.
    fn creates(self) -> bool {
        matches!(
            self,
            Op::Create
                | Op::CreateWithId
                | Op::CreateAutoId
                | Op::Stream
                | Op::CreateWithIdCallAuth
                | Op::StreamWithId
                | Op::RawPost
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Faults

/// One fault of the emulator's admin API, armed once (`times: 1`) unless it says otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fault {
    /// `{"status":503}` without `Retry-After`.
    Busy,
    /// `{"status":503}`, five times: busier than the retry budget.
    AlwaysBusy,
    /// `{"status":503,"retry_after":1}` on a client whose `max_backoff_ms` is 100.
    RetryAfterTooLong,
    /// `{"status":429,"retry_after":1}` on a client whose `max_backoff_ms` is 1000.
    RetryAfterHonoured,
    /// `{"status":502}`.
    BadGateway,
    /// `{"delay_ms":1500}` against a 500 ms time limit.
    Delay,
    /// `{"reset":"before_response"}`: the request was acted on, the answer is lost.
    ResetBeforeResponse,
    /// `{"reset":"before_request"}`: the connection closes, nothing was acted on.
    ResetBeforeRequest,
    /// `{"truncate":true}`: acted on, half the answer arrives.
    Truncate,
    /// `{"garbage":true}`: a 200 whose body is not JSON, nothing acted on.
    Garbage,
    /// `{"redirect":…}` to another origin.
    RedirectAway,
    /// `{"redirect":…}` to the same URL (same origin).
    RedirectSame,
    /// `{"stall_stream_after":2}`.
    Stall,
    /// `{"drop_stream_after":2}`.
    Drop,
    /// `{"drop_stream_after":0}`: the stream closes before its first event.
    DropBeforeFirstEvent,
}

impl Fault {
    fn label(self) -> &'static str {
        match self {
            Fault::Busy => "`503`",
            Fault::AlwaysBusy => "`503` ×5 (busier than the retry budget)",
            Fault::RetryAfterTooLong => "`503` + `Retry-After: 1`, max_backoff 100 ms",
            Fault::RetryAfterHonoured => "`429` + `Retry-After: 1`, max_backoff 1000 ms",
            Fault::BadGateway => "`502`",
            Fault::Delay => "`delay_ms` 1500, timeout 500 ms",
            Fault::ResetBeforeResponse => "`reset: before_response`",
            Fault::ResetBeforeRequest => "`reset: before_request`",
            Fault::Truncate => "`truncate`",
            Fault::Garbage => "`garbage`",
            Fault::RedirectAway => "`redirect` to another origin",
            Fault::RedirectSame => "`redirect` (307) to the same origin",
            Fault::Stall => "`stall_stream_after` 2",
            Fault::Drop => "`drop_stream_after` 2",
            Fault::DropBeforeFirstEvent => "`drop_stream_after` 0",
        }
    }

    /// The fault's own fields of the admin API.
    fn kind(self, op: Op, emu: &Emulator) -> Value {
        match self {
            Fault::Busy => json!({ "status": 503 }),
            Fault::AlwaysBusy => json!({ "status": 503, "times": 5 }),
            Fault::RetryAfterTooLong => json!({ "status": 503, "retry_after": 1 }),
            Fault::RetryAfterHonoured => json!({ "status": 429, "retry_after": 1 }),
            Fault::BadGateway => json!({ "status": 502 }),
            Fault::Delay => json!({ "delay_ms": DELAY_MS }),
            Fault::ResetBeforeResponse => json!({ "reset": "before_response" }),
            Fault::ResetBeforeRequest => json!({ "reset": "before_request" }),
            Fault::Truncate => json!({ "truncate": true }),
            Fault::Garbage => json!({ "garbage": true }),
            Fault::RedirectAway => {
                // Same port, another host name: another origin.
                let away = op.url(emu).replacen("127.0.0.1", "localhost", 1);
                json!({ "redirect": away })
            }
            Fault::RedirectSame => json!({ "redirect": op.url(emu) }),
            Fault::Stall => json!({ "stall_stream_after": 2 }),
            Fault::Drop => json!({ "drop_stream_after": 2 }),
            Fault::DropBeforeFirstEvent => json!({ "drop_stream_after": 0 }),
        }
    }

    /// The admin API's fault document for `op`.
    fn spec(self, op: Op, emu: &Emulator) -> Value {
        let (method, path, listener) = op.target();
        let mut spec = json!({ "method": method, "path": path, "listener": listener, "times": 1 });
        for (k, v) in self.kind(op, emu).as_object().expect("object") {
            spec[k] = v.clone();
        }
        spec
    }

    /// Client options of this row, over the common ones.
    fn max_backoff_ms(self) -> u64 {
        match self {
            Fault::RetryAfterHonoured => PATIENT_BACKOFF_MS,
            _ => MAX_BACKOFF_MS,
        }
    }

    /// Whether a stream under this fault must still be running when it is resumed.
    fn needs_long_run(self) -> bool {
        matches!(self, Fault::Stall | Fault::Drop)
    }
}

// ---------------------------------------------------------------------------------------------
// Expectations

/// What a call returned.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    /// Success, as the server answered.
    Ok,
    /// Success of a keyed create whose answer was lost: the session fetched after a 409,
    /// marked `"_gumloop":{"recovered":true}`.
    Recovered,
    /// A stream that reached its final event with this `finishReason`, after these resumes.
    Streamed(&'static str, u32),
    /// A failure of this kind.
    Failed(ErrorKind),
}

impl Outcome {
    fn describe(&self) -> String {
        match self {
            Outcome::Ok => "OK".into(),
            Outcome::Recovered => "OK, recovered".into(),
            Outcome::Streamed(reason, 0) => format!("OK, `{reason}`"),
            Outcome::Streamed(reason, n) => format!("OK, `{reason}`, {n} resume"),
            Outcome::Failed(kind) => {
                format!("**{}**", kind.name().trim_start_matches("GUMLOOP_ERR_"))
            }
        }
    }
}

/// The expected result of one operation under one fault.
#[derive(Clone, Debug)]
struct Cell {
    outcome: Outcome,
    /// The methods of the requests the emulator logs, in order (`"POST POST GET"`).
    requests: &'static str,
    /// Sessions the operation leaves behind.
    sessions: u64,
    /// Set when the library gets this row wrong today: what it does instead.
    bug: Option<&'static str>,
}

fn ok(requests: &'static str, sessions: u64) -> Cell {
    Cell {
        outcome: Outcome::Ok,
        requests,
        sessions,
        bug: None,
    }
}

fn recovered(requests: &'static str) -> Cell {
    Cell {
        outcome: Outcome::Recovered,
        requests,
        sessions: 1,
        bug: None,
    }
}

fn streamed(reason: &'static str, resumes: u32, requests: &'static str) -> Cell {
    Cell {
        outcome: Outcome::Streamed(reason, resumes),
        requests,
        sessions: 1,
        bug: None,
    }
}

fn failed(kind: ErrorKind, requests: &'static str, sessions: u64) -> Cell {
    Cell {
        outcome: Outcome::Failed(kind),
        requests,
        sessions,
        bug: None,
    }
}

impl Cell {
    /// Marks a row the library gets wrong today: the row states the correct behaviour and is
    /// expected to fail until the library is fixed. No row needs it at present.
    #[allow(dead_code)]
    fn bug(mut self, what: &'static str) -> Cell {
        self.bug = Some(what);
        self
    }

    fn describe(&self) -> String {
        let mut text = format!(
            "{}<br>{}<br>+{}",
            self.outcome.describe(),
            self.requests,
            self.sessions
        );
        if self.bug.is_some() {
            text.push_str("<br>✗ bug");
        }
        text
    }
}

/// One row: an operation, a fault, and what must happen.
#[derive(Clone, Debug)]
struct Row {
    op: Op,
    fault: Fault,
    expect: Cell,
}

use ErrorKind::{ConnectionLost, InvalidResponse, Redirect, Server, StreamIncomplete, Timeout};

/// The main grid: for each fault, one cell per operation of `GRID_OPS`, in order:
/// create, create + session_id, create + auto_session_id, get, list, send, cancel, rename,
/// stream.
fn grid() -> Vec<(Fault, [Cell; 9])> {
    vec![
        // 503 says nothing happened: every request is repeated, after a backoff.
        (
            Fault::Busy,
            [
                ok("POST POST", 1),
                ok("POST POST", 1),
                ok("POST POST", 1),
                ok("GET GET", 0),
                ok("GET GET", 0),
                ok("POST POST", 0),
                ok("POST POST", 0),
                ok("PATCH PATCH", 0),
                streamed("stop", 0, "POST POST"),
            ],
        ),
        // Still busy after max_retries (2) repeats: three attempts, then the 503.
        (
            Fault::AlwaysBusy,
            [
                failed(Server, "POST POST POST", 0),
                failed(Server, "POST POST POST", 0),
                failed(Server, "POST POST POST", 0),
                failed(Server, "GET GET GET", 0),
                failed(Server, "GET GET GET", 0),
                failed(Server, "POST POST POST", 0),
                failed(Server, "POST POST POST", 0),
                failed(Server, "PATCH PATCH PATCH", 0),
                failed(Server, "POST POST POST", 0),
            ],
        ),
        // A Retry-After longer than max_backoff is left to the caller (retry_after_ms 1000).
        (
            Fault::RetryAfterTooLong,
            [
                failed(Server, "POST", 0),
                failed(Server, "POST", 0),
                failed(Server, "POST", 0),
                failed(Server, "GET", 0),
                failed(Server, "GET", 0),
                failed(Server, "POST", 0),
                failed(Server, "POST", 0),
                failed(Server, "PATCH", 0),
                failed(Server, "POST", 0),
            ],
        ),
        // A Retry-After within max_backoff is waited out, then the request is repeated.
        (
            Fault::RetryAfterHonoured,
            [
                ok("POST POST", 1),
                ok("POST POST", 1),
                ok("POST POST", 1),
                ok("GET GET", 0),
                ok("GET GET", 0),
                ok("POST POST", 0),
                ok("POST POST", 0),
                ok("PATCH PATCH", 0),
                streamed("stop", 0, "POST POST"),
            ],
        ),
        // 502: the outcome is unknown. Repeated only by reads and keyed creates.
        (
            Fault::BadGateway,
            [
                failed(Server, "POST", 0),
                ok("POST POST", 1),
                ok("POST POST", 1),
                ok("GET GET", 0),
                ok("GET GET", 0),
                failed(Server, "POST", 0),
                failed(Server, "POST", 0),
                failed(Server, "PATCH", 0),
                failed(Server, "POST", 0),
            ],
        ),
        // A time-out: unknown outcome. (The emulator drops a delayed request whose client hung
        // up, so nothing is created by the first attempt; a real server might create it.)
        (
            Fault::Delay,
            [
                failed(Timeout, "POST", 0),
                ok("POST POST", 1),
                ok("POST POST", 1),
                ok("GET GET", 0),
                ok("GET GET", 0),
                failed(Timeout, "POST", 0),
                failed(Timeout, "POST", 0),
                failed(Timeout, "PATCH", 0),
                failed(Timeout, "POST", 0),
            ],
        ),
        // Acted on, answer lost. A keyed create repeats, meets 409 and fetches its session.
        (
            Fault::ResetBeforeResponse,
            [
                failed(ConnectionLost, "POST", 1),
                recovered("POST POST GET"),
                recovered("POST POST GET"),
                ok("GET GET", 0),
                ok("GET GET", 0),
                failed(ConnectionLost, "POST", 0),
                failed(ConnectionLost, "POST", 0),
                failed(ConnectionLost, "PATCH", 0),
                failed(ConnectionLost, "POST", 1),
            ],
        ),
        // Nothing acted on, but the client cannot tell this from the row above.
        (
            Fault::ResetBeforeRequest,
            [
                failed(ConnectionLost, "POST", 0),
                ok("POST POST", 1),
                ok("POST POST", 1),
                ok("GET GET", 0),
                ok("GET GET", 0),
                failed(ConnectionLost, "POST", 0),
                failed(ConnectionLost, "POST", 0),
                failed(ConnectionLost, "PATCH", 0),
                failed(ConnectionLost, "POST", 0),
            ],
        ),
        // Acted on, half the answer: as a lost answer. A stream resumes after what it got.
        (
            Fault::Truncate,
            [
                failed(ConnectionLost, "POST", 1),
                recovered("POST POST GET"),
                recovered("POST POST GET"),
                ok("GET GET", 0),
                ok("GET GET", 0),
                failed(ConnectionLost, "POST", 0),
                failed(ConnectionLost, "POST", 0),
                failed(ConnectionLost, "PATCH", 0),
                streamed("not_resumable", 1, "POST GET"),
            ],
        ),
        // A 200 that is not JSON (or not an event stream): never repeated.
        (
            Fault::Garbage,
            [
                failed(InvalidResponse, "POST", 0),
                failed(InvalidResponse, "POST", 0),
                failed(InvalidResponse, "POST", 0),
                failed(InvalidResponse, "GET", 0),
                failed(InvalidResponse, "GET", 0),
                failed(InvalidResponse, "POST", 0),
                failed(InvalidResponse, "POST", 0),
                failed(InvalidResponse, "PATCH", 0),
                failed(InvalidResponse, "POST", 0),
            ],
        ),
        // Credentials never follow a redirect to another origin.
        (
            Fault::RedirectAway,
            [
                failed(Redirect, "POST", 0),
                failed(Redirect, "POST", 0),
                failed(Redirect, "POST", 0),
                failed(Redirect, "GET", 0),
                failed(Redirect, "GET", 0),
                failed(Redirect, "POST", 0),
                failed(Redirect, "POST", 0),
                failed(Redirect, "PATCH", 0),
                failed(Redirect, "POST", 0),
            ],
        ),
        // A 307 within the origin is followed, with the same method and body.
        (
            Fault::RedirectSame,
            [
                ok("POST POST", 1),
                ok("POST POST", 1),
                ok("POST POST", 1),
                ok("GET GET", 0),
                ok("GET GET", 0),
                ok("POST POST", 0),
                ok("POST POST", 0),
                ok("PATCH PATCH", 0),
                streamed("stop", 0, "POST POST"),
            ],
        ),
        // Stream faults touch only event streams; a stalled stream is resumed after the idle
        // time-out, from its last cursor, and every event arrives once.
        (
            Fault::Stall,
            [
                ok("POST", 1),
                ok("POST", 1),
                ok("POST", 1),
                ok("GET", 0),
                ok("GET", 0),
                ok("POST", 0),
                ok("POST", 0),
                ok("PATCH", 0),
                streamed("stop", 1, "POST GET"),
            ],
        ),
        (
            Fault::Drop,
            [
                ok("POST", 1),
                ok("POST", 1),
                ok("POST", 1),
                ok("GET", 0),
                ok("GET", 0),
                ok("POST", 0),
                ok("POST", 0),
                ok("PATCH", 0),
                streamed("stop", 1, "POST GET"),
            ],
        ),
    ]
}

/// Rows outside the grid: the other operations and faults.
fn extra_rows() -> Vec<Row> {
    let row = |op, fault, expect| Row { op, fault, expect };
    vec![
        // A stream that closes before its first event has no cursor to resume from; the
        // session exists.
        row(
            Op::Stream,
            Fault::DropBeforeFirstEvent,
            failed(StreamIncomplete, "POST", 1),
        ),
        // With a session_id in the body the create that opens the stream is repeated after an
        // unknown outcome, as a keyed create is: a repeat cannot make a second session. When
        // the first attempt made it (409 on the repeat), its events cannot be replayed without
        // a cursor: STREAM_INCOMPLETE, with the session named, once a GET has checked that the
        // session is this call's (tests/outcomes.rs has the refusals). A stream that opened and closed
        // before its first event is not repeated (the create is known to have happened).
        row(
            Op::StreamWithId,
            Fault::DropBeforeFirstEvent,
            failed(StreamIncomplete, "POST", 1),
        ),
        row(
            Op::StreamWithId,
            Fault::ResetBeforeResponse,
            failed(StreamIncomplete, "POST POST GET", 1),
        ),
        row(
            Op::StreamWithId,
            Fault::Drop,
            streamed("stop", 1, "POST GET"),
        ),
        // Per-call credentials (the C one-shot gumloop_oneshot_create_session) must be used for every
        // request of the call, including the GET that recovers a keyed create.
        row(Op::CreateWithIdCallAuth, Fault::Busy, ok("POST POST", 1)),
        row(
            Op::CreateWithIdCallAuth,
            Fault::ResetBeforeResponse,
            recovered("POST POST GET"),
        ),
        row(
            Op::CreateWithIdCallAuth,
            Fault::Truncate,
            recovered("POST POST GET"),
        ),
    ]
    .into_iter()
    // A create the server never saw, or that failed before being acted on, is repeated.
    .chain(
        [Fault::ResetBeforeRequest, Fault::BadGateway, Fault::Delay]
            .map(|fault| row(Op::StreamWithId, fault, streamed("stop", 0, "POST POST"))),
    )
    .chain(surface_rows())
    .collect()
}

/// The rest of the surface: under a 503 every call is repeated; after an unknown outcome
/// (502, or the answer lost after the server acted) only reads are, and a write fails once.
fn surface_rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for fault in SURFACE_FAULTS {
        for op in SURFACE_OPS {
            let method = op.target().0;
            let twice: &'static str = match method {
                "GET" => "GET GET",
                "POST" => "POST POST",
                "PATCH" => "PATCH PATCH",
                "PUT" => "PUT PUT",
                _ => "DELETE DELETE",
            };
            let once: &'static str = &twice[..method.len()];
            // A download's second request goes to the storage host, after the repeated GET.
            let twice = if op == Op::ArtifactDownload {
                "GET GET GET"
            } else {
                twice
            };
            // A raw POST to the sessions of an agent makes a session when the server acts.
            let made = u64::from(op == Op::RawPost);
            let expect = match fault {
                Fault::Busy => ok(twice, made),
                _ if op.reads() => ok(twice, 0),
                Fault::BadGateway => failed(Server, once, 0),
                _ => failed(ConnectionLost, once, made),
            };
            rows.push(Row { op, fault, expect });
        }
    }
    rows
}

/// Every row: the grid, then the extras.
fn rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for (fault, cells) in grid() {
        for (op, expect) in GRID_OPS.into_iter().zip(cells) {
            rows.push(Row { op, fault, expect });
        }
    }
    rows.extend(extra_rows());
    rows
}

// ---------------------------------------------------------------------------------------------
// Running a row

/// What one call did.
struct Observed {
    outcome: Outcome,
    /// The error's `attempts`, for failures.
    attempts: Option<u32>,
    /// The error's `retry_after_ms`, for failures.
    retry_after_ms: Option<u64>,
    /// Problems seen in the answer itself (a recovered document without its marker, events
    /// delivered twice, …).
    problems: Vec<String>,
}

fn client_options(row: &Row) -> Value {
    let mut options = json!({
        "timeout_ms": TIMEOUT_MS,
        "stream_idle_timeout_ms": TIMEOUT_MS,
        "max_backoff_ms": row.fault.max_backoff_ms(),
    });
    match row.op {
        Op::CreateAutoId => options["auto_session_id"] = json!(true),
        Op::CreateWithIdCallAuth => {
            // The client is user_bob's, who cannot read agent_pro; the call carries user_ada's.
            options["access_token"] = json!("gk_personal_bob");
            options["user_id"] = json!("user_bob");
        }
        _ => {}
    }
    options
}

fn failure(error: &gumloop::Error) -> (Outcome, Option<u32>, Option<u64>) {
    (
        Outcome::Failed(error.kind),
        Some(error.attempts),
        error.server.as_ref().and_then(|s| s.retry_after_ms),
    )
}

/// Checks the answer of a successful REST call; returns the outcome it shows.
fn rest_success(op: Op, text: &str, problems: &mut Vec<String>) -> Outcome {
    let Ok(doc) = serde_json::from_str::<Value>(text) else {
        problems.push(format!("the answer is not JSON: {text}"));
        return Outcome::Ok;
    };
    let recovered = doc["_gumloop"]["recovered"] == json!(true);
    match op {
        Op::CreateWithId | Op::CreateWithIdCallAuth if doc["session"]["id"] != KEYED => {
            problems.push(format!("the session is not {KEYED}: {text}"))
        }
        Op::List if !doc["sessions"].is_array() => problems.push(format!("not a page: {text}")),
        Op::Create | Op::CreateAutoId | Op::Get | Op::Send | Op::Cancel | Op::Rename
            if !doc["session"]["id"].is_string() =>
        {
            problems.push(format!("no session in the answer: {text}"))
        }
        _ => {}
    }
    if recovered {
        Outcome::Recovered
    } else {
        Outcome::Ok
    }
}

/// Runs the row's operation once with `client`; a fault that needs a run long enough to be
/// resumed gets one.
fn call(client: &Client, row: &Row, context: Option<&str>) -> Observed {
    call_op(client, row.op, row.fault.needs_long_run(), context)
}

/// Runs `op` once with `client`; `long_run` asks for a run long enough to be resumed, `context`
/// is the ID (pending ask, queued message, artifact) the operation works on.
fn call_op(client: &Client, op: Op, long_run: bool, context: Option<&str>) -> Observed {
    let none = CallAuth::default();
    let mut problems = Vec::new();
    let rest = |result: gumloop::Result<String>, problems: &mut Vec<String>| match result {
        Ok(text) => (rest_success(op, &text, problems), None, None),
        Err(error) => failure(&error),
    };
    let (outcome, attempts, retry_after_ms) = match op {
        Op::Create | Op::CreateAutoId => rest(
            run(client.create_session(AGENT, Some(r#"{"input":"fault matrix"}"#), &none, None)),
            &mut problems,
        ),
        Op::CreateWithId => {
            let body = json!({ "session_id": KEYED, "input": "fault matrix" }).to_string();
            rest(
                run(client.create_session(AGENT, Some(&body), &none, None)),
                &mut problems,
            )
        }
        Op::CreateWithIdCallAuth => {
            let body = json!({ "session_id": KEYED, "input": "fault matrix" }).to_string();
            let auth = CallAuth {
                access_token: Some(Secret::new("gk_personal_ada".into())),
                user_id: Some("user_ada".into()),
            };
            rest(
                run(client.create_session(AGENT, Some(&body), &auth, None)),
                &mut problems,
            )
        }
        Op::Get => rest(run(client.get_session(TARGET, None)), &mut problems),
        Op::Upload => rest(
            run(client.upload_file(TARGET, "matrix.txt", None, b"fault matrix", None)),
            &mut problems,
        ),
        Op::Resolve => {
            let body = json!({"approval_responses": [
                {"action_request_id": context.expect("the pending ask"), "action": "accept"}]});
            rest(
                run(client.resolve_approvals(TARGET, Some(&body.to_string()), None)),
                &mut problems,
            )
        }
        Op::QueueList => rest(run(client.list_queue(TARGET, None)), &mut problems),
        Op::QueueAdd => rest(
            run(client.queue_message(TARGET, Some(r#"{"input":"fault matrix"}"#), None)),
            &mut problems,
        ),
        Op::QueueEdit => rest(
            run(client.edit_queued_message(
                TARGET,
                context.expect("a queued message"),
                Some(r#"{"input":"edited by the fault matrix"}"#),
                None,
            )),
            &mut problems,
        ),
        Op::QueueDelete => rest(
            run(client.delete_queued_message(TARGET, context.expect("a queued message"), None)),
            &mut problems,
        ),
        Op::QueueSend => rest(
            run(client.send_queued_message(TARGET, context.expect("a queued message"), None)),
            &mut problems,
        ),
        Op::AccessGet => rest(run(client.get_session_access(TARGET, None)), &mut problems),
        Op::AccessUpdate => {
            let body =
                r#"{"share":[{"type":"person","email":"grace@example.com","role":"viewer"}]}"#;
            rest(
                run(client.update_session_access(TARGET, Some(body), None)),
                &mut problems,
            )
        }
        Op::AgentsList => rest(run(client.list_agents(None, None)), &mut problems),
        Op::ArtifactsList => rest(run(client.list_artifacts(AGENT, None, None)), &mut problems),
        Op::ArtifactDownload => {
            let options = gumloop::DownloadOptions::default();
            let id = context.expect("an artifact");
            match run(client.download_artifact(id, &options, None)) {
                Ok((bytes, _)) => {
                    if bytes.is_empty() {
                        problems.push("the artifact's bytes are empty".into());
                    }
                    (Outcome::Ok, None, None)
                }
                Err(error) => failure(&error),
            }
        }
        Op::AgentGet => rest(run(client.get_agent(AGENT, None)), &mut problems),
        Op::RawGet => rest(
            run(client.send_request(
                "GET",
                &json!(["sessions", TARGET]).to_string(),
                None,
                None,
                None,
            )),
            &mut problems,
        ),
        Op::RawPost => rest(
            run(client.send_request(
                "POST",
                &json!(["agents", AGENT, "sessions"]).to_string(),
                None,
                Some("{}"),
                None,
            )),
            &mut problems,
        ),
        Op::List => rest(
            run(client.list_sessions(AGENT, Some(r#"{"page_size":5}"#), None)),
            &mut problems,
        ),
        Op::Send => rest(
            run(client.send_message(TARGET, Some(r#"{"input":"fault matrix"}"#), None)),
            &mut problems,
        ),
        Op::Cancel => rest(run(client.cancel_session(TARGET, None)), &mut problems),
        Op::Rename => rest(
            run(client.rename_session(TARGET, "renamed by the fault matrix", None)),
            &mut problems,
        ),
        Op::Stream | Op::StreamWithId => {
            // A run that outlives a stall's idle time-out, paced so that no gap between two
            // events comes near it.
            let input = if long_run {
                "[slow:1500] [words:30] fault matrix"
            } else {
                "fault matrix"
            };
            let mut body = json!({ "input": input });
            if op == Op::StreamWithId {
                body["session_id"] = json!(KEYED);
            }
            let body = body.to_string();
            let mut cursors: Vec<u64> = Vec::new();
            let mut on_event = |event: &str| {
                let event = parse(event);
                if let Some(n) = event["stream_cursor"]
                    .as_str()
                    .and_then(|c| c.rsplit_once(':'))
                    .and_then(|(_, n)| n.parse().ok())
                {
                    cursors.push(n);
                }
                true
            };
            let start = StreamStart::Create {
                agent_id: AGENT,
                body_json: Some(&body),
            };
            let result = run(client.stream(start, &mut on_event, None));
            if cursors.windows(2).any(|w| w[1] <= w[0]) {
                problems.push(format!(
                    "events delivered twice or out of order: {cursors:?}"
                ));
            }
            match result {
                Ok(summary) => {
                    let reason = summary.finish_reason.clone().unwrap_or_default();
                    let gapless =
                        cursors.first() == Some(&1) && cursors.windows(2).all(|w| w[1] == w[0] + 1);
                    if reason == "stop" && !gapless {
                        problems.push(format!("events missing from a stream: {cursors:?}"));
                    }
                    let reason = match reason.as_str() {
                        "stop" => "stop",
                        "not_resumable" => "not_resumable",
                        "error" => "error",
                        _ => "other",
                    };
                    (Outcome::Streamed(reason, summary.resumes), None, None)
                }
                Err(error) => {
                    if error.stream.is_none() {
                        problems.push("a failed stream's error has no stream summary".into());
                    }
                    failure(&error)
                }
            }
        }
    };
    Observed {
        outcome,
        attempts,
        retry_after_ms,
        problems,
    }
}

/// What differs between a call's outcome and requests and the expected ones, after `problems`.
fn differences<R: AsRef<str>>(
    mut problems: Vec<String>,
    outcome: &Outcome,
    requests: &[R],
    expect: &Cell,
) -> Vec<String> {
    if *outcome != expect.outcome {
        problems.push(format!(
            "outcome {outcome:?}, expected {:?}",
            expect.outcome
        ));
    }
    let requests: Vec<&str> = requests.iter().map(AsRef::as_ref).collect();
    if requests.join(" ") != expect.requests {
        problems.push(format!(
            "requests `{}`, expected `{}`",
            requests.join(" "),
            expect.requests
        ));
    }
    problems
}

/// The emulator, a plain HTTP client for its admin API, and the library's clients (one per
/// set of options, so that loading the system's root certificates is not repeated per row).
struct Bench {
    emu: Emulator,
    admin: reqwest::Client,
    clients: HashMap<String, Client>,
}

impl Bench {
    fn start() -> Bench {
        let admin = reqwest::Client::builder()
            .no_proxy()
            .tls_built_in_root_certs(false)
            .build()
            .expect("admin client");
        Bench {
            emu: Emulator::start(),
            admin,
            clients: HashMap::new(),
        }
    }

    /// Calls the admin API (as `Emulator::admin`, with one reused HTTP client).
    fn admin(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.emu.running.admin_url);
        let mut request = self.admin.request(method, url);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        run(async move {
            let text = request.send().await.expect("admin request").text().await;
            serde_json::from_str(&text.unwrap_or_default()).unwrap_or(Value::Null)
        })
    }

    fn sessions_total(&self) -> u64 {
        self.admin(reqwest::Method::GET, "/stats", None)["sessions"]["total"]
            .as_u64()
            .expect("stats.sessions.total")
    }

    /// The library's client for `extra` options over user_ada's.
    fn client(&mut self, extra: Value) -> &Client {
        let options = self.emu.options(extra).to_string();
        self.clients
            .entry(options)
            .or_insert_with_key(|o| Client::new(Some(o)).expect("client"))
    }

    /// Creates what the operation works on, before any fault is armed; returns what the call
    /// needs to name (a pending ask, a queued message).
    fn set_up(&mut self, op: Op) -> Option<String> {
        let busy = json!({ "session_id": TARGET, "input": "[slow:60000] keep working" });
        let body = match op {
            Op::Get
            | Op::List
            | Op::Send
            | Op::Rename
            | Op::Upload
            | Op::AccessGet
            | Op::AccessUpdate
            | Op::RawGet => json!({ "session_id": TARGET }),
            // Running long enough to be cancelled, or to hold a queue.
            Op::Cancel
            | Op::QueueList
            | Op::QueueAdd
            | Op::QueueEdit
            | Op::QueueDelete
            | Op::QueueSend => busy,
            Op::Resolve => json!({ "session_id": TARGET, "input": "[approval] fault matrix" }),
            Op::ArtifactsList | Op::ArtifactDownload => {
                json!({ "session_id": TARGET, "input": "[artifact:matrix.txt] fault matrix" })
            }
            _ => return None,
        };
        let setup = self.client(json!({}));
        run(setup.create_session(AGENT, Some(&body.to_string()), &CallAuth::default(), None))
            .expect("setting up the row's session");
        match op {
            Op::QueueEdit | Op::QueueDelete | Op::QueueSend => {
                let added = run(setup.queue_message(TARGET, Some(r#"{"input":"queued"}"#), None))
                    .expect("queueing the row's message");
                parse(&added)["queued_message"]["id"]
                    .as_str()
                    .map(str::to_owned)
            }
            Op::ArtifactsList | Op::ArtifactDownload => {
                run(setup.wait_session(TARGET, Default::default(), None))
                    .expect("waiting for the row's artifact");
                let page = run(setup.list_artifacts(AGENT, None, None)).expect("the artifacts");
                parse(&page)["artifacts"][0]["id"]
                    .as_str()
                    .map(str::to_owned)
            }
            Op::Resolve => {
                let paused = run(setup.wait_session(TARGET, Default::default(), None))
                    .expect("waiting for the row's approval");
                parse(&paused)["session"]["pending_approvals"][0]["action_request_id"]
                    .as_str()
                    .map(str::to_owned)
            }
            _ => None,
        }
    }

    /// Runs one row against a freshly reset emulator; returns what differs from the row.
    fn check(&mut self, row: &Row) -> Vec<String> {
        self.admin(reqwest::Method::POST, "/reset", Some(json!({})));
        let context = self.set_up(row.op);
        self.admin(reqwest::Method::DELETE, "/requests", None);
        let before = self.sessions_total();
        let spec = row.fault.spec(row.op, &self.emu);
        self.admin(reqwest::Method::POST, "/faults", Some(spec));

        let started = Instant::now();
        let observed = call(self.client(client_options(row)), row, context.as_deref());
        if row.fault == Fault::Delay && row.op.creates() {
            // Let a delayed first attempt finish (or be dropped) before sessions are counted.
            let settled = Duration::from_millis(DELAY_MS + 300);
            if let Some(rest) = settled.checked_sub(started.elapsed()) {
                std::thread::sleep(rest);
            }
        }
        let log = self.admin(reqwest::Method::GET, "/requests", None);
        let requests: Vec<&str> = log["requests"]
            .as_array()
            .map(|all| {
                all.iter()
                    .map(|r| r["method"].as_str().unwrap_or("?"))
                    .collect()
            })
            .unwrap_or_default();
        let sessions = self.sessions_total() - before;

        let expect = &row.expect;
        let mut wrong = differences(observed.problems, &observed.outcome, &requests, expect);
        if sessions != expect.sessions {
            wrong.push(format!(
                "{sessions} sessions created, expected {}",
                expect.sessions
            ));
        }
        if let Some(attempts) = observed.attempts {
            let logged = requests.len() as u32;
            if attempts != logged {
                wrong.push(format!(
                    "the error says {attempts} attempts, the server logged {logged} requests"
                ));
            }
        }
        if row.fault == Fault::RetryAfterTooLong && observed.retry_after_ms != Some(1000) {
            wrong.push(format!(
                "retry_after_ms {:?}, expected Some(1000)",
                observed.retry_after_ms
            ));
        }
        wrong
    }
}

#[test]
fn every_fault_against_every_operation() {
    let rows = rows();
    // Rows spend most of their time waiting (time-outs, Retry-After, stalled streams), so a few
    // lanes, each with its own emulator, run them side by side; each row still starts from a
    // reset of its lane's emulator.
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, Vec<String>)> = std::thread::scope(|scope| {
        let lanes: Vec<_> = (0..LANES)
            .map(|_| {
                scope.spawn(|| {
                    let mut bench = Bench::start();
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(row) = rows.get(i) else {
                            return done;
                        };
                        done.push((i, bench.check(row)));
                    }
                })
            })
            .collect();
        lanes
            .into_iter()
            .flat_map(|lane| lane.join().expect("a lane panicked"))
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);

    let mut failures = Vec::new();
    let mut fixed = Vec::new();
    for (i, wrong) in results {
        let row = &rows[i];
        let name = format!("{} / {}", row.fault.label(), row.op.label());
        match (wrong.is_empty(), row.expect.bug) {
            (true, None) => {}
            (true, Some(_)) => fixed.push(name),
            (false, bug) => {
                let known = bug.map_or(String::new(), |b| format!("\n    known bug: {b}"));
                failures.push(format!(
                    "{name}: expected {}{known}\n    {}",
                    row.expect.describe().replace("<br>", " · "),
                    wrong.join("\n    ")
                ));
            }
        }
    }
    println!("{}", render());
    assert!(
        fixed.is_empty(),
        "these rows carry a bug note but pass now; drop the note and re-bless the document: {fixed:#?}"
    );
    assert!(
        failures.is_empty(),
        "{} of {} rows fail:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

#[test]
fn every_hostile_server_fault() {
    let rows = hostile_rows::hostile_rows();
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = rows
            .chunks(rows.len().div_ceil(LANES))
            .map(|lane| {
                scope.spawn(move || {
                    lane.iter()
                        .flat_map(hostile_rows::check)
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a lane panicked"))
            .collect()
    });
    assert!(
        failures.is_empty(),
        "hostile rows that fail (of {}):\n{}",
        rows.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// The table in docs/RELIABILITY.md

const BEGIN: &str = "<!-- fault-matrix:begin (generated by tests/fault_matrix.rs) -->";
const END: &str = "<!-- fault-matrix:end -->";

/// The matrix as markdown: the grid, then the other rows, then the known bugs.
fn render() -> String {
    let mut out = String::new();
    out.push_str("| fault | ");
    out.push_str(
        &GRID_OPS
            .iter()
            .map(|op| op.label())
            .collect::<Vec<_>>()
            .join(" | "),
    );
    out.push_str(" |\n|---|");
    out.push_str(&"---|".repeat(GRID_OPS.len()));
    out.push('\n');
    for (fault, cells) in grid() {
        let cells: Vec<String> = cells.iter().map(Cell::describe).collect();
        let _ = writeln!(out, "| {} | {} |", fault.label(), cells.join(" | "));
    }
    out.push_str("\nOther rows:\n\n| fault | operation | outcome | requests | sessions |\n");
    out.push_str("|---|---|---|---|---|\n");
    for row in extra_rows() {
        let e = &row.expect;
        let bug = if e.bug.is_some() { " ✗ bug" } else { "" };
        let _ = writeln!(
            out,
            "| {} | {} | {}{bug} | {} | +{} |",
            row.fault.label(),
            row.op.label(),
            e.outcome.describe(),
            e.requests,
            e.sessions
        );
    }
    // Each known bug once, with the rows it breaks.
    let mut bugs: Vec<(&str, Vec<String>)> = Vec::new();
    for row in rows() {
        let Some(bug) = row.expect.bug else { continue };
        let name = format!("{} / {}", row.fault.label(), row.op.label());
        match bugs.iter_mut().find(|(b, _)| *b == bug) {
            Some((_, names)) => names.push(name),
            None => bugs.push((bug, vec![name])),
        }
    }
    out.push_str(&hostile_rows::render());
    if !bugs.is_empty() {
        out.push_str("\nRows marked ✗ fail today: the row states the correct behaviour.\n\n");
        for (bug, names) in bugs {
            let _ = writeln!(out, "- {}: {bug}.", names.join("; "));
        }
    }
    out
}

#[test]
fn the_documented_matrix_matches_the_data() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/RELIABILITY.md");
    let doc = std::fs::read_to_string(&path).expect("docs/RELIABILITY.md");
    let (Some(begin), Some(end)) = (doc.find(BEGIN), doc.find(END)) else {
        panic!("docs/RELIABILITY.md has no {BEGIN} … {END} block");
    };
    let table = render();
    let current = doc[begin + BEGIN.len()..end].trim();
    if current == table.trim() {
        return;
    }
    if std::env::var_os("GUMLOOP_BLESS").is_some() {
        let fresh = format!(
            "{}{BEGIN}\n\n{}\n\n{}",
            &doc[..begin],
            table.trim(),
            &doc[end..]
        );
        std::fs::write(&path, fresh).expect("write docs/RELIABILITY.md");
        return;
    }
    panic!(
        "the fault matrix in docs/RELIABILITY.md differs from tests/fault_matrix.rs; \
         run `GUMLOOP_BLESS=1 cargo test --test fault_matrix the_documented_matrix` and commit.\n\
         The table now:\n{table}"
    );
}
