//! The OAuth endpoints at the api host's root: the authorization step without a browser, the
//! token endpoint's grants (PKCE, rotation), revocation, registration, and the RFC error shape.

mod common;

use common::*;
use serde_json::{json, Value};

const REDIRECT: &str = "http://127.0.0.1:8765/callback";
/// The PKCE pair of the tests: the challenge is the S256 of the verifier.
const VERIFIER: &str = "dBjftJeZ4CVP-mJ0kNw9XpI0cnwgYyRxM7FSM7cCZk";
const CHALLENGE: &str = "v48doeNx9KiMpJNOI3GwPlMK3otkBaMPZ4ADhzSXcsA";

async fn form(emu: &Emu, path: &str, body: &str) -> Resp {
    let request = format!(
        "POST {path} HTTP/1.1\r\nhost: emulator.test\r\nconnection: close\r\n\
         content-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    parse_response(&emu.api.raw(request.as_bytes()).await).unwrap()
}

fn authorize_path(extra: &str) -> String {
    format!(
        "/oauth/authorize?response_type=code&client_id=gumloop_cli&redirect_uri=\
         http%3A%2F%2F127.0.0.1%3A8765%2Fcallback&scope=gumloop+userinfo&state=st&\
         code_challenge={CHALLENGE}&code_challenge_method=S256{extra}"
    )
}

/// The query pairs of a redirect's `Location`.
fn returned(resp: &Resp) -> Vec<(String, String)> {
    let location = resp.header("location").expect("a Location");
    assert!(location.starts_with(REDIRECT), "{location}");
    location
        .split_once('?')
        .map(|(_, q)| q)
        .unwrap_or("")
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

async fn code(emu: &Emu) -> String {
    let resp = emu
        .api
        .get(&authorize_path("&auto_approve=true"), &[])
        .await;
    assert_eq!(resp.status, 302);
    let pairs = returned(&resp);
    assert!(pairs.contains(&("state".into(), "st".into())), "{pairs:?}");
    pairs.into_iter().find(|(k, _)| k == "code").unwrap().1
}

fn rfc(resp: &Resp, status: u16, error: &str) {
    assert_eq!(resp.status, status, "{}", resp.text());
    let body = resp.json();
    assert_eq!(body["error"], error, "{body}");
    assert!(
        body["error_description"]
            .as_str()
            .is_some_and(|d| !d.is_empty()),
        "{body}"
    );
}

#[tokio::test]
async fn a_code_is_issued_without_a_browser_and_exchanged_once_with_its_verifier() {
    let emu = emu().await;
    // Without auto_approve: a consent page whose link approves.
    let page = emu.api.get(&authorize_path(""), &[]).await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("auto_approve=true"), "{}", page.text());

    let first = code(&emu).await;
    let exchange = |verifier: &'static str, code: String| {
        format!(
            "grant_type=authorization_code&client_id=gumloop_cli&code={code}&\
             redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback&code_verifier={verifier}"
        )
    };
    rfc(
        &form(&emu, "/oauth/token", &exchange("wrong", first.clone())).await,
        400,
        "invalid_grant",
    );
    // The failed attempt used the code.
    rfc(
        &form(&emu, "/oauth/token", &exchange(VERIFIER, first)).await,
        400,
        "invalid_grant",
    );
    let tokens = form(&emu, "/oauth/token", &exchange(VERIFIER, code(&emu).await)).await;
    assert_eq!(tokens.status, 200, "{}", tokens.text());
    let tokens = tokens.json();
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["scope"], "gumloop userinfo");
    let bearer = format!("Bearer {}", tokens["access_token"].as_str().unwrap());
    let agent = emu
        .api
        .get("/api/v1/agents/agent_pro", &[("authorization", &bearer)])
        .await;
    assert_eq!(agent.status, 200, "{}", agent.text());

    // Expired: the API's own 401.
    emu.api.post("/_emulator/oauth/expire", &[], "{}").await;
    let expired = emu
        .api
        .get("/api/v1/agents/agent_pro", &[("authorization", &bearer)])
        .await;
    assert_eq!(expired.status, 401);
    assert_eq!(expired.json()["error"]["code"], "token_expired");

    // Refresh tokens rotate; a used one is refused.
    let refresh = |token: &str| {
        format!("grant_type=refresh_token&client_id=gumloop_cli&refresh_token={token}")
    };
    let first = tokens["refresh_token"].as_str().unwrap();
    let rotated = form(&emu, "/oauth/token", &refresh(first)).await.json();
    assert_ne!(rotated["refresh_token"], tokens["refresh_token"]);
    rfc(
        &form(&emu, "/oauth/token", &refresh(first)).await,
        400,
        "invalid_grant",
    );
    // Revoked: refused too; revoke answers 200 with an empty body, known token or not.
    let next = rotated["refresh_token"].as_str().unwrap();
    for token in [next, "unknown"] {
        let revoked = form(
            &emu,
            "/oauth/revoke",
            &format!("client_id=gumloop_cli&token={token}"),
        )
        .await;
        assert_eq!((revoked.status, revoked.text()), (200, String::new()));
    }
    rfc(
        &form(&emu, "/oauth/token", &refresh(next)).await,
        400,
        "invalid_grant",
    );
    let stats = emu.api.get("/_emulator/oauth", &[]).await.json();
    assert_eq!(
        (&stats["refreshes"], &stats["refreshes_refused"]),
        (&json!(1), &json!(2))
    );
}

