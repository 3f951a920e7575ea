//! The session lifecycle and streaming through the Rust core, against the in-process emulator.

mod common;

use common::{parse, run, Emulator};
use gumloop::CancelToken;
use gumloop::StreamStart;
use gumloop::WaitOptions;
use gumloop::{CallAuth, ErrorKind};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::time::Duration;

/// Events a stream delivered, as JSON.
#[derive(Default)]
struct Seen {
    events: Vec<Value>,
}

impl Seen {
    fn text(&self) -> String {
        self.events
            .iter()
            .filter(|e| e["type"] == "text-delta")
            .map(|e| e["delta"].as_str().unwrap_or(""))
            .collect()
    }

    fn cursors_unique(&self) -> bool {
        let cursors: Vec<&str> = self
            .events
            .iter()
            .filter_map(|e| e["stream_cursor"].as_str())
            .collect();
        cursors.len() == cursors.iter().collect::<HashSet<_>>().len()
    }
}

fn stream(
    client: &gumloop::Client,
    start: StreamStart<'_>,
    stop_after: Option<usize>,
) -> (gumloop::Result<gumloop::StreamSummary>, Seen) {
    let mut seen = Seen::default();
    let mut on_event = |text: &str| {
        seen.events.push(parse(text));
        stop_after.is_none_or(|n| seen.events.len() < n)
    };
    let result = run(client.stream(start, &mut on_event, None));
    (result, seen)
}

