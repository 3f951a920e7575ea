//! OAuth against the emulator: the authorization URL the SDK builds, the sign-in flow, the wire
//! form of the four calls, and a client that refreshes its token after a 401 (once per wave,
//! the new pair taken by the caller; a dead refresh token ends in a clear error).

mod common;

use common::{parse, run, Emulator};
use gumloop::{Client, ErrorKind};
use serde_json::{json, Value};
use std::sync::{Arc, Barrier};

const REDIRECT: &str = "http://127.0.0.1:8765/callback";

/// A client with no token, for signing in (an OAuth client needs only its `client_id`).
fn signing_client(emu: &Emulator) -> Client {
    Client::new(Some(
        &json!({"base_url": emu.running.api_url, "client_id": "gumloop_cli"}).to_string(),
    ))
    .expect("a client with only a client_id")
}

/// The authorization URL for `params`, through the C function.
fn authorization_url(params: Value) -> Value {
    let params = std::ffi::CString::new(params.to_string()).unwrap();
    let mut out = std::ptr::null_mut();
    // SAFETY: a NUL-terminated string and a writable out-parameter.
    let code =
        unsafe { gumloop::ffi::gumloop_oauth_build_authorization_url(params.as_ptr(), &mut out) };
    // SAFETY: the library's own string, freed once below.
    let text = unsafe { std::ffi::CStr::from_ptr(out) }
        .to_str()
        .unwrap()
        .to_string();
    // SAFETY: as above.
    unsafe { gumloop::ffi::gumloop_string_free(out) };
    assert_eq!(code, 0, "{text}");
    parse(&text)
}

