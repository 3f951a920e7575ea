//! What a failed or recovered call says about its outcome: a keyed create recovers only the
//! session it made (each check of the recovery refuses a session that is not), and `retryable`
//! means "repeating this exact call is safe and may succeed", with what a write may have
//! created named in `details`.

mod common;

use common::{parse, run, Emulator};
use gumloop::CancelToken;
use gumloop::StreamStart;
use gumloop::{CallAuth, Client, Error, ErrorKind};
use serde_json::{json, Value};
use std::sync::Arc;

const CREATE_PATH: &str = "/api/v1/agents/*/sessions";

fn create(client: &Client, agent: &str, body: &Value) -> Result<Value, Error> {
    let text = body.to_string();
    run(client.create_session(agent, Some(&text), &CallAuth::default(), None)).map(|t| parse(&t))
}

/// A client for Bob (personal key), who shares `team_free` and its `agent_free` with Ada.
fn bob(emu: &Emulator) -> Client {
    emu.client(json!({ "access_token": "gk_personal_bob", "user_id": "user_bob" }))
}

/// A client for Ada by OAuth token: the library does not know her user ID.
fn ada_oauth(emu: &Emulator) -> Client {
    let mut options = emu.options(json!({ "access_token": "gt_oauth_ada", "max_backoff_ms": 20 }));
    options.as_object_mut().unwrap().remove("user_id");
    Client::new(Some(&options.to_string())).unwrap()
}

/// The first create never reaches the server; its repeat meets the existing session's 409.
fn lose_the_first_create(emu: &Emulator) {
    emu.fault(
        json!({ "method": "POST", "path": CREATE_PATH, "times": 1, "reset": "before_request" }),
    );
}

fn methods(emu: &Emulator) -> Vec<String> {
    emu.requests()
        .iter()
        .map(|r| r["method"].as_str().unwrap_or("?").to_string())
        .collect()
}

fn document(error: &Error) -> Value {
    error.to_document()["error"].clone()
}

/// Asserts a refused recovery: CONFLICT naming the check, nothing created, the other session
/// left as it was.
fn assert_refused(emu: &Emulator, error: &Error, check: &str, session_id: &str) {
    assert_eq!(error.kind, ErrorKind::Conflict, "{error}");
    let doc = document(error);
    assert_eq!(doc["details"]["failed_check"], check, "{doc}");
    assert_eq!(doc["details"]["session_id"], session_id);
    assert_eq!(doc["code"], "session_already_exists");
    assert_eq!(doc["retryable"], false);
    assert_eq!(doc["attempts"], 3);
    assert_eq!(methods(emu), ["POST", "POST", "GET"]);
    assert_eq!(emu.sessions_total(), 1);
}

#[test]
fn a_session_id_taken_by_another_caller_is_a_conflict_not_a_recovery() {
    let emu = Emulator::start();
    let ada = emu.client(json!({ "max_backoff_ms": 20 }));
    let id = "sess_taken_by_bob";
    create(
        &bob(&emu),
        "agent_free",
        &json!({ "session_id": id, "input": "bob's plan" }),
    )
    .unwrap();

    // Ada's client knows her user ID: the creator check refuses Bob's session.
    emu.admin("DELETE", "/requests", None);
    lose_the_first_create(&emu);
    let mine = json!({ "session_id": id, "input": "bob's plan" });
    let error = create(&ada, "agent_free", &mine).unwrap_err();
    assert_refused(&emu, &error, "creator", id);
    assert!(error.message.contains(id), "{}", error.message);
    assert!(!document(&error).to_string().contains("bob@example.com"));

    // By OAuth the caller is unknown to the library: the first user message refuses it.
    emu.admin("DELETE", "/requests", None);
    lose_the_first_create(&emu);
    let error = create(
        &ada_oauth(&emu),
        "agent_free",
        &json!({ "session_id": id, "input": "ada's plan" }),
    )
    .unwrap_err();
    assert_refused(&emu, &error, "input", id);
    // The other session's content is not copied into the error.
    assert!(!document(&error).to_string().contains("bob's plan"));
}