fn session_id(envelope: &str) -> String {
    parse(envelope)["session"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn retrieve_send_wait_cancel_rename() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let auth = CallAuth::default();
    let created = run(client.create_session(
        "agent_pro",
        Some(r#"{"input":"[slow:800] go"}"#),
        &auth,
        None,
    ))
    .unwrap();
    let id = session_id(&created);

    let busy = run(client.send_message(&id, Some(r#"{"input":"now"}"#), None)).unwrap_err();
    assert_eq!(busy.kind, ErrorKind::Conflict);
    assert_eq!(
        busy.to_document()["error"]["code"],
        "interaction_not_in_terminal_state"
    );

    let fast = WaitOptions {
        poll_interval: Duration::from_millis(50),
        ..WaitOptions::default()
    };
    let short = WaitOptions {
        timeout: Duration::from_millis(100),
        ..fast
    };
    let early = run(client.wait_session(&id, short, None)).unwrap_err();
    assert_eq!(early.kind, ErrorKind::Timeout);
    assert_eq!(
        early.to_document()["error"]["details"]["last_state"],
        "processing"
    );
    let settled = run(client.wait_session(&id, fast, None)).unwrap();
    assert_eq!(parse(&settled)["session"]["state"], "completed");

    let again =
        run(client.send_message(&id, Some(r#"{"input":"[slow:5000] more"}"#), None)).unwrap();
    assert_eq!(parse(&again)["session"]["state"], "processing");
    let receipt = run(client.send_message(
        &id,
        Some(r#"{"input":"queued","delivery":"queued","idempotency_key":"k-1"}"#),
        None,
    ))
    .unwrap();
    assert!(parse(&receipt)["message_id"].is_string());
    let sent = emu.requests();
    let queued = sent.last().unwrap();
    assert_eq!(queued["headers"]["idempotency-key"], "k-1");
    assert!(!queued["body"].as_str().unwrap().contains("idempotency_key"));

    let cancelled = run(client.cancel_session(&id, None)).unwrap();
    assert_eq!(parse(&cancelled)["session"]["state"], "failed");
    let renamed = run(client.rename_session(&id, "  Q3 review ", None)).unwrap();
    assert_eq!(parse(&renamed)["session"]["name"], "Q3 review");
    let fetched = run(client.get_session(&id, None)).unwrap();
    assert_eq!(parse(&fetched)["session"]["name"], "Q3 review");
}

#[test]
fn list_pages_through_every_session() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    for i in 0..7 {
        let body = json!({ "session_id": format!("sess_list_{i}") }).to_string();
        run(client.create_session("agent_pro", Some(&body), &CallAuth::default(), None)).unwrap();
    }
    let mut seen = HashSet::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let query = json!({ "page_size": 3, "cursor": cursor }).to_string();
        let page = parse(&run(client.list_sessions("agent_pro", Some(&query), None)).unwrap());
        pages += 1;
        for s in page["sessions"].as_array().unwrap() {
            assert!(seen.insert(s["id"].as_str().unwrap().to_string()));
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!((seen.len(), pages), (7, 3));
    let idle = parse(
        &run(client.list_sessions("agent_pro", Some(r#"{"state":"completed"}"#), None)).unwrap(),
    );
    assert_eq!(idle["sessions"].as_array().unwrap().len(), 0);
}

#[test]
fn streams_normal_failed_approval_and_long() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let (summary, seen) = stream(
        &client,
        StreamStart::Create {
            agent_id: "agent_pro",
            body_json: Some(r#"{"input":"[words:30] hi"}"#),
        },
        None,
    );
    let summary = summary.unwrap();
    assert!(summary.finished);
    assert_eq!(summary.finish_reason.as_deref(), Some("stop"));
    assert_eq!(summary.events as usize, seen.events.len());
    assert_eq!(seen.text().split_whitespace().count(), 30);
    let id = summary.session_id.clone().unwrap();
    let transcript = run(client.get_session(&id, None)).unwrap();
    assert!(transcript.contains(seen.text().trim()));

    let (after, replay) = stream(
        &client,
        StreamStart::Resume {
            session_id: &id,
            cursor: summary.last_cursor.as_deref().unwrap(),
        },
        None,
    );
    assert_eq!(
        after.unwrap().finish_reason.as_deref(),
        Some("not_resumable")
    );
    assert_eq!(replay.events.len(), 1);

    let (next, more) = stream(
        &client,
        StreamStart::Send {
            session_id: &id,
            body_json: Some(r#"{"input":"[words:4] again"}"#),
        },
        None,
    );
    assert!(next.unwrap().finished);
    assert_eq!(more.text().split_whitespace().count(), 4);

    let (failed, _) = stream(
        &client,
        StreamStart::Create {
            agent_id: "agent_pro",
            body_json: Some(r#"{"input":"[fail]"}"#),
        },
        None,
    );
    assert_eq!(failed.unwrap().finish_reason.as_deref(), Some("error"));

    let (paused, _) = stream(
        &client,
        StreamStart::Create {
            agent_id: "agent_pro",
            body_json: Some(r#"{"input":"[approval]"}"#),
        },
        None,
    );
    let paused_id = paused.unwrap().session_id.unwrap();
    let state = parse(&run(client.get_session(&paused_id, None)).unwrap());
    assert_eq!(state["session"]["state"], "approval_required");

    let (long, words) = stream(
        &client,
        StreamStart::Create {
            agent_id: "agent_pro",
            body_json: Some(r#"{"input":"[words:10000]"}"#),
        },
        None,
    );
    assert!(long.unwrap().finished);
    assert_eq!(words.text().split_whitespace().count(), 10_000);
    assert!(words.cursors_unique());
}

#[test]
fn dropped_and_stalled_streams_resume_once_per_event() {
    let emu = Emulator::start();
    emu.fault(json!({ "method": "POST", "path": "/api/v1/agents/*/sessions", "times": 1, "drop_stream_after": 6 }));
    let client = emu.client(json!({}));
    let (summary, seen) = stream(
        &client,
        StreamStart::Create {
            agent_id: "agent_pro",
            body_json: Some(r#"{"input":"[words:25] [slow:600]"}"#),
        },
        None,
    );
    let summary = summary.unwrap();
    assert!(summary.resumes >= 1);
    assert_eq!(seen.text().split_whitespace().count(), 25);
    assert!(seen.cursors_unique());

    emu.fault(json!({ "method": "POST", "path": "/api/v1/agents/*/sessions", "times": 1, "stall_stream_after": 4 }));
    let impatient = emu.client(json!({ "stream_idle_timeout_ms": 300 }));
    let (summary, seen) = stream(
        &impatient,
        StreamStart::Create {
            agent_id: "agent_pro",
            body_json: Some(r#"{"input":"[words:12] [slow:900]"}"#),
        },
        None,
    );
    assert!(summary.unwrap().resumes >= 1);
    assert_eq!(seen.text().split_whitespace().count(), 12);
    assert!(seen.cursors_unique());
}

#[test]
fn streams_stop_on_request() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let (stopped, seen) = stream(
        &client,
        StreamStart::Create {
            agent_id: "agent_pro",
            body_json: Some(r#"{"input":"[words:20]"}"#),
        },
        Some(2),
    );
    let error = stopped.unwrap_err();
    assert_eq!(error.kind, ErrorKind::Cancelled);
    assert_eq!(seen.events.len(), 2);
    assert_eq!(error.to_document()["error"]["stream"]["events"], 2);

    let token = std::sync::Arc::new(CancelToken::new());
    let trigger = std::sync::Arc::clone(&token);
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(150));
        trigger.cancel();
    });
    let mut ignore = |_: &str| true;
    let start = StreamStart::Create {
        agent_id: "agent_pro",
        body_json: Some(r#"{"input":"[slow:5000] [words:3]"}"#),
    };
    let error = run(client.stream(start, &mut ignore, Some(&token))).unwrap_err();
    canceller.join().unwrap();
    assert_eq!(error.kind, ErrorKind::Cancelled);
}

#[test]
fn keyed_streaming_creates_make_one_session_and_name_it_when_its_answer_is_lost() {
    let emu = Emulator::start();
    let client = emu.client(json!({ "max_backoff_ms": 50 }));
    let posts = |emu: &Emulator| -> Vec<Value> {
        emu.requests()
            .into_iter()
            .filter(|r| r["method"] == "POST")
            .collect()
    };

    // The first create is acted on and its answer lost: the repeat meets 409, and without a
    // cursor the run's events cannot be replayed. One session, named in the error.
    emu.fault(json!({ "method": "POST", "path": "/api/v1/agents/*/sessions", "times": 1, "reset": "before_response" }));
    let body = r#"{"input":"[words:5]","session_id":"sess_keyed_stream"}"#;
    let (result, seen) = stream(
        &client,
        StreamStart::Create {
            agent_id: "agent_pro",
            body_json: Some(body),
        },
        None,
    );
    let error = result.unwrap_err();
    assert_eq!(error.kind, ErrorKind::StreamIncomplete);
    assert!(
        error.message.contains("sess_keyed_stream"),
        "{}",
        error.message
    );
    let doc = error.to_document();
    assert_eq!(doc["error"]["details"]["session_id"], "sess_keyed_stream");
    assert_eq!(doc["error"]["details"]["created"], true);
    assert_eq!(doc["error"]["details"]["may_have_created"], "session");
    // Two creates and the GET that checked the session is this call's.
    assert_eq!(doc["error"]["attempts"], 3);
    assert_eq!(doc["error"]["stream"]["session_id"], "sess_keyed_stream");
    assert_eq!(doc["error"]["stream"]["events"], 0);
    assert!(seen.events.is_empty());
    assert_eq!(posts(&emu).len(), 2);
    assert_eq!(emu.sessions_total(), 1);

    // With auto_session_id the library picks the ID; a create the server never saw is repeated
    // with the same ID and the stream goes on.
    emu.reset();
    let auto = emu.client(json!({ "max_backoff_ms": 50, "auto_session_id": true }));
    emu.fault(json!({ "method": "POST", "path": "/api/v1/agents/*/sessions", "times": 1, "reset": "before_request" }));
    let (result, seen) = stream(
        &auto,
        StreamStart::Create {
            agent_id: "agent_pro",
            body_json: Some(r#"{"input":"[words:5]"}"#),
        },
        None,
    );
    let summary = result.unwrap();
    assert_eq!(seen.text().split_whitespace().count(), 5);
    let sent: Vec<Value> = posts(&emu)
        .iter()
        .map(|r| parse(r["body"].as_str().unwrap()))
        .collect();
    assert_eq!(sent.len(), 2);
    let id = sent[0]["session_id"].as_str().unwrap();
    assert!(id.starts_with("sess_") && id.len() == 29, "{id}");
    assert_eq!(sent[1]["session_id"], sent[0]["session_id"]);
    assert_eq!(sent[0]["stream"], true);
    assert_eq!(summary.session_id.as_deref(), Some(id));
    assert_eq!(emu.sessions_total(), 1);
}

#[test]
fn a_stopped_blocking_stream_closes_its_connection_at_once() {
    use gumloop::internal::run_here;
    use gumloop::StreamStart;
    let emu = Emulator::start();
    let open = |emu: &Emulator| emu.admin("GET", "/stats", None)["connections"]["open"].clone();
    // Only the stats request's own connection.
    assert_eq!(open(&emu), 1);
    let client = std::sync::Arc::new(emu.client(json!({})));
    // The emulator sends the first two events at once and the third 200 s later: stopping at
    // the second leaves the stream's network side waiting, which the stop must end.
    let mut seen = 0;
    let mut on_event = |_: &str| {
        seen += 1;
        seen < 2
    };
    let start = StreamStart::Create {
        agent_id: "agent_pro",
        body_json: Some(r#"{"input":"[words:3] [slow:600000] stop"}"#),
    };
    // As a blocking C streaming call runs it: on this thread, on a runtime of its own.
    let error = run_here(client.stream(start, &mut on_event, None))
        .unwrap()
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Cancelled);
    assert_eq!(seen, 2);
    // A liveness bound only: the connection closes as soon as the emulator sees it go.
    let mut now = open(&emu);
    for _ in 0..300 {
        if now == 1 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
        now = open(&emu);
    }
    assert_eq!(now, 1, "the stopped stream's connection is still open");
}
