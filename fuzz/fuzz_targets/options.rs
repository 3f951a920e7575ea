//! Client options: `Config::parse(Some(text), &env)` with a fixed fake environment.
//!
//! Each input is parsed twice:
//! 1. as given (unless it names `ca_cert_path`, see below);
//! 2. with secrets planted: `access_token` and `api_key` (added when neither is there) get a
//!    marker in front of their fuzzed text, a fuzzed `proxy` URL gets the marker as its
//!    password, and the environment's credentials hold the marker too. The marker must never
//!    appear in an error message, an error document or the `Debug` text of a parsed `Config`.
//!
//! `ca_cert_path` makes the parser read a file. Inputs never choose that path: in pass 1 an input
//! naming the option is skipped, and in pass 2 its value, when a string, is replaced by a path
//! under a directory that does not exist, so only the "cannot read" branch runs and no file of
//! the machine is ever read.

#![no_main]

mod common;

use common::check_error;
use gumloop::CredentialSource;
use gumloop::{Config, ErrorKind};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

/// Planted in every credential; long and odd enough that no option text contains it by chance.
const MARKER: &str = "SeCrEt-MaRkEr-0d1f2e3c";
/// The only path `ca_cert_path` ever gets: its directory does not exist.
const MISSING_CA_PATH: &str = "/nonexistent-gumloop-fuzz-dir/ca.pem";

/// The options the README names (written out here, not taken from the library, so
/// that an option the library accepts without documenting it is a finding).
const KNOWN_OPTIONS: &[&str] = &[
    "access_token",
    "api_key",
    "user_id",
    "team_id",
    "base_url",
    "stream_base_url",
    "timeout_ms",
    "connect_timeout_ms",
    "stream_idle_timeout_ms",
    "ca_cert_pem",
    "ca_cert_path",
    "proxy",
    "use_env_proxy",
    "user_agent_suffix",
    "max_response_bytes",
    "max_upload_bytes",
    "allow_insecure_http",
    "extra_headers",
    "max_retries",
    "max_backoff_ms",
    "auto_session_id",
];

fn fake_env(name: &str) -> Option<String> {
    match name {
        "GUMLOOP_ACCESS_TOKEN" => Some(format!("gk_env_{MARKER}")),
        "GUMLOOP_API_KEY" => Some(format!("gk_key_{MARKER}")),
        "GUMLOOP_USER_ID" => Some("user_env".to_string()),
        "GUMLOOP_TEAM_ID" => Some("team_env".to_string()),
        _ => None,
    }
}

fn is_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f
}

fn header_safe(s: &str) -> bool {
    !s.bytes().any(is_control)
}

fn check_base_url(url: &url::Url, allow_insecure_http: bool) {
    match url.scheme() {
        "https" => {}
        "http" => {
            let loopback = match url.host() {
                Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => false,
            };
            assert!(allow_insecure_http || loopback, "accepted {url}");
        }
        other => panic!("accepted scheme {other:?} in {url}"),
    }
    assert!(url.host().is_some(), "accepted {url} without a host");
    assert!(
        url.query().is_none() && url.fragment().is_none(),
        "accepted {url}"
    );
}

/// What an accepted configuration must satisfy.
fn check_config(c: &Config, options: Option<&Map<String, Value>>) {
    check_base_url(&c.base_url, c.allow_insecure_http);
    check_base_url(&c.stream_base_url, c.allow_insecure_http);
    assert!(!c.timeout.is_zero() && !c.connect_timeout.is_zero());
    assert!(!c.stream_idle_timeout.is_zero());
    assert!(c.max_response_bytes > 0 && c.max_response_bytes <= 1 << 30);
    if let CredentialSource::Fixed(token) = &c.credential {
        assert!(!token.expose().is_empty() && header_safe(token.expose()));
    }
    for value in [&c.user_id, &c.user_agent_suffix].into_iter().flatten() {
        assert!(
            header_safe(value),
            "accepted a header value with a control character"
        );
    }
    for (name, value) in &c.extra_headers {
        assert!(header_safe(value));
        assert!(!name.is_empty());
        let lower = name.to_ascii_lowercase();
        assert!(
            ![
                "authorization",
                "x-auth-key",
                "idempotency-key",
                "host",
                "content-length",
                "content-encoding",
                "transfer-encoding",
                "expect",
                "upgrade",
                "te",
                "connection",
            ]
            .contains(&lower.as_str())
                && !lower.starts_with("proxy-"),
            "extra header {name} replaces one the library sets"
        );
    }
    if let Some(options) = options {
        for key in options.keys() {
            assert!(
                KNOWN_OPTIONS.contains(&key.as_str()),
                "accepted unknown option {key:?}"
            );
        }
    }
}

/// Parses `text`; checks the error or the config. Returns the texts a secret must not be in.
fn parse_and_check(text: &str, options: Option<&Map<String, Value>>) -> Vec<String> {
    match Config::parse(Some(text), &fake_env) {
        Ok(c) => {
            check_config(&c, options);
            vec![format!("{c:?}")]
        }
        Err(e) => {
            let doc = check_error(&e);
            assert!(
                matches!(e.kind, ErrorKind::InvalidJson | ErrorKind::InvalidOption),
                "unexpected kind: {e:?}"
            );
            // A refused option names a param: a known option, the whole options text, or the
            // unknown key as written (which may be any string, even empty).
            let param = e.param.as_deref().expect("a refused option names a param");
            assert!(
                KNOWN_OPTIONS.contains(&param)
                    || param == "options_json"
                    || options.is_some_and(|m| m.contains_key(param)),
                "a refused option names {param:?}: {e:?}"
            );
            vec![e.message.clone(), doc, format!("{e:?}"), e.to_string()]
        }
    }
}

/// The input with secrets planted and `ca_cert_path` made harmless.
fn planted(mut map: Map<String, Value>) -> Map<String, Value> {
    let mut planted_token = false;
    for key in ["access_token", "api_key"] {
        if let Some(Value::String(s)) = map.get(key) {
            let secret = format!("{MARKER}{s}");
            map.insert(key.to_string(), Value::String(secret));
            planted_token = true;
        }
    }
    if !planted_token && !map.contains_key("access_token") && !map.contains_key("api_key") {
        map.insert("access_token".into(), Value::String(MARKER.into()));
    }
    if let Some(Value::String(proxy)) = map.get("proxy") {
        if let Ok(mut url) = url::Url::parse(proxy) {
            if url.set_password(Some(MARKER)).is_ok() {
                map.insert("proxy".into(), Value::String(url.to_string()));
            }
        }
    }
    if let Some(Value::String(_)) = map.get("ca_cert_path") {
        map.insert("ca_cert_path".into(), Value::String(MISSING_CA_PATH.into()));
    }
    map
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if text.contains(MARKER) || text.contains(MISSING_CA_PATH) {
        return;
    }
    // Read the text exactly as Config::parse reads it, to know which keys it holds.
    let parsed = serde_json::from_str::<Value>(text.trim()).ok();
    let object = match &parsed {
        Some(Value::Object(map)) => Some(map),
        _ => None,
    };

    // 1. As given, unless it would read a file.
    if !object.is_some_and(|m| m.contains_key("ca_cert_path")) {
        parse_and_check(text, object);
    }

    // 2. With secrets planted.
    if let Some(map) = object {
        let planted = planted(map.clone());
        let planted_text = Value::Object(planted.clone()).to_string();
        for out in parse_and_check(&planted_text, Some(&planted)) {
            assert!(!out.contains(MARKER), "a credential is echoed: {out}");
        }
    }
});
