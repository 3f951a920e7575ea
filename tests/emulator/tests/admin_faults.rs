//! The admin API: every fault kind, the request log, reset and stats.

mod common;

use std::time::Duration;

use common::*;
use serde_json::Value;

const CREATE: &str = "/api/v1/agents/agent_pro/sessions";

async fn sessions(emu: &Emu) -> u64 {
    admin_get(emu, "/stats").await["sessions"]["total"]
        .as_u64()
        .unwrap()
}

fn create_request(body: &str) -> Vec<u8> {
    encode("POST", CREATE, ADA, Some(body), false)
}

#[tokio::test]
async fn status_fault_answers_without_processing() {
    let emu = emu().await;
    arm(
        &emu,
        r#"{"method":"POST","path":"/api/v1/agents/*/sessions","times":1,"status":503,"retry_after":2}"#,
    )
    .await;
    let resp = emu.api.post(CREATE, ADA, "{}").await;
    assert_error(&resp, 503, "emulated_fault", "api_error");
    assert_eq!(resp.header("retry-after"), Some("2"));
    assert_eq!(sessions(&emu).await, 0);
    // Consumed: the next request is served.
    assert_eq!(emu.api.post(CREATE, ADA, "{}").await.status, 201);
    // A custom body, twice.
    arm(
        &emu,
        r#"{"path":"/api/v1/sessions/*","status":500,"times":2,"body":{"error":"boom"}}"#,
    )
    .await;
    for _ in 0..2 {
        let resp = emu.api.get("/api/v1/sessions/x", ADA).await;
        assert_eq!(resp.status, 500);
        assert_eq!(resp.json(), serde_json::json!({"error": "boom"}));
    }
    assert_eq!(emu.api.get("/api/v1/sessions/x", ADA).await.status, 404);
}

