//! Artifacts (`[artifact:NAME]`, `[artifact:NAME:BYTES]`): listing, download URLs, and the
//! storage host that serves the bytes only at signed URLs and only without credentials
//!.

mod common;

use common::*;
use serde_json::{json, Value};

/// Runs `input` on agent_pro to completion; returns the session id.
async fn made(emu: &Emu, input: &str) -> String {
    let sid = run_session(emu, "agent_pro", input).await;
    wait_state(
        &emu.api,
        &sid,
        ADA,
        &["completed", "failed", "approval_required"],
    )
    .await;
    sid
}

async fn list(emu: &Emu, query: &str) -> Value {
    let resp = emu
        .api
        .get(&format!("/api/v1/agents/agent_pro/artifacts{query}"), ADA)
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    resp.json()
}

fn names(body: &Value) -> Vec<String> {
    body["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["filename"].as_str().unwrap().to_string())
        .collect()
}

async fn download(emu: &Emu, id: &str) -> Value {
    let resp = emu
        .api
        .get(&format!("/api/v1/artifacts/{id}/download"), ADA)
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    resp.json()
}

/// The path and query of a storage URL (the client connects to the storage listener).
fn local(url: &str, emu: &Emu) -> String {
    url.strip_prefix(&emu.running.storage_url)
        .unwrap_or_else(|| panic!("{url} is not on the storage host"))
        .to_string()
}

#[tokio::test]
async fn a_completed_run_leaves_its_artifacts_listed_newest_first() {
    let emu = emu().await;
    let sid = made(
        &emu,
        "make [artifact:report.txt] [artifact:data.bin:1000] please",
    )
    .await;
    let env = emu
        .api
        .get(&format!("/api/v1/sessions/{sid}"), ADA)
        .await
        .json();
    assert_eq!(last_message(&env)["content"], "Echo: make please");
    let body = list(&emu, "").await;
    assert_eq!(names(&body), ["data.bin", "report.txt"]);
    assert_eq!(body["next_cursor"], Value::Null);
    let a = &body["artifacts"][1];
    assert!(a["id"].as_str().unwrap().starts_with("art_"));
    assert!(a["version_id"].as_str().unwrap().starts_with("artv_"));
    assert_eq!(a["major_version"], 1);
    assert_eq!(a["agent_id"], "agent_pro");
    assert_eq!(a["session_id"], sid.as_str());
    assert_eq!(a["metadata"], json!({}));
    assert_eq!(a["url"], Value::Null);
    assert_eq!(a["creator"]["id"], "user_ada");
    assert!(a["created_at"].is_string());
    // Failed and paused runs leave none.
    made(&emu, "[fail] [artifact:lost.txt]").await;
    made(&emu, "[approval] [artifact:later.txt]").await;
    assert_eq!(names(&list(&emu, "").await), ["data.bin", "report.txt"]);
}

#[tokio::test]
async fn the_download_url_serves_the_derived_bytes_without_credentials() {
    let emu = emu().await;
    let sid = made(
        &emu,
        "[artifact:report.txt] [artifact:data.bin:1000] [artifact:../../evil \"x\".sh]",
    )
    .await;
    let body = list(&emu, "?sort_order=oldest").await;
    let ids: Vec<String> = body["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();

    let d = download(&emu, &ids[0]).await;
    let expected = format!("Artifact report.txt of session {sid}\n");
    assert_eq!(
        (
            d["filename"].clone(),
            d["media_type"].clone(),
            d["size"].clone()
        ),
        (
            json!("report.txt"),
            json!("text/plain"),
            json!(expected.len())
        )
    );
    let url = d["download_url"].as_str().unwrap();
    assert!(
        url.contains("expires=") && url.contains("signature="),
        "{url}"
    );
    let resp = emu.storage.get(&local(url, &emu), &[]).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.text(), expected);
    assert_eq!(resp.header("content-type"), Some("text/plain"));
    assert_eq!(
        resp.header("content-disposition"),
        Some("attachment; filename=\"report.txt\"; filename*=UTF-8''report%2Etxt")
    );

    let d = download(&emu, &ids[1]).await;
    assert_eq!(
        (d["media_type"].clone(), d["size"].clone()),
        (json!("application/octet-stream"), json!(1000))
    );
    let resp = emu
        .storage
        .get(&local(d["download_url"].as_str().unwrap(), &emu), &[])
        .await;
    let unit = format!("{sid}/data.bin\n");
    let want: Vec<u8> = unit.bytes().cycle().take(1000).collect();
    assert_eq!(resp.body, want);

    // A hostile name is kept as given; the header quotes it safely.
    let d = download(&emu, &ids[2]).await;
    assert_eq!(d["filename"], "../../evil \"x\".sh");
    let resp = emu
        .storage
        .get(&local(d["download_url"].as_str().unwrap(), &emu), &[])
        .await;
    assert_eq!(resp.status, 200);
    assert!(resp
        .header("content-disposition")
        .unwrap()
        .starts_with("attachment; filename=\"../../evil _x_.sh\"; "));
    // A matching version_id is fine.
    let version = body["artifacts"][0]["version_id"].as_str().unwrap();
    let resp = emu
        .api
        .get(
            &format!("/api/v1/artifacts/{}/download?version_id={version}", ids[0]),
            ADA,
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
}

#[tokio::test]
async fn the_storage_host_refuses_credentials_and_bad_signatures() {
    let emu = emu().await;
    made(&emu, "[artifact:a.txt] [artifact:b.txt]").await;
    let body = list(&emu, "?sort_order=oldest").await;
    let a = download(&emu, body["artifacts"][0]["id"].as_str().unwrap()).await;
    let b = download(&emu, body["artifacts"][1]["id"].as_str().unwrap()).await;
    let a_path = local(a["download_url"].as_str().unwrap(), &emu);
    let b_path = local(b["download_url"].as_str().unwrap(), &emu);
    emu.api
        .request("DELETE", "/_emulator/requests", &[], None)
        .await;
    for (auth, header) in [
        (
            &[("authorization", "Bearer gk_personal_ada")][..],
            "authorization",
        ),
        (&[("x-auth-key", "user_ada")][..], "x-auth-key"),
        (ADA, "authorization"),
    ] {
        let resp = emu.storage.get(&a_path, auth).await;
        let err = assert_error(&resp, 403, "credentials_not_accepted", "permission_error");
        assert_eq!(err["details"]["header"], header);
    }
    // The refusals are logged, with the header that was refused.
    let log = admin_get(&emu, "/requests").await;
    let entries = log["requests"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert!(entries.iter().all(|e| e["listener"] == "storage"));
    assert_eq!(
        entries[0]["headers"]["authorization"],
        "Bearer gk_personal_ada"
    );

    let (a_base, a_query) = a_path.split_once('?').unwrap();
    let (_, b_query) = b_path.split_once('?').unwrap();
    let tampered = {
        let (head, sig) = a_query.rsplit_once("signature=").unwrap();
        let (first, rest) = sig.split_at(1);
        let flipped = format!("{}{rest}", if first == "0" { "1" } else { "0" });
        format!("{a_base}?{head}signature={flipped}")
    };
    for path in [
        tampered,
        a_base.to_string(),
        format!("{a_base}?{b_query}"),
        format!("{a_base}?expires=1&signature=00"),
        format!("{a_base}?{}", a_query.replace("expires=", "expires=9")),
    ] {
        let resp = emu.storage.get(&path, &[]).await;
        assert_error(&resp, 403, "signature_invalid", "permission_error");
    }
    assert_error(
        &emu.storage.post(&a_path, &[], "{}").await,
        405,
        "method_not_allowed",
        "invalid_request_error",
    );
    assert_error(
        &emu.storage.get("/api/v1/agents", &[]).await,
        404,
        "not_found",
        "not_found_error",
    );
    // The untouched URL still works.
    assert_eq!(emu.storage.get(&a_path, &[]).await.status, 200);
    let stats = admin_get(&emu, "/stats").await;
    assert_eq!(stats["requests"]["storage"], 11);
}

#[tokio::test]
async fn expired_urls_are_refused() {
    let emu = emu_with(fixtures(r#"{"artifact_url_ttl_ms": 0}"#)).await;
    made(&emu, "[artifact:a.txt]").await;
    let id = list(&emu, "").await["artifacts"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let url = download(&emu, &id).await["download_url"]
        .as_str()
        .unwrap()
        .to_string();
    let expires: u64 = url
        .split("expires=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // Wait until the clock has passed the expiry (a millisecond or two).
    while std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
        <= expires
    {
        tokio::task::yield_now().await;
    }
    let resp = emu.storage.get(&local(&url, &emu), &[]).await;
    let err = assert_error(&resp, 403, "url_expired", "permission_error");
    assert_eq!(err["details"]["expired_at_ms"], expires);
}

#[tokio::test]
async fn listings_filter_sort_and_page() {
    let emu = emu().await;
    let one = made(&emu, "[artifact:alpha.txt] [artifact:beta.csv]").await;
    let two = made(&emu, "[artifact:gamma.txt]").await;
    assert_eq!(
        names(&list(&emu, "").await),
        ["gamma.txt", "beta.csv", "alpha.txt"]
    );
    assert_eq!(
        names(&list(&emu, "?sort_order=oldest").await),
        ["alpha.txt", "beta.csv", "gamma.txt"]
    );
    assert_eq!(
        names(&list(&emu, &format!("?session_id={one}")).await),
        ["beta.csv", "alpha.txt"]
    );
    assert_eq!(
        names(&list(&emu, &format!("?session_id={two}")).await),
        ["gamma.txt"]
    );
    assert_eq!(
        names(&list(&emu, "?session_id=sess_other").await),
        Vec::<String>::new()
    );
    assert_eq!(
        names(&list(&emu, "?search_query=TXT").await),
        ["gamma.txt", "alpha.txt"]
    );
    // Other agents have none.
    let resp = emu
        .api
        .get("/api/v1/agents/agent_free/artifacts", ADA)
        .await;
    assert_eq!(resp.json()["artifacts"], json!([]));
    for order in ["newest", "oldest"] {
        let mut seen = Vec::new();
        let mut query = format!("?page_size=1&sort_order={order}");
        loop {
            let body = list(&emu, &query).await;
            seen.extend(names(&body));
            match body["next_cursor"].as_str() {
                Some(c) => query = format!("?page_size=1&sort_order={order}&cursor={c}"),
                None => break,
            }
        }
        assert_eq!(
            seen,
            names(&list(&emu, &format!("?sort_order={order}")).await)
        );
    }
    let newest_cursor = list(&emu, "?page_size=1").await["next_cursor"]
        .as_str()
        .unwrap()
        .to_string();
    for (query, param) in [
        ("?sort_order=biggest".to_string(), "sort_order"),
        ("?page_size=0".to_string(), "page_size"),
        ("?cursor=zz".to_string(), "cursor"),
        (
            format!("?sort_order=oldest&cursor={newest_cursor}"),
            "cursor",
        ),
    ] {
        let resp = emu
            .api
            .get(&format!("/api/v1/agents/agent_pro/artifacts{query}"), ADA)
            .await;
        let err = assert_error(&resp, 400, "invalid_request", "invalid_request_error");
        assert_eq!(err["param"], param, "{query}");
    }
    assert_error(
        &emu.api
            .get("/api/v1/agents/agent_nope/artifacts", ADA)
            .await,
        404,
        "agent_not_found",
        "not_found_error",
    );
    assert_error(
        &emu.api.get("/api/v1/agents/agent_pro/artifacts", BOB).await,
        403,
        "permission_denied",
        "permission_error",
    );
    assert_error(
        &emu.api.get("/api/v1/agents/agent_pro/artifacts", &[]).await,
        401,
        "missing_credentials",
        "authentication_error",
    );
    assert_error(
        &emu.api
            .post("/api/v1/agents/agent_pro/artifacts", ADA, "{}")
            .await,
        405,
        "method_not_allowed",
        "invalid_request_error",
    );
}

#[tokio::test]
async fn download_errors_and_faults() {
    let emu = emu().await;
    made(&emu, "[artifact:a.txt:64]").await;
    let id = list(&emu, "").await["artifacts"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/v1/artifacts/{id}/download");
    assert_error(
        &emu.api
            .get("/api/v1/artifacts/art_nope/download", ADA)
            .await,
        404,
        "artifact_not_found",
        "not_found_error",
    );
    let err = assert_error(
        &emu.api
            .get(&format!("{path}?version_id=artv_nope"), ADA)
            .await,
        404,
        "artifact_version_not_found",
        "not_found_error",
    );
    assert_eq!(err["param"], "version_id");
    assert_error(
        &emu.api.get(&path, BOB).await,
        403,
        "permission_denied",
        "permission_error",
    );
    assert_error(
        &emu.api.get(&path, &[]).await,
        401,
        "missing_credentials",
        "authentication_error",
    );
    assert_error(
        &emu.api.post(&path, ADA, "{}").await,
        405,
        "method_not_allowed",
        "invalid_request_error",
    );
    // Faults reach the storage host too: a truncated body.
    let url = download(&emu, &id).await["download_url"]
        .as_str()
        .unwrap()
        .to_string();
    arm(
        &emu,
        r#"{"listener":"storage","path":"/artifacts/**","truncate":true}"#,
    )
    .await;
    let raw = emu
        .storage
        .raw(&encode("GET", &local(&url, &emu), &[], None, false))
        .await;
    let err = parse_response(&raw).unwrap_err();
    assert!(err.contains("cut short"), "{err}");
    let log = admin_get(&emu, "/requests").await;
    assert_eq!(
        log["requests"].as_array().unwrap().last().unwrap()["fault"],
        "truncate"
    );
    // A reset clears artifacts: the URL then names nothing.
    assert_eq!(emu.api.post("/_emulator/reset", &[], "").await.status, 200);
    assert_error(
        &emu.storage.get(&local(&url, &emu), &[]).await,
        404,
        "not_found",
        "not_found_error",
    );
}
