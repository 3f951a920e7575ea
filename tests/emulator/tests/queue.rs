//! `/sessions/{id}/queue…` and `delivery:"queued"` sends:
//! entries, limits, editing, automatic dispatch and send-now.

mod common;

use common::*;
use serde_json::{json, Value};

fn qpath(sid: &str) -> String {
    format!("/api/v1/sessions/{sid}/queue")
}

async fn enqueue(emu: &Emu, sid: &str, input: &str) -> Value {
    let resp = emu
        .api
        .post(&qpath(sid), ADA, &json!({ "input": input }).to_string())
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text());
    resp.json()
}

async fn queue_of(emu: &Emu, sid: &str) -> Vec<Value> {
    let resp = emu.api.get(&qpath(sid), ADA).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    resp.json()["queue"].as_array().unwrap().clone()
}

fn inputs(queue: &[Value]) -> Vec<&str> {
    queue.iter().map(|q| q["input"].as_str().unwrap()).collect()
}

fn contents(env: &Value) -> Vec<Value> {
    env["session"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].clone())
        .collect()
}

/// Waits until the session is `completed` with an empty queue.
async fn drained(emu: &Emu, sid: &str) -> Value {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let env = wait_state(&emu.api, sid, ADA, &["completed"]).await;
        if queue_of(emu, sid).await.is_empty() {
            let again = emu
                .api
                .get(&format!("/api/v1/sessions/{sid}"), ADA)
                .await
                .json();
            if again["session"]["state"] == "completed" {
                return again;
            }
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "queue never drained: {env}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn entries_are_added_edited_and_deleted_in_order() {
    let emu = emu().await;
    let sid = idle_session(&emu).await;
    assert!(queue_of(&emu, &sid).await.is_empty());
    let first = enqueue(&emu, &sid, "one").await;
    let q = &first["queued_message"];
    assert!(q["id"].as_str().unwrap().starts_with("qmsg_"));
    assert_eq!(
        (
            q["input"].clone(),
            q["state"].clone(),
            q["position"].clone()
        ),
        (json!("one"), json!("queued"), json!(1))
    );
    assert!(q["created_at"].is_string() && q["updated_at"].is_string());
    assert_eq!(first["queue"], json!([q]));
    let one = q["id"].as_str().unwrap().to_string();
    // `message` is the alias of `input`.
    let resp = emu
        .api
        .post(&qpath(&sid), ADA, r#"{"message":"two"}"#)
        .await;
    assert_eq!(resp.status, 201);
    assert_eq!(resp.json()["queued_message"]["position"], 2);
    let two = resp.json()["queued_message"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let resp = emu
        .api
        .request(
            "PATCH",
            &format!("{}/{one}", qpath(&sid)),
            ADA,
            Some(r#"{"input":"uno"}"#),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.json()["queued_message"]["input"], "uno");
    assert_eq!(
        inputs(resp.json()["queue"].as_array().unwrap()),
        ["uno", "two"]
    );

    let resp = emu
        .api
        .request("DELETE", &format!("{}/{one}", qpath(&sid)), ADA, None)
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let queue = resp.json()["queue"].as_array().unwrap().clone();
    assert_eq!(queue.len(), 1);
    assert_eq!(
        (queue[0]["id"].clone(), queue[0]["position"].clone()),
        (json!(two), json!(1))
    );
    // An idle session's queue waits for a turn to end (or a send-now).
    let env = emu
        .api
        .get(&format!("/api/v1/sessions/{sid}"), ADA)
        .await
        .json();
    assert_eq!(env["session"]["state"], "idle");
}

#[tokio::test]
async fn bad_queue_requests_are_refused_and_change_nothing() {
    let emu = emu().await;
    let sid = idle_session(&emu).await;
    let qid = enqueue(&emu, &sid, "kept").await["queued_message"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = qpath(&sid);
    for (body, param) in [
        ("{}", "input"),
        (r#"{"input":"  "}"#, "input"),
        (r#"{"input":5}"#, "input"),
        (r#"{"input":"x","delivery":"queued"}"#, "delivery"),
        ("[]", "body"),
    ] {
        let err = assert_error(
            &emu.api.post(&path, ADA, body).await,
            400,
            "invalid_request",
            "invalid_request_error",
        );
        assert_eq!(err["param"], param, "{body}");
        let patch = emu
            .api
            .request("PATCH", &format!("{path}/{qid}"), ADA, Some(body))
            .await;
        let err = assert_error(&patch, 400, "invalid_request", "invalid_request_error");
        assert_eq!(err["param"], param, "{body}");
    }
    for (method, suffix) in [
        ("PATCH", "/qmsg_nope"),
        ("DELETE", "/qmsg_nope"),
        ("POST", "/qmsg_nope/send"),
    ] {
        let resp = emu
            .api
            .request(
                method,
                &format!("{path}{suffix}"),
                ADA,
                Some(r#"{"input":"x"}"#),
            )
            .await;
        let err = assert_error(&resp, 404, "queued_message_not_found", "not_found_error");
        assert_eq!(err["details"]["queued_message_id"], "qmsg_nope");
    }
    for (method, p) in [
        ("PUT", path.clone()),
        ("GET", format!("{path}/{qid}")),
        ("GET", format!("{path}/{qid}/send")),
    ] {
        let resp = emu.api.request(method, &p, ADA, None).await;
        assert_error(&resp, 405, "method_not_allowed", "invalid_request_error");
    }
    assert_error(
        &emu.api.get(&path, &[]).await,
        401,
        "missing_credentials",
        "authentication_error",
    );
    assert_error(
        &emu.api.get(&path, BOB).await,
        403,
        "permission_denied",
        "permission_error",
    );
    assert_error(
        &emu.api.post(&path, BOB, r#"{"input":"x"}"#).await,
        403,
        "permission_denied",
        "permission_error",
    );
    assert_error(
        &emu.api.get(&qpath("sess_missing"), ADA).await,
        404,
        "session_not_found",
        "not_found_error",
    );
    // A fault answers before the queue is touched.
    arm(
        &emu,
        r#"{"method":"POST","path":"/api/v1/sessions/*/queue","status":500}"#,
    )
    .await;
    assert_error(
        &emu.api.post(&path, ADA, r#"{"input":"x"}"#).await,
        500,
        "emulated_fault",
        "api_error",
    );
    let queue = queue_of(&emu, &sid).await;
    assert_eq!(inputs(&queue), ["kept"]);
}

#[tokio::test]
async fn a_queue_holds_twenty_messages() {
    let emu = emu().await;
    let sid = run_session(&emu, "agent_pro", "[slow:5000] busy").await;
    for i in 0..20 {
        let body = enqueue(&emu, &sid, &format!("m{i}")).await;
        assert_eq!(body["queued_message"]["position"], i + 1);
    }
    let err = assert_error(
        &emu.api.post(&qpath(&sid), ADA, r#"{"input":"x"}"#).await,
        409,
        "queue_full",
        "invalid_request_error",
    );
    assert_eq!(err["details"]["limit"], 20);
    // A queued delivery to the busy session hits the same limit.
    let resp = emu
        .api
        .post(
            &format!("/api/v1/sessions/{sid}/messages"),
            ADA,
            r#"{"input":"x","delivery":"queued"}"#,
        )
        .await;
    assert_error(&resp, 409, "queue_full", "invalid_request_error");
    assert_eq!(queue_of(&emu, &sid).await.len(), 20);
}

#[tokio::test]
async fn queued_messages_go_out_in_order_when_each_turn_ends() {
    let emu = emu().await;
    let body = r#"{"input":"first [slow:1500]","stream":true}"#;
    let mut sse = emu
        .stream
        .sse("POST", "/api/v1/agents/agent_pro/sessions", ADA, Some(body))
        .await;
    let ready = sse.next_event().await.unwrap();
    let sid = ready["interaction_id"].as_str().unwrap().to_string();
    enqueue(&emu, &sid, "second").await;
    enqueue(&emu, &sid, "third").await;
    let events = sse.rest().await;
    let last = events.last().unwrap();
    assert_eq!(last["final"], true);
    assert_eq!(last["queuedContinuation"], true);
    let env = drained(&emu, &sid).await;
    assert_eq!(
        contents(&env),
        [
            json!("first [slow:1500]"),
            json!("Echo: first"),
            json!("second"),
            json!("Echo: second"),
            json!("third"),
            json!("Echo: third")
        ]
    );
}

#[tokio::test]
async fn entries_being_edited_are_skipped_and_cannot_be_sent_now() {
    let emu = emu().await;
    let sid = run_session(&emu, "agent_pro", "[slow:1500] first").await;
    let a = enqueue(&emu, &sid, "edited later").await["queued_message"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    enqueue(&emu, &sid, "next").await;
    let admin = format!("/_emulator/sessions/{sid}/queue/{a}");
    let resp = emu
        .api
        .request("PATCH", &admin, &[], Some(r#"{"editing":true}"#))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.json()["queued_message"]["state"], "editing");
    let resp = emu
        .api
        .post(&format!("{}/{a}/send", qpath(&sid)), ADA, "{}")
        .await;
    let err = assert_error(
        &resp,
        409,
        "queued_message_not_eligible",
        "invalid_request_error",
    );
    assert_eq!(err["details"]["queued_message_id"], a);
    // The first turn ends: `next` goes out, the entry being edited stays.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let env = wait_state(&emu.api, &sid, ADA, &["completed"]).await;
        if contents(&env).contains(&json!("Echo: next")) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "`next` never ran: {env}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let queue = queue_of(&emu, &sid).await;
    assert_eq!(queue.len(), 1);
    assert_eq!(
        (queue[0]["id"].clone(), queue[0]["state"].clone()),
        (json!(a), json!("editing"))
    );
    // Editing through the API ends the edit; it then waits for the next turn's end.
    let resp = emu
        .api
        .request(
            "PATCH",
            &format!("{}/{a}", qpath(&sid)),
            ADA,
            Some(r#"{"input":"edited"}"#),
        )
        .await;
    assert_eq!(resp.json()["queued_message"]["state"], "queued");
    let send = format!("/api/v1/sessions/{sid}/messages");
    assert_eq!(
        emu.api
            .post(&send, ADA, r#"{"input":"another turn"}"#)
            .await
            .status,
        202
    );
    let env = drained(&emu, &sid).await;
    assert_eq!(contents(&env).last().unwrap(), "Echo: edited");
    // The admin call checks what it is given.
    let resp = emu
        .api
        .request("PATCH", &admin, &[], Some(r#"{"editing":"yes"}"#))
        .await;
    assert_eq!(resp.status, 400);
    let resp = emu
        .api
        .request("PATCH", &admin, &[], Some(r#"{"editing":true}"#))
        .await;
    assert_error(&resp, 404, "queued_message_not_found", "not_found_error");
}

#[tokio::test]
async fn send_now_interrupts_the_run_and_keeps_its_slot() {
    // A team with two slots, both taken.
    let emu = emu().await;
    let sid = run_session(&emu, "agent_pro_small", "[slow:10000] long").await;
    run_session(&emu, "agent_pro_small", "[slow:10000] other").await;
    let mut sse = emu
        .stream
        .sse(
            "GET",
            &format!("/api/v1/sessions/{sid}?stream=true"),
            ADA,
            None,
        )
        .await;
    let qid = enqueue(&emu, &sid, "urgent").await["queued_message"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let resp = emu
        .api
        .post(&format!("{}/{qid}/send", qpath(&sid)), ADA, "{}")
        .await;
    assert_eq!(resp.status, 202, "{}", resp.text());
    let env = resp.json();
    assert_eq!(env["session"]["state"], "processing");
    let messages = env["session"]["messages"].as_array().unwrap();
    let n = messages.len();
    assert_eq!(
        messages[n - 2]["parts"][0]["error"],
        "Interrupted: a queued message was sent now"
    );
    assert_eq!(messages[n - 1]["content"], "urgent");
    assert!(queue_of(&emu, &sid).await.is_empty());
    // The interrupted run's stream ends with an error finish.
    let events = sse.rest().await;
    let last = events.last().unwrap();
    assert_eq!(
        (last["finishReason"].clone(), last["errorMessage"].clone()),
        (
            json!("error"),
            json!("Interrupted: a queued message was sent now")
        )
    );
    // Both slots are still taken: a third run is refused.
    let (status, _) = create(&emu.api, "agent_pro_small", ADA, r#"{"input":"third"}"#).await;
    assert_eq!(status, 429);
    let env = wait_state(&emu.api, &sid, ADA, &["completed"]).await;
    assert_eq!(contents(&env).last().unwrap(), "Echo: urgent");
}

#[tokio::test]
async fn send_now_on_a_quiet_session_starts_at_once_and_incognito_refuses() {
    let emu = emu().await;
    let sid = idle_session(&emu).await;
    let qid = enqueue(&emu, &sid, "now").await["queued_message"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let resp = emu
        .api
        .post(&format!("{}/{qid}/send", qpath(&sid)), ADA, "")
        .await;
    assert_eq!(resp.status, 202, "{}", resp.text());
    assert_eq!(resp.json()["session"]["state"], "processing");
    let env = wait_state(&emu.api, &sid, ADA, &["completed"]).await;
    assert_eq!(contents(&env), [json!("now"), json!("Echo: now")]);

    let (_, env) = create(&emu.api, "agent_pro", ADA, r#"{"incognito":true}"#).await;
    let secret = env["session"]["id"].as_str().unwrap().to_string();
    let qid = enqueue(&emu, &secret, "hush").await["queued_message"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let resp = emu
        .api
        .post(&format!("{}/{qid}/send", qpath(&secret)), ADA, "{}")
        .await;
    assert_error(
        &resp,
        409,
        "incognito_session_unsupported",
        "invalid_request_error",
    );
    assert_eq!(queue_of(&emu, &secret).await.len(), 1);
}

#[tokio::test]
async fn queued_deliveries_join_the_queue_and_replay_by_key() {
    let emu = emu().await;
    let sid = run_session(&emu, "agent_pro", "[slow:1500] busy").await;
    let send = format!("/api/v1/sessions/{sid}/messages");
    let mut keyed = ADA.to_vec();
    keyed.push(("idempotency-key", "key-42"));
    let body = r#"{"input":"later","delivery":"queued"}"#;
    let first = emu.api.post(&send, &keyed, body).await;
    assert_eq!(first.status, 202, "{}", first.text());
    let id = first.json()["message_id"].as_str().unwrap().to_string();
    assert!(id.starts_with("msg_"), "{id}");
    assert_eq!(first.json()["status"], "accepted");
    let again = emu.api.post(&send, &keyed, body).await;
    assert_eq!(again.json()["message_id"], id.as_str());
    let queue = queue_of(&emu, &sid).await;
    assert_eq!(inputs(&queue), ["later"]);
    for bad in ["has space", ""] {
        let mut h = ADA.to_vec();
        h.push(("idempotency-key", bad));
        let err = assert_error(
            &emu.api.post(&send, &h, body).await,
            400,
            "invalid_request",
            "invalid_request_error",
        );
        assert_eq!(err["param"], "Idempotency-Key");
    }
    let long = "k".repeat(257);
    let mut h = ADA.to_vec();
    h.push(("idempotency-key", long.as_str()));
    assert_eq!(emu.api.post(&send, &h, body).await.status, 400);
    assert_eq!(queue_of(&emu, &sid).await.len(), 1);
    let env = drained(&emu, &sid).await;
    assert_eq!(contents(&env).last().unwrap(), "Echo: later");
    // The receipt named the message the queued text became.
    let messages = env["session"]["messages"].as_array().unwrap();
    assert_eq!(messages[messages.len() - 2]["id"], id.as_str());
}

#[tokio::test]
async fn a_paused_turn_holds_the_queue_until_its_continuation_ends() {
    let emu = emu().await;
    let sid = run_session(&emu, "agent_pro", "[slow:1000] [approval] buy").await;
    enqueue(&emu, &sid, "after").await;
    let env = wait_state(&emu.api, &sid, ADA, &["approval_required"]).await;
    assert_eq!(queue_of(&emu, &sid).await.len(), 1);
    let areq = env["session"]["pending_approvals"][0]["action_request_id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = json!({"approval_responses": [{"action_request_id": areq, "action": "accept"}]})
        .to_string();
    let resp = emu
        .api
        .post(&format!("/api/v1/sessions/{sid}/approvals"), ADA, &body)
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let env = drained(&emu, &sid).await;
    assert_eq!(contents(&env).last().unwrap(), "Echo: after");
}
