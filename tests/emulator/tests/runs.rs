//! Runs: outcomes steered by markers, and the plans' concurrency limits (429 on free and
//! pro, `queued` on enterprise, slots handed on when runs end).

mod common;

use common::*;

async fn start_run(emu: &Emu, agent: &str, input: &str) -> (u16, serde_json::Value) {
    let body = serde_json::json!({ "input": input }).to_string();
    create(&emu.api, agent, ADA, &body).await
}

fn sid(env: &serde_json::Value) -> String {
    env["session"]["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn markers_steer_the_outcome() {
    let emu = emu().await;
    let (_, ok) = start_run(&emu, "agent_pro", "plain question").await;
    let (_, fail) = start_run(&emu, "agent_pro", "please [fail]").await;
    let (_, appr) = start_run(&emu, "agent_pro", "buy it [approval]").await;
    let (_, words) = start_run(&emu, "agent_pro", "[words:7] count").await;

    let env = wait_state(&emu.api, &sid(&ok), ADA, &["completed"]).await;
    let msgs = env["session"]["messages"].as_array().unwrap();
    assert_eq!(msgs[1]["content"], "Echo: plain question");
    assert_eq!(msgs[1]["parts"][0]["text"], "Echo: plain question");
    assert_eq!(env["session"]["usage"]["output_tokens"], 3);

    let env = wait_state(&emu.api, &sid(&fail), ADA, &["failed", "completed"]).await;
    assert_eq!(env["session"]["state"], "failed");

    let env = wait_state(
        &emu.api,
        &sid(&appr),
        ADA,
        &["approval_required", "completed"],
    )
    .await;
    assert_eq!(env["session"]["state"], "approval_required");
    let pending = env["session"]["pending_approvals"].as_array().unwrap();
    assert_eq!(pending.len(), 1);
    for f in [
        "action_request_id",
        "type",
        "title",
        "tool_name",
        "display_fields",
        "questions",
    ] {
        assert!(pending[0].get(f).is_some(), "approval lacks {f}: {env}");
    }
    // A new message on approval_required starts a new turn.
    let id = sid(&appr);
    let resp = emu
        .api
        .post(
            &format!("/api/v1/sessions/{id}/messages"),
            ADA,
            r#"{"input":"go on"}"#,
        )
        .await;
    assert_eq!(resp.status, 202, "{}", resp.text());
    assert_eq!(resp.json()["session"]["state"], "processing");
    let env = wait_state(&emu.api, &id, ADA, &["completed"]).await;
    assert_eq!(env["session"]["pending_approvals"], serde_json::json!([]));

    let env = wait_state(&emu.api, &sid(&words), ADA, &["completed"]).await;
    let answer = env["session"]["messages"][1]["content"].as_str().unwrap();
    assert_eq!(answer.split(' ').count(), 7, "{answer}");
}

#[tokio::test]
async fn per_agent_run_delay_from_fixtures() {
    // A huge per-agent delay keeps agent_free's runs processing; agent_pro's default is
    // left alone.
    let emu = emu_with(fixtures(
        r#"{"agents": {"agent_free": {"name": "Slow", "team_id": "team_free",
            "creator_user_id": "user_ada", "run_delay_ms": 600000}}}"#,
    ))
    .await;
    let (_, slow) = start_run(&emu, "agent_free", "x").await;
    let (_, fast) = start_run(&emu, "agent_pro", "x").await;
    wait_state(&emu.api, &sid(&fast), ADA, &["completed"]).await;
    let env = emu
        .api
        .get(&format!("/api/v1/sessions/{}", sid(&slow)), ADA)
        .await
        .json();
    assert_eq!(env["session"]["state"], "processing");
    assert_eq!(env["session"]["agent_name"], "Slow");
}

