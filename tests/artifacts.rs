//! Artifacts through the Rust core, against the emulator and its storage host: listing by
//! agent and session, and downloads into memory and into files, without credentials on the
//! storage host and without the signed URL's query in any error.

mod common;

use common::*;
use gumloop::DownloadOptions;
use gumloop::ErrorKind;
use serde_json::{json, Value};
use std::path::PathBuf;

/// Runs `input` on agent_pro to completion; returns the session ID.
fn finished(client: &gumloop::Client, input: &str) -> String {
    let auth = gumloop::CallAuth::default();
    let body = json!({ "input": input }).to_string();
    let env = parse(&run(client.create_session("agent_pro", Some(&body), &auth, None)).unwrap());
    let sid = env["session"]["id"].as_str().unwrap().to_string();
    let done = parse(&run(client.wait_session(&sid, Default::default(), None)).unwrap());
    assert_eq!(done["session"]["state"], "completed");
    sid
}

/// The artifacts of `sid`, by file name.
fn artifacts(client: &gumloop::Client, sid: &str) -> Vec<Value> {
    let query = json!({ "session_id": sid }).to_string();
    parse(&run(client.list_artifacts("agent_pro", Some(&query), None)).unwrap())["artifacts"]
        .as_array()
        .unwrap()
        .clone()
}

fn id_of(items: &[Value], name: &str) -> String {
    items
        .iter()
        .find(|a| a["filename"] == name)
        .and_then(|a| a["id"].as_str())
        .unwrap_or_else(|| panic!("no artifact {name} in {items:?}"))
        .to_string()
}

/// A fresh empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gumloop-artifacts-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn entries(dir: &PathBuf) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn storage_requests(emu: &Emulator) -> Vec<Value> {
    emu.requests()
        .into_iter()
        .filter(|r| r["listener"] == "storage")
        .collect()
}

#[test]
fn artifacts_are_listed_by_agent_and_session_in_pages() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let one = finished(&client, "[artifact:a.txt] [artifact:b.txt]");
    let two = finished(&client, "[artifact:c.txt]");
    assert_eq!(artifacts(&client, &one).len(), 2);
    assert_eq!(artifacts(&client, &two).len(), 1);
    let mut names = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = json!({ "page_size": 1, "cursor": cursor }).to_string();
        let page = parse(&run(client.list_artifacts("agent_pro", Some(&query), None)).unwrap());
        for a in page["artifacts"].as_array().unwrap() {
            names.push(a["filename"].as_str().unwrap().to_string());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    names.sort();
    assert_eq!(names, ["a.txt", "b.txt", "c.txt"]);
    emu.admin("DELETE", "/requests", None);
    for query in [r#"{"session_id":1}"#, r#"{"page_size":101}"#, "{"] {
        assert!(run(client.list_artifacts("agent_pro", Some(query), None)).is_err());
    }
    assert!(emu.requests().is_empty());
}

#[test]
fn a_download_into_memory_sends_no_credentials_to_the_storage_host() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let sid = finished(&client, "[artifact:report.txt]");
    let id = id_of(&artifacts(&client, &sid), "report.txt");
    emu.admin("DELETE", "/requests", None);
    let (bytes, doc) =
        run(client.download_artifact(&id, &DownloadOptions::default(), None)).unwrap();
    assert_eq!(
        bytes,
        format!("Artifact report.txt of session {sid}\n").into_bytes()
    );
    let doc = parse(&doc);
    assert_eq!(
        (doc["filename"].clone(), doc["size"].clone()),
        (json!("report.txt"), json!(bytes.len()))
    );
    assert!(
        doc.get("download_url").is_none(),
        "the signed URL is not repeated: {doc}"
    );
    let storage = storage_requests(&emu);
    assert_eq!(storage.len(), 1);
    let headers = storage[0]["headers"].as_object().unwrap();
    assert!(
        !headers.contains_key("authorization") && !headers.contains_key("x-auth-key"),
        "{headers:?}"
    );

    // The SDK's download: where the bytes are.
    let ticket = parse(&run(client.get_artifact_download(&id, None, None)).unwrap());
    assert!(ticket["download_url"]
        .as_str()
        .unwrap()
        .starts_with(&emu.running.storage_url));
}