/// Approves `url` as the user would (the emulator's `auto_approve`) and returns the redirect's
/// query pairs.
fn approve(url: &str) -> Vec<(String, String)> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let url = format!("{url}&auto_approve=true");
    let response = gumloop::block_on(async move { client.get(url).send().await.unwrap() }).unwrap();
    assert_eq!(response.status().as_u16(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(REDIRECT), "{location}");
    url::Url::parse(&location)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Signs in through the whole flow and returns the token answer.
fn sign_in(emu: &Emulator) -> Value {
    let built = authorization_url(json!({
        "client_id": "gumloop_cli", "redirect_uri": REDIRECT,
        "scopes": ["gumloop_api", "userinfo"], "base_url": emu.running.api_url,
    }));
    let pairs = approve(built["url"].as_str().unwrap());
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(get("state"), built["state"].as_str().unwrap());
    let client = signing_client(emu);
    let tokens = run(client.oauth_exchange_code(
        "gumloop_cli",
        &get("code"),
        REDIRECT,
        built["code_verifier"].as_str().unwrap(),
        None,
        None,
    ))
    .expect("the code is exchanged");
    parse(&tokens)
}

/// A client acting with `tokens`, refreshing as `gumloop_cli`.
fn refreshing_client(emu: &Emulator, tokens: &Value) -> Client {
    Client::new(Some(
        &json!({
            "base_url": emu.running.api_url,
            "stream_base_url": emu.running.stream_url,
            "access_token": tokens["access_token"],
            "refresh_token": tokens["refresh_token"],
            "client_id": "gumloop_cli",
        })
        .to_string(),
    ))
    .unwrap()
}

fn refreshes(emu: &Emulator) -> u64 {
    emu.admin("GET", "/oauth", None)["refreshes"]
        .as_u64()
        .unwrap()
}

fn token_requests(emu: &Emulator) -> usize {
    emu.requests()
        .iter()
        .filter(|r| r["path"] == "/oauth/token")
        .count()
}

#[test]
fn the_authorization_url_carries_the_sdks_parameters_and_the_flow_signs_in() {
    let emu = Emulator::start();
    let built = authorization_url(json!({
        "client_id": "gumloop_cli", "redirect_uri": REDIRECT,
        "scopes": "gumloop_api userinfo", "resource": "https://mcp.example/x",
        "base_url": emu.running.api_url,
    }));
    let url = url::Url::parse(built["url"].as_str().unwrap()).unwrap();
    assert_eq!(url.path(), "/oauth/authorize");
    let names: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
    assert_eq!(
        names,
        [
            "response_type",
            "client_id",
            "redirect_uri",
            "scope",
            "state",
            "code_challenge",
            "code_challenge_method",
            "resource"
        ]
    );
    let verifier = built["code_verifier"].as_str().unwrap();
    assert_eq!(verifier.len(), 86, "64 random bytes, base64url");
    assert!(url
        .query()
        .unwrap()
        .contains("&scope=gumloop_api+userinfo&"));
    // The whole flow: approve, exchange, use the token.
    let tokens = sign_in(&emu);
    assert_eq!(tokens["token_type"], "Bearer");
    let client = refreshing_client(&emu, &tokens);
    let agent = run(client.get_agent("agent_pro", None)).expect("the token works");
    assert_eq!(parse(&agent)["agent"]["id"], "agent_pro");
}

#[test]
fn the_oauth_calls_send_the_sdks_requests_field_by_field() {
    let emu = Emulator::start();
    let client = Client::new(Some(
        &json!({"base_url": emu.running.api_url, "access_token": "gk_personal_ada",
                "user_id": "user_ada", "team_id": "team_pro"})
        .to_string(),
    ))
    .unwrap();
    let registered = run(client.oauth_register_client(
        "http://127.0.0.1:9/cb",
        None,
        Some(r#"["gumloop","userinfo"]"#),
        None,
    ))
    .unwrap();
    let client_id = parse(&registered)["client_id"]
        .as_str()
        .unwrap()
        .to_string();
    let refused = run(client.oauth_exchange_code(
        &client_id,
        "c/1 2",
        "http://127.0.0.1:9/cb",
        "v~.",
        None,
        None,
    ))
    .unwrap_err();
    assert_eq!(refused.kind, ErrorKind::BadRequest);
    assert_eq!(
        refused.server.as_ref().unwrap().code.as_deref(),
        Some("invalid_grant")
    );
    run(client.oauth_refresh_token(&client_id, "grt_x", Some("s3cret"), None)).unwrap_err();
    assert_eq!(
        run(client.oauth_revoke(&client_id, "tok", None)).unwrap(),
        "{}"
    );
    let logged = emu.requests();
    let wire: Vec<(&str, &str, &str)> = logged
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap(),
                r["headers"]["content-type"].as_str().unwrap_or(""),
                r["body"].as_str().unwrap(),
            )
        })
        .collect();
    // The SDK's fields in its order (httpx writes compact JSON).
    let register_body = r#"{"client_name":"Gumloop Python SDK","redirect_uris":["http://127.0.0.1:9/cb"],"grant_types":["authorization_code","refresh_token"],"response_types":["code"],"token_endpoint_auth_method":"none","scope":"gumloop userinfo"}"#;
    assert_eq!(
        wire[0],
        ("/oauth/register", "application/json", register_body)
    );
    let form = "application/x-www-form-urlencoded";
    assert_eq!(
        wire[1..],
        [
            ("/oauth/token", form, format!("grant_type=authorization_code&client_id={client_id}&code=c%2F1+2&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&code_verifier=v~.").as_str()),
            ("/oauth/token", form, format!("grant_type=refresh_token&client_id={client_id}&refresh_token=grt_x&client_secret=s3cret").as_str()),
            ("/oauth/revoke", form, format!("client_id={client_id}&token=tok").as_str()),
        ]
    );
    // No credential, user ID or team rides on an OAuth request.
    for request in &logged {
        assert!(
            request["headers"].get("authorization").is_none(),
            "{request}"
        );
        assert!(request["headers"].get("x-auth-key").is_none(), "{request}");
        assert!(request["query"].is_null(), "{request}");
    }
}

