//! Proxies from the environment, with a fake proxy on 127.0.0.1 (the tests' hostile server,
//! which records the request line it is sent).
//!
//! The rule (libcurl's): `http_proxy` (lowercase only) for http:// URLs, `HTTPS_PROXY` or
//! `https_proxy` for https:// URLs, `ALL_PROXY`/`all_proxy` for either, hosts in `NO_PROXY`/
//! `no_proxy` go direct, and loopback never goes through an environment proxy. An explicit
//! `proxy` option applies to every request; `use_env_proxy: false` ignores the environment.
//!
//! The environment is the process's, so this file holds a single test.

use gumloop::{CallAuth, Client};
use gumloop_hostile::{response, HostileServer, Request, Step};
use serde_json::{json, Value};

const SESSION: &str = r#"{"session":{"id":"sess_proxy","state":"idle","agent_id":"agent_pro"}}"#;

fn answering() -> HostileServer {
    HostileServer::start(|_: &Request| {
        vec![Step::ReadBody, Step::Write(response(200, &[], SESSION))]
    })
}

fn create(options: Value) -> gumloop::Result<String> {
    let client = Client::new(Some(&options.to_string())).expect("client");
    gumloop::block_on(client.create_session(
        "agent_pro",
        Some(r#"{"input":"hi"}"#),
        &CallAuth::default(),
        None,
    ))
    .expect("not inside a runtime")
}

fn options(base: &str, extra: Value) -> Value {
    let mut options = json!({
        "access_token": "gk_personal_ada",
        "user_id": "user_ada",
        "base_url": format!("{base}/api/v1"),
        "max_retries": 0,
        "timeout_ms": 10_000,
    });
    for (k, v) in extra.as_object().expect("object") {
        options[k] = v.clone();
    }
    options
}

#[test]
fn environment_proxies_follow_the_documented_rule() {
    let proxy = answering();
    let origin = answering();
    for name in ["NO_PROXY", "no_proxy"] {
        std::env::remove_var(name);
    }
    for name in [
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ] {
        std::env::set_var(name, proxy.url());
    }

    // Loopback never goes through an environment proxy: the token stays on this machine.
    let port = origin.addr().port();
    for base in [origin.url(), format!("http://localhost:{port}")] {
        create(options(&base, json!({}))).expect("direct to loopback");
    }
    assert_eq!(
        proxy.requests().len(),
        0,
        "the proxy got a loopback request"
    );
    assert_eq!(origin.requests().len(), 2);

    // Another host goes through http_proxy, in absolute form.
    create(options(
        "http://gumloop.test",
        json!({ "allow_insecure_http": true }),
    ))
    .expect("through the proxy");
    let seen = proxy.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].target,
        "http://gumloop.test/api/v1/agents/agent_pro/sessions"
    );

    // An explicit `proxy` option applies to every request, loopback too.
    create(options(&origin.url(), json!({ "proxy": proxy.url() }))).expect("explicit proxy");
    assert_eq!(proxy.requests().len(), 2);
    assert_eq!(origin.requests().len(), 2);

    // `use_env_proxy: false` ignores the environment; an explicit proxy still applies.
    create(options(
        &origin.url(),
        json!({ "use_env_proxy": false, "proxy": proxy.url() }),
    ))
    .expect("explicit proxy, environment off");
    assert_eq!(proxy.requests().len(), 3);
    let refused = Client::new(Some(
        &options(&origin.url(), json!({ "use_env_proxy": "no" })).to_string(),
    ))
    .expect_err("use_env_proxy must be a boolean");
    assert_eq!(refused.param.as_deref(), Some("use_env_proxy"));

    // NO_PROXY ranges, as curl reads them: an address inside `192.0.2.0/24` or `2001:db8::/32`
    // goes direct (here it fails to connect: nobody listens at those documentation addresses),
    // one outside goes through the proxy.
    std::env::set_var("NO_PROXY", "192.0.2.0/24, [2001:db8::]/32");
    let before = proxy.requests().len();
    for direct in ["http://192.0.2.1", "http://[2001:db8::5]"] {
        let e = create(options(
            direct,
            json!({ "allow_insecure_http": true, "connect_timeout_ms": 500 }),
        ))
        .expect_err("direct to an address nobody serves");
        assert!(
            matches!(
                e.kind,
                gumloop::ErrorKind::Connect | gumloop::ErrorKind::Timeout
            ),
            "{direct}: {e:?}"
        );
    }
    assert_eq!(
        proxy.requests().len(),
        before,
        "a NO_PROXY range went through the proxy"
    );
    create(options(
        "http://198.51.100.7",
        json!({ "allow_insecure_http": true }),
    ))
    .expect("outside the ranges: through the proxy");
    let seen = proxy.requests();
    assert_eq!(seen.len(), before + 1);
    assert_eq!(
        seen[before].target,
        "http://198.51.100.7/api/v1/agents/agent_pro/sessions"
    );
    std::env::remove_var("NO_PROXY");
}
