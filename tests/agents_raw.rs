//! Agents (list, search, pages, retrieve) and the raw request through the Rust core, against
//! the emulator.

mod common;

use common::*;
use gumloop::ErrorKind;
use serde_json::{json, Value};
use std::collections::BTreeSet;

fn ids(page: &Value, key: &str) -> Vec<String> {
    page[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn agents_are_listed_in_pages_searched_and_retrieved() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = json!({"page_size": 2, "cursor": cursor}).to_string();
        let page = parse(&run(client.list_agents(Some(&query), None)).unwrap());
        let got = ids(&page, "agents");
        assert!(got.len() <= 2);
        seen.extend(got);
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no agent twice: {seen:?}");
    assert!(seen.contains(&"agent_pro".to_string()));
    assert!(
        !seen.contains(&"agent_private".to_string()),
        "only readable agents"
    );

    let found = parse(&run(client.list_agents(Some(r#"{"search":"enterprise"}"#), None)).unwrap());
    let found_ids = ids(&found, "agents");
    assert!(found_ids.contains(&"agent_ent".to_string()), "{found}");
    for agent in found["agents"].as_array().unwrap() {
        let text = format!("{} {}", agent["name"], agent["description"]).to_lowercase();
        assert!(text.contains("enterprise"), "{agent}");
    }
    let summary = parse(&run(client.list_agents(Some(r#"{"summary":true}"#), None)).unwrap());
    let first = &summary["agents"][0];
    assert!(
        first.get("system_prompt").is_none() && first.get("model_name").is_some(),
        "{first}"
    );

    let agent = parse(&run(client.get_agent("agent_pro", None)).unwrap());
    assert_eq!(agent["agent"]["id"], "agent_pro");
    let gumball = parse(&run(client.get_agent("gumball", None)).unwrap());
    assert_eq!(gumball["agent"]["id"], "gumball_user_ada");
    let e = run(client.get_agent("agent_nope", None)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);

    emu.admin("DELETE", "/requests", None);
    for query in [r#"{"page_size":0}"#, r#"{"search":5}"#, "[]", "{"] {
        assert!(
            run(client.list_agents(Some(query), None)).is_err(),
            "{query}"
        );
    }
    assert!(run(client.get_agent("..", None)).is_err());
    assert!(emu.requests().is_empty(), "bad input sends nothing");
}

#[test]
fn raw_requests_use_the_credentials_and_encode_each_segment() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let auth = gumloop::CallAuth::default();
    let env = parse(&run(client.create_session("agent_pro", None, &auth, None)).unwrap());
    let sid = env["session"]["id"].as_str().unwrap().to_string();

    let path = json!(["sessions", sid]).to_string();
    let raw = parse(&run(client.send_request("GET", &path, None, None, None)).unwrap());
    assert_eq!(raw["session"]["id"], sid.as_str());
    let renamed = parse(
        &run(client.send_request("PATCH", &path, None, Some(r#"{"name":"raw"}"#), None)).unwrap(),
    );
    assert_eq!(renamed["session"]["name"], "raw");
    let listed = parse(
        &run(client.send_request(
            "GET",
            r#"["agents","agent_pro","sessions"]"#,
            Some(r#"{"page_size":1}"#),
            None,
            None,
        ))
        .unwrap(),
    );
    assert_eq!(listed["sessions"].as_array().unwrap().len(), 1);

    emu.admin("DELETE", "/requests", None);
    let e =
        run(client.send_request("GET", r#"["sessions","a/../b"]"#, None, None, None)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
    let log = emu.requests();
    assert_eq!(log[0]["path"], "/api/v1/sessions/a%2F..%2Fb");
    assert_eq!(log[0]["headers"]["x-auth-key"], "user_ada");

    emu.admin("DELETE", "/requests", None);
    for (method, path, body, param) in [
        ("TRACE", r#"["sessions"]"#, None, "method"),
        ("GET", "[]", None, "path_json"),
        ("GET", r#"["sessions",".."]"#, None, "path_json"),
        ("GET", r#"["sessions"]"#, Some("{}"), "body_json"),
        ("POST", r#"["sessions"]"#, Some("{"), "body_json"),
        (
            "POST",
            r#"["sessions"]"#,
            Some(r#"{"stream":true}"#),
            "stream",
        ),
    ] {
        let e = run(client.send_request(method, path, None, body, None)).unwrap_err();
        assert_eq!(e.param.as_deref(), Some(param), "{method} {path}");
    }
    assert!(emu.requests().is_empty(), "bad input sends nothing");
}

#[test]
fn raw_requests_repeat_only_reads_after_an_unknown_outcome() {
    let emu = Emulator::start();
    let client = emu.client(json!({"max_backoff_ms": 50}));
    let path = r#"["agents","agent_pro"]"#;
    emu.fault(
        json!({"method": "GET", "path": "/api/v1/agents/agent_pro", "times": 1, "status": 500}),
    );
    let agent = parse(&run(client.send_request("GET", path, None, None, None)).unwrap());
    assert_eq!(agent["agent"]["id"], "agent_pro");

    emu.admin("DELETE", "/requests", None);
    emu.fault(
        json!({"method": "POST", "path": "/api/v1/agents/*/sessions", "times": 1, "status": 500}),
    );
    let e = run(client.send_request(
        "POST",
        r#"["agents","agent_pro","sessions"]"#,
        None,
        Some("{}"),
        None,
    ))
    .unwrap_err();
    assert_eq!((e.kind, e.attempts), (ErrorKind::Server, 1));
    assert_eq!(
        emu.requests().len(),
        1,
        "a POST with an unknown outcome is sent once"
    );
}
