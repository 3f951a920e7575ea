//! What every request carries: credentials, team, User-Agent, extra headers and the W3C trace
//! context read from the environment on each request. One test in its own binary, because it
//! changes the process environment.

mod common;

use common::{run, Emulator};
use gumloop::CallAuth;
use serde_json::{json, Value};

fn last_headers(emu: &Emulator) -> Value {
    emu.requests().last().expect("a request was logged")["headers"].clone()
}

#[test]
fn requests_carry_identity_team_and_trace_context() {
    let emu = Emulator::start();
    let client = emu.client(json!({
        "access_token": "gk_team_pro", "user_id": "user_ada", "team_id": "team_pro",
        "user_agent_suffix": "tests/1", "extra_headers": { "X-Request-Source": "rust" },
    }));
    let create = || run(client.create_session("agent_pro", None, &CallAuth::default(), None));

    std::env::remove_var("TRACEPARENT");
    std::env::remove_var("TRACESTATE");
    create().unwrap();
    let sent = emu.requests().last().unwrap().clone();
    assert_eq!(sent["query"], "team_id=team_pro");
    let headers = &sent["headers"];
    assert_eq!(headers["authorization"], "Bearer gk_team_pro");
    assert_eq!(headers["x-auth-key"], "user_ada");
    assert_eq!(headers["x-request-source"], "rust");
    let agent = headers["user-agent"].as_str().unwrap();
    assert!(
        agent.starts_with("gumloop-ffi/") && agent.ends_with(" tests/1"),
        "{agent}"
    );
    assert!(headers.get("traceparent").is_none());

    // Read again on every request: a value set after the client was built is sent.
    let parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    std::env::set_var("TRACEPARENT", parent);
    std::env::set_var("TRACESTATE", "vendor=1");
    create().unwrap();
    let headers = last_headers(&emu);
    assert_eq!(headers["traceparent"], parent);
    assert_eq!(headers["tracestate"], "vendor=1");

    // An explicit traceparent header wins over the environment.
    let explicit = emu.client(json!({ "extra_headers": { "traceparent": "00-explicit-01" } }));
    run(explicit.create_session("agent_pro", None, &CallAuth::default(), None)).unwrap();
    let headers = last_headers(&emu);
    assert_eq!(headers["traceparent"], "00-explicit-01");
    assert!(headers.get("tracestate").is_none());
    std::env::remove_var("TRACEPARENT");
    std::env::remove_var("TRACESTATE");
}