#[test]
fn a_streamed_create_checks_the_session_it_meets_too() {
    let emu = Emulator::start();
    let ada = emu.client(json!({ "max_backoff_ms": 20 }));
    let id = "sess_streamed_by_bob";
    create(
        &bob(&emu),
        "agent_free",
        &json!({ "session_id": id, "input": "[words:3]" }),
    )
    .unwrap();
    emu.admin("DELETE", "/requests", None);
    emu.fault(json!({ "method": "POST", "path": CREATE_PATH, "listener": "stream", "times": 1, "reset": "before_request" }));
    let body = json!({ "session_id": id, "input": "[words:3]" }).to_string();
    let start = StreamStart::Create {
        agent_id: "agent_free",
        body_json: Some(&body),
    };
    let mut events = 0;
    let error = run(ada.stream(
        start,
        &mut |_| {
            events += 1;
            true
        },
        None,
    ))
    .unwrap_err();
    assert_refused(&emu, &error, "creator", id);
    assert_eq!(events, 0);
}

#[test]
fn the_name_and_the_agent_are_checked_too() {
    let emu = Emulator::start();
    let id = "sess_named_by_bob";
    create(
        &bob(&emu),
        "agent_free",
        &json!({ "session_id": id, "input": "same", "name": "Bob's" }),
    )
    .unwrap();
    emu.admin("DELETE", "/requests", None);
    lose_the_first_create(&emu);
    let same_input = json!({ "session_id": id, "input": "same", "name": "Ada's" });
    let error = create(&ada_oauth(&emu), "agent_free", &same_input).unwrap_err();
    assert_refused(&emu, &error, "name", id);

    // Ada's own session of another agent.
    emu.reset();
    let ada = emu.client(json!({ "max_backoff_ms": 20 }));
    let id = "sess_of_agent_pro";
    create(
        &ada,
        "agent_pro",
        &json!({ "session_id": id, "input": "x" }),
    )
    .unwrap();
    emu.admin("DELETE", "/requests", None);
    lose_the_first_create(&emu);
    let error = create(
        &ada,
        "agent_free",
        &json!({ "session_id": id, "input": "x" }),
    )
    .unwrap_err();
    assert_refused(&emu, &error, "agent", id);
}

#[test]
fn the_session_a_lost_answer_made_is_still_recovered() {
    let emu = Emulator::start();
    let ada = emu.client(json!({ "max_backoff_ms": 20 }));
    for (client, body) in [
        (
            &ada,
            json!({ "session_id": "sess_mine_1", "input": "  hello ", "name": "  Mine " }),
        ),
        (
            &ada_oauth(&emu),
            json!({ "session_id": "sess_mine_2", "message": "hi" }),
        ),
        (&ada, json!({ "session_id": "sess_mine_3" })),
    ] {
        emu.fault(json!({ "method": "POST", "path": CREATE_PATH, "times": 1, "reset": "before_response" }));
        let answer = create(client, "agent_free", &body).unwrap();
        assert_eq!(answer["_gumloop"]["recovered"], true, "{answer}");
        assert_eq!(answer["session"]["id"], body["session_id"]);
    }
    assert_eq!(emu.sessions_total(), 3);
}

