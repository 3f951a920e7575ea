//! File uploads, attachments and approvals through the Rust core, against the emulator.

mod common;

use common::*;
use gumloop::ErrorKind;
use gumloop::StreamStart;
use gumloop_emulator::Config as EmulatorConfig;
use serde_json::{json, Value};

fn session_id(envelope: &str) -> String {
    parse(envelope)["session"]["id"]
        .as_str()
        .expect("session.id")
        .to_string()
}

fn idle(client: &gumloop::Client) -> String {
    let auth = gumloop::CallAuth::default();
    session_id(&run(client.create_session("agent_pro", None, &auth, None)).unwrap())
}

fn answer(envelope: &Value) -> String {
    envelope["session"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|m| m["role"] == "assistant")
        .map(|m| m["content"].as_str().unwrap_or("").to_string())
        .unwrap_or_default()
}

#[test]
fn an_uploaded_file_is_attached_and_reaches_the_run() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let sid = idle(&client);
    let data: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    let stored = parse(
        &run(client.upload_file(
            &sid,
            "../up/report.bin",
            Some("application/x-demo"),
            &data,
            None,
        ))
        .unwrap(),
    );
    let name = stored["file_name"].as_str().unwrap().to_string();
    assert_eq!(name, format!("sessions/{sid}/files/report.bin"));
    assert_eq!(stored["size"], 3000);
    // The bytes travelled as base64 of exactly what was given.
    let logged = emu
        .requests()
        .into_iter()
        .find(|r| r["path"].as_str().unwrap().ends_with("/files"))
        .unwrap();
    let body = parse(logged["body"].as_str().unwrap());
    use base64::Engine;
    let sent = base64::engine::general_purpose::STANDARD
        .decode(body["file_content"].as_str().unwrap())
        .unwrap();
    assert_eq!(sent, data);

    let send = json!({"input": "summarise it", "attachments": [{"file_name": name}]}).to_string();
    run(client.send_message(&sid, Some(&send), None)).unwrap();
    let done = parse(&run(client.wait_session(&sid, Default::default(), None)).unwrap());
    assert_eq!(done["session"]["state"], "completed");
    let text = answer(&done);
    assert!(
        text.contains("report.bin") && text.contains("3000"),
        "{text}"
    );
}

#[test]
fn upload_limits_the_callers_cap_and_the_servers_413() {
    let mut config = EmulatorConfig::default();
    config.fixtures.max_file_bytes = 100;
    let emu = Emulator::start_with(config);
    let capped = emu.client(json!({"max_upload_bytes": 10}));
    let sid = idle(&capped);
    emu.admin("DELETE", "/requests", None);
    let e = run(capped.upload_file(&sid, "a.txt", None, &[7; 11], None)).unwrap_err();
    assert_eq!(
        (e.kind, e.param.as_deref()),
        (ErrorKind::InvalidArgument, Some("data"))
    );
    assert!(emu.requests().is_empty(), "nothing is sent over the cap");
    run(capped.upload_file(&sid, "a.txt", None, &[7; 10], None)).unwrap();

    let client = emu.client(json!({}));
    let e = run(client.upload_file(&sid, "big.txt", None, &[1; 101], None)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::PayloadTooLarge);
    assert_eq!(e.server.unwrap().code.as_deref(), Some("file_too_large"));
}

#[test]
fn bad_uploads_and_attachments_send_nothing_or_are_refused() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let sid = idle(&client);
    emu.admin("DELETE", "/requests", None);
    for (name, media, param) in [
        ("", None, "file_name"),
        ("a\u{0}b", None, "file_name"),
        ("a", Some("x\r\ny"), "media_type"),
    ] {
        let e = run(client.upload_file(&sid, name, media, b"x", None)).unwrap_err();
        assert_eq!(e.param.as_deref(), Some(param), "{name:?}");
    }
    let e = run(client.upload_file("..", "a", None, b"x", None)).unwrap_err();
    assert_eq!(e.param.as_deref(), Some("session_id"));
    assert!(emu.requests().is_empty());
    // Another session's file is the server's to refuse.
    let other = idle(&client);
    let stored = parse(&run(client.upload_file(&other, "o.txt", None, b"x", None)).unwrap());
    let send =
        json!({"input": "x", "attachments": [{"file_name": stored["file_name"]}]}).to_string();
    let e = run(client.send_message(&sid, Some(&send), None)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadRequest);
    assert_eq!(
        e.server.unwrap().code.as_deref(),
        Some("invalid_attachment")
    );
}

