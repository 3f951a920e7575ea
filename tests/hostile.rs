//! The library against a hostile server of the tests' own (`tests/hostile`): a server that
//! declares sizes it never sends, sends endless headers, redirects writes, replays streams from
//! the start and asks for absurd waits. Each case must end in a documented error (or the right
//! answer), never an abort, a signal, a hang or a changed request.

mod common;

use common::{parse, run};
use gumloop::{CallAuth, Client, ErrorKind, StreamStart};
use gumloop_hostile::{
    header_flood, redirect_back, response, short_answer, sse_event, sse_head, HostileServer,
    Request, Step,
};
use serde_json::{json, Value};

const SESSION: &str = r#"{"session":{"id":"sess_hostile","state":"idle","agent_id":"agent_pro"}}"#;

/// Options for a client of `server`, without retries, merged with `extra`.
fn options(server: &HostileServer, extra: Value) -> Value {
    let base = format!("{}/api/v1", server.url());
    let mut options = json!({
        "access_token": "gk_personal_ada",
        "user_id": "user_ada",
        "base_url": base,
        "stream_base_url": base,
        "max_retries": 0,
        "timeout_ms": 10_000,
        "stream_idle_timeout_ms": 10_000,
    });
    for (k, v) in extra.as_object().expect("object") {
        options[k] = v.clone();
    }
    options
}

fn client(server: &HostileServer, extra: Value) -> Client {
    Client::new(Some(&options(server, extra).to_string())).expect("client")
}

fn create(client: &Client, body: &str) -> gumloop::Result<String> {
    run(client.create_session("agent_pro", Some(body), &CallAuth::default(), None))
}

fn methods(server: &HostileServer) -> Vec<String> {
    server.requests().into_iter().map(|r| r.method).collect()
}

// ---------------------------------------------------------------------------------------------
// Sizes the server declares

#[test]
fn a_declared_length_is_never_reserved_up_front() {
    // Declares a petabyte and sends five bytes.
    let server = HostileServer::start(|_| vec![Step::Write(short_answer(1_000_000_000_000_000))]);
    // The largest values a caller may ask for: refused as options, or, where accepted, the call
    // ends in an error (never an allocation of the declared size, which aborts the process).
    for max in [u64::MAX, 1_000_000_000_000_000, 1 << 30] {
        let text = options(&server, json!({ "max_response_bytes": max })).to_string();
        let capped = match Client::new(Some(&text)) {
            Ok(capped) => capped,
            Err(error) => {
                assert_eq!(error.kind, ErrorKind::InvalidOption, "{max}: {error:?}");
                assert_eq!(error.param.as_deref(), Some("max_response_bytes"));
                continue;
            }
        };
        let error = create(&capped, "{}").expect_err("a petabyte that never comes");
        assert!(
            matches!(
                error.kind,
                ErrorKind::ResponseTooLarge | ErrorKind::ConnectionLost
            ),
            "{max}: {error:?}"
        );
    }
    // The ceiling itself is accepted, and a body declared at the ceiling that stops short is a
    // lost connection, read as it arrives.
    let ceiling = gumloop::internal::max_response_bytes_limit();
    let short = HostileServer::start(move |_| vec![Step::Write(short_answer(ceiling))]);
    let short_client = client(&short, json!({ "max_response_bytes": ceiling }));
    let error = create(&short_client, "{}").expect_err("short body");
    assert_eq!(error.kind, ErrorKind::ConnectionLost, "{error:?}");
    // An error status declaring a petabyte is refused the same way.
    let failing = HostileServer::start(|_| {
        vec![Step::Write(
            b"HTTP/1.1 500 Oops\r\nContent-Type: application/json\r\nContent-Length: 1000000000000000\r\n\r\n{"
                .to_vec(),
        )]
    });
    let failing_client = client(&failing, json!({ "max_response_bytes": ceiling }));
    let error = create(&failing_client, "{}").expect_err("a petabyte error body");
    assert_eq!(error.kind, ErrorKind::ResponseTooLarge, "{error:?}");
}

// ---------------------------------------------------------------------------------------------
// Redirects

/// A server that redirects the first request with `status` to the same path, and answers any
/// later request with a session.
fn redirecting(status: u16) -> HostileServer {
    HostileServer::start(move |request: &Request| {
        if request.index == 0 {
            vec![redirect_back(status, request)]
        } else {
            vec![Step::ReadBody, Step::Write(response(200, &[], SESSION))]
        }
    })
}