#[test]
fn an_expired_token_is_refreshed_once_and_the_call_repeated() {
    let emu = Emulator::start();
    let tokens = sign_in(&emu);
    let client = refreshing_client(&emu, &tokens);
    run(client.get_agent("agent_pro", None)).unwrap();
    assert_eq!(client.take_tokens(), None, "no refresh yet");
    emu.admin("POST", "/oauth/expire", Some(json!({})));
    let agent = run(client.get_agent("agent_pro", None)).expect("refreshed and repeated");
    assert_eq!(parse(&agent)["agent"]["id"], "agent_pro");
    assert_eq!((refreshes(&emu), client.refresh_count()), (1, 1));
    let pair = parse(&client.take_tokens().expect("the new pair"));
    assert_eq!(pair["refresh_count"], 1);
    let rotated = pair["tokens"]["refresh_token"].as_str().unwrap();
    assert_ne!(rotated, tokens["refresh_token"].as_str().unwrap());
    assert_eq!(client.take_tokens(), None, "taken once");
    // A stream that opens with an expired token is refreshed and opened again the same way.
    emu.admin("POST", "/oauth/expire", Some(json!({})));
    let start = gumloop::StreamStart::Create {
        agent_id: "agent_pro",
        body_json: Some(r#"{"input":"[words:2]"}"#),
    };
    let summary = run(client.stream(start, &mut |_| true, None)).expect("refreshed stream");
    assert!(summary.finished);
    assert_eq!(client.refresh_count(), 2);
    assert!(client.take_tokens().is_some());
    emu.admin("POST", "/oauth/expire", Some(json!({})));
    // The rotated token is the one the client uses next time.
    emu.admin("POST", "/oauth/expire", Some(json!({})));
    run(client.get_agent("agent_pro", None)).unwrap();
    assert_eq!(refreshes(&emu), 3);
    assert_eq!(emu.admin("GET", "/oauth", None)["refreshes_refused"], 0);
}

#[test]
fn ten_concurrent_calls_meeting_a_401_cause_exactly_one_refresh() {
    let emu = Emulator::start();
    let tokens = sign_in(&emu);
    let client = Arc::new(refreshing_client(&emu, &tokens));
    run(client.get_agent("agent_pro", None)).unwrap();
    emu.admin("POST", "/oauth/expire", Some(json!({})));
    emu.admin("DELETE", "/requests", None);
    let barrier = Arc::new(Barrier::new(10));
    let threads: Vec<_> = (0..10)
        .map(|_| {
            let (client, barrier) = (client.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                run(client.get_agent("agent_pro", None))
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap().expect("every call succeeds");
    }
    assert_eq!(refreshes(&emu), 1);
    assert_eq!(token_requests(&emu), 1);
    assert_eq!(client.refresh_count(), 1);
    let logged = emu.requests();
    let unauthorized = logged
        .iter()
        .filter(|r| r["path"].as_str().unwrap().ends_with("agent_pro"))
        .count();
    assert!(
        (11..=20).contains(&unauthorized),
        "each call repeated at most once: {unauthorized}"
    );
    let pair = parse(&client.take_tokens().unwrap());
    assert_ne!(pair["tokens"]["refresh_token"], tokens["refresh_token"]);
}

#[test]
fn a_revoked_refresh_token_ends_in_the_401_with_the_refresh_error_attached() {
    let emu = Emulator::start();
    let tokens = sign_in(&emu);
    let client = refreshing_client(&emu, &tokens);
    run(client.oauth_revoke(
        "gumloop_cli",
        tokens["refresh_token"].as_str().unwrap(),
        None,
    ))
    .unwrap();
    emu.admin("POST", "/oauth/expire", Some(json!({})));
    let error = run(client.get_agent("agent_pro", None)).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Unauthorized);
    let document = error.to_document();
    assert_eq!(document["error"]["code"], "token_expired", "{document}");
    let refresh = &document["error"]["details"]["refresh"];
    assert_eq!(refresh["status"], 400, "{document}");
    assert_eq!(refresh["code"], "invalid_grant", "{document}");
    assert!(
        refresh["message"].as_str().unwrap().contains("revoked"),
        "{document}"
    );
    // The dead refresh token is not tried again.
    let again = run(client.get_agent("agent_pro", None)).unwrap_err();
    assert_eq!(again.kind, ErrorKind::Unauthorized);
    assert!(again.to_document()["error"]["details"]
        .get("refresh")
        .is_none());
    assert_eq!(
        token_requests(&emu),
        2,
        "the exchange and the one refused refresh"
    );
    assert_eq!(client.refresh_count(), 0);
    let text = document.to_string();
    assert!(
        !text.contains(tokens["refresh_token"].as_str().unwrap()),
        "{text}"
    );
}

#[test]
fn a_refresh_that_fails_with_a_server_error_keeps_the_tokens() {
    let emu = Emulator::start();
    let tokens = sign_in(&emu);
    let client = refreshing_client(&emu, &tokens);
    emu.admin("POST", "/oauth/expire", Some(json!({})));
    emu.fault(json!({"method": "POST", "path": "/oauth/token", "status": 500, "times": 1}));
    let error = run(client.get_agent("agent_pro", None)).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Unauthorized);
    assert_eq!(
        error.to_document()["error"]["details"]["refresh"]["status"],
        500
    );
    // The refresh token was kept: the next 401 refreshes.
    run(client.get_agent("agent_pro", None)).expect("refreshed now");
    assert_eq!((refreshes(&emu), client.refresh_count()), (1, 1));
}

#[test]
fn a_client_with_only_a_refresh_token_gets_its_first_token_before_its_first_call() {
    let emu = Emulator::start();
    let tokens = sign_in(&emu);
    let client = Client::new(Some(
        &json!({"base_url": emu.running.api_url, "client_id": "gumloop_cli",
                "refresh_token": tokens["refresh_token"]})
        .to_string(),
    ))
    .unwrap();
    emu.admin("DELETE", "/requests", None);
    run(client.get_agent("agent_pro", None)).unwrap();
    let paths: Vec<String> = emu
        .requests()
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths, ["/oauth/token", "/api/v1/agents/agent_pro"]);
    // A refresh token that no longer works: no credential, the refresh's error attached.
    let stale = Client::new(Some(
        &json!({"base_url": emu.running.api_url, "client_id": "gumloop_cli",
                "refresh_token": tokens["refresh_token"]})
        .to_string(),
    ))
    .unwrap();
    let error = run(stale.get_agent("agent_pro", None)).unwrap_err();
    assert_eq!(error.kind, ErrorKind::NoCredentials);
    assert_eq!(
        error.to_document()["error"]["details"]["refresh"]["code"],
        "invalid_grant"
    );
    emu.admin("DELETE", "/requests", None);
    // A signing-in client without a token refuses API calls before sending anything.
    let signing = signing_client(&emu);
    let error = run(signing.get_agent("agent_pro", None)).unwrap_err();
    assert_eq!(error.kind, ErrorKind::NoCredentials);
    assert_eq!(emu.requests().len(), 0);
}