#[tokio::test]
async fn pro_and_free_over_the_limit_get_429_with_retry_after() {
    let emu = emu().await;
    for (agent, limit) in [("agent_pro_small", 2), ("agent_free", 5)] {
        let mut running = Vec::new();
        for _ in 0..limit {
            let (status, env) = start_run(&emu, agent, "hold [slow:600000]").await;
            assert_eq!(status, 202);
            running.push(sid(&env));
        }
        let before = admin_get(&emu, "/stats").await["sessions"]["total"].clone();
        let resp = emu
            .api
            .post(
                &format!("/api/v1/agents/{agent}/sessions"),
                ADA,
                r#"{"input":"one too many"}"#,
            )
            .await;
        let err = assert_error(&resp, 429, "concurrency_limit_exceeded", "rate_limit_error");
        assert_eq!(resp.header("retry-after"), Some("1"));
        assert_eq!(err["details"]["limit"], limit);
        // Nothing was created.
        assert_eq!(admin_get(&emu, "/stats").await["sessions"]["total"], before);
        // Idle stubs do not count against the limit.
        let (status, idle) = create(&emu.api, agent, ADA, "{}").await;
        assert_eq!(status, 201);
        // A send over the limit is refused too, and leaves the session unchanged.
        let idle_id = sid(&idle);
        let resp = emu
            .api
            .post(
                &format!("/api/v1/sessions/{idle_id}/messages"),
                ADA,
                r#"{"input":"x"}"#,
            )
            .await;
        assert_error(&resp, 429, "concurrency_limit_exceeded", "rate_limit_error");
        let env = emu
            .api
            .get(&format!("/api/v1/sessions/{idle_id}"), ADA)
            .await
            .json();
        assert_eq!(env["session"]["state"], "idle");
        assert_eq!(env["session"]["messages"], serde_json::json!([]));
        // Cancelling one frees a slot.
        emu.api
            .post(
                &format!("/api/v1/sessions/{}/cancel", running[0]),
                ADA,
                "{}",
            )
            .await;
        let (status, env) = start_run(&emu, agent, "now it fits [slow:600000]").await;
        assert_eq!(status, 202);
        running[0] = sid(&env);
        for id in running {
            emu.api
                .post(&format!("/api/v1/sessions/{id}/cancel"), ADA, "{}")
                .await;
        }
    }
}

#[tokio::test]
async fn enterprise_over_the_limit_queues_and_starts_when_slots_free() {
    let emu = emu().await;
    let (_, a) = start_run(&emu, "agent_ent_small", "a [slow:600000]").await;
    let (_, b) = start_run(&emu, "agent_ent_small", "b [slow:600000]").await;
    assert_eq!(a["session"]["state"], "processing");
    assert_eq!(b["session"]["state"], "processing");
    let (status, c) = start_run(&emu, "agent_ent_small", "c [slow:600000]").await;
    assert_eq!(status, 202);
    assert_eq!(c["session"]["state"], "queued");
    assert_eq!(c["queue_position"], 1);
    let (_, d) = start_run(&emu, "agent_ent_small", "d").await;
    assert_eq!(d["session"]["state"], "queued");
    assert_eq!(d["queue_position"], 2);
    // Retrieve reports the position too; a queued session refuses sends.
    let env = emu
        .api
        .get(&format!("/api/v1/sessions/{}", sid(&d)), ADA)
        .await
        .json();
    assert_eq!(env["queue_position"], 2);
    let resp = emu
        .api
        .post(
            &format!("/api/v1/sessions/{}/messages", sid(&d)),
            ADA,
            r#"{"input":"x"}"#,
        )
        .await;
    assert_error(
        &resp,
        409,
        "interaction_not_in_terminal_state",
        "invalid_request_error",
    );

    // Cancelling a running session starts the first queued one.
    emu.api
        .post(&format!("/api/v1/sessions/{}/cancel", sid(&a)), ADA, "{}")
        .await;
    let env = emu
        .api
        .get(&format!("/api/v1/sessions/{}", sid(&c)), ADA)
        .await
        .json();
    assert_eq!(env["session"]["state"], "processing");
    assert!(env["queue_position"].is_null());
    let env = emu
        .api
        .get(&format!("/api/v1/sessions/{}", sid(&d)), ADA)
        .await
        .json();
    assert_eq!(env["queue_position"], 1);

    // Cancelling a queued session takes it out of the queue.
    let (_, e) = start_run(&emu, "agent_ent_small", "e").await;
    assert_eq!(e["queue_position"], 2);
    let resp = emu
        .api
        .post(&format!("/api/v1/sessions/{}/cancel", sid(&e)), ADA, "{}")
        .await;
    assert_eq!(resp.json()["session"]["state"], "failed");

    // A run that ends by itself hands its slot on: b is cancelled, d (short) runs and
    // completes.
    emu.api
        .post(&format!("/api/v1/sessions/{}/cancel", sid(&b)), ADA, "{}")
        .await;
    let env = wait_state(&emu.api, &sid(&d), ADA, &["completed"]).await;
    assert_eq!(env["session"]["messages"][1]["content"], "Echo: d");
    emu.api
        .post(&format!("/api/v1/sessions/{}/cancel", sid(&c)), ADA, "{}")
        .await;
}

#[tokio::test]
async fn finished_runs_free_their_slots_for_queued_sessions() {
    let emu = emu().await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let (status, env) = start_run(&emu, "agent_ent_small", &format!("r{i} [slow:50]")).await;
        assert_eq!(status, 202);
        ids.push(sid(&env));
    }
    for id in &ids {
        let env = wait_state(&emu.api, id, ADA, &["completed", "failed"]).await;
        assert_eq!(env["session"]["state"], "completed");
    }
    let stats = admin_get(&emu, "/stats").await;
    assert_eq!(stats["sessions"]["by_state"]["completed"], 5);
}
