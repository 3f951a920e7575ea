//! Runs that pause on asks (`[approval]`, `[approval:N]`, `[human_input]`) and
//! `POST /sessions/{id}/approvals`.

mod common;

use common::*;
use serde_json::{json, Value};

async fn paused(emu: &Emu, input: &str) -> (String, Vec<Value>) {
    let sid = run_session(emu, "agent_pro", input).await;
    let env = wait_state(&emu.api, &sid, ADA, &["approval_required"]).await;
    let asks = env["session"]["pending_approvals"]
        .as_array()
        .unwrap()
        .clone();
    (sid, asks)
}

fn ids(asks: &[Value]) -> Vec<String> {
    asks.iter()
        .map(|a| a["action_request_id"].as_str().unwrap().to_string())
        .collect()
}

async fn resolve(emu: &Emu, sid: &str, responses: Value) -> Resp {
    let body = json!({ "approval_responses": responses }).to_string();
    emu.api
        .post(&format!("/api/v1/sessions/{sid}/approvals"), ADA, &body)
        .await
}

fn answer_of(events: &[Value]) -> String {
    events
        .iter()
        .filter(|e| e["type"] == "text-delta")
        .map(|e| e["delta"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_run_pauses_on_n_asks_shown_in_the_session_and_the_stream() {
    let emu = emu().await;
    let body = r#"{"input":"buy it [approval:3]","stream":true}"#;
    let mut sse = emu
        .stream
        .sse("POST", "/api/v1/agents/agent_pro/sessions", ADA, Some(body))
        .await;
    assert_eq!(sse.status, 200);
    let events = sse.rest().await;
    let sid = events[0]["interaction_id"].as_str().unwrap().to_string();
    let asked: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == "action-request")
        .collect();
    assert_eq!(asked.len(), 3);
    let last = events.last().unwrap();
    assert_eq!(
        (last["final"].clone(), last["finishReason"].clone()),
        (json!(true), json!("stop"))
    );
    // The asks come after the text and before the finish events.
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    let end = kinds.iter().position(|k| *k == "text-end").unwrap();
    assert_eq!(
        &kinds[end + 1..],
        [
            "action-request",
            "action-request",
            "action-request",
            "finish",
            "finish"
        ]
    );

    let env = wait_state(&emu.api, &sid, ADA, &["approval_required"]).await;
    let pending = env["session"]["pending_approvals"].as_array().unwrap();
    assert_eq!(pending.len(), 3);
    for (ask, ev) in pending.iter().zip(&asked) {
        assert_eq!(&ev["action_request"], ask);
        assert_eq!(ev["action_request_id"], ask["action_request_id"]);
        assert!(ask["action_request_id"]
            .as_str()
            .unwrap()
            .starts_with("areq_"));
        assert_eq!(ask["type"], "tool_approval");
        assert_eq!(ask["tool_name"], "web_search");
        assert_eq!(ask["recipient_user_id"], "user_ada");
        assert_eq!(ask["display_fields"], json!([["Query", "buy it"]]));
    }
    assert_eq!(pending[1]["title"], "Approve web_search (2 of 3)");
}

#[tokio::test]
async fn resolving_some_then_all_gives_outcomes_and_a_resumable_continuation() {
    // Long runs, so that the continuation is still going when the resume asks for it.
    let emu = emu_with(fixtures(r#"{"run_delay_ms": 1500}"#)).await;
    let (sid, asks) = paused(&emu, "buy [approval:3]").await;
    let ids = ids(&asks);
    // One of three: no restart, the rest stays pending.
    let resp = resolve(
        &emu,
        &sid,
        json!([{"action_request_id": ids[0], "action": "accept"}]),
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let body = resp.json();
    assert_eq!(
        body["results"],
        json!([{"action_request_id": ids[0], "action": "accept", "outcome": "accepted"}])
    );
    assert_eq!(body["stream_cursor"], Value::Null);
    assert_eq!(body["session"]["state"], "approval_required");
    assert_eq!(
        ids_of(&body["session"]["pending_approvals"]),
        ids[1..].to_vec()
    );
    // The same way again: already_accepted. The other way: 400, nothing changes.
    let resp = resolve(
        &emu,
        &sid,
        json!([{"action_request_id": ids[0], "action": "accept"}]),
    )
    .await;
    assert_eq!(resp.json()["results"][0]["outcome"], "already_accepted");
    let resp = resolve(
        &emu,
        &sid,
        json!([
        {"action_request_id": ids[1], "action": "accept"},
        {"action_request_id": ids[0], "action": "reject"}]),
    )
    .await;
    let err = assert_error(
        &resp,
        400,
        "action_request_already_resolved",
        "invalid_request_error",
    );
    assert_eq!(err["param"], "approval_responses[1].action_request_id");
    assert_eq!(err["details"]["resolved_as"], "accept");
    let env = emu
        .api
        .get(&format!("/api/v1/sessions/{sid}"), ADA)
        .await
        .json();
    assert_eq!(
        env["session"]["pending_approvals"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // The rest: the agent goes on, and the cursor resumes the continued run.
    let resp = resolve(
        &emu,
        &sid,
        json!([
        {"action_request_id": ids[1], "action": "reject", "reason": "too costly"},
        {"action_request_id": ids[2], "action": "accept"},
        {"action_request_id": ids[0], "action": "accept"}]),
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let body = resp.json();
    let outcomes: Vec<&str> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["rejected", "accepted", "already_accepted"]);
    assert_eq!(body["session"]["state"], "processing");
    assert_eq!(body["session"]["pending_approvals"], json!([]));
    let cursor = body["stream_cursor"].as_str().unwrap().to_string();
    assert!(cursor.starts_with(&format!("{sid}:")), "{cursor}");
    let path = format!("/api/v1/sessions/{sid}?stream=true&last_cursor={cursor}");
    let mut sse = emu.stream.sse("GET", &path, ADA, None).await;
    assert_eq!(sse.status, 200);
    let events = sse.rest().await;
    assert_eq!(events[0]["type"], "interaction-ready");
    assert_eq!(events.last().unwrap()["finishReason"], "stop");
    let expected = format!(
        "Continuing after approvals: {} accepted; {} rejected (reason: too costly); {} accepted.",
        ids[0], ids[1], ids[2]
    );
    assert_eq!(answer_of(&events), expected);
    let env = wait_state(&emu.api, &sid, ADA, &["completed"]).await;
    assert_eq!(last_message(&env)["content"], expected.as_str());
    // Nothing is pending any more: 409.
    let resp = resolve(
        &emu,
        &sid,
        json!([{"action_request_id": ids[0], "action": "accept"}]),
    )
    .await;
    assert_error(
        &resp,
        409,
        "session_not_awaiting_approval",
        "invalid_request_error",
    );
}

fn ids_of(pending: &Value) -> Vec<String> {
    ids(pending.as_array().unwrap())
}

#[tokio::test]
async fn human_input_needs_one_of_the_questions_options() {
    let emu = emu().await;
    let (sid, asks) = paused(&emu, "plan the trip [human_input]").await;
    assert_eq!(asks.len(), 1);
    let ask = &asks[0];
    assert_eq!(ask["type"], "human_input");
    assert_eq!(ask["questions"][0]["name"], "choice");
    assert_eq!(
        ask["questions"][0]["options"],
        json!(["alpha", "bravo", "charlie"])
    );
    let id = ask["action_request_id"].as_str().unwrap();
    for values in [
        json!(null),
        json!({}),
        json!({"choice": "zulu"}),
        json!({"choice": 2}),
    ] {
        let resp = resolve(
            &emu,
            &sid,
            json!([{"action_request_id": id, "action": "accept",
            "response": {"values": values}}]),
        )
        .await;
        let err = assert_error(
            &resp,
            400,
            "invalid_human_input_option",
            "invalid_request_error",
        );
        assert_eq!(err["param"], "approval_responses[0].response.values.choice");
    }
    let resp = resolve(
        &emu,
        &sid,
        json!([{"action_request_id": id, "action": "accept",
        "response": {"values": {"choice": "bravo"}}}]),
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.json()["results"][0]["outcome"], "accepted");
    let env = wait_state(&emu.api, &sid, ADA, &["completed"]).await;
    assert_eq!(
        last_message(&env)["content"],
        format!("Continuing after approvals: {id} answered choice=bravo.")
    );

    // Rejecting needs no answer; tool and human asks may come together.
    let (sid, asks) = paused(&emu, "[approval] [human_input]").await;
    assert_eq!(asks.len(), 2);
    let ids = ids(&asks);
    let resp = resolve(
        &emu,
        &sid,
        json!([
        {"action_request_id": ids[1], "action": "reject"},
        {"action_request_id": ids[0], "action": "reject"}]),
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert!(resp.json()["stream_cursor"].is_string());
}

#[tokio::test]
async fn bad_approval_requests_are_refused_and_change_nothing() {
    let emu = emu().await;
    let (sid, asks) = paused(&emu, "[approval:2]").await;
    let id = asks[0]["action_request_id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/sessions/{sid}/approvals");
    let ok = json!({"action_request_id": id, "action": "accept"});
    let shape = [
        (json!({}), "approval_responses"),
        (json!({"approval_responses": []}), "approval_responses"),
        (
            json!({"approval_responses": {"x": 1}}),
            "approval_responses",
        ),
        (
            json!({"approval_responses": vec![ok.clone(); 21]}),
            "approval_responses",
        ),
        (
            json!({"approval_responses": ["x"]}),
            "approval_responses[0]",
        ),
        (
            json!({"approval_responses": [{"action": "accept"}]}),
            "approval_responses[0].action_request_id",
        ),
        (
            json!({"approval_responses": [{"action_request_id": "", "action": "accept"}]}),
            "approval_responses[0].action_request_id",
        ),
        (
            json!({"approval_responses": [{"action_request_id": id, "action": "approve"}]}),
            "approval_responses[0].action",
        ),
        (
            json!({"approval_responses": [{"action_request_id": id, "action": "accept", "reason": "r".repeat(1001)}]}),
            "approval_responses[0].reason",
        ),
        (
            json!({"approval_responses": [{"action_request_id": id, "action": "accept", "reason": 5}]}),
            "approval_responses[0].reason",
        ),
        (
            json!({"approval_responses": [{"action_request_id": id, "action": "accept", "response": "yes"}]}),
            "approval_responses[0].response",
        ),
        (
            json!({"approval_responses": [{"action_request_id": id, "action": "accept", "response": {"values": [1]}}]}),
            "approval_responses[0].response.values",
        ),
    ];
    for (body, param) in shape {
        let resp = emu.api.post(&path, ADA, &body.to_string()).await;
        let err = assert_error(&resp, 400, "invalid_request", "invalid_request_error");
        assert_eq!(err["param"], param, "{body}");
    }
    let resp = resolve(&emu, &sid, json!([ok, ok])).await;
    let err = assert_error(
        &resp,
        400,
        "duplicate_action_request",
        "invalid_request_error",
    );
    assert_eq!(err["param"], "approval_responses[1].action_request_id");
    let resp = resolve(
        &emu,
        &sid,
        json!([ok, {"action_request_id": "areq_nope", "action": "reject"}]),
    )
    .await;
    let err = assert_error(
        &resp,
        400,
        "action_request_not_found",
        "invalid_request_error",
    );
    assert_eq!(err["details"]["action_request_id"], "areq_nope");
    // A reason of exactly 1000 characters is fine (checked by shape, then refused as unknown).
    let long =
        json!([{"action_request_id": "areq_nope", "action": "accept", "reason": "r".repeat(1000)}]);
    assert_error(
        &resolve(&emu, &sid, long).await,
        400,
        "action_request_not_found",
        "invalid_request_error",
    );
    // Credentials, session and method as everywhere.
    let body = json!({"approval_responses": [ok]}).to_string();
    assert_error(
        &emu.api.post(&path, &[], &body).await,
        401,
        "missing_credentials",
        "authentication_error",
    );
    assert_error(
        &emu.api.post(&path, BOB, &body).await,
        403,
        "permission_denied",
        "permission_error",
    );
    assert_error(
        &emu.api
            .post("/api/v1/sessions/sess_missing/approvals", ADA, &body)
            .await,
        404,
        "session_not_found",
        "not_found_error",
    );
    assert_error(
        &emu.api.get(&path, ADA).await,
        405,
        "method_not_allowed",
        "invalid_request_error",
    );
    // Still both pending.
    let env = emu
        .api
        .get(&format!("/api/v1/sessions/{sid}"), ADA)
        .await
        .json();
    assert_eq!(env["session"]["state"], "approval_required");
    assert_eq!(
        env["session"]["pending_approvals"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // A session that is not paused: 409.
    let idle = idle_session(&emu).await;
    let resp = resolve(&emu, &idle, json!([ok])).await;
    let err = assert_error(
        &resp,
        409,
        "session_not_awaiting_approval",
        "invalid_request_error",
    );
    assert_eq!(err["details"]["state"], "idle");
}

#[tokio::test]
async fn streamed_approval_responses_must_answer_every_ask() {
    let emu = emu().await;
    let (sid, asks) = paused(&emu, "[approval:2]").await;
    let ids = ids(&asks);
    let path = format!("/api/v1/sessions/{sid}/messages");
    let partial = json!({"stream": true, "approval_responses": [{"action_request_id": ids[0], "action": "accept"}]});
    let resp = emu.stream.post(&path, ADA, &partial.to_string()).await;
    let err = assert_error(&resp, 400, "approvals_incomplete", "invalid_request_error");
    assert_eq!(err["details"]["pending"], json!([ids[1]]));
    // Nothing was resolved by the refused request.
    let env = emu
        .api
        .get(&format!("/api/v1/sessions/{sid}"), ADA)
        .await
        .json();
    assert_eq!(
        env["session"]["pending_approvals"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Shape errors are the endpoint's.
    let bad = json!({"stream": true, "approval_responses": [{"action_request_id": ids[0]}]});
    let err = assert_error(
        &emu.stream.post(&path, ADA, &bad.to_string()).await,
        400,
        "invalid_request",
        "invalid_request_error",
    );
    assert_eq!(err["param"], "approval_responses[0].action");

    let all = json!({"stream": true, "input": "go on",
        "approval_responses": [{"action_request_id": ids[0], "action": "accept"},
                               {"action_request_id": ids[1], "action": "reject"}]});
    let mut sse = emu
        .stream
        .sse("POST", &path, ADA, Some(&all.to_string()))
        .await;
    assert_eq!(sse.status, 200);
    let events = sse.rest().await;
    assert_eq!(
        answer_of(&events),
        format!(
            "Continuing after approvals: {} accepted; {} rejected.",
            ids[0], ids[1]
        )
    );
    let env = wait_state(&emu.api, &sid, ADA, &["completed"]).await;
    let messages = env["session"]["messages"].as_array().unwrap();
    assert_eq!(messages[messages.len() - 2]["content"], "go on");
}

#[tokio::test]
async fn a_resolution_lost_in_transit_took_effect() {
    let emu = emu().await;
    let (sid, asks) = paused(&emu, "[approval]").await;
    let id = asks[0]["action_request_id"].as_str().unwrap().to_string();
    arm(
        &emu,
        r#"{"path":"/api/v1/sessions/*/approvals","reset":"before_response"}"#,
    )
    .await;
    let body =
        json!({"approval_responses": [{"action_request_id": id, "action": "accept"}]}).to_string();
    let raw = emu
        .api
        .raw(&encode(
            "POST",
            &format!("/api/v1/sessions/{sid}/approvals"),
            ADA,
            Some(&body),
            false,
        ))
        .await;
    assert!(raw.is_empty(), "no response expected");
    let env = wait_state(&emu.api, &sid, ADA, &["processing", "completed"]).await;
    assert_eq!(env["session"]["pending_approvals"], json!([]));
    let log = admin_get(&emu, "/requests").await;
    let hit = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with("/approvals"))
        .cloned()
        .unwrap();
    assert_eq!(hit["fault"], "reset_before_response");
}