#[test]
fn a_write_never_changes_method_on_a_redirect() {
    for status in [301, 302, 303] {
        let server = redirecting(status);
        let error = create(&client(&server, json!({})), r#"{"input":"hi"}"#)
            .expect_err("a redirect that would turn the create into a GET");
        assert_eq!(error.kind, ErrorKind::Redirect, "{status}: {error:?}");
        assert!(
            error.message.contains(&status.to_string()) && error.message.contains("POST"),
            "{status}: {}",
            error.message
        );
        assert_eq!(methods(&server), ["POST"], "{status}: followed");
    }
    // 307 and 308 keep the method and the body: followed.
    for status in [307, 308] {
        let server = redirecting(status);
        let text = create(&client(&server, json!({})), r#"{"input":"hi"}"#).expect("followed");
        assert_eq!(parse(&text)["session"]["id"], "sess_hostile");
        let requests = server.requests();
        assert_eq!(methods(&server), ["POST", "POST"], "{status}");
        assert_eq!(requests[1].body, br#"{"input":"hi"}"#, "{status}");
        assert!(requests[1].header("authorization").is_some());
    }
    // A read follows any same-origin redirect, as a read.
    for status in [301, 302, 303, 307, 308] {
        let server = redirecting(status);
        let text = run(client(&server, json!({})).get_session("sess_hostile", None))
            .expect("a read follows");
        assert_eq!(parse(&text)["session"]["id"], "sess_hostile");
        assert_eq!(methods(&server), ["GET", "GET"], "{status}");
    }
}

#[test]
fn redirect_loops_end() {
    let server = HostileServer::start(|request: &Request| vec![redirect_back(307, request)]);
    let error = run(client(&server, json!({})).get_session("s", None)).expect_err("a loop");
    assert_eq!(error.kind, ErrorKind::Redirect, "{error:?}");
    assert!(server.requests().len() <= 6, "{}", server.requests().len());
}

// ---------------------------------------------------------------------------------------------
// Heads that are not heads

#[test]
fn too_many_headers_are_a_bad_response() {
    for count in [10_000, 1_000_000] {
        let server = HostileServer::start(move |_| header_flood(count));
        let error = create(&client(&server, json!({})), "{}").expect_err("a flood of headers");
        assert_eq!(error.kind, ErrorKind::InvalidResponse, "{count}: {error:?}");
    }
}

#[test]
fn a_head_sent_slowly_is_still_read() {
    let server = HostileServer::start(|_| {
        vec![Step::Trickle {
            bytes: response(200, &[], SESSION),
            chunk: 7,
            pause: std::time::Duration::from_millis(2),
        }]
    });
    let text = create(&client(&server, json!({})), "{}").expect("slow bytes");
    assert_eq!(parse(&text)["session"]["id"], "sess_hostile");
}

// ---------------------------------------------------------------------------------------------
// Retry-After

#[test]
fn odd_retry_after_values_are_clamped_or_absent() {
    let max = gumloop::internal::max_retry_after_ms();
    for (value, expected) in [
        ("2", Some(2000)),
        (" 3 ", Some(3000)),
        ("0.5", Some(500)),
        // Not delay-seconds (digits, here with an optional fraction): absent.
        ("1e300", None),
        ("1e3", None),
        ("18446744073709551616", Some(max)),
        ("86401", Some(max)),
        ("-5", None),
        ("NaN", None),
        ("inf", None),
        ("", None),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", None),
    ] {
        let server = HostileServer::start(move |_| {
            vec![Step::Write(response(
                503,
                &[("Retry-After", value)],
                r#"{"error":{"code":"busy","message":"busy"}}"#,
            ))]
        });
        let error = create(&client(&server, json!({})), "{}").expect_err("503");
        assert_eq!(error.kind, ErrorKind::Server);
        let got = error.server.as_ref().and_then(|s| s.retry_after_ms);
        assert_eq!(got, expected, "Retry-After {value:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Streams

fn event(cursor: u32) -> String {
    json!({
        "type": "text-delta",
        "delta": format!("w{cursor} "),
        "interaction_id": "sess_hostile",
        "stream_cursor": format!("sess_hostile:{cursor}"),
    })
    .to_string()
}

/// A stream server: the first connection sends the opening events and `first` text events, then
/// drops; every resume ignores its cursor and replays from the start, then sends `more` events
/// and the final one.
fn replaying(first: u32, more: u32) -> HostileServer {
    HostileServer::start(move |request: &Request| {
        let upto = if request.index == 0 {
            first
        } else {
            first + more
        };
        let mut steps = vec![
            Step::ReadBody,
            Step::Write(sse_head()),
            Step::Write(sse_event(
                r#"{"type":"interaction-ready","interaction_id":"sess_hostile"}"#,
            )),
            Step::Write(sse_event(r#"{"type":"text-start","id":"m1"}"#)),
        ];
        steps.extend((1..=upto).map(|c| Step::Write(sse_event(&event(c)))));
        if request.index > 0 {
            steps.push(Step::Write(sse_event(
                r#"{"type":"finish","finishReason":"stop","final":true}"#,
            )));
        }
        steps
    })
}

#[test]
fn a_stream_that_replays_from_the_start_delivers_each_event_once() {
    let server = replaying(3, 2);
    let client = client(&server, json!({}));
    let mut seen: Vec<String> = Vec::new();
    let mut on_event = |text: &str| {
        let event = parse(text);
        seen.push(event["stream_cursor"].as_str().map_or_else(
            || event["type"].as_str().unwrap_or("?").to_string(),
            str::to_string,
        ));
        true
    };
    let start = StreamStart::Create {
        agent_id: "agent_pro",
        body_json: Some(r#"{"input":"hi"}"#),
    };
    let summary = run(client.stream(start, &mut on_event, None)).expect("stream");
    assert_eq!(summary.resumes, 1);
    assert!(summary.finished);
    let expected: Vec<String> = ["interaction-ready".to_string(), "text-start".to_string()]
        .into_iter()
        .chain((1..=5).map(|c| format!("sess_hostile:{c}")))
        .chain(["finish".to_string()])
        .collect();
    assert_eq!(seen, expected, "events delivered twice or lost");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].query("last_cursor"), Some("sess_hostile%3A3"));
}
