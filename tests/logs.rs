//! The library's log records, pulled through the C API: a 503-then-200 call gives two attempt
//! records and a retry record naming its operation; a redirect, a stream and a refresh are
//! recorded; the wake-up descriptor is readable exactly while records wait; and no record
//! holds a token, a user ID, a team or a signed URL's query. One test: the queue is the
//! process's.

mod common;

use common::{parse, run, Emulator};
use gumloop::ffi;
use gumloop::{Client, StreamStart};
use serde_json::{json, Value};
use std::ffi::{CStr, CString};
use std::ptr;

/// Takes the library string `out` and frees it.
fn taken(out: *mut std::ffi::c_char) -> String {
    assert!(!out.is_null());
    // SAFETY: a string the library returned, freed once here.
    let text = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_string();
    // SAFETY: as above.
    unsafe { ffi::gumloop_string_free(out) };
    text
}

fn set_level(level: &str) -> Value {
    let level = CString::new(level).unwrap();
    let mut out = ptr::null_mut();
    // SAFETY: a NUL-terminated string and a writable out-parameter.
    let code = unsafe { ffi::gumloop_log_set_level(level.as_ptr(), &mut out) };
    let doc = parse(&taken(out));
    assert_eq!(code, 0, "{doc}");
    doc
}

fn take() -> Value {
    let mut out = ptr::null_mut();
    // SAFETY: a writable out-parameter.
    assert_eq!(unsafe { ffi::gumloop_log_take(&mut out) }, 0);
    parse(&taken(out))
}

fn records() -> Vec<Value> {
    take()["records"].as_array().unwrap().clone()
}

/// Whether the log descriptor is readable now.
fn readable() -> bool {
    let mut poll = libc::pollfd {
        fd: ffi::gumloop_log_get_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd; a zero timeout never blocks.
    let n = unsafe { libc::poll(&mut poll, 1, 0) };
    n == 1 && poll.revents & libc::POLLIN != 0
}

/// get_agent through the C function, so that the call runs as the operation `get_agent`.
fn get_agent_c(client: *mut ffi::gumloop_client) -> (u32, String) {
    let agent = CString::new("agent_pro").unwrap();
    let mut out = ptr::null_mut();
    // SAFETY: a live client, a NUL-terminated string, a writable out-parameter.
    let code =
        unsafe { ffi::gumloop_client_get_agent(client, agent.as_ptr(), ptr::null(), &mut out) };
    (code, taken(out))
}

fn of_event<'a>(records: &'a [Value], event: &str) -> Vec<&'a Value> {
    records.iter().filter(|r| r["event"] == event).collect()
}