#[test]
fn writes_that_may_have_acted_are_not_retryable_and_say_what_they_may_have_made() {
    let emu = Emulator::start();
    let ada = emu.client(json!({ "max_backoff_ms": 20, "timeout_ms": 400 }));

    // An unkeyed create whose answer was lost made a session: repeating it would make another.
    emu.fault(
        json!({ "method": "POST", "path": CREATE_PATH, "times": 1, "reset": "before_response" }),
    );
    let error = create(&ada, "agent_pro", &json!({ "input": "x" })).unwrap_err();
    assert_eq!(error.kind, ErrorKind::ConnectionLost);
    let doc = document(&error);
    assert_eq!(doc["retryable"], false, "{doc}");
    assert_eq!(doc["details"]["may_have_created"], "session");
    assert_eq!(emu.sessions_total(), 1);

    emu.fault(json!({ "method": "POST", "path": CREATE_PATH, "times": 1, "delay_ms": 1500 }));
    let error = create(&ada, "agent_pro", &json!({})).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Timeout);
    assert_eq!(document(&error)["retryable"], false);
    assert_eq!(document(&error)["details"]["may_have_created"], "session");

    // The server said it did nothing: repeating is safe, and nothing is said to exist.
    emu.fault(json!({ "method": "POST", "path": CREATE_PATH, "times": 3, "status": 503 }));
    let error = create(&ada, "agent_pro", &json!({ "input": "x" })).unwrap_err();
    let doc = document(&error);
    assert_eq!(doc["retryable"], true, "{doc}");
    assert!(doc["details"].get("may_have_created").is_none(), "{doc}");

    // A keyed create whose recovering GET failed: the session may exist, and a repeat would
    // meet it as a conflict.
    emu.fault(
        json!({ "method": "POST", "path": CREATE_PATH, "times": 1, "reset": "before_response" }),
    );
    emu.fault(json!({ "method": "GET", "path": "/api/v1/sessions/*", "times": 3, "status": 503 }));
    let error = create(&ada, "agent_pro", &json!({ "session_id": "sess_unsure" })).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Server);
    let doc = document(&error);
    assert_eq!(doc["retryable"], false, "{doc}");
    assert_eq!(doc["details"]["may_have_created"], "session");
    assert_eq!(doc["details"]["session_id"], "sess_unsure");
    assert_eq!(doc["attempts"], 5);

    // A send whose answer was lost may have started a run; a cancel may have stopped one.
    let sid = create(&ada, "agent_pro", &json!({})).unwrap()["session"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    emu.fault(json!({ "method": "POST", "path": "/api/v1/sessions/*/messages", "times": 1, "reset": "before_response" }));
    let error = run(ada.send_message(&sid, Some(r#"{"input":"hi"}"#), None)).unwrap_err();
    let doc = document(&error);
    assert_eq!(doc["retryable"], false, "{doc}");
    assert_eq!(doc["details"]["may_have_created"], "message");
    assert_eq!(doc["details"]["session_id"], sid.as_str());
    emu.fault(
        json!({ "method": "POST", "path": "/api/v1/sessions/*/cancel", "times": 1, "status": 502 }),
    );
    let error = run(ada.cancel_session(&sid, None)).unwrap_err();
    let doc = document(&error);
    assert_eq!(doc["retryable"], false, "{doc}");
    assert!(doc["details"].get("may_have_created").is_none(), "{doc}");

    // A read is safe to repeat whatever happened.
    emu.fault(json!({ "method": "GET", "path": "/api/v1/sessions/*", "times": 3, "reset": "before_response" }));
    let error = run(ada.get_session(&sid, None)).unwrap_err();
    assert_eq!(document(&error)["retryable"], true);

    // The create that opens a stream, like any create.
    emu.fault(json!({ "method": "POST", "path": CREATE_PATH, "listener": "stream", "times": 1, "reset": "before_response" }));
    let start = StreamStart::Create {
        agent_id: "agent_pro",
        body_json: Some(r#"{"input":"x"}"#),
    };
    let error = run(ada.stream(start, &mut |_| true, None)).unwrap_err();
    assert_eq!(error.kind, ErrorKind::ConnectionLost);
    let doc = document(&error);
    assert_eq!(doc["retryable"], false, "{doc}");
    assert_eq!(doc["details"]["may_have_created"], "session");
}

#[test]
fn a_create_cancelled_in_flight_says_what_it_may_have_made() {
    let emu = Emulator::start();
    let ada = Arc::new(emu.client(json!({})));
    emu.fault(json!({ "method": "POST", "path": CREATE_PATH, "times": 1, "delay_ms": 60_000 }));
    let token = Arc::new(CancelToken::new());
    let call = {
        let (ada, token) = (Arc::clone(&ada), Arc::clone(&token));
        std::thread::spawn(move || {
            let body = r#"{"session_id":"sess_cancelled"}"#;
            run(ada.create_session("agent_pro", Some(body), &CallAuth::default(), Some(&token)))
        })
    };
    // Cancel once the server has the request (ordering, not timing).
    while !emu.requests().iter().any(|r| r["method"] == "POST") {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    token.cancel();
    let error = call.join().unwrap().unwrap_err();
    assert_eq!(error.kind, ErrorKind::Cancelled);
    let doc = document(&error);
    assert_eq!(doc["details"]["may_have_created"], "session", "{doc}");
    assert_eq!(doc["details"]["session_id"], "sess_cancelled");

    // A token triggered before the call: nothing was sent, nothing is said to exist.
    let error =
        run(ada.create_session("agent_pro", None, &CallAuth::default(), Some(&token))).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Cancelled);
    assert_eq!(document(&error)["details"], Value::Null);
}
