//! The calls the official SDK (gumloop 0.5.9) also makes send the requests it sends: the
//! configured `team_id` once on REST requests, the caller's own `team_id` winning, none on the
//! streaming host; the stream host derived from `GUMLOOP_BASE_URL` as the SDK derives it. The
//! requests are read back from the emulator's log. Its own binary: it sets the process
//! environment.

mod common;

use common::{parse, run, Emulator};
use gumloop::StreamStart;
use gumloop::{CallAuth, Client};
use serde_json::{json, Value};

/// The `team_id` values of a logged request's query, in order.
fn teams(request: &Value) -> Vec<String> {
    let query = request["query"].as_str().unwrap_or("");
    url::form_urlencoded::parse(query.as_bytes())
        .filter(|(key, _)| key == "team_id")
        .map(|(_, value)| value.into_owned())
        .collect()
}

#[test]
fn team_id_goes_once_to_rest_requests_and_never_to_the_streaming_host() {
    let emu = Emulator::start();
    let client = emu.client(json!({ "team_id": "team_pro" }));

    // The configured team on a REST call, once.
    run(client.create_session("agent_pro", None, &CallAuth::default(), None)).unwrap();
    let logged = emu.requests();
    assert_eq!(teams(logged.last().unwrap()), ["team_pro"]);

    // A list filter of the caller's own names another team: it alone is sent.
    emu.admin("DELETE", "/requests", None);
    let page =
        run(client.list_sessions("agent_free", Some(r#"{"team_id":"team_free"}"#), None)).unwrap();
    assert!(parse(&page)["sessions"].is_array(), "{page}");
    let logged = emu.requests();
    assert_eq!(logged.len(), 1);
    assert_eq!(teams(&logged[0]), ["team_free"]);

    // Streams (the create that opens one, and a resume) carry no team_id, as the SDK's.
    emu.admin("DELETE", "/requests", None);
    let start = StreamStart::Create {
        agent_id: "agent_pro",
        body_json: Some(r#"{"input":"[words:2]"}"#),
    };
    let mut cursor = None;
    let summary = run(client.stream(
        start,
        &mut |event| {
            cursor = parse(event)["stream_cursor"].as_str().map(str::to_owned);
            true
        },
        None,
    ))
    .unwrap();
    let session_id = summary.session_id.expect("the stream names its session");
    let cursor = cursor.expect("a cursor");
    let resume = StreamStart::Resume {
        session_id: &session_id,
        cursor: &cursor,
    };
    run(client.stream(resume, &mut |_| true, None)).unwrap();
    let logged = emu.requests();
    assert_eq!(logged.len(), 2);
    for request in &logged {
        assert_eq!(request["listener"], "stream", "{request}");
        assert!(teams(request).is_empty(), "{request}");
    }

    // And a REST call after them still carries it.
    run(client.get_session(&session_id, None)).unwrap();
    assert_eq!(teams(emu.requests().last().unwrap()), ["team_pro"]);
}

#[test]
fn the_stream_host_follows_gumloop_base_url_as_the_sdk_derives_it() {
    std::env::remove_var("GUMLOOP_STREAM_BASE_URL");
    std::env::set_var("GUMLOOP_BASE_URL", "http://localhost:8080/api/v1");
    let client = Client::new(Some(r#"{"access_token":"t"}"#)).unwrap();
    std::env::remove_var("GUMLOOP_BASE_URL");
    assert_eq!(
        client.config().stream_base_url.as_str(),
        "http://localhost:9093/api/v1"
    );
    assert_eq!(
        client.config().base_url.as_str(),
        "http://localhost:8080/api/v1"
    );
}
