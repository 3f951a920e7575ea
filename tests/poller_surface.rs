//! The new operations through the poller's operation table: each starts by name, with its
//! named arguments (and raw bytes for the upload), and ends with the blocking call's answer.

mod common;

use common::{parse, Emulator};
use gumloop::internal::{prepare, Args, Item, Poller};
use serde_json::{json, Value};
use std::sync::Arc;

/// Runs `operation` with `args` (and `data`) on `poller` and returns its outcome.
fn done(
    poller: &Poller,
    client: &Arc<gumloop::Client>,
    operation: &str,
    args: Value,
    data: Option<Vec<u8>>,
) -> gumloop::Result<String> {
    let args = Args::parse(Some(&args.to_string()))
        .unwrap()
        .with_data(data);
    let id = poller
        .start(Arc::clone(client), prepare(operation, args)?)
        .unwrap();
    loop {
        match poller.take().unwrap() {
            None => std::thread::yield_now(),
            Some(Item::Done { call, outcome }) => {
                assert_eq!(call, id);
                return outcome;
            }
            Some(Item::Event { .. }) => panic!("{operation} is not a stream"),
        }
    }
}

#[test]
fn the_new_operations_run_through_the_poller() {
    let emulator = Emulator::start();
    let client = Arc::new(emulator.client(json!({})));
    let poller = Poller::new().unwrap();
    let created = gumloop::block_on(client.create_session(
        "agent_pro",
        Some(r#"{"input":"[slow:60000] busy"}"#),
        &gumloop::CallAuth::default(),
        None,
    ))
    .unwrap()
    .unwrap();
    let sid = parse(&created)["session"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let stored = parse(
        &done(
            &poller,
            &client,
            "upload_file",
            json!({"session_id": sid, "file_name": "p.bin"}),
            Some(vec![0, 1, 2]),
        )
        .unwrap(),
    );
    assert_eq!(stored["size"], 3);
    let queued = parse(
        &done(
            &poller,
            &client,
            "queue_message",
            json!({"session_id": sid, "body": {"input": "next"}}),
            None,
        )
        .unwrap(),
    );
    let qid = queued["queued_message"]["id"].as_str().unwrap().to_string();
    let edited = done(
        &poller,
        &client,
        "edit_queued_message",
        json!({"session_id": sid, "queued_message_id": qid, "body": {"input": "edited"}}),
        None,
    );
    assert!(edited.unwrap().contains("edited"));
    let listed = parse(
        &done(
            &poller,
            &client,
            "list_queue",
            json!({"session_id": sid}),
            None,
        )
        .unwrap(),
    );
    assert_eq!(listed["queue"].as_array().unwrap().len(), 1);
    let left = done(
        &poller,
        &client,
        "delete_queued_message",
        json!({"session_id": sid, "queued_message_id": qid}),
        None,
    )
    .unwrap();
    assert_eq!(parse(&left)["queue"], json!([]));
    let access = done(
        &poller,
        &client,
        "get_session_access",
        json!({"session_id": sid}),
        None,
    );
    assert!(parse(&access.unwrap())["access"].is_object());
    let agents = parse(
        &done(
            &poller,
            &client,
            "list_agents",
            json!({"query": {"page_size": 1}}),
            None,
        )
        .unwrap(),
    );
    assert_eq!(agents["agents"].as_array().unwrap().len(), 1);
    let agent = parse(
        &done(
            &poller,
            &client,
            "get_agent",
            json!({"agent_id": "agent_pro"}),
            None,
        )
        .unwrap(),
    );
    assert_eq!(agent["agent"]["id"], "agent_pro");
    let raw = done(
        &poller,
        &client,
        "send_request",
        json!({"method": "GET", "path": ["sessions", sid]}),
        None,
    )
    .unwrap();
    assert_eq!(parse(&raw)["session"]["id"], sid.as_str());
    let conflict = done(
        &poller,
        &client,
        "resolve_approvals",
        json!({"session_id": sid, "body": {"approval_responses": [{"action_request_id": "x", "action": "accept"}]}}),
        None,
    );
    assert_eq!(conflict.unwrap_err().kind, gumloop::ErrorKind::Conflict);

    // Bad arguments are refused before anything starts.
    emulator.admin("DELETE", "/requests", None);
    let upload = prepare(
        "upload_file",
        Args::parse(Some(
            &json!({"session_id": sid, "file_name": "p"}).to_string(),
        ))
        .unwrap(),
    );
    assert_eq!(upload.err().unwrap().param.as_deref(), Some("data"));
    let agent = prepare("get_agent", Args::parse(Some("{}")).unwrap());
    assert_eq!(agent.err().unwrap().param.as_deref(), Some("agent_id"));
    assert!(emulator.requests().is_empty());
}