/// Starts a run that pauses on `n` asks and waits for the pause; returns the session and asks.
fn paused(client: &gumloop::Client, input: &str) -> (String, Vec<Value>) {
    let auth = gumloop::CallAuth::default();
    let body = json!({ "input": input }).to_string();
    let sid =
        session_id(&run(client.create_session("agent_pro", Some(&body), &auth, None)).unwrap());
    let env = parse(&run(client.wait_session(&sid, Default::default(), None)).unwrap());
    assert_eq!(env["session"]["state"], "approval_required");
    let asks = env["session"]["pending_approvals"]
        .as_array()
        .unwrap()
        .clone();
    (sid, asks)
}

#[test]
fn approvals_resolve_with_outcomes_and_the_continuation_streams_from_the_cursor() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let (sid, asks) = paused(&client, "deploy [approval:2]");
    assert_eq!(asks.len(), 2);
    let (a, b) = (&asks[0]["action_request_id"], &asks[1]["action_request_id"]);
    let outcomes = |v: &Value| -> Vec<Value> {
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["outcome"].clone())
            .collect()
    };
    // One of two answered: the session still waits, so the same answer again is
    // already_accepted and the opposite one a 400 that changes nothing.
    let first =
        json!({"approval_responses": [{"action_request_id": a, "action": "accept"}]}).to_string();
    let resolved = parse(&run(client.resolve_approvals(&sid, Some(&first), None)).unwrap());
    assert_eq!(outcomes(&resolved), [json!("accepted")]);
    assert_eq!(resolved["session"]["state"], "approval_required");
    let again = parse(&run(client.resolve_approvals(&sid, Some(&first), None)).unwrap());
    assert_eq!(outcomes(&again), [json!("already_accepted")]);
    let opposite =
        json!({"approval_responses": [{"action_request_id": a, "action": "reject"}]}).to_string();
    let e = run(client.resolve_approvals(&sid, Some(&opposite), None)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadRequest);

    let last = json!({"approval_responses": [
        {"action_request_id": b, "action": "reject", "reason": "not today"}]})
    .to_string();
    let resolved = parse(&run(client.resolve_approvals(&sid, Some(&last), None)).unwrap());
    assert_eq!(outcomes(&resolved), [json!("rejected")]);
    let cursor = resolved["stream_cursor"]
        .as_str()
        .expect("a cursor")
        .to_string();

    let mut events = Vec::new();
    let mut keep = |e: &str| {
        events.push(parse(e));
        true
    };
    let start = StreamStart::Resume {
        session_id: &sid,
        cursor: &cursor,
    };
    let summary = run(client.stream(start, &mut keep, None)).unwrap();
    assert!(summary.finished);
    assert_eq!(summary.finish_reason.as_deref(), Some("stop"));
    let text: String = events
        .iter()
        .filter(|e| e["type"] == "text-delta")
        .map(|e| e["delta"].as_str().unwrap())
        .collect();
    assert!(!text.is_empty(), "{events:?}");

    let done = parse(&run(client.wait_session(&sid, Default::default(), None)).unwrap());
    assert_eq!(done["session"]["state"], "completed");
}

#[test]
fn streamed_approval_responses_and_human_input() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let (sid, asks) = paused(&client, "ask me [human_input]");
    assert_eq!(asks[0]["type"], "human_input");
    let choice = asks[0]["questions"][0]["options"][1].clone();
    assert!(choice.is_string(), "{asks:?}");
    let values = json!({ "choice": choice });
    let body = json!({"approval_responses": [{
        "action_request_id": asks[0]["action_request_id"], "action": "accept",
        "response": {"values": values}}]})
    .to_string();
    let mut events = Vec::new();
    let mut keep = |e: &str| {
        events.push(parse(e));
        true
    };
    let start = StreamStart::Send {
        session_id: &sid,
        body_json: Some(&body),
    };
    let summary = run(client.stream(start, &mut keep, None)).unwrap();
    assert!(summary.finished, "{events:?}");
    let done = parse(&run(client.wait_session(&sid, Default::default(), None)).unwrap());
    assert_eq!(done["session"]["state"], "completed");
    let chosen = choice.as_str().unwrap();
    assert!(answer(&done).contains(chosen), "{}", answer(&done));
}

#[test]
fn approvals_bad_input_sends_nothing_and_a_settled_session_is_a_conflict() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let sid = idle(&client);
    emu.admin("DELETE", "/requests", None);
    for body in [
        None,
        Some("{}"),
        Some(r#"{"approval_responses":[{"action_request_id":"x","action":"ok"}]}"#),
        Some("{"),
    ] {
        assert!(
            run(client.resolve_approvals(&sid, body, None)).is_err(),
            "{body:?}"
        );
    }
    assert!(emu.requests().is_empty());
    let body = r#"{"approval_responses":[{"action_request_id":"x","action":"accept"}]}"#;
    let e = run(client.resolve_approvals(&sid, Some(body), None)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict);
    assert_eq!(
        e.server.unwrap().code.as_deref(),
        Some("session_not_awaiting_approval")
    );
}
