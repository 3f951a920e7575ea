//! Server-sent events: framing, cursors, event order, live pacing, resume, keep-alive.

mod common;

use common::*;
use serde_json::Value;

fn cursor_n(ev: &Value, sid: &str) -> u64 {
    let c = ev["stream_cursor"]
        .as_str()
        .unwrap_or_else(|| panic!("no cursor: {ev}"));
    let (s, n) = c.rsplit_once(':').expect("cursor <session>:<n>");
    assert_eq!(s, sid, "{ev}");
    n.parse().expect("numeric cursor")
}

/// Checks the event sequence of one complete run; returns the concatenated deltas.
fn check_run(events: &[Value], sid: &str, reason: &str) -> String {
    let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types[0], "interaction-ready", "{types:?}");
    assert_eq!(events[0]["interaction_id"], sid);
    assert_eq!(types[1], "text-start", "{types:?}");
    let n = types.len();
    assert_eq!(
        &types[n - 3..],
        ["text-end", "finish", "finish"],
        "{types:?}"
    );
    assert!(
        types[2..n - 3].iter().all(|t| *t == "text-delta"),
        "{types:?}"
    );
    assert_eq!(events[n - 2]["final"], false);
    assert_eq!(events[n - 1]["final"], true);
    assert_eq!(events[n - 1]["finishReason"], reason);
    let first = cursor_n(&events[0], sid);
    for (i, ev) in events.iter().enumerate() {
        assert_eq!(cursor_n(ev, sid), first + i as u64, "cursors go up by one");
    }
    let msg_id = &events[1]["id"];
    assert!(msg_id.is_string());
    events[2..n - 3]
        .iter()
        .map(|e| {
            assert_eq!(&e["id"], msg_id);
            e["delta"].as_str().unwrap().to_string()
        })
        .collect()
}