#[test]
fn credentials_replaced_on_a_live_client_apply_to_the_next_call_on_the_same_connection() {
    let emu = Emulator::start();
    let client = emu.client(json!({"access_token": "gk_wrong"}));
    let error = run(client.get_agent("agent_pro", None)).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Unauthorized);
    let connections = || {
        emu.admin("GET", "/stats", None)["connections"]["total"]
            .as_u64()
            .unwrap()
    };
    let before = connections();
    assert_eq!(
        client
            .set_credentials(r#"{"access_token":"gk_personal_ada"}"#)
            .unwrap(),
        1
    );
    run(client.get_agent("agent_pro", None)).expect("the new token is used");
    // Each admin request opens its own connection: one more is the stats request itself.
    assert_eq!(
        connections(),
        before + 1,
        "the client's connection was kept"
    );
    // A refused change changes nothing.
    let e = client
        .set_credentials(r#"{"access_token":"x\ny"}"#)
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidArgument);
    run(client.get_agent("agent_pro", None)).unwrap();
    // Dropping the user ID: the personal key now lacks its x-auth-key.
    client.set_credentials(r#"{"user_id":null}"#).unwrap();
    let error = run(client.get_agent("agent_pro", None)).unwrap_err();
    assert_eq!(
        error.server.unwrap().code.as_deref(),
        Some("invalid_auth_key")
    );
}

#[test]
fn a_credential_set_is_replaced_whole_while_calls_run_on_other_threads() {
    let emu = Emulator::start();
    // Two sets that each work, and fail when mixed: a personal key needs its user ID, and the
    // OAuth token is sent without one.
    let personal = r#"{"access_token":"gk_personal_ada","user_id":"user_ada"}"#;
    let oauth = r#"{"access_token":"gt_oauth_ada","user_id":null}"#;
    let client = Arc::new(emu.client(json!({})));
    let running = Arc::new(std::sync::atomic::AtomicUsize::new(4));
    let callers: Vec<_> = (0..4)
        .map(|_| {
            let (client, running) = (client.clone(), running.clone());
            std::thread::spawn(move || {
                for _ in 0..25 {
                    run(client.get_agent("agent_pro", None)).expect("never a torn credential set");
                }
                running.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
            })
        })
        .collect();
    // Flip between the sets for as long as the calls run.
    let mut flips = 0u64;
    while running.load(std::sync::atomic::Ordering::SeqCst) > 0 {
        let set = if flips % 2 == 0 { oauth } else { personal };
        flips += 1;
        assert_eq!(client.set_credentials(set).unwrap(), flips);
        std::thread::yield_now();
    }
    for caller in callers {
        caller.join().unwrap();
    }
    assert!(flips > 1, "{flips}");
    // Both sets were really used: the log has requests with and without x-auth-key.
    let logged = emu.requests();
    let with_user = logged
        .iter()
        .filter(|r| r["headers"].get("x-auth-key").is_some())
        .count();
    assert!(
        with_user > 0 && with_user < logged.len(),
        "{with_user} of {}",
        logged.len()
    );
}
