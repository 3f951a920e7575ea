//! The poller against the in-process emulator: a stream whose events are not taken is held back
//! by its 1 MiB budget (the server finishes the run while the poller holds less than the whole
//! answer), and every event is then delivered once, in order, before the call's end.

mod common;

use common::Emulator;
use gumloop::internal::{prepare, Args, Item, Poller, IN_FLIGHT_BYTES};
use serde_json::{json, Value};
use std::sync::Arc;

const WORDS: usize = 12_000;

fn sequence(event: &str) -> u64 {
    let value: Value = serde_json::from_str(event).unwrap();
    let cursor = value["stream_cursor"].as_str().unwrap();
    cursor.rsplit(':').next().unwrap().parse().unwrap()
}

#[test]
fn an_untaken_stream_is_held_back_then_delivered_whole() {
    let emulator = Emulator::start();
    let client = Arc::new(emulator.client(json!({})));
    let poller = Poller::new().unwrap();
    let args = json!({"agent_id": "agent_pro", "body": {"input": format!("[words:{WORDS}] [slow:50] long")}});
    let prepared = prepare(
        "stream_session",
        Args::parse(Some(&args.to_string())).unwrap(),
    )
    .unwrap();
    let id = poller.start(Arc::clone(&client), prepared).unwrap();

    // Nothing is taken. Once the first event is queued the session exists; the wait below for
    // the run's end lets the queue fill up to what the budget allows.
    while poller.queued_events().0 == 0 {
        std::thread::yield_now();
    }
    // The server finishes the run; the poller still holds only what the budget allows.
    let session_id = {
        let sessions = emulator.admin("GET", "/stats", None);
        assert_eq!(sessions["sessions"]["total"], 1);
        let list = gumloop::block_on(client.list_sessions("agent_pro", None, None))
            .unwrap()
            .unwrap();
        let list: Value = serde_json::from_str(&list).unwrap();
        list["sessions"][0]["id"].as_str().unwrap().to_string()
    };
    loop {
        let envelope = gumloop::block_on(client.get_session(&session_id, None))
            .unwrap()
            .unwrap();
        if envelope.contains("\"state\":\"completed\"") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let (held, bytes) = poller.queued_events();
    assert!(bytes <= IN_FLIGHT_BYTES, "{bytes} bytes queued");
    assert!(
        held < WORDS,
        "{held} of more than {WORDS} events queued: not held back"
    );

    // Taken now: every event once, in order, then the end.
    let mut last: Option<u64> = None;
    let mut events = 0usize;
    loop {
        match poller.take().unwrap() {
            None => std::thread::yield_now(),
            Some(Item::Event { call, text }) => {
                assert_eq!(call, id);
                let n = sequence(&text);
                assert!(last.is_none_or(|l| n == l + 1), "{n} after {last:?}");
                last = Some(n);
                events += 1;
            }
            Some(Item::Done { call, outcome }) => {
                assert_eq!(call, id);
                let summary: Value = serde_json::from_str(&outcome.unwrap()).unwrap();
                assert_eq!(summary["events"], json!(events));
                assert_eq!(summary["final"], json!(true));
                break;
            }
        }
    }
    assert!(events > WORDS);
    assert_eq!(poller.calls(), 0);
}

/// A poller's cancellation says what a write in flight may have made, as the blocking call's
/// own cancellation does; a read cancelled in flight, or a write never sent, says nothing.
#[test]
fn a_create_cancelled_on_the_poller_says_what_it_may_have_made() {
    let emulator = Emulator::start();
    let client = Arc::new(emulator.client(json!({})));
    let poller = Poller::new().unwrap();
    emulator.fault(json!({
        "method": "POST", "path": "/api/v1/agents/*/sessions", "times": 1, "delay_ms": 60_000
    }));
    let args = json!({"agent_id": "agent_pro", "body": {"session_id": "sess_poller_cancelled"}});
    let prepared = prepare(
        "create_session",
        Args::parse(Some(&args.to_string())).unwrap(),
    )
    .unwrap();
    let id = poller.start(Arc::clone(&client), prepared).unwrap();
    // Cancel once the server has the request (ordering, not timing).
    while !emulator.requests().iter().any(|r| r["method"] == "POST") {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    poller.cancel(id).unwrap();
    let Some(Item::Done { call, outcome }) = poller.take().unwrap() else {
        panic!("the cancelled call's end is ready at once");
    };
    assert_eq!(call, id);
    let error = outcome.unwrap_err();
    assert_eq!(error.kind, gumloop::ErrorKind::Cancelled);
    let doc = error.to_document();
    assert_eq!(
        doc["error"]["details"]["may_have_created"], "session",
        "{doc}"
    );
    assert_eq!(
        doc["error"]["details"]["session_id"],
        "sess_poller_cancelled"
    );
    assert_eq!(doc["error"]["retryable"], false);

    // A read cancelled in flight: nothing may have been made.
    emulator.fault(json!({
        "method": "GET", "path": "/api/v1/sessions/*", "times": 1, "delay_ms": 60_000
    }));
    let args = json!({"session_id": "sess_poller_cancelled"});
    let prepared = prepare("get_session", Args::parse(Some(&args.to_string())).unwrap()).unwrap();
    let id = poller.start(Arc::clone(&client), prepared).unwrap();
    while !emulator.requests().iter().any(|r| r["method"] == "GET") {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    poller.cancel(id).unwrap();
    let Some(Item::Done { outcome, .. }) = poller.take().unwrap() else {
        panic!("the cancelled read's end is ready at once");
    };
    let doc = outcome.unwrap_err().to_document();
    assert_eq!(doc["error"]["details"], Value::Null, "{doc}");
}