#[test]
fn a_download_to_a_directory_uses_a_safe_name_and_leaves_no_temporary_file() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let sid = finished(&client, "[artifact:../../escape/x.bin:5000]");
    let id = id_of(&artifacts(&client, &sid), "../../escape/x.bin");
    let dir = scratch("dir");
    let doc = parse(
        &run(client.download_artifact_to_file(&id, &dir, &DownloadOptions::default(), None))
            .unwrap(),
    );
    assert_eq!(
        entries(&dir),
        ["x.bin"],
        "written inside the directory, under its last name"
    );
    assert_eq!(doc["path"], dir.join("x.bin").to_string_lossy().as_ref());
    let written = std::fs::read(dir.join("x.bin")).unwrap();
    let unit = format!("{sid}/../../escape/x.bin\n").into_bytes();
    let expected: Vec<u8> = unit.iter().copied().cycle().take(5000).collect();
    assert_eq!(written, expected);

    // To a named file; over the cap, nothing is left behind (not even a temporary file).
    let target = dir.join("named.out");
    run(client.download_artifact_to_file(&id, &target, &DownloadOptions::default(), None)).unwrap();
    assert_eq!(std::fs::read(&target).unwrap().len(), 5000);
    let capped = DownloadOptions {
        max_bytes: Some(100),
        ..DownloadOptions::default()
    };
    let e = run(client.download_artifact_to_file(&id, &dir.join("small.out"), &capped, None))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::ResponseTooLarge);
    let e = run(client.download_artifact(&id, &capped, None)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::ResponseTooLarge);
    assert_eq!(entries(&dir), ["named.out", "x.bin"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn storage_failures_never_show_the_signed_query() {
    let emu = Emulator::start();
    let client = emu.client(json!({"max_retries": 0}));
    let sid = finished(&client, "[artifact:secret.txt]");
    let id = id_of(&artifacts(&client, &sid), "secret.txt");
    let dir = scratch("faults");
    for fault in [
        json!({"status": 500}),
        json!({"truncate": true}),
        json!({"reset": "before_response"}),
    ] {
        let mut spec = json!({"listener": "storage", "path": "/artifacts/**", "times": 2});
        for (k, v) in fault.as_object().unwrap() {
            spec[k] = v.clone();
        }
        emu.fault(spec);
        let e = run(client.download_artifact(&id, &DownloadOptions::default(), None)).unwrap_err();
        let text = e.to_document().to_string();
        assert!(
            !text.contains("signature=") && !text.contains("expires="),
            "{text}"
        );
        let f = run(client.download_artifact_to_file(&id, &dir, &DownloadOptions::default(), None))
            .unwrap_err();
        let text = f.to_document().to_string();
        assert!(
            !text.contains("signature=") && !text.contains("expires="),
            "{text}"
        );
        assert!(
            entries(&dir).is_empty(),
            "nothing left behind after {fault}"
        );
        emu.admin("DELETE", "/faults", None);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn storage_reads_are_repeated_after_a_503_and_bad_input_sends_nothing() {
    let emu = Emulator::start();
    let client = emu.client(json!({"max_backoff_ms": 50}));
    let sid = finished(&client, "[artifact:r.txt]");
    let id = id_of(&artifacts(&client, &sid), "r.txt");
    emu.admin("DELETE", "/requests", None);
    emu.fault(json!({"listener": "storage", "path": "/artifacts/**", "times": 1, "status": 503}));
    let (bytes, _) = run(client.download_artifact(&id, &DownloadOptions::default(), None)).unwrap();
    assert!(!bytes.is_empty());
    assert_eq!(storage_requests(&emu).len(), 2);

    emu.admin("DELETE", "/requests", None);
    assert!(run(client.download_artifact("..", &DownloadOptions::default(), None)).is_err());
    let empty = PathBuf::new();
    let e = run(client.download_artifact_to_file(&id, &empty, &DownloadOptions::default(), None))
        .unwrap_err();
    assert_eq!(e.param.as_deref(), Some("path"));
    assert!(emu.requests().is_empty());
    let e = run(client.download_artifact("art_missing", &DownloadOptions::default(), None))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
}
