//! `GET` / `PUT /sessions/{id}/access`.

mod common;

use common::*;
use serde_json::{json, Value};

fn apath(sid: &str) -> String {
    format!("/api/v1/sessions/{sid}/access")
}

async fn put(emu: &Emu, sid: &str, body: Value) -> Resp {
    emu.api
        .request("PUT", &apath(sid), ADA, Some(&body.to_string()))
        .await
}

async fn access(emu: &Emu, sid: &str) -> Value {
    let resp = emu.api.get(&apath(sid), ADA).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    resp.json()["access"].clone()
}

#[tokio::test]
async fn a_new_session_is_private_to_its_creator() {
    let emu = emu().await;
    let sid = idle_session(&emu).await;
    assert_eq!(
        access(&emu, &sid).await,
        json!({"grants_visibility": "private",
               "people": [{"email": "ada@example.com", "name": "Ada Lovelace", "role": "owner"}],
               "teams": [], "organization_access": null, "link": "none", "link_role": null,
               "password_protected": false, "hidden_by_role": null})
    );
}

#[tokio::test]
async fn share_remove_and_link_change_the_document_and_notify_new_people() {
    let emu = emu().await;
    let sid = idle_session(&emu).await;
    let resp = put(
        &emu,
        &sid,
        json!({"share": [
        {"type": "person", "email": "BOB@example.com", "role": "editor"},
        {"type": "person", "email": "new@example.org", "role": "viewer"},
        {"type": "team", "team_id": "team_pro", "role": "editor"}]}),
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let body = resp.json();
    assert_eq!(
        body["notified"],
        json!(["bob@example.com", "new@example.org"])
    );
    let a = &body["access"];
    assert_eq!(a["grants_visibility"], "shared");
    assert_eq!(
        a["people"][1],
        json!({"email": "bob@example.com", "name": "Bob Builder", "role": "editor"})
    );
    assert_eq!(
        a["people"][2],
        json!({"email": "new@example.org", "name": null, "role": "viewer"})
    );
    assert_eq!(
        a["teams"],
        json!([{"team_id": "team_pro", "role": "editor"}])
    );
    assert_eq!(access(&emu, &sid).await, body["access"]);
    // Sharing again changes the role and notifies nobody.
    let resp = put(
        &emu,
        &sid,
        json!({"share": [{"type": "person", "email": "bob@example.com", "role": "viewer"},
        {"type": "organization", "role": "viewer"}]}),
    )
    .await;
    let body = resp.json();
    assert_eq!(body["notified"], json!([]));
    assert_eq!(body["access"]["people"][1]["role"], "viewer");
    assert_eq!(
        body["access"]["organization_access"],
        json!({"role": "viewer"})
    );
    assert_eq!(body["access"]["grants_visibility"], "organization");
    // Links.
    let body = put(&emu, &sid, json!({"link": {"mode": "anyone"}}))
        .await
        .json();
    let a = &body["access"];
    assert_eq!(
        (
            a["link"].clone(),
            a["link_role"].clone(),
            a["password_protected"].clone()
        ),
        (json!("anyone"), json!("viewer"), json!(false))
    );
    assert_eq!(a["grants_visibility"], "public");
    let body = put(
        &emu,
        &sid,
        json!({"link": {"mode": "password", "role": "editor"}}),
    )
    .await
    .json();
    let a = &body["access"];
    assert_eq!(
        (
            a["link"].clone(),
            a["link_role"].clone(),
            a["password_protected"].clone()
        ),
        (json!("password"), json!("editor"), json!(true))
    );
    // Removals, and the link off: back to private.
    let body = put(&emu, &sid, json!({"remove": [
        {"type": "person", "email": "bob@example.com"}, {"type": "person", "email": "new@example.org"},
        {"type": "team", "team_id": "team_pro"}, {"type": "organization"},
        {"type": "person", "email": "never@shared.example"}],
        "link": {"mode": "none"}})).await.json();
    assert_eq!(body["access"], access(&emu, &sid).await);
    assert_eq!(body["access"]["grants_visibility"], "private");
    assert_eq!(body["access"]["people"].as_array().unwrap().len(), 1);
    assert_eq!(body["access"]["link_role"], Value::Null);
}

#[tokio::test]
async fn bad_access_changes_are_refused_and_change_nothing() {
    let emu = emu().await;
    let sid = idle_session(&emu).await;
    let before = access(&emu, &sid).await;
    let ok = json!({"type": "person", "email": "bob@example.com", "role": "viewer"});
    let cases = [
        (json!({}), "share"),
        (json!({"share": []}), "share"),
        (json!({"share": "bob"}), "share"),
        (json!({"share": [ok, "x"]}), "share[1]"),
        (
            json!({"share": [{"type": "group", "role": "viewer"}]}),
            "share[0].type",
        ),
        (
            json!({"share": [{"type": "person", "email": "bob@example.com", "role": "admin"}]}),
            "share[0].role",
        ),
        (
            json!({"share": [{"type": "person", "email": "bob@example.com"}]}),
            "share[0].role",
        ),
        (
            json!({"share": [{"type": "person", "email": "nobody", "role": "viewer"}]}),
            "share[0].email",
        ),
        (
            json!({"share": [{"type": "team", "team_id": "team_nope", "role": "viewer"}]}),
            "share[0].team_id",
        ),
        (
            json!({"share": [ok], "remove": [{"type": "team"}]}),
            "remove[0].team_id",
        ),
        (
            json!({"remove": [{"type": "person", "email": "ada@example.com"}]}),
            "remove[0].email",
        ),
        (
            json!({"share": [{"type": "person", "email": "ada@example.com", "role": "viewer"}]}),
            "share[0].email",
        ),
        (json!({"link": {"mode": "public"}}), "link.mode"),
        (
            json!({"link": {"mode": "anyone", "role": "boss"}}),
            "link.role",
        ),
        (json!({"link": "anyone"}), "link"),
        (json!({"share": [ok], "notify": true}), "notify"),
    ];
    for (body, param) in cases {
        let resp = put(&emu, &sid, body.clone()).await;
        let err = assert_error(&resp, 400, "invalid_request", "invalid_request_error");
        assert_eq!(err["param"], param, "{body}");
    }
    assert_eq!(access(&emu, &sid).await, before);
    let body = json!({"share": [ok]}).to_string();
    let path = apath(&sid);
    assert_error(
        &emu.api.request("PUT", &path, &[], Some(&body)).await,
        401,
        "missing_credentials",
        "authentication_error",
    );
    assert_error(
        &emu.api.request("PUT", &path, BOB, Some(&body)).await,
        403,
        "permission_denied",
        "permission_error",
    );
    assert_error(
        &emu.api.get(&path, BOB).await,
        403,
        "permission_denied",
        "permission_error",
    );
    assert_error(
        &emu.api.get(&apath("sess_missing"), ADA).await,
        404,
        "session_not_found",
        "not_found_error",
    );
    assert_error(
        &emu.api.post(&path, ADA, &body).await,
        405,
        "method_not_allowed",
        "invalid_request_error",
    );
    // A faulted PUT changes nothing either, and is logged.
    arm(
        &emu,
        r#"{"method":"PUT","path":"/api/v1/sessions/*/access","status":503}"#,
    )
    .await;
    assert_error(
        &emu.api.request("PUT", &path, ADA, Some(&body)).await,
        503,
        "emulated_fault",
        "api_error",
    );
    assert_eq!(access(&emu, &sid).await, before);
    let log = admin_get(&emu, "/requests").await;
    let faulted: Vec<_> = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["fault"] == "status_503")
        .collect();
    assert_eq!(faulted.len(), 1);
    assert_eq!(faulted[0]["method"], "PUT");
}
