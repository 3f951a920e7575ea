//! The message queue, queued delivery and session access through the Rust core, against the
//! emulator.

mod common;

use common::*;
use gumloop::ErrorKind;
use serde_json::{json, Value};

fn start(client: &gumloop::Client, input: &str) -> String {
    let auth = gumloop::CallAuth::default();
    let body = json!({ "input": input }).to_string();
    let env = parse(&run(client.create_session("agent_pro", Some(&body), &auth, None)).unwrap());
    env["session"]["id"].as_str().unwrap().to_string()
}

fn queue(client: &gumloop::Client, sid: &str) -> Vec<Value> {
    parse(&run(client.list_queue(sid, None)).unwrap())["queue"]
        .as_array()
        .unwrap()
        .clone()
}

fn inputs(queue: &[Value]) -> Vec<String> {
    queue
        .iter()
        .map(|q| q["input"].as_str().unwrap().to_string())
        .collect()
}

fn input(text: &str) -> String {
    json!({ "input": text }).to_string()
}

#[test]
fn queue_add_edit_delete_send_now_and_automatic_dispatch() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let sid = start(&client, "[slow:60000] a long job");
    let a = parse(&run(client.queue_message(&sid, Some(&input("first")), None)).unwrap());
    let a_id = a["queued_message"]["id"].as_str().unwrap().to_string();
    assert_eq!(a["queued_message"]["position"], 1);
    let b = parse(&run(client.queue_message(&sid, Some(&input("second")), None)).unwrap());
    let b_id = b["queued_message"]["id"].as_str().unwrap().to_string();
    assert_eq!(inputs(&queue(&client, &sid)), ["first", "second"]);

    let edited = parse(
        &run(client.edit_queued_message(&sid, &a_id, Some(&input("first, edited")), None)).unwrap(),
    );
    assert_eq!(edited["queued_message"]["input"], "first, edited");
    let left = parse(&run(client.delete_queued_message(&sid, &b_id, None)).unwrap());
    assert_eq!(inputs(left["queue"].as_array().unwrap()), ["first, edited"]);

    // Send now: the slow run is aborted and the promoted message runs at once.
    let env = parse(&run(client.send_queued_message(&sid, &a_id, None)).unwrap());
    assert_eq!(env["session"]["state"], "processing");
    assert!(queue(&client, &sid).is_empty());

    // Queued while it runs, a message goes out by itself when the run ends.
    run(client.queue_message(&sid, Some(&input("afterwards")), None)).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let done = loop {
        let env = parse(&run(client.wait_session(&sid, Default::default(), None)).unwrap());
        if queue(&client, &sid).is_empty() && env["session"]["state"] == "completed" {
            let users: Vec<Value> = env["session"]["messages"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|m| m["role"] == "user")
                .map(|m| m["content"].clone())
                .collect();
            if users.last() == Some(&json!("afterwards")) {
                break users;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the queue never drained"
        );
    };
    assert!(done.contains(&json!("first, edited")), "{done:?}");
}

#[test]
fn queue_errors_and_bad_input() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let sid = start(&client, "[slow:60000] busy");
    emu.admin("DELETE", "/requests", None);
    for body in [
        None,
        Some("{}"),
        Some(r#"{"input":"  "}"#),
        Some(r#"{"input":1}"#),
        Some("["),
    ] {
        assert!(
            run(client.queue_message(&sid, body, None)).is_err(),
            "{body:?}"
        );
    }
    assert!(run(client.edit_queued_message(&sid, "..", Some(&input("x")), None)).is_err());
    assert!(run(client.delete_queued_message(&sid, "", None)).is_err());
    assert!(emu.requests().is_empty(), "bad input sends nothing");

    let e = run(client.delete_queued_message(&sid, "qmsg_nope", None)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
    for i in 0..20 {
        run(client.queue_message(&sid, Some(&input(&format!("m{i}"))), None)).unwrap();
    }
    let e = run(client.queue_message(&sid, Some(&input("one too many")), None)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict);
    assert_eq!(e.server.unwrap().code.as_deref(), Some("queue_full"));
}

#[test]
fn queued_delivery_with_a_key_replays_its_receipt_and_queues_once() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let sid = start(&client, "[slow:60000] busy");
    let body = r#"{"input":"later","delivery":"queued","idempotency_key":"key-1"}"#;
    let first = parse(&run(client.send_message(&sid, Some(body), None)).unwrap());
    let again = parse(&run(client.send_message(&sid, Some(body), None)).unwrap());
    assert_eq!(first["message_id"], again["message_id"]);
    assert_eq!(inputs(&queue(&client, &sid)), ["later"]);
    let keys: Vec<Value> = emu
        .requests()
        .iter()
        .filter(|r| r["path"].as_str().unwrap().ends_with("/messages"))
        .map(|r| r["headers"]["idempotency-key"].clone())
        .collect();
    assert_eq!(keys, [json!("key-1"), json!("key-1")]);
}

#[test]
fn access_is_read_shared_linked_and_removed() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let auth = gumloop::CallAuth::default();
    let env = parse(&run(client.create_session("agent_pro", None, &auth, None)).unwrap());
    let sid = env["session"]["id"].as_str().unwrap().to_string();

    let access = parse(&run(client.get_session_access(&sid, None)).unwrap());
    assert!(access["access"]["people"].is_array(), "{access}");
    let change = json!({
        "share": [{"type": "person", "email": "grace@example.com", "role": "viewer"}],
        "link": {"mode": "anyone", "role": "viewer"}
    })
    .to_string();
    let changed = parse(&run(client.update_session_access(&sid, Some(&change), None)).unwrap());
    assert_eq!(changed["notified"], json!(["grace@example.com"]));
    assert_eq!(changed["access"]["link"], "anyone");
    let people = changed["access"]["people"].as_array().unwrap();
    assert!(people.iter().any(|p| p["email"] == "grace@example.com"));

    let removal = json!({"remove": [{"type": "person", "email": "grace@example.com"}],
                         "link": {"mode": "none"}})
    .to_string();
    let after = parse(&run(client.update_session_access(&sid, Some(&removal), None)).unwrap());
    assert_eq!(after["access"]["link"], "none");
    let people = after["access"]["people"].as_array().unwrap();
    assert!(!people.iter().any(|p| p["email"] == "grace@example.com"));

    emu.admin("DELETE", "/requests", None);
    for body in [
        None,
        Some("{}"),
        Some(r#"{"share":[{"email":"x"}]}"#),
        Some(r#"{"link":1}"#),
    ] {
        let e = run(client.update_session_access(&sid, body, None)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidArgument, "{body:?}");
    }
    assert!(emu.requests().is_empty());
    let bad_role = r#"{"share":[{"type":"person","email":"a@example.com","role":"emperor"}]}"#;
    let e = run(client.update_session_access(&sid, Some(bad_role), None)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadRequest);
    let e = run(client.get_session_access("sess_missing", None)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
}
