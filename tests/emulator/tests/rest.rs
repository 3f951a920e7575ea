//! Statuses and body shapes of create, retrieve, list, send, cancel and rename, and the
//! credential rules (docs/API.md §2, §4; the emulator's README).

mod common;

use common::*;
use serde_json::Value;

const SESSION_FIELDS: [&str; 17] = [
    "id",
    "agent_id",
    "name",
    "type",
    "state",
    "messages",
    "created_at",
    "agent_name",
    "agent_team_id",
    "agent_creator_user_id",
    "agent_icon_url",
    "agent_tools",
    "participants",
    "creator",
    "pending_approvals",
    "usage",
    "incognito",
];

fn assert_session_shape(env: &Value) {
    let obj = env.as_object().expect("envelope object");
    assert!(
        obj.contains_key("session") && obj.contains_key("queue_position"),
        "{env}"
    );
    let s = env["session"].as_object().expect("session object");
    for f in SESSION_FIELDS {
        assert!(s.contains_key(f), "session lacks {f}: {env}");
    }
}

fn is_iso_utc(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z'
}

#[tokio::test]
async fn create_idle_stub_is_201_with_every_field() {
    let emu = emu().await;
    let (status, env) = create(&emu.api, "agent_pro", ADA, "{}").await;
    assert_eq!(status, 201);
    assert_session_shape(&env);
    let s = &env["session"];
    assert!(s["id"].as_str().unwrap().starts_with("sess_"));
    assert_eq!(s["agent_id"], "agent_pro");
    assert_eq!(s["name"], "Sales research agent");
    assert_eq!(s["type"], "api");
    assert_eq!(s["state"], "idle");
    assert_eq!(s["messages"], serde_json::json!([]));
    assert!(is_iso_utc(s["created_at"].as_str().unwrap()), "{s}");
    assert_eq!(s["agent_name"], "Sales research agent");
    assert_eq!(s["agent_team_id"], "team_pro");
    assert_eq!(s["agent_creator_user_id"], "user_ada");
    assert_eq!(s["agent_tools"].as_array().unwrap().len(), 1);
    assert_eq!(s["participants"]["user_ada"]["first_name"], "Ada");
    assert_eq!(
        s["creator"],
        serde_json::json!({"id": "user_ada", "first_name": "Ada", "last_name": "Lovelace",
            "email": "ada@example.com", "profile_picture": null})
    );
    assert_eq!(s["pending_approvals"], serde_json::json!([]));
    assert!(s["usage"]["input_tokens"].is_null());
    assert_eq!(s["incognito"], false);
    assert!(env["queue_position"].is_null());

    // An empty body is the same as {}.
    let resp = emu
        .api
        .request("POST", "/api/v1/agents/agent_pro/sessions", ADA, None)
        .await;
    assert_eq!(resp.status, 201);
}