#[tokio::test]
async fn create_stream_frames_and_order() {
    let emu = emu().await;
    let mut sse = emu
        .stream
        .sse(
            "POST",
            "/api/v1/agents/agent_pro/sessions",
            ADA,
            Some(r#"{"input":"tell me [words:12]","stream":true}"#),
        )
        .await;
    assert_eq!(sse.status, 200);
    assert_eq!(sse.header("content-type"), Some("text/event-stream"));
    let events = sse.rest().await;
    assert!(sse.complete, "the stream ends cleanly");
    let sid = events[0]["interaction_id"].as_str().unwrap().to_string();
    assert!(sid.starts_with("sess_"));
    assert_eq!(cursor_n(&events[0], &sid), 1);
    let text = check_run(&events, &sid, "stop");
    assert_eq!(events.len(), 12 + 5);
    let env = wait_state(&emu.api, &sid, ADA, &["completed"]).await;
    assert_eq!(env["session"]["messages"][1]["content"], text.as_str());
    assert_eq!(text.split(' ').count(), 12);

    // A streamed send continues the cursor numbering; the frames are `data:` lines.
    let mut sse = emu
        .stream
        .sse(
            "POST",
            &format!("/api/v1/sessions/{sid}/messages"),
            ADA_OAUTH,
            Some(r#"{"input":"more words here","stream":true}"#),
        )
        .await;
    let events2 = sse.rest().await;
    assert_eq!(cursor_n(&events2[0], &sid), events.len() as u64 + 1);
    assert_eq!(check_run(&events2, &sid, "stop"), "Echo: more words here");
    let wire = String::from_utf8_lossy(&sse.body).to_string();
    for block in wire.split("\n\n").filter(|b| !b.is_empty()) {
        assert!(block.starts_with("data: {"), "{block:?}");
    }
}

#[tokio::test]
async fn failed_run_ends_with_an_error_finish() {
    let emu = emu().await;
    let mut sse = emu
        .stream
        .sse(
            "POST",
            "/api/v1/agents/agent_pro/sessions",
            ADA,
            Some(r#"{"input":"[fail] boom","stream":true}"#),
        )
        .await;
    let events = sse.rest().await;
    let sid = events[0]["interaction_id"].as_str().unwrap().to_string();
    check_run(&events, &sid, "error");
    let last = events.last().unwrap();
    assert!(last["errorMessage"].as_str().is_some_and(|m| !m.is_empty()));
    let env = wait_state(&emu.api, &sid, ADA, &["failed"]).await;
    assert_eq!(env["session"]["state"], "failed");
}

#[tokio::test]
async fn stream_errors_are_json() {
    let emu = emu().await;
    let mut sse = emu
        .stream
        .sse(
            "POST",
            "/api/v1/agents/agent_nope/sessions",
            ADA,
            Some(r#"{"input":"x","stream":true}"#),
        )
        .await;
    assert_eq!(sse.status, 404);
    while sse.next_within(PATIENCE).await.expect("ends").is_some() {}
    let body: Value = serde_json::from_slice(&sse.body).unwrap();
    assert_eq!(body["error"]["code"], "agent_not_found");
    // The stream host accepts team keys without team_id (the SDK sends none there).
    let team = [
        ("authorization", "Bearer gk_team_pro"),
        ("x-auth-key", "user_ada"),
    ];
    let mut sse = emu
        .stream
        .sse(
            "POST",
            "/api/v1/agents/agent_pro/sessions",
            &team,
            Some(r#"{"input":"x","stream":true}"#),
        )
        .await;
    assert_eq!(sse.status, 200);
    sse.rest().await;
    // The stream host also answers plain REST calls.
    let (status, _) = create(&emu.stream, "agent_pro", ADA, "{}").await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn events_are_live_not_dumped() {
    let emu = emu().await;
    let mut sse = emu
        .stream
        .sse(
            "POST",
            "/api/v1/agents/agent_pro/sessions",
            ADA,
            Some(r#"{"input":"[slow:600000] [words:1000]","stream":true}"#),
        )
        .await;
    let ready = sse.next_event().await.unwrap();
    let sid = ready["interaction_id"].as_str().unwrap().to_string();
    loop {
        let ev = sse.next_event().await.unwrap();
        if ev["type"] == "text-delta" {
            break;
        }
    }
    // A delta arrived while the run is still going.
    let env = emu
        .api
        .get(&format!("/api/v1/sessions/{sid}"), ADA)
        .await
        .json();
    assert_eq!(env["session"]["state"], "processing");
    let resp = emu
        .api
        .post(&format!("/api/v1/sessions/{sid}/cancel"), ADA, "{}")
        .await;
    assert_eq!(resp.status, 200);
    let rest = sse.rest().await;
    let last = rest.last().unwrap();
    assert_eq!(last["type"], "finish");
    assert_eq!(last["final"], true);
    assert_eq!(last["finishReason"], "error");
}

#[tokio::test]
async fn resume_mid_run_replays_after_the_cursor_and_goes_on_live() {
    let emu = emu().await;
    let mut sse = emu
        .stream
        .sse(
            "POST",
            "/api/v1/agents/agent_pro/sessions",
            ADA,
            Some(r#"{"input":"[slow:600000] [words:1000]","stream":true}"#),
        )
        .await;
    let mut seen = Vec::new();
    while seen.len() < 4 {
        seen.push(sse.next_event().await.unwrap());
    }
    drop(sse);
    let sid = seen[0]["interaction_id"].as_str().unwrap().to_string();
    let c2 = seen[1]["stream_cursor"].as_str().unwrap().to_string();
    let path = format!(
        "/api/v1/sessions/{sid}?stream=true&last_cursor={}",
        c2.replace(':', "%3A")
    );
    let mut resumed = emu.stream.sse("GET", &path, ADA, None).await;
    assert_eq!(resumed.status, 200);
    assert_eq!(resumed.header("content-type"), Some("text/event-stream"));
    // Replay starts right after the cursor: events 3 and 4 again, then more.
    let first = resumed.next_event().await.unwrap();
    assert_eq!(first, seen[2]);
    let second = resumed.next_event().await.unwrap();
    assert_eq!(second, seen[3]);
    let third = resumed.next_event().await.unwrap();
    assert_eq!(cursor_n(&third, &sid), cursor_n(&seen[3], &sid) + 1);
    assert_eq!(third["type"], "text-delta");
    // Without a cursor the whole run is replayed.
    let mut all = emu
        .stream
        .sse(
            "GET",
            &format!("/api/v1/sessions/{sid}?stream=true"),
            ADA,
            None,
        )
        .await;
    assert_eq!(all.next_event().await.unwrap(), seen[0]);
    drop(all);
    emu.api
        .post(&format!("/api/v1/sessions/{sid}/cancel"), ADA, "{}")
        .await;
    let rest = resumed.rest().await;
    assert_eq!(rest.last().unwrap()["final"], true);
}

#[tokio::test]
async fn resume_after_the_end_is_not_resumable() {
    let emu = emu().await;
    let mut sse = emu
        .stream
        .sse(
            "POST",
            "/api/v1/agents/agent_pro/sessions",
            ADA,
            Some(r#"{"input":"short","stream":true}"#),
        )
        .await;
    let events = sse.rest().await;
    let sid = events[0]["interaction_id"].as_str().unwrap().to_string();
    let c = events[2]["stream_cursor"].as_str().unwrap();
    let mut resumed = emu
        .stream
        .sse(
            "GET",
            &format!("/api/v1/sessions/{sid}?stream=true&last_cursor={c}"),
            ADA,
            None,
        )
        .await;
    assert_eq!(resumed.status, 200);
    let rest = resumed.rest().await;
    assert_eq!(rest.len(), 1, "{rest:?}");
    assert_eq!(rest[0]["type"], "finish");
    assert_eq!(rest[0]["finishReason"], "not_resumable");
    assert_eq!(rest[0]["final"], true);
    assert!(resumed.complete);
    // An idle stub has nothing to resume either.
    let (_, idle) = create(&emu.api, "agent_pro", ADA, "{}").await;
    let idle_id = idle["session"]["id"].as_str().unwrap();
    let mut r = emu
        .stream
        .sse(
            "GET",
            &format!("/api/v1/sessions/{idle_id}?stream=true&last_cursor={idle_id}:1"),
            ADA,
            None,
        )
        .await;
    assert_eq!(r.rest().await[0]["finishReason"], "not_resumable");
}

#[tokio::test]
async fn resume_errors() {
    let emu = emu().await;
    let (_, env) = create(&emu.api, "agent_pro", ADA, "{}").await;
    let sid = env["session"]["id"].as_str().unwrap();
    let resp = emu
        .api
        .get(
            &format!("/api/v1/sessions/{sid}?stream=true&last_cursor={sid}:1"),
            ADA,
        )
        .await;
    assert_error(&resp, 400, "use_streaming_host", "invalid_request_error");
    for bad in ["other:1", "nonsense", "x:y"] {
        let resp = emu
            .stream
            .get(
                &format!("/api/v1/sessions/{sid}?stream=true&last_cursor={bad}"),
                ADA,
            )
            .await;
        let err = assert_error(&resp, 400, "invalid_request", "invalid_request_error");
        assert_eq!(err["param"], "last_cursor");
    }
    let resp = emu
        .stream
        .get("/api/v1/sessions/nope?stream=true&last_cursor=nope:1", ADA)
        .await;
    assert_error(&resp, 404, "session_not_found", "not_found_error");
}

#[tokio::test]
async fn keep_alive_pings_on_quiet_streams() {
    let emu = emu_with(fixtures(r#"{"keepalive_ms": 50}"#)).await;
    let mut sse = emu
        .stream
        .sse(
            "POST",
            "/api/v1/agents/agent_pro/sessions",
            ADA,
            Some(r#"{"input":"[slow:600000] [words:1]","stream":true}"#),
        )
        .await;
    let ready = sse.next_event().await.unwrap();
    let sid = ready["interaction_id"].as_str().unwrap().to_string();
    let mut pings = 0;
    while pings < 2 {
        match sse.next().await.unwrap() {
            Frame::Comment(c) => {
                assert_eq!(c, "ping");
                pings += 1;
            }
            Frame::Event(ev) => assert_ne!(ev["type"], "finish"),
        }
    }
    assert!(String::from_utf8_lossy(&sse.body).contains("\n\n: ping\n\n"));
    emu.api
        .post(&format!("/api/v1/sessions/{sid}/cancel"), ADA, "{}")
        .await;
    sse.rest().await;
}

#[tokio::test]
async fn queued_stream_waits_for_its_slot() {
    let emu = emu_with(fixtures(r#"{"keepalive_ms": 50}"#)).await;
    let mut holders = Vec::new();
    for _ in 0..2 {
        let (_, env) = create(
            &emu.api,
            "agent_ent_small",
            ADA,
            r#"{"input":"[slow:600000]"}"#,
        )
        .await;
        holders.push(env["session"]["id"].as_str().unwrap().to_string());
    }
    let mut sse = emu
        .stream
        .sse(
            "POST",
            "/api/v1/agents/agent_ent_small/sessions",
            ADA,
            Some(r#"{"input":"waiting","stream":true}"#),
        )
        .await;
    let ready = sse.next_event().await.unwrap();
    assert_eq!(ready["type"], "interaction-ready");
    let sid = ready["interaction_id"].as_str().unwrap().to_string();
    // Only pings while queued.
    assert_eq!(sse.next().await.unwrap(), Frame::Comment("ping".into()));
    let env = emu
        .api
        .get(&format!("/api/v1/sessions/{sid}"), ADA)
        .await
        .json();
    assert_eq!(env["session"]["state"], "queued");
    emu.api
        .post(
            &format!("/api/v1/sessions/{}/cancel", holders[0]),
            ADA,
            "{}",
        )
        .await;
    let events = sse.rest().await;
    let text: String = events
        .iter()
        .filter(|e| e["type"] == "text-delta")
        .map(|e| e["delta"].as_str().unwrap())
        .collect();
    assert_eq!(text, "Echo: waiting");
    assert_eq!(events.last().unwrap()["finishReason"], "stop");
    emu.api
        .post(
            &format!("/api/v1/sessions/{}/cancel", holders[1]),
            ADA,
            "{}",
        )
        .await;
}

#[tokio::test]
async fn approval_responses_resume_over_the_stream_host() {
    let emu = emu().await;
    let (_, env) = create(&emu.api, "agent_pro", ADA, r#"{"input":"buy [approval]"}"#).await;
    let sid = env["session"]["id"].as_str().unwrap().to_string();
    let env = wait_state(&emu.api, &sid, ADA, &["approval_required"]).await;
    let areq = env["session"]["pending_approvals"][0]["action_request_id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = serde_json::json!({
        "stream": true,
        "approval_responses": [{"action_request_id": areq, "action": "accept"}],
    })
    .to_string();
    let path = format!("/api/v1/sessions/{sid}/messages");
    let mut sse = emu.stream.sse("POST", &path, ADA, Some(&body)).await;
    assert_eq!(sse.status, 200);
    let events = sse.rest().await;
    assert_eq!(events.last().unwrap()["finishReason"], "stop");
    let env = wait_state(&emu.api, &sid, ADA, &["completed"]).await;
    assert_eq!(env["session"]["pending_approvals"], serde_json::json!([]));
    // Nothing is pending any more: 409.
    let resp = emu.stream.post(&path, ADA, &body).await;
    assert_error(
        &resp,
        409,
        "session_not_awaiting_approval",
        "invalid_request_error",
    );
}
