//! `POST /sessions/{id}/files` and `attachments` on create and send.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn upload_stores_a_sanitized_name_with_its_size_and_media_type() {
    let emu = emu().await;
    let sid = idle_session(&emu).await;
    let resp = upload(&emu, &sid, "../../secret dir/my notes.txt", b"hello world").await;
    assert_eq!(resp.status, 201, "{}", resp.text());
    let body = resp.json();
    assert_eq!(
        body,
        json!({"file_name": format!("sessions/{sid}/files/my_notes.txt"),
               "media_type": "text/plain", "size": 11})
    );
    // A media type given is kept; an unknown extension without one gives null.
    let path = format!("/api/v1/sessions/{sid}/files");
    let resp = emu
        .api
        .post(
            &path,
            ADA,
            r#"{"file_name":"data.bin","file_content":"AAEC","media_type":"application/x-demo"}"#,
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text());
    assert_eq!(resp.json()["media_type"], "application/x-demo");
    assert_eq!(resp.json()["size"], 3);
    let resp = emu
        .api
        .post(
            &path,
            ADA,
            r#"{"file_name":"blob.weird","file_content":"QQ"}"#,
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text());
    assert_eq!(resp.json()["media_type"], serde_json::Value::Null);
    assert_eq!(resp.json()["size"], 1);
    // An empty file is a file.
    let resp = upload(&emu, &sid, "empty.txt", b"").await;
    assert_eq!(resp.status, 201, "{}", resp.text());
    assert_eq!(resp.json()["size"], 0);
}

#[tokio::test]
async fn bad_uploads_are_refused_and_store_nothing() {
    let emu = emu().await;
    let sid = idle_session(&emu).await;
    let path = format!("/api/v1/sessions/{sid}/files");
    let cases = [
        (
            r#"{"file_content":"QQ=="}"#,
            "invalid_file_name",
            "file_name",
        ),
        (
            r#"{"file_name":7,"file_content":"QQ=="}"#,
            "invalid_file_name",
            "file_name",
        ),
        (
            r#"{"file_name":"a/b/","file_content":"QQ=="}"#,
            "invalid_file_name",
            "file_name",
        ),
        (
            r#"{"file_name":"..","file_content":"QQ=="}"#,
            "invalid_file_name",
            "file_name",
        ),
        (
            r#"{"file_name":"$%&","file_content":"QQ=="}"#,
            "invalid_file_name",
            "file_name",
        ),
        (
            r#"{"file_name":"a.txt"}"#,
            "invalid_file_content",
            "file_content",
        ),
        (
            r#"{"file_name":"a.txt","file_content":"@@@@"}"#,
            "invalid_file_content",
            "file_content",
        ),
        (
            r#"{"file_name":"a.txt","file_content":"QQ= ="}"#,
            "invalid_file_content",
            "file_content",
        ),
        (
            r#"{"file_name":"a.txt","file_content":["QQ"]}"#,
            "invalid_file_content",
            "file_content",
        ),
        (
            r#"{"file_name":"a.txt","file_content":"QQ","media_type":"text"}"#,
            "invalid_request",
            "media_type",
        ),
        (
            r#"{"file_name":"a.txt","file_content":"QQ","media_type":3}"#,
            "invalid_request",
            "media_type",
        ),
        ("[1]", "invalid_request", "body"),
    ];
    for (body, code, param) in cases {
        let resp = emu.api.post(&path, ADA, body).await;
        let err = assert_error(&resp, 400, code, "invalid_request_error");
        assert_eq!(err["param"], param, "{body}");
    }
    let resp = emu.api.post(&path, ADA, "{not json").await;
    assert_error(&resp, 400, "invalid_request", "invalid_request_error");
    // Credentials and the session are checked like everywhere else.
    let ok = r#"{"file_name":"a.txt","file_content":"QQ=="}"#;
    let resp = emu.api.post(&path, &[], ok).await;
    assert_error(&resp, 401, "missing_credentials", "authentication_error");
    let resp = emu.api.post(&path, BOB, ok).await;
    assert_error(&resp, 403, "permission_denied", "permission_error");
    let resp = emu
        .api
        .post("/api/v1/sessions/sess_missing/files", ADA, ok)
        .await;
    assert_error(&resp, 404, "session_not_found", "not_found_error");
    let resp = emu.api.get(&path, ADA).await;
    assert_error(&resp, 405, "method_not_allowed", "invalid_request_error");
    // None of the refused uploads left a file behind.
    let send = format!("/api/v1/sessions/{sid}/messages");
    let attach = json!({"input": "x", "attachments": [{"file_name": format!("sessions/{sid}/files/a.txt")}]});
    let resp = emu.api.post(&send, ADA, &attach.to_string()).await;
    assert_error(&resp, 400, "invalid_attachment", "invalid_request_error");
}