#[tokio::test]
async fn create_with_input_is_202_processing_and_keeps_name_and_id() {
    let emu = emu().await;
    let (status, env) = create(
        &emu.api,
        "agent_pro",
        ADA,
        r#"{"input":"hello","name":"  My session  ","session_id":"mine-1","incognito":true,"metadata":{"k":"v"}}"#,
    )
    .await;
    assert_eq!(status, 202);
    assert_session_shape(&env);
    let s = &env["session"];
    assert_eq!(s["id"], "mine-1");
    assert_eq!(s["state"], "processing");
    assert_eq!(s["name"], "My session");
    assert_eq!(s["incognito"], true);
    assert_eq!(s["messages"][0]["role"], "user");
    assert_eq!(s["messages"][0]["content"], "hello");
    assert_eq!(s["messages"][0]["creator_id"], "user_ada");

    // `message` is an alias of `input`.
    let (status, env) = create(&emu.api, "agent_pro", ADA, r#"{"message":"hi"}"#).await;
    assert_eq!(status, 202);
    assert_eq!(env["session"]["messages"][0]["content"], "hi");

    // The same session_id again: 409.
    let resp = emu
        .api
        .post(
            "/api/v1/agents/agent_pro/sessions",
            ADA,
            r#"{"session_id":"mine-1"}"#,
        )
        .await;
    let err = assert_error(
        &resp,
        409,
        "session_already_exists",
        "invalid_request_error",
    );
    assert_eq!(err["details"]["session_id"], "mine-1");
}

#[tokio::test]
async fn create_rejects_bad_bodies_with_400() {
    let emu = emu().await;
    let long = "x".repeat(257);
    let ok_256 = format!(r#"{{"name":"{}"}}"#, "y".repeat(256));
    let bad = [
        r#"{"input":5}"#.to_string(),
        r#"{"input":""}"#.to_string(),
        r#"{"name":""}"#.to_string(),
        r#"{"name":"   "}"#.to_string(),
        format!(r#"{{"name":"{long}"}}"#),
        r#"{"name":7}"#.to_string(),
        r#"{"session_id":1}"#.to_string(),
        r#"{"stream":"yes"}"#.to_string(),
        r#"{"metadata":"x"}"#.to_string(),
        r#"{"incognito":1}"#.to_string(),
        r#"[1,2]"#.to_string(),
        r#""text""#.to_string(),
        r#"{"input":"#.to_string(),
        "not json".to_string(),
    ];
    for body in &bad {
        let resp = emu
            .api
            .post("/api/v1/agents/agent_pro/sessions", ADA, body)
            .await;
        assert_error(&resp, 400, "invalid_request", "invalid_request_error");
    }
    let resp = emu
        .api
        .post("/api/v1/agents/agent_pro/sessions", ADA, &ok_256)
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text());
    let stats = admin_get(&emu, "/stats").await;
    assert_eq!(stats["sessions"]["total"], 1);
}

#[tokio::test]
async fn stream_true_on_the_api_host_names_the_streaming_host() {
    let emu = emu().await;
    let resp = emu
        .api
        .post(
            "/api/v1/agents/agent_pro/sessions",
            ADA,
            r#"{"input":"hi","stream":true}"#,
        )
        .await;
    let err = assert_error(&resp, 400, "use_streaming_host", "invalid_request_error");
    assert_eq!(err["param"], "stream");
    assert_eq!(err["details"]["streaming_host"], emu.running.stream_url);
}

#[tokio::test]
async fn credentials_are_checked() {
    let emu = emu().await;
    let path = "/api/v1/agents/agent_pro/sessions";
    type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, u16, &'a str);
    let cases: Vec<Case> = vec![
        (vec![], path, 401, "missing_credentials"),
        (
            vec![("authorization", "Bearer nope")],
            path,
            401,
            "invalid_credentials",
        ),
        (
            vec![("authorization", "Basic abc")],
            path,
            401,
            "invalid_credentials",
        ),
        (
            vec![("authorization", "Bearer gk_personal_ada")],
            path,
            401,
            "invalid_auth_key",
        ),
        (
            vec![
                ("authorization", "Bearer gk_personal_ada"),
                ("x-auth-key", "user_bob"),
            ],
            path,
            401,
            "invalid_auth_key",
        ),
        (
            vec![
                ("authorization", "Bearer gk_team_pro"),
                ("x-auth-key", "user_ada"),
            ],
            path,
            403,
            "team_id_required",
        ),
        (
            vec![
                ("authorization", "Bearer gk_team_pro"),
                ("x-auth-key", "user_ada"),
            ],
            "/api/v1/agents/agent_pro/sessions?team_id=team_free",
            403,
            "team_mismatch",
        ),
        (
            vec![
                ("authorization", "Bearer gk_team_pro"),
                ("x-auth-key", "user_bob"),
            ],
            "/api/v1/agents/agent_pro/sessions?team_id=team_pro",
            403,
            "not_a_team_member",
        ),
        (
            vec![("authorization", "Bearer gk_team_pro")],
            "/api/v1/agents/agent_pro/sessions?team_id=team_pro",
            401,
            "invalid_auth_key",
        ),
    ];
    for (headers, p, status, code) in cases {
        let resp = emu.api.post(p, &headers, "{}").await;
        let kind = if status == 401 {
            "authentication_error"
        } else {
            "permission_error"
        };
        assert_error(&resp, status, code, kind);
    }
    // Accepted credentials.
    let team = [
        ("authorization", "Bearer gk_team_pro"),
        ("x-auth-key", "user_ada"),
    ];
    let resp = emu
        .api
        .post(
            "/api/v1/agents/agent_pro/sessions?team_id=team_pro",
            &team,
            "{}",
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text());
    let resp = emu.api.post(path, ADA_OAUTH, "{}").await;
    assert_eq!(resp.status, 201);
    // OAuth ignores a stray x-auth-key.
    let oauth_stray = [
        ("authorization", "Bearer gt_oauth_ada"),
        ("x-auth-key", "user_bob"),
    ];
    let resp = emu.api.post(path, &oauth_stray, "{}").await;
    assert_eq!(resp.status, 201);
    assert_eq!(resp.json()["session"]["creator"]["id"], "user_ada");
    // The team key is scoped to its team: agent_free is another team's agent.
    let resp = emu
        .api
        .post(
            "/api/v1/agents/agent_free/sessions?team_id=team_pro",
            &team,
            "{}",
        )
        .await;
    assert_error(&resp, 403, "permission_denied", "permission_error");
}

#[tokio::test]
async fn agents_unknown_private_and_aliases() {
    let emu = emu().await;
    let resp = emu
        .api
        .post("/api/v1/agents/agent_nope/sessions", ADA, "{}")
        .await;
    assert_error(&resp, 404, "agent_not_found", "not_found_error");
    let resp = emu
        .api
        .post("/api/v1/agents/agent_private/sessions", ADA, "{}")
        .await;
    assert_error(&resp, 403, "permission_denied", "permission_error");
    let (status, _) = create(&emu.api, "agent_private", BOB, "{}").await;
    assert_eq!(status, 201);
    // Bob is not in team_pro.
    let resp = emu
        .api
        .post("/api/v1/agents/agent_pro/sessions", BOB, "{}")
        .await;
    assert_error(&resp, 403, "permission_denied", "permission_error");

    let (status, env) = create(&emu.api, "gumball", ADA, "{}").await;
    assert_eq!(status, 201);
    assert_eq!(env["session"]["agent_id"], "gumball_user_ada");
    assert_eq!(env["session"]["agent_team_id"], "team_pro");
    let (_, again) = create(&emu.api, "gumball", ADA, "{}").await;
    assert_eq!(again["session"]["agent_id"], "gumball_user_ada");
    let (_, bob) = create(&emu.api, "analytics", BOB, "{}").await;
    assert_eq!(bob["session"]["agent_id"], "analytics_user_bob");
    assert_eq!(bob["session"]["agent_team_id"], "team_free");
    // Bob cannot read Ada's personal agent's sessions.
    let id = env["session"]["id"].as_str().unwrap();
    let resp = emu.api.get(&format!("/api/v1/sessions/{id}"), BOB).await;
    assert_error(&resp, 403, "permission_denied", "permission_error");
}

#[tokio::test]
async fn retrieve_returns_the_full_envelope_or_404() {
    let emu = emu().await;
    let (_, env) = create(&emu.api, "agent_pro", ADA, r#"{"name":"r"}"#).await;
    let id = env["session"]["id"].as_str().unwrap();
    let resp = emu.api.get(&format!("/api/v1/sessions/{id}"), ADA).await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("content-type"), Some("application/json"));
    let got = resp.json();
    assert_session_shape(&got);
    assert_eq!(got["session"], env["session"]);
    let resp = emu.api.get("/api/v1/sessions/sess_missing", ADA).await;
    assert_error(&resp, 404, "session_not_found", "not_found_error");
    let resp = emu.api.get(&format!("/api/v1/sessions/{id}"), &[]).await;
    assert_error(&resp, 401, "missing_credentials", "authentication_error");
    // Percent-encoded ids are decoded per segment.
    let (status, _) = create(&emu.api, "agent_pro", ADA, r#"{"session_id":"a/b c"}"#).await;
    assert_eq!(status, 201);
    let resp = emu.api.get("/api/v1/sessions/a%2Fb%20c", ADA).await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.json()["session"]["id"], "a/b c");
    // Unknown routes and methods.
    let resp = emu.api.get("/api/v1/nothing", ADA).await;
    assert_error(&resp, 404, "not_found", "not_found_error");
    let resp = emu
        .api
        .request("DELETE", &format!("/api/v1/sessions/{id}"), ADA, None)
        .await;
    assert_error(&resp, 405, "method_not_allowed", "invalid_request_error");
}

#[tokio::test]
async fn send_rules() {
    let emu = emu().await;
    let (_, env) = create(
        &emu.api,
        "agent_pro",
        ADA,
        r#"{"input":"one [slow:60000]"}"#,
    )
    .await;
    let id = env["session"]["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/sessions/{id}/messages");
    // Busy: 409.
    let resp = emu.api.post(&path, ADA, r#"{"input":"two"}"#).await;
    assert_error(
        &resp,
        409,
        "interaction_not_in_terminal_state",
        "invalid_request_error",
    );
    // Validation comes first.
    let resp = emu.api.post(&path, ADA, "{}").await;
    let err = assert_error(&resp, 400, "invalid_request", "invalid_request_error");
    assert_eq!(err["param"], "input");
    let resp = emu
        .api
        .post(&path, ADA, r#"{"input":"x","approval_responses":[]}"#)
        .await;
    assert_error(
        &resp,
        400,
        "approvals_require_stream_or_approvals_endpoint",
        "invalid_request_error",
    );
    let resp = emu
        .api
        .post(&path, ADA, r#"{"input":"x","stream":true}"#)
        .await;
    assert_error(&resp, 400, "use_streaming_host", "invalid_request_error");
    let resp = emu
        .api
        .post(
            &path,
            ADA,
            r#"{"input":"x","attachments":[{"file_name":"f"}]}"#,
        )
        .await;
    assert_error(&resp, 400, "invalid_attachment", "invalid_request_error");
    let resp = emu
        .api
        .post("/api/v1/sessions/nope/messages", ADA, r#"{"input":"x"}"#)
        .await;
    assert_error(&resp, 404, "session_not_found", "not_found_error");

    // Idle session: 202 processing, then completed with the answer.
    let (_, env) = create(&emu.api, "agent_pro", ADA, "{}").await;
    let id2 = env["session"]["id"].as_str().unwrap().to_string();
    let resp = emu
        .api
        .post(
            &format!("/api/v1/sessions/{id2}/messages"),
            ADA,
            r#"{"input":"ping pong"}"#,
        )
        .await;
    assert_eq!(resp.status, 202, "{}", resp.text());
    let env = resp.json();
    assert_session_shape(&env);
    assert_eq!(env["session"]["state"], "processing");
    let done = wait_state(&emu.api, &id2, ADA, &["completed"]).await;
    let msgs = done["session"]["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[1]["role"], "assistant");
    assert_eq!(msgs[1]["content"], "Echo: ping pong");
    assert_eq!(done["session"]["usage"]["credit_cost"], 1);
    // Completed: sending again is allowed.
    let resp = emu
        .api
        .post(
            &format!("/api/v1/sessions/{id2}/messages"),
            ADA,
            r#"{"message":"again"}"#,
        )
        .await;
    assert_eq!(resp.status, 202);
    emu.api
        .post(&format!("/api/v1/sessions/{id}/cancel"), ADA, "{}")
        .await;
}

#[tokio::test]
async fn queued_delivery_is_deduplicated_by_idempotency_key() {
    let emu = emu().await;
    let (_, env) = create(
        &emu.api,
        "agent_pro",
        ADA,
        r#"{"input":"first [slow:300]"}"#,
    )
    .await;
    let id = env["session"]["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/sessions/{id}/messages");
    let mut headers = ADA.to_vec();
    headers.push(("idempotency-key", "key-1"));
    let body = r#"{"input":"second","delivery":"queued"}"#;
    let r1 = emu.api.post(&path, &headers, body).await;
    assert_eq!(r1.status, 202, "{}", r1.text());
    let r1 = r1.json();
    assert_eq!(r1["status"], "accepted");
    assert!(r1["message_id"].as_str().is_some());
    let r2 = emu.api.post(&path, &headers, body).await.json();
    assert_eq!(r1["message_id"], r2["message_id"]);
    // The delivery runs after the current turn: two turns, four messages.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let env = wait_state(&emu.api, &id, ADA, &["completed"]).await;
        let msgs = env["session"]["messages"].as_array().unwrap().clone();
        if msgs.len() == 4 {
            assert_eq!(msgs[2]["id"], r1["message_id"]);
            assert_eq!(msgs[2]["content"], "second");
            assert_eq!(msgs[3]["content"], "Echo: second");
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{env}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // Idle/terminal session: a queued delivery starts at once.
    let r3 = emu
        .api
        .post(&path, ADA, r#"{"input":"third","delivery":"queued"}"#)
        .await;
    assert_eq!(r3.status, 202);
    let env = wait_state(&emu.api, &id, ADA, &["completed"]).await;
    assert_eq!(env["session"]["messages"].as_array().unwrap().len(), 6);
    let bad = emu
        .api
        .post(&path, ADA, r#"{"input":"x","delivery":"later"}"#)
        .await;
    assert_error(&bad, 400, "invalid_request", "invalid_request_error");
}

#[tokio::test]
async fn cancel_fails_running_and_leaves_others() {
    let emu = emu().await;
    let (_, env) = create(&emu.api, "agent_pro", ADA, r#"{"input":"x [slow:60000]"}"#).await;
    let id = env["session"]["id"].as_str().unwrap().to_string();
    let resp = emu
        .api
        .post(&format!("/api/v1/sessions/{id}/cancel"), ADA, "{}")
        .await;
    assert_eq!(resp.status, 200);
    let env = resp.json();
    assert_session_shape(&env);
    let s = &env["session"];
    assert_eq!(s["id"], id.as_str());
    assert_eq!(s["agent_id"], "agent_pro");
    assert_eq!(s["state"], "failed");
    for f in ["created_at", "agent_name", "creator", "name"] {
        assert!(s[f].is_null(), "{f} should be null: {s}");
    }
    assert_eq!(s["messages"], serde_json::json!([]));
    let got = emu
        .api
        .get(&format!("/api/v1/sessions/{id}"), ADA)
        .await
        .json();
    assert_eq!(got["session"]["state"], "failed");

    // Idle stays idle; failed stays failed.
    let (_, idle) = create(&emu.api, "agent_pro", ADA, "{}").await;
    let idle_id = idle["session"]["id"].as_str().unwrap();
    let resp = emu
        .api
        .post(&format!("/api/v1/sessions/{idle_id}/cancel"), ADA, "{}")
        .await;
    assert_eq!(resp.json()["session"]["state"], "idle");
    let resp = emu
        .api
        .post(&format!("/api/v1/sessions/{id}/cancel"), ADA, "{}")
        .await;
    assert_eq!(resp.json()["session"]["state"], "failed");
    let resp = emu
        .api
        .post("/api/v1/sessions/nope/cancel", ADA, "{}")
        .await;
    assert_error(&resp, 404, "session_not_found", "not_found_error");
}

#[tokio::test]
async fn rename_takes_only_a_valid_name() {
    let emu = emu().await;
    let (_, env) = create(&emu.api, "agent_pro", ADA, "{}").await;
    let id = env["session"]["id"].as_str().unwrap();
    let path = format!("/api/v1/sessions/{id}");
    let resp = emu
        .api
        .request("PATCH", &path, ADA, Some(r#"{"name":"  Renamed  "}"#))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let env = resp.json();
    assert_session_shape(&env);
    assert_eq!(env["session"]["name"], "Renamed");
    assert_eq!(
        emu.api.get(&path, ADA).await.json()["session"]["name"],
        "Renamed"
    );
    let long = format!(r#"{{"name":"{}"}}"#, "n".repeat(257));
    for body in [
        r#"{"name":""}"#,
        r#"{"name":"  "}"#,
        r#"{}"#,
        r#"{"name":3}"#,
        r#"{"name":"ok","state":"idle"}"#,
        long.as_str(),
        "[]",
    ] {
        let resp = emu.api.request("PATCH", &path, ADA, Some(body)).await;
        assert_error(&resp, 400, "invalid_request", "invalid_request_error");
    }
    let resp = emu
        .api
        .request(
            "PATCH",
            "/api/v1/sessions/nope",
            ADA,
            Some(r#"{"name":"x"}"#),
        )
        .await;
    assert_error(&resp, 404, "session_not_found", "not_found_error");
}

async fn list(emu: &Emu, query: &str, auth: &[(&str, &str)]) -> Resp {
    emu.api
        .get(&format!("/api/v1/agents/agent_free/sessions{query}"), auth)
        .await
}

fn ids(page: &Value) -> Vec<String> {
    page["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn list_pages_with_cursors_and_filters() {
    let emu = emu().await;
    let mut created = Vec::new();
    for i in 0..25 {
        let body = format!(r#"{{"name":"item {i:02}","session_id":"s{i:02}"}}"#);
        let (status, _) = create(&emu.api, "agent_free", ADA, &body).await;
        assert_eq!(status, 201);
        created.push(format!("s{i:02}"));
    }
    let (status, _) = create(
        &emu.api,
        "agent_free",
        BOB,
        r#"{"name":"bob's","session_id":"b1"}"#,
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) = create(
        &emu.api,
        "agent_free",
        ADA,
        r#"{"input":"needle text [slow:60000]","session_id":"busy"}"#,
    )
    .await;
    assert_eq!(status, 202);
    // Another agent's sessions never show up.
    create(&emu.api, "agent_pro", ADA, "{}").await;

    // Default page: 20, newest first, messages empty.
    let resp = list(&emu, "", ADA).await;
    assert_eq!(resp.status, 200);
    let page1 = resp.json();
    let p1 = ids(&page1);
    assert_eq!(p1.len(), 20);
    assert_eq!(p1[0], "busy");
    assert_eq!(p1[1], "b1");
    assert_eq!(p1[2], "s24");
    for s in page1["sessions"].as_array().unwrap() {
        assert_eq!(s["messages"], serde_json::json!([]));
        assert!(s.get("state").is_some() && s.get("agent_name").is_some());
    }
    let cursor = page1["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_string();
    let page2 = list(&emu, &format!("?cursor={cursor}"), ADA).await.json();
    let p2 = ids(&page2);
    assert_eq!(p2.len(), 7);
    assert!(page2["next_cursor"].is_null());
    let mut all = p1.clone();
    all.extend(p2);
    let unique: std::collections::HashSet<_> = all.iter().collect();
    assert_eq!(unique.len(), 27);

    // Oldest first with a small page.
    let page = list(&emu, "?sort_order=oldest&page_size=3", ADA)
        .await
        .json();
    assert_eq!(ids(&page), ["s00", "s01", "s02"]);
    let c = page["next_cursor"].as_str().unwrap();
    let page = list(
        &emu,
        &format!("?sort_order=oldest&page_size=3&cursor={c}"),
        ADA,
    )
    .await
    .json();
    assert_eq!(ids(&page), ["s03", "s04", "s05"]);

    // Filters.
    let by_state = list(&emu, "?state=processing", ADA).await.json();
    assert_eq!(ids(&by_state), ["busy"]);
    let by_creator = list(&emu, "?creator_user_id=user_bob", ADA).await.json();
    assert_eq!(ids(&by_creator), ["b1"]);
    let by_search = list(&emu, "?search=ITEM%2007", ADA).await.json();
    assert_eq!(ids(&by_search), ["s07"]);
    let by_content = list(&emu, "?search_query=needle", ADA).await.json();
    assert_eq!(ids(&by_content), ["busy"]);
    let by_type = list(&emu, "?type=api&page_size=100", ADA).await.json();
    assert_eq!(ids(&by_type).len(), 27);
    let web = list(&emu, "?type=web", ADA).await.json();
    assert_eq!(ids(&web).len(), 0);
    let trig = list(&emu, "?trigger_id=trg_1", ADA).await.json();
    assert_eq!(ids(&trig).len(), 0);
    assert!(trig["next_cursor"].is_null());

    // Bad parameters.
    for q in [
        "?page_size=0",
        "?page_size=101",
        "?page_size=abc",
        "?sort_order=sideways",
        "?state=sleeping",
        "?cursor=garbage",
    ] {
        let resp = list(&emu, q, ADA).await;
        assert_error(&resp, 400, "invalid_request", "invalid_request_error");
    }
    let ok = list(&emu, "?page_size=100", ADA).await;
    assert_eq!(ids(&ok.json()).len(), 27);
    // Access.
    let resp = emu.api.get("/api/v1/agents/agent_nope/sessions", ADA).await;
    assert_error(&resp, 404, "agent_not_found", "not_found_error");
    let resp = emu.api.get("/api/v1/agents/agent_pro/sessions", BOB).await;
    assert_error(&resp, 403, "permission_denied", "permission_error");
    emu.api
        .post("/api/v1/sessions/busy/cancel", ADA, "{}")
        .await;
}
