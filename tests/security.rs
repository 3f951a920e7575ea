//! Transport and input safety against the emulator: TLS with a custom CA, plain HTTP rules,
//! redirects, encoded paths, header injection, and credentials that never leak.

mod common;

use common::{parse, run, Emulator};
use gumloop::{CallAuth, Client, ErrorKind};
use serde_json::json;

#[test]
fn tls_needs_the_servers_ca() {
    let emu = Emulator::start_tls();
    assert!(emu.running.api_url.starts_with("https://"));
    let pem = emu.running.cert_pem.clone().expect("certificate");

    let trusted = emu.client(json!({ "ca_cert_pem": pem }));
    let created = run(trusted.create_session("agent_pro", None, &CallAuth::default(), None));
    assert_eq!(parse(&created.unwrap())["session"]["state"], "idle");

    let dir = std::env::temp_dir().join(format!("gumloop-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ca.pem");
    std::fs::write(&path, &pem).unwrap();
    let from_file = emu.client(json!({ "ca_cert_path": path.to_str().unwrap() }));
    assert!(run(from_file.create_session("agent_pro", None, &CallAuth::default(), None)).is_ok());
    std::fs::remove_dir_all(&dir).unwrap();

    emu.reset();
    let untrusted = emu.client(json!({ "max_retries": 0 }));
    let error =
        run(untrusted.create_session("agent_pro", None, &CallAuth::default(), None)).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Tls, "{error}");
    assert!(
        emu.requests().is_empty(),
        "nothing may be sent over an untrusted connection"
    );
}

#[test]
fn bad_ca_and_plain_http_options_are_refused() {
    let emu = Emulator::start();
    let options = emu.options(json!({ "ca_cert_pem": "not a certificate" }));
    let error = Client::new(Some(&options.to_string())).err().unwrap();
    assert_eq!(error.kind, ErrorKind::InvalidOption);
    let options = emu.options(json!({ "base_url": "http://192.0.2.1/api/v1" }));
    let error = Client::new(Some(&options.to_string())).err().unwrap();
    assert_eq!(error.param.as_deref(), Some("base_url"));
}

#[test]
fn redirects_never_carry_credentials_to_another_host() {
    let emu = Emulator::start();
    let client = emu.client(json!({ "max_retries": 0 }));
    let elsewhere = emu.running.api_url.replace("127.0.0.1", "localhost");
    emu.fault(json!({
        "method": "POST", "path": "/api/v1/agents/*/sessions", "times": 1,
        "redirect": format!("{elsewhere}/agents/agent_pro/sessions"),
    }));
    let error =
        run(client.create_session("agent_pro", None, &CallAuth::default(), None)).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Redirect);
    let requests = emu.requests();
    assert_eq!(requests.len(), 1, "the redirect was followed: {requests:?}");
}

#[test]
fn ids_are_one_encoded_path_segment() {
    let emu = Emulator::start();
    let client = emu.client(json!({ "max_retries": 0 }));
    let _ = run(client.create_session("a/../b", None, &CallAuth::default(), None));
    let _ = run(client.get_session("s?x=1#y", None));
    let paths: Vec<String> = emu
        .requests()
        .iter()
        .map(|r| r["path"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "/api/v1/agents/a%2F..%2Fb/sessions",
            "/api/v1/sessions/s%3Fx%3D1%23y"
        ]
    );
}

#[test]
fn header_injection_is_refused_before_sending() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    for auth in [
        CallAuth {
            access_token: Some(gumloop::Secret::new("tok\r\nX-Evil: 1".into())),
            user_id: None,
        },
        CallAuth {
            access_token: None,
            user_id: Some("user\0ada".into()),
        },
    ] {
        let error = run(client.create_session("agent_pro", None, &auth, None)).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidArgument);
    }
    let options = emu.options(json!({ "extra_headers": { "X-Trace": "a\nb" } }));
    assert_eq!(
        Client::new(Some(&options.to_string())).err().unwrap().kind,
        ErrorKind::InvalidOption
    );
    assert!(emu.requests().is_empty());
}

#[test]
fn credentials_never_appear_in_any_output() {
    const MARKER: &str = "gk_SECRET_MARKER_93b1";
    let emu = Emulator::start();
    let outputs = {
        let mut outputs = Vec::new();
        // A wrong key: 401 from the server.
        let client = emu.client(json!({ "access_token": MARKER, "max_retries": 0 }));
        for result in [
            run(client.create_session("agent_pro", None, &CallAuth::default(), None)),
            run(client.get_session("sess_x", None)),
            run(client.list_sessions("agent_pro", Some("{\"page_size\":0}"), None)),
            run(client.create_session(
                "agent_pro",
                Some("{\"stream\":true}"),
                &CallAuth::default(),
                None,
            )),
        ] {
            let error = result.unwrap_err();
            outputs.push(error.to_document().to_string());
            outputs.push(format!("{error:?} {error}"));
        }
        outputs.push(format!("{client:?}"));
        // Transport failures and bad options.
        let nowhere = emu.client(json!({
            "access_token": MARKER, "base_url": "http://127.0.0.1:1/api/v1", "max_retries": 0,
        }));
        let error =
            run(nowhere.create_session("agent_pro", None, &CallAuth::default(), None)).unwrap_err();
        outputs.push(error.to_document().to_string());
        let bad = json!({ "access_token": format!("{MARKER}\n"), "base_url": emu.running.api_url });
        let error = Client::new(Some(&bad.to_string())).err().unwrap();
        outputs.push(error.to_document().to_string());
        outputs
    };
    for output in &outputs {
        assert!(!output.contains(MARKER), "the credential leaked: {output}");
    }
    // The server did receive it, as a bearer token.
    assert!(emu.requests().iter().any(|r| r["headers"]["authorization"]
        .as_str()
        .is_some_and(|h| h.contains(MARKER))));
}