#[tokio::test]
async fn malformed_requests_get_rfc_errors() {
    let emu = emu().await;
    // An unknown client or redirect cannot be redirected to: a 400 body.
    let unknown = emu
        .api
        .get(
            &authorize_path("&auto_approve=true").replace("gumloop_cli", "nobody"),
            &[],
        )
        .await;
    rfc(&unknown, 400, "invalid_client");
    // Without PKCE: the error goes back to the redirect URI, with the state.
    let plain = emu
        .api
        .get(
            &authorize_path("&auto_approve=true").replace("S256", "plain"),
            &[],
        )
        .await;
    assert_eq!(plain.status, 302);
    let pairs = returned(&plain);
    assert!(
        pairs.contains(&("error".into(), "invalid_request".into())),
        "{pairs:?}"
    );
    // The token endpoint takes forms only, known grants only, known clients only.
    let json_body = emu
        .api
        .post("/oauth/token", &[], r#"{"grant_type":"refresh_token"}"#)
        .await;
    rfc(&json_body, 400, "invalid_request");
    rfc(
        &form(
            &emu,
            "/oauth/token",
            "grant_type=password&client_id=gumloop_cli",
        )
        .await,
        400,
        "unsupported_grant_type",
    );
    rfc(
        &form(
            &emu,
            "/oauth/token",
            "grant_type=refresh_token&client_id=x&refresh_token=y",
        )
        .await,
        401,
        "invalid_client",
    );
    rfc(
        &form(&emu, "/oauth/token", "client_id=gumloop_cli").await,
        400,
        "invalid_request",
    );
    // Registration needs redirect URIs; a registered client then authorizes with its own.
    let none = emu
        .api
        .post("/oauth/register", &[], r#"{"client_name":"x"}"#)
        .await;
    rfc(&none, 400, "invalid_redirect_uri");
    let registered = emu
        .api
        .post(
            "/oauth/register",
            &[],
            r#"{"client_name":"x","redirect_uris":["https://app.example/cb"]}"#,
        )
        .await;
    assert_eq!(registered.status, 201, "{}", registered.text());
    let client: Value = registered.json();
    assert!(client["client_id"].as_str().unwrap().starts_with("oc_"));
    let approve = emu
        .api
        .post(
            "/_emulator/oauth/approve",
            &[],
            &json!({"url": authorize_path("")
                .replace("gumloop_cli", client["client_id"].as_str().unwrap())
                .replace("http%3A%2F%2F127.0.0.1%3A8765%2Fcallback", "https%3A%2F%2Fapp.example%2Fcb")})
            .to_string(),
        )
        .await
        .json();
    assert!(
        approve["redirect"]
            .as_str()
            .unwrap()
            .starts_with("https://app.example/cb?code="),
        "{approve}"
    );
    assert_eq!(approve["state"], "st");
}

#[tokio::test]
async fn access_tokens_live_as_long_as_the_fixtures_say() {
    // A lifetime of 0: every token is expired when it is issued.
    let emu = emu_with(fixtures(r#"{"oauth_token_ttl_ms": 0}"#)).await;
    let body = format!(
        "grant_type=authorization_code&client_id=gumloop_cli&code={}&\
         redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback&code_verifier={VERIFIER}",
        code(&emu).await
    );
    let tokens = form(&emu, "/oauth/token", &body).await.json();
    assert_eq!(tokens["expires_in"], 0);
    let bearer = format!("Bearer {}", tokens["access_token"].as_str().unwrap());
    let agent = emu
        .api
        .get("/api/v1/agents/agent_pro", &[("authorization", &bearer)])
        .await;
    assert_eq!(agent.status, 401);
    assert_eq!(agent.json()["error"]["code"], "token_expired");
}