#[tokio::test]
async fn faults_match_method_path_and_listener() {
    let emu = emu().await;
    arm(
        &emu,
        r#"{"method":"GET","path":"/api/v1/agents/*/sessions","status":418}"#,
    )
    .await;
    arm(
        &emu,
        r#"{"path":"/api/v1/**","listener":"stream","status":502}"#,
    )
    .await;
    // Wrong method, wrong listener: untouched.
    assert_eq!(emu.api.post(CREATE, ADA, "{}").await.status, 201);
    assert_eq!(
        emu.api
            .get("/api/v1/agents/agent_pro/sessions/extra", ADA)
            .await
            .status,
        404
    );
    let listed = admin_get(&emu, "/faults").await;
    assert_eq!(listed["faults"].as_array().unwrap().len(), 2);
    assert_eq!(listed["faults"][0]["remaining"], 1);
    assert_eq!(emu.api.get(CREATE, ADA).await.status, 418);
    assert_eq!(emu.stream.get("/api/v1/sessions/x", ADA).await.status, 502);
    assert_eq!(
        admin_get(&emu, "/faults").await["faults"],
        serde_json::json!([])
    );
    // Clearing, and invalid specs.
    arm(&emu, r#"[{"status":500},{"garbage":true}]"#).await;
    let resp = emu
        .api
        .request("DELETE", "/_emulator/faults", &[], None)
        .await;
    assert_eq!(resp.status, 200);
    assert_eq!(emu.api.post(CREATE, ADA, "{}").await.status, 201);
    for bad in [
        r#"{"path":"/x"}"#,
        r#"{"status":503,"garbage":true}"#,
        r#"{"reset":"sometimes"}"#,
        r#"{"status":503,"times":0}"#,
        r#"{"status":"x"}"#,
        r#"[{"status":500},{"nope":1}]"#,
        "not json",
    ] {
        let resp = emu.api.post("/_emulator/faults", &[], bad).await;
        assert_eq!(resp.status, 400, "{bad}: {}", resp.text());
    }
    assert_eq!(
        admin_get(&emu, "/faults").await["faults"],
        serde_json::json!([])
    );
}

#[tokio::test]
async fn delay_fault_then_normal_processing() {
    let emu = emu().await;
    arm(
        &emu,
        r#"{"method":"POST","path":"/api/v1/agents/*/sessions","delay_ms":150}"#,
    )
    .await;
    let resp = emu.api.post(CREATE, ADA, "{}").await;
    assert_eq!(resp.status, 201);
    let log = admin_get(&emu, "/requests").await;
    assert_eq!(log["requests"][0]["fault"], "delay");
    assert_eq!(sessions(&emu).await, 1);
}

#[tokio::test]
async fn reset_before_response_has_its_effect() {
    let emu = emu().await;
    arm(
        &emu,
        r#"{"method":"POST","path":"/api/v1/agents/*/sessions","reset":"before_response"}"#,
    )
    .await;
    let raw = emu
        .api
        .raw(&create_request(r#"{"session_id":"made-it"}"#))
        .await;
    assert!(raw.is_empty(), "no response bytes: {raw:?}");
    assert_eq!(sessions(&emu).await, 1);
    let resp = emu.api.get("/api/v1/sessions/made-it", ADA).await;
    assert_eq!(resp.status, 200);
    // Retrying the same create now gives 409.
    let resp = emu
        .api
        .post(CREATE, ADA, r#"{"session_id":"made-it"}"#)
        .await;
    assert_error(
        &resp,
        409,
        "session_already_exists",
        "invalid_request_error",
    );
}

#[tokio::test]
async fn reset_before_request_has_no_effect() {
    let emu = emu().await;
    arm(
        &emu,
        r#"{"method":"POST","path":"/api/v1/agents/*/sessions","reset":"before_request"}"#,
    )
    .await;
    let raw = emu
        .api
        .raw(&create_request(r#"{"session_id":"never"}"#))
        .await;
    assert!(raw.is_empty(), "no response bytes: {raw:?}");
    assert_eq!(sessions(&emu).await, 0);
    let log = admin_get(&emu, "/requests").await;
    assert_eq!(log["requests"][0]["fault"], "reset_before_request");
    assert_eq!(
        emu.api
            .post(CREATE, ADA, r#"{"session_id":"never"}"#)
            .await
            .status,
        201
    );
}

#[tokio::test]
async fn truncate_sends_half_the_declared_body() {
    let emu = emu().await;
    arm(
        &emu,
        r#"{"method":"POST","path":"/api/v1/agents/*/sessions","truncate":true}"#,
    )
    .await;
    let raw = emu.api.raw(&create_request("{}")).await;
    let err = parse_response(&raw).expect_err("the body is cut short");
    assert!(err.contains("cut short"), "{err}");
    let text = String::from_utf8_lossy(&raw);
    assert!(text.starts_with("HTTP/1.1 201"), "{text}");
    let declared: usize = text
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .expect("content-length")
        .trim()
        .parse()
        .unwrap();
    let head_end = text.find("\r\n\r\n").unwrap() + 4;
    let got = raw.len() - head_end;
    assert_eq!(got, declared / 2, "half of {declared}");
    assert_eq!(sessions(&emu).await, 1);
}

#[tokio::test]
async fn garbage_and_redirect() {
    let emu = emu().await;
    arm(
        &emu,
        r#"{"method":"POST","path":"/api/v1/agents/*/sessions","garbage":true}"#,
    )
    .await;
    let resp = emu.api.post(CREATE, ADA, "{}").await;
    assert_eq!(resp.status, 200);
    assert!(serde_json::from_slice::<Value>(&resp.body).is_err());
    assert!(!resp.body.is_empty());
    arm(
        &emu,
        r#"{"method":"POST","path":"/api/v1/agents/*/sessions","redirect":"http://127.0.0.1:9/elsewhere"}"#,
    )
    .await;
    let resp = emu.api.post(CREATE, ADA, "{}").await;
    assert_eq!(resp.status, 307);
    assert_eq!(
        resp.header("location"),
        Some("http://127.0.0.1:9/elsewhere")
    );
    assert_eq!(sessions(&emu).await, 0);
}

#[tokio::test]
async fn stall_stream_after_n_events() {
    let emu = emu().await;
    arm(
        &emu,
        r#"{"method":"POST","path":"/api/v1/agents/*/sessions","stall_stream_after":3}"#,
    )
    .await;
    let mut sse = emu
        .stream
        .sse(
            "POST",
            CREATE,
            ADA,
            Some(r#"{"input":"a b c d e f","stream":true}"#),
        )
        .await;
    let mut events = Vec::new();
    for _ in 0..3 {
        events.push(sse.next_event().await.unwrap());
    }
    let sid = events[0]["interaction_id"].as_str().unwrap().to_string();
    // The run ends on the server, but nothing more reaches this stream, and it stays open.
    wait_state(&emu.api, &sid, ADA, &["completed"]).await;
    assert!(sse.next_within(Duration::from_millis(300)).await.is_err());
    assert!(!sse.eof && !sse.complete);
    // Resume picks the events up.
    let c = events[2]["stream_cursor"].as_str().unwrap();
    let mut r = emu
        .stream
        .sse(
            "GET",
            &format!("/api/v1/sessions/{sid}?stream=true&last_cursor={c}"),
            ADA,
            None,
        )
        .await;
    assert_eq!(r.rest().await[0]["finishReason"], "not_resumable");
}

#[tokio::test]
async fn drop_stream_after_n_events() {
    let emu = emu().await;
    arm(
        &emu,
        r#"{"path":"/api/v1/agents/*/sessions","drop_stream_after":2}"#,
    )
    .await;
    let mut sse = emu
        .stream
        .sse(
            "POST",
            CREATE,
            ADA,
            Some(r#"{"input":"a b c d e f","stream":true}"#),
        )
        .await;
    let events = sse.rest().await;
    assert_eq!(events.len(), 2);
    assert!(sse.eof && !sse.complete, "closed without the last chunk");
    // The run itself goes on to the end.
    let sid = events[0]["interaction_id"].as_str().unwrap();
    wait_state(&emu.api, sid, ADA, &["completed"]).await;
    // Stream faults also apply to resumes; request faults never touch streams' bodies.
    arm(
        &emu,
        r#"{"method":"GET","path":"/api/v1/sessions/*","drop_stream_after":0}"#,
    )
    .await;
    let mut r = emu
        .stream
        .sse(
            "GET",
            &format!("/api/v1/sessions/{sid}?stream=true"),
            ADA,
            None,
        )
        .await;
    assert!(r.rest().await.is_empty());
    assert!(!r.complete);
}

#[tokio::test]
async fn request_log_records_raw_requests() {
    let emu = emu().await;
    let mut headers = ADA.to_vec();
    headers.push(("x-custom", "yes"));
    emu.api
        .request(
            "POST",
            "/api/v1/sessions/a%2Fb/messages?team_id=team%5Fpro&x=1",
            &headers,
            Some(r#"{"input":"logged"}"#),
        )
        .await;
    emu.stream.get("/api/v1/sessions/zzz", ADA).await;
    admin_get(&emu, "/stats").await;
    let log = admin_get(&emu, "/requests").await;
    let entries = log["requests"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "admin calls are not logged: {log}");
    let e = &entries[0];
    assert_eq!(e["listener"], "api");
    assert_eq!(e["method"], "POST");
    assert_eq!(e["path"], "/api/v1/sessions/a%2Fb/messages");
    assert_eq!(e["query"], "team_id=team%5Fpro&x=1");
    assert_eq!(e["headers"]["authorization"], "Bearer gk_personal_ada");
    assert_eq!(e["headers"]["x-auth-key"], "user_ada");
    assert_eq!(e["headers"]["x-custom"], "yes");
    assert_eq!(e["body"], r#"{"input":"logged"}"#);
    assert!(e["time"].as_str().unwrap().ends_with('Z'));
    assert!(e["fault"].is_null());
    assert_eq!(entries[1]["listener"], "stream");
    assert_eq!(entries[1]["method"], "GET");
    assert!(entries[1]["query"].is_null());
    let resp = emu
        .api
        .request("DELETE", "/_emulator/requests", &[], None)
        .await;
    assert_eq!(resp.status, 200);
    assert_eq!(
        admin_get(&emu, "/requests").await["requests"],
        serde_json::json!([])
    );
}

#[tokio::test]
async fn reset_clears_sessions_faults_and_log() {
    let emu = emu().await;
    create(&emu.api, "agent_pro", ADA, "{}").await;
    let mut sse = emu
        .stream
        .sse(
            "POST",
            CREATE,
            ADA,
            Some(r#"{"input":"[slow:600000]","stream":true}"#),
        )
        .await;
    sse.next_event().await.unwrap();
    arm(&emu, r#"{"status":500,"path":"/nowhere"}"#).await;
    let resp = emu.api.post("/_emulator/reset", &[], "").await;
    assert_eq!(resp.status, 200);
    // The open stream ends; everything is empty.
    sse.rest().await;
    assert_eq!(sessions(&emu).await, 0);
    assert_eq!(
        admin_get(&emu, "/faults").await["faults"],
        serde_json::json!([])
    );
    assert_eq!(
        admin_get(&emu, "/requests").await["requests"],
        serde_json::json!([])
    );
    // Slots were released: the pro team can run again, and the fixtures are intact.
    assert_eq!(
        create(&emu.api, "agent_pro", ADA, r#"{"input":"x"}"#)
            .await
            .0,
        202
    );
    let fx = admin_get(&emu, "/fixtures").await;
    assert_eq!(fx["teams"]["team_ent_small"]["concurrency_limit"], 2);
}

#[tokio::test]
async fn stats_count_requests_and_connections() {
    let emu = emu().await;
    // A held keep-alive connection counts as open.
    let mut held = emu.api.connect().await;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    held.write_all(&encode("GET", "/api/v1/sessions/x", ADA, None, true))
        .await
        .unwrap();
    let mut buf = [0u8; 4096];
    let n = held.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 404"));
    emu.stream.get("/api/v1/sessions/x", ADA).await;
    let stats = admin_get(&emu, "/stats").await;
    assert_eq!(stats["requests"]["api"], 1);
    assert_eq!(stats["requests"]["stream"], 1);
    assert_eq!(stats["requests"]["admin"], 1);
    assert_eq!(stats["requests"]["total"], 3);
    assert!(
        stats["connections"]["open"].as_i64().unwrap() >= 2,
        "{stats}"
    );
    assert!(
        stats["connections"]["total"].as_u64().unwrap() >= 3,
        "{stats}"
    );
    drop(held);
    let resp = emu.api.get("/_emulator/nope", &[]).await;
    assert_error(&resp, 404, "not_found", "not_found_error");
    // The admin API lives on the api listener only.
    let resp = emu.stream.get("/_emulator/stats", &[]).await;
    assert_eq!(resp.status, 404);
}