#[test]
fn records_are_pulled_and_never_hold_a_secret() {
    let emu = Emulator::start();
    assert!(ffi::gumloop_log_get_fd() >= 0);
    // Off by default: nothing is queued.
    let client = emu.client(json!({"team_id": "team_pro"}));
    run(client.get_agent("agent_pro", None)).unwrap();
    assert_eq!(take(), json!({"records": [], "dropped": 0}));
    assert!(!readable());
    assert_eq!(set_level("debug")["level"], "off");
    let bad = CString::new("loud").unwrap();
    let mut out = ptr::null_mut();
    // SAFETY: as in set_level.
    let code = unsafe { ffi::gumloop_log_set_level(bad.as_ptr(), &mut out) };
    assert_eq!(code, ffi::GUMLOOP_ERR_INVALID_ARGUMENT, "{}", taken(out));

    // A 503, then a 200: two attempts and the retry between them, in the operation's name.
    let options = CString::new(emu.options(json!({"team_id": "team_pro"})).to_string()).unwrap();
    let mut c_client = ptr::null_mut();
    let mut out = ptr::null_mut();
    // SAFETY: NUL-terminated options and writable out-parameters.
    assert_eq!(
        unsafe { ffi::gumloop_client_new(options.as_ptr(), &mut c_client, &mut out) },
        0
    );
    emu.fault(
        json!({"method": "GET", "path": "/api/v1/agents/agent_pro", "status": 503, "times": 1}),
    );
    let (code, text) = get_agent_c(c_client);
    assert_eq!(code, 0, "{text}");
    assert!(readable(), "records wait");
    let got = records();
    assert!(!readable(), "taking cleared the descriptor");
    let attempts = of_event(&got, "attempt");
    assert_eq!(attempts.len(), 2, "{got:?}");
    for (record, (status, n, level)) in attempts.iter().zip([(503, 1, "info"), (200, 2, "debug")]) {
        assert_eq!(record["operation"], "get_agent", "{record}");
        assert_eq!(record["method"], "GET");
        assert_eq!(record["path"], "/api/v1/agents/agent_pro", "{record}");
        assert_eq!(
            (record["status"].as_u64(), record["attempt"].as_u64()),
            (Some(status), Some(n))
        );
        assert_eq!(record["level"], level);
        assert!(record["duration_ms"].is_u64() && record["ts_ms"].is_u64());
    }
    let retries = of_event(&got, "retry");
    assert_eq!(retries.len(), 1, "{got:?}");
    assert_eq!(
        (
            retries[0]["attempt"].as_u64(),
            retries[0]["status"].as_u64()
        ),
        (Some(1), Some(503))
    );
    assert!(retries[0]["delay_ms"].is_u64());
    // SAFETY: the client from gumloop_client_new, freed once.
    unsafe { ffi::gumloop_client_free(c_client) };

    // At info, a success is not recorded; the failures are.
    set_level("info");
    run(client.get_agent("agent_pro", None)).unwrap();
    run(client.get_agent("no_such_agent", None)).unwrap_err();
    let got = records();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        (got[0]["status"].as_u64(), got[0]["level"].as_str()),
        (Some(404), Some("info"))
    );
    set_level("debug");

    // A redirect; a stream; a download through a signed URL; a refresh.
    emu.fault(
        json!({"method": "GET", "path": "/api/v1/agents/agent_pro", "times": 1,
                     "redirect": format!("{}/agents/agent_free", emu.running.api_url)}),
    );
    run(client.get_agent("agent_pro", None)).unwrap();
    let start = StreamStart::Create {
        agent_id: "agent_pro",
        body_json: Some(r#"{"input":"[words:2] [artifact:r.txt]"}"#),
    };
    let summary = run(client.stream(start, &mut |_| true, None)).unwrap();
    let sid = summary.session_id.unwrap();
    let query = json!({ "session_id": sid }).to_string();
    let listed = parse(&run(client.list_artifacts("agent_pro", Some(&query), None)).unwrap());
    let artifact = listed["artifacts"][0]["id"].as_str().unwrap().to_string();
    let ticket = run(client.get_artifact_download(&artifact, None, None)).unwrap();
    let signed = parse(&ticket)["download_url"].as_str().unwrap().to_string();
    let signed_query = url::Url::parse(&signed)
        .unwrap()
        .query()
        .unwrap()
        .to_string();
    run(client.download_artifact(&artifact, &Default::default(), None)).unwrap();
    // A stream dropped after two events resumes from its cursor; a keyed create whose answer
    // was lost is recovered.
    emu.fault(json!({"path": "/api/v1/agents/agent_pro/sessions", "drop_stream_after": 2}));
    let start = StreamStart::Create {
        agent_id: "agent_pro",
        body_json: Some(r#"{"input":"[words:6]"}"#),
    };
    let dropped = run(client.stream(start, &mut |_| true, None)).unwrap();
    assert_eq!(dropped.resumes, 1);
    emu.fault(json!({"method": "POST", "path": "/api/v1/agents/agent_pro/sessions", "reset": "before_response"}));
    let keyed = r#"{"session_id":"sess_logged_1","input":"hello"}"#;
    run(client.create_session("agent_pro", Some(keyed), &Default::default(), None)).unwrap();
    let got = records();
    let resumes = of_event(&got, "resume");
    assert_eq!(resumes.len(), 1, "{got:?}");
    let cursor = resumes[0]["cursor"].as_str().unwrap();
    assert!(
        cursor.ends_with(":2") && resumes[0]["resume"] == 1,
        "{}",
        resumes[0]
    );
    assert_eq!(resumes[0]["operation"], "stream_session");
    let recovered = of_event(&got, "recovered");
    assert_eq!(recovered.len(), 1, "{got:?}");
    assert_eq!(recovered[0]["session_id"], "sess_logged_1");
    let redirects = of_event(&got, "redirect");
    assert_eq!(redirects.len(), 1, "{got:?}");
    assert_eq!(redirects[0]["to_path"], "/api/v1/agents/agent_free");
    let streamed = of_event(&got, "attempt")
        .into_iter()
        .filter(|r| r["operation"] == "stream_session")
        .count();
    // The first stream, the dropped one, and the dropped one's resume.
    assert_eq!(streamed, 3, "{got:?}");

    let secrets = [
        "gk_personal_ada",
        "user_ada",
        "team_pro",
        signed_query.as_str(),
        "signature",
        "expires=",
    ];
    let mut all = got;
    all.extend(refresh_records(&emu));
    let text = Value::Array(all.clone()).to_string();
    for secret in secrets {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    for record in &all {
        assert!(
            record["path"].as_str().is_none_or(|p| !p.contains('?')),
            "{record}"
        );
    }
    assert_eq!(set_level("off")["level"], "debug");
    run(client.get_agent("agent_pro", None)).unwrap();
    assert_eq!(take()["records"], json!([]));
}

/// Signs in, expires the token and calls: the refresh's records, checked to hold no token.
fn refresh_records(emu: &Emulator) -> Vec<Value> {
    let signer = Client::new(Some(
        &json!({"base_url": emu.running.api_url, "client_id": "gumloop_cli"}).to_string(),
    ))
    .unwrap();
    let params = json!({"client_id": "gumloop_cli", "redirect_uri": "http://127.0.0.1:1/callback",
                        "base_url": emu.running.api_url})
    .to_string();
    let params = CString::new(params).unwrap();
    let mut out = ptr::null_mut();
    // SAFETY: NUL-terminated parameters and a writable out-parameter.
    assert_eq!(
        unsafe { ffi::gumloop_oauth_build_authorization_url(params.as_ptr(), &mut out) },
        0
    );
    let built = parse(&taken(out));
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let url = format!("{}&auto_approve=true", built["url"].as_str().unwrap());
    let response = gumloop::block_on(async move { http.get(url).send().await.unwrap() }).unwrap();
    let location = url::Url::parse(response.headers()["location"].to_str().unwrap()).unwrap();
    let code = location
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    let tokens = parse(
        &run(signer.oauth_exchange_code(
            "gumloop_cli",
            &code,
            "http://127.0.0.1:1/callback",
            built["code_verifier"].as_str().unwrap(),
            None,
            None,
        ))
        .unwrap(),
    );
    let client = Client::new(Some(
        &json!({"base_url": emu.running.api_url, "client_id": "gumloop_cli",
        "access_token": tokens["access_token"], "refresh_token": tokens["refresh_token"]})
        .to_string(),
    ))
    .unwrap();
    emu.admin("POST", "/oauth/expire", Some(json!({})));
    run(client.get_agent("agent_pro", None)).unwrap();
    let pair = parse(&client.take_tokens().unwrap());
    let got = records();
    let refreshes = of_event(&got, "refresh");
    assert_eq!(refreshes.len(), 1, "{got:?}");
    assert_eq!(refreshes[0]["outcome"], "ok");
    let text = Value::Array(got.clone()).to_string();
    for secret in [
        &tokens["access_token"],
        &tokens["refresh_token"],
        &pair["tokens"]["access_token"],
        &pair["tokens"]["refresh_token"],
    ] {
        assert!(
            !text.contains(secret.as_str().unwrap()),
            "a token in {text}"
        );
    }
    assert!(!text.contains(built["code_verifier"].as_str().unwrap()) && !text.contains(&code));
    got
}

/// `GUMLOOP_LOG=info` writes records to stderr as JSON lines, without any call to the C API:
/// this test runs itself again as a child process with the variable set.
#[test]
fn gumloop_log_writes_json_lines_to_stderr() {
    if let Ok(base) = std::env::var("LOGS_TEST_CHILD_BASE") {
        let client = Client::new(Some(
            &json!({"base_url": base, "access_token": "gk_personal_ada", "user_id": "user_ada"})
                .to_string(),
        ))
        .unwrap();
        run(client.get_agent("agent_pro", None)).unwrap();
        run(client.get_agent("no_such_agent", None)).unwrap_err();
        return;
    }
    let emu = Emulator::start();
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "gumloop_log_writes_json_lines_to_stderr",
            "--nocapture",
        ])
        .env("LOGS_TEST_CHILD_BASE", &emu.running.api_url)
        .env("GUMLOOP_LOG", "info")
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    let lines: Vec<Value> = stderr
        .lines()
        .filter_map(|line| line.strip_prefix("gumloop: "))
        .map(parse)
        .collect();
    // At info, only the failed call: its one attempt.
    assert_eq!(lines.len(), 1, "{stderr}");
    assert_eq!(lines[0]["status"], 404);
    assert_eq!(lines[0]["path"], "/api/v1/agents/no_such_agent");
    assert!(
        !stderr.contains("gk_personal_ada") && !stderr.contains("user_ada"),
        "{stderr}"
    );
}