#[tokio::test]
async fn files_over_the_fixture_limit_are_413() {
    let emu = emu_with(fixtures(r#"{"max_file_bytes": 16}"#)).await;
    let sid = idle_session(&emu).await;
    let resp = upload(&emu, &sid, "ok.txt", &[b'x'; 16]).await;
    assert_eq!(resp.status, 201, "{}", resp.text());
    for size in [17usize, 1000] {
        let resp = upload(&emu, &sid, "big.txt", &vec![b'x'; size]).await;
        let err = assert_error(&resp, 413, "file_too_large", "invalid_request_error");
        assert_eq!(err["details"]["max_bytes"], 16);
        assert_eq!(err["details"]["size"], size);
    }
    let fx = admin_get(&emu, "/fixtures").await;
    assert_eq!(fx["max_file_bytes"], 16);
}

#[tokio::test]
async fn attachments_reach_the_run_and_its_answer() {
    let emu = emu().await;
    let sid = idle_session(&emu).await;
    let stored = upload(&emu, &sid, "notes.txt", b"hello world").await.json()["file_name"]
        .as_str()
        .unwrap()
        .to_string();
    let second = upload(&emu, &sid, "table.csv", b"a,b\n").await.json()["file_name"]
        .as_str()
        .unwrap()
        .to_string();
    let send = format!("/api/v1/sessions/{sid}/messages");
    let body = json!({"input": "summarise these", "attachments": [
        {"file_name": stored}, {"file_name": second, "media_type": "text/plain"}]});
    let resp = emu.api.post(&send, ADA, &body.to_string()).await;
    assert_eq!(resp.status, 202, "{}", resp.text());
    let env = wait_state(&emu.api, &sid, ADA, &["completed"]).await;
    let answer = last_message(&env)["content"].as_str().unwrap().to_string();
    assert_eq!(
        answer,
        "Echo: summarise these Attached files: notes.txt (11 bytes), table.csv (4 bytes)."
    );
    let user = &env["session"]["messages"][0];
    assert_eq!(user["role"], "user");
    assert_eq!(
        user["parts"][1],
        json!({"type": "file", "file_name": stored, "media_type": "text/plain", "size": 11})
    );
    assert_eq!(user["parts"][2]["media_type"], "text/plain");

    // A streamed send carries the same answer in its deltas.
    let body = json!({"input": "again", "stream": true, "attachments": [{"file_name": stored}]});
    let mut sse = emu
        .stream
        .sse("POST", &send, ADA, Some(&body.to_string()))
        .await;
    assert_eq!(sse.status, 200);
    let text: String = sse
        .rest()
        .await
        .iter()
        .filter(|e| e["type"] == "text-delta")
        .map(|e| e["delta"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(text, "Echo: again Attached files: notes.txt (11 bytes).");
}

#[tokio::test]
async fn attachments_name_only_this_sessions_files() {
    let emu = emu().await;
    let a = idle_session(&emu).await;
    let b = idle_session(&emu).await;
    let a_file = upload(&emu, &a, "notes.txt", b"hi").await.json()["file_name"]
        .as_str()
        .unwrap()
        .to_string();
    let send_b = format!("/api/v1/sessions/{b}/messages");
    for name in [
        a_file.clone(),
        format!("sessions/{b}/files/notes.txt"),
        "notes.txt".to_string(),
    ] {
        let body = json!({"input": "x", "attachments": [{"file_name": name}]});
        let resp = emu.api.post(&send_b, ADA, &body.to_string()).await;
        let err = assert_error(&resp, 400, "invalid_attachment", "invalid_request_error");
        assert_eq!(err["param"], "attachments[0].file_name");
        assert_eq!(err["details"]["file_name"], name);
    }
    let shapes = [
        (json!({"input": "x", "attachments": "notes"}), "attachments"),
        (
            json!({"input": "x", "attachments": ["notes"]}),
            "attachments[0]",
        ),
        (
            json!({"input": "x", "attachments": [{"file_name": ""}]}),
            "attachments[0].file_name",
        ),
        (
            json!({"input": "x", "attachments": [{"file_name": a_file, "media_type": 1}]}),
            "attachments[0].media_type",
        ),
        (
            json!({"input": "x", "attachments": vec![json!({"file_name": a_file}); 11]}),
            "attachments",
        ),
    ];
    let send_a = format!("/api/v1/sessions/{a}/messages");
    for (body, param) in shapes {
        let resp = emu.api.post(&send_a, ADA, &body.to_string()).await;
        let err = assert_error(&resp, 400, "invalid_request", "invalid_request_error");
        assert_eq!(err["param"], param, "{body}");
    }
    // Queued delivery takes no attachments.
    let body = json!({"input": "x", "delivery": "queued", "attachments": [{"file_name": a_file}]});
    let resp = emu.api.post(&send_a, ADA, &body.to_string()).await;
    let err = assert_error(&resp, 400, "invalid_request", "invalid_request_error");
    assert_eq!(err["param"], "delivery");
    // A new session has no files yet: attachments on create are refused.
    let body = json!({"input": "x", "attachments": [{"file_name": a_file}]});
    let (status, env) = create(&emu.api, "agent_pro", ADA, &body.to_string()).await;
    assert_eq!(status, 400, "{env}");
    assert_eq!(env["error"]["code"], "invalid_attachment");
    // Nothing ran on either session.
    for sid in [&a, &b] {
        let env = emu
            .api
            .get(&format!("/api/v1/sessions/{sid}"), ADA)
            .await
            .json();
        assert_eq!(env["session"]["state"], "idle");
        assert_eq!(env["session"]["messages"], json!([]));
    }
}

#[tokio::test]
async fn uploads_are_logged_and_faulted_like_other_requests() {
    let emu = emu().await;
    let sid = idle_session(&emu).await;
    arm(
        &emu,
        r#"{"method":"POST","path":"/api/v1/sessions/*/files","status":503,"retry_after":"2"}"#,
    )
    .await;
    let resp = upload(&emu, &sid, "notes.txt", b"hi").await;
    assert_error(&resp, 503, "emulated_fault", "api_error");
    assert_eq!(resp.header("retry-after"), Some("2"));
    // The fault stopped the upload: the file is not there.
    let body = json!({"input": "x", "attachments": [{"file_name": format!("sessions/{sid}/files/notes.txt")}]});
    let resp = emu
        .api
        .post(
            &format!("/api/v1/sessions/{sid}/messages"),
            ADA,
            &body.to_string(),
        )
        .await;
    assert_error(&resp, 400, "invalid_attachment", "invalid_request_error");
    let log = admin_get(&emu, "/requests").await;
    let uploads: Vec<_> = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"].as_str().unwrap().ends_with("/files"))
        .collect();
    assert_eq!(uploads.len(), 1);
    assert_eq!(uploads[0]["fault"], "status_503");
    assert!(uploads[0]["body"]
        .as_str()
        .unwrap()
        .contains("\"file_content\":\"aGk=\""));
}
