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

// ---------------------------------------------------------------------------------------------
// Queries

#[test]
fn a_list_without_filters_sends_no_bare_question_mark() {
    let server = HostileServer::start(|_| {
        vec![Step::Write(response(
            200,
            &[],
            r#"{"sessions":[],"agents":[],"artifacts":[],"next_cursor":null}"#,
        ))]
    });
    let client = client(&server, json!({}));
    for query in [None, Some("{}"), Some(r#"{"cursor":null}"#)] {
        run(client.list_sessions("agent_pro", query, None)).expect("sessions");
        run(client.list_agents(query, None)).expect("agents");
        run(client.list_artifacts("agent_pro", query, None)).expect("artifacts");
    }
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(targets.len(), 9);
    for target in &targets {
        assert!(!target.contains('?'), "a bare `?` was sent: {target}");
    }
    // With a filter, the query is sent as usual.
    run(client.list_sessions("agent_pro", Some(r#"{"page_size":5}"#), None)).expect("filtered");
    let last = server.requests().pop().expect("a request").target;
    assert_eq!(last, "/api/v1/agents/agent_pro/sessions?page_size=5");
}

// ---------------------------------------------------------------------------------------------
// Secrets a server repeats

/// `text` percent-encoded, with `upper` or lower-case hex digits.
fn percent_encoded(text: &str, upper: bool) -> String {
    let encoded = gumloop_hostile::percent_encoded(text);
    if upper {
        encoded
    } else {
        // Lower-cases the hex digits of each escape only.
        let mut out = String::new();
        let mut rest = encoded.as_str();
        while let Some(i) = rest.find('%') {
            out.push_str(&rest[..i]);
            out.push('%');
            out.push_str(&rest[i + 1..i + 3].to_ascii_lowercase());
            rest = &rest[i + 3..];
        }
        out.push_str(rest);
        out
    }
}

/// Every way a server may repeat `secret`: as it is, percent-encoded (either case), with `+` for
/// each space, and form-encoded (`+` for spaces, the rest percent-encoded).
fn spellings(secret: &str) -> Vec<String> {
    let mut all = vec![
        secret.to_string(),
        percent_encoded(secret, true),
        percent_encoded(secret, false),
        secret.replace(' ', "+"),
        percent_encoded(secret, true).replace("%20", "+"),
    ];
    all.sort();
    all.dedup();
    all
}

/// How many times any spelling of any of `secrets` occurs in `text`.
fn secrets_in(text: &str, secrets: &[&str]) -> usize {
    secrets
        .iter()
        .flat_map(|s| spellings(s))
        .map(|spelling| text.matches(spelling.as_str()).count())
        .sum()
}

const ECHO_TOKEN: &str = "gk_live/Ab+Cd=9 x";
const ECHO_USER: &str = "user ada+1@example.com";

/// A server that answers every request with `status` and a body repeating the request's
/// headers in every spelling, in the shape `shape` ("nested", "flat", "oauth" or "text").
fn echoing(status: u16, shape: &'static str) -> HostileServer {
    HostileServer::start(move |request: &Request| {
        let headers: Vec<String> = request
            .headers
            .iter()
            .map(|(n, v)| format!("{n}: {v}"))
            .collect();
        let plain = headers.join("; ");
        let encoded = percent_encoded(&plain, true);
        let plus = plain.replace(' ', "+");
        let echo = json!({ "headers": headers, "encoded": encoded, "plus": plus, "target": request.target });
        let body = match shape {
            "nested" => json!({"error": {
                "code": format!("bad_{plain}"),
                "message": format!("rejected: {plain}"),
                "type": format!("invalid {encoded}"),
                "param": plus,
                "details": echo,
            }})
            .to_string(),
            "flat" => json!({"error": format!("denied {plain}"), "message": encoded, "metadata": echo, "trace_id": plus}).to_string(),
            "oauth" => json!({"error": "invalid_token", "error_description": format!("token {plain} {plus}"), "echo": echo}).to_string(),
            _ => format!("<html>{plain} | {encoded} | {plus}</html>"),
        };
        let content_type = if shape == "text" {
            "text/html"
        } else {
            "application/json"
        };
        vec![
            Step::ReadBody,
            Step::Write(response(status, &[("Content-Type", content_type)], &body)),
        ]
    })
}

#[test]
fn server_text_never_repeats_the_callers_credentials() {
    let mut documents = 0;
    for (status, shape) in [
        (400, "nested"),
        (403, "flat"),
        (401, "oauth"),
        (502, "text"),
        (409, "nested"),
    ] {
        let server = echoing(status, shape);
        let client = client(
            &server,
            json!({ "access_token": ECHO_TOKEN, "user_id": ECHO_USER }),
        );
        // The echo really carries the credentials (else this test proves nothing).
        let error = create(&client, r#"{"input":"hi"}"#).expect_err("an error status");
        let sent = server.requests();
        assert_eq!(
            sent[0].header("authorization"),
            Some(format!("Bearer {ECHO_TOKEN}").as_str())
        );
        let text = error.to_document().to_string();
        assert_eq!(
            secrets_in(&text, &[ECHO_TOKEN, ECHO_USER]),
            0,
            "{status} {shape}: {text}"
        );
        assert!(text.contains("[redacted]"), "{text}");
        // A call that names its own credentials gets them redacted too.
        let auth = CallAuth {
            access_token: Some(gumloop::Secret::new("gk_call_token_42".to_string())),
            user_id: Some("user_call_42".into()),
        };
        let error = run(client.create_session("agent_pro", Some("{}"), &auth, None))
            .expect_err("an error status");
        let text = error.to_document().to_string();
        assert_eq!(
            secrets_in(&text, &["gk_call_token_42", "user_call_42"]),
            0,
            "{text}"
        );
        documents += 2;
    }
    assert_eq!(documents, 10);
}

/// An API server that hands out `link` as an artifact's download URL.
fn ticketing(link: String) -> HostileServer {
    HostileServer::start(move |_: &Request| {
        let body = json!({"download_url": link, "filename": "a.bin", "media_type": "application/octet-stream", "size": 3});
        vec![Step::Write(response(200, &[], &body.to_string()))]
    })
}

#[test]
fn a_signed_urls_secret_never_reaches_an_error_in_any_encoding() {
    // The storage host repeats the request target in every spelling.
    let storage = HostileServer::start(|request: &Request| {
        let target = request.target.clone();
        let decoded = percent_decoded(&target);
        let body = json!({
            "error": "AccessDenied",
            "message": format!("signature mismatch for {target}"),
            "metadata": {
                "decoded": decoded,
                "form_decoded": decoded.replace('+', " "),
                "encoded": percent_encoded(&target, true),
                "encoded_lower": percent_encoded(&decoded, false),
                "plus": percent_encoded(&decoded, true).replace("%20", "+"),
            },
        });
        vec![Step::Write(response(403, &[], &body.to_string()))]
    });
    // A signature with characters that are encoded in a URL: `+`, `/`, `=`, a space.
    let signature = "Ab+Cd/Ef==Gh";
    let credential = "key id/2026";
    let link = format!(
        "{}/o/a.bin?X-Sig={}&X-Cred={}&X-Exp=99",
        storage.url(),
        percent_encoded(signature, true),
        credential.replace(' ', "+").replace('/', "%2F"),
    );
    let api = ticketing(link);
    let client = client(&api, json!({}));
    let mut documents = Vec::new();
    let e = run(client.download_artifact("art_1", &gumloop::DownloadOptions::default(), None))
        .expect_err("403 from storage");
    documents.push(e.to_document().to_string());
    let dir = std::env::temp_dir().join(format!("gumloop-hostile-sig-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let e = run(client.download_artifact_to_file(
        "art_1",
        &dir,
        &gumloop::DownloadOptions::default(),
        None,
    ))
    .expect_err("403 from storage");
    documents.push(e.to_document().to_string());
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert!(left.is_empty(), "nothing written");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(storage.requests().len(), 2);
    for text in &documents {
        assert_eq!(
            secrets_in(text, &[signature, credential, "X-Sig=", "X-Cred="]),
            0,
            "{text}"
        );
        assert!(text.contains("[redacted]"), "{text}");
    }
}

/// Decodes `%XX` escapes (not `+`).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
