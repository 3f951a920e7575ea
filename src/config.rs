//! Client configuration: the options JSON, with the environment as the fallback (`docs/API.md`
//! §1 and §3).

use crate::error::{Error, ErrorKind, Result};
use crate::http::headers::check_header_value;
use crate::http::retry::RetryPolicy;
use crate::secret::Secret;
use reqwest::Url;
use serde_json::{Map, Value};
use std::time::Duration;

/// The production REST base URL.
pub(crate) const DEFAULT_BASE_URL: &str = "https://api.gumloop.com/api/v1";
/// Default whole-request timeout, as the official SDK's.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(90);
/// Default connect timeout.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default longest gap between two bytes of a stream, as the official SDK's.
pub(crate) const DEFAULT_STREAM_IDLE_TIMEOUT: Duration = Duration::from_secs(3600);
/// Default cap on the size of one response body.
pub(crate) const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;
/// Default cap on the bytes of one file upload: the API's documented limit, 200 MB.
pub(crate) const DEFAULT_MAX_UPLOAD_BYTES: u64 = 200 * 1024 * 1024;
/// The largest `max_response_bytes` a client accepts (1 GiB).
pub(crate) const MAX_RESPONSE_BYTES_LIMIT: u64 = 1 << 30;

/// Reads one environment variable; a function so tests need not touch the process environment.
pub type EnvReader<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Reads the process environment, treating empty values as unset.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Where the bearer credential comes from.
#[derive(Clone, Debug)]
pub enum CredentialSource {
    /// Given explicitly: fixed for the client's life.
    Fixed(Secret),
    /// Read from `GUMLOOP_ACCESS_TOKEN` (as the official SDK reads it), then `GUMLOOP_API_KEY`
    /// (which only the SDK's command-line tool reads), on every request, so a rotated token is
    /// picked up live.
    Environment,
}

/// Everything a client needs, checked.
#[derive(Clone, Debug)]
pub struct Config {
    /// The bearer credential.
    pub credential: CredentialSource,
    /// Sent as `x-auth-key` when set.
    pub user_id: Option<String>,
    /// Sent as the `team_id` query parameter on REST calls when set, unless the call has its
    /// own `team_id` (a list filter), which wins; never sent to the streaming host (as the
    /// official SDK does).
    pub team_id: Option<String>,
    /// REST base URL, without a trailing slash.
    pub base_url: Url,
    /// Streaming base URL, without a trailing slash.
    pub stream_base_url: Url,
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// Longest gap between two bytes of a stream.
    pub stream_idle_timeout: Duration,
    /// PEM certificates trusted in addition to the system's roots.
    pub ca_certs_pem: Vec<Vec<u8>>,
    /// Proxy URL for every request.
    pub proxy: Option<Secret>,
    /// The environment's proxies (see `proxy`), unless `use_env_proxy` is false or `proxy` is
    /// set; read when the client is built.
    pub env_proxies: crate::http::proxy::EnvProxies,
    /// Appended to the `User-Agent`.
    pub user_agent_suffix: Option<String>,
    /// Cap on one response body.
    pub max_response_bytes: u64,
    /// Cap on the bytes of one file upload, checked before anything is sent.
    pub max_upload_bytes: u64,
    /// Whether `http://` is allowed for hosts other than loopback.
    pub allow_insecure_http: bool,
    /// Extra headers sent on every request.
    pub extra_headers: Vec<(String, String)>,
    /// When failed requests are repeated.
    pub retry: RetryPolicy,
    /// Whether a create without `session_id` gets one generated, making it safe to repeat.
    pub auto_session_id: bool,
    /// The OAuth client this client refreshes its access token as (options `client_id`,
    /// `client_secret`).
    pub oauth_client: Option<crate::oauth::OAuthClient>,
    /// The OAuth refresh token used when a request meets a 401 (option `refresh_token`; needs
    /// `client_id`).
    pub refresh_token: Option<Secret>,
}

/// The most repeats a client may be configured for.
const MAX_RETRIES_LIMIT: u64 = 10;

struct Options<'a> {
    map: &'a Map<String, Value>,
}

impl<'a> Options<'a> {
    fn string(&self, key: &str) -> Result<Option<String>> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Err(Error::invalid_option(
                key,
                format!("option `{key}` must not be empty"),
            )),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Error::invalid_option(
                key,
                format!("option `{key}` must be a string"),
            )),
        }
    }

    fn millis(&self, key: &str) -> Result<Option<Duration>> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => match n.as_u64() {
                Some(ms) if ms > 0 => Ok(Some(Duration::from_millis(ms))),
                _ => Err(Error::invalid_option(
                    key,
                    format!("option `{key}` must be a positive whole number of milliseconds"),
                )),
            },
            Some(_) => Err(Error::invalid_option(
                key,
                format!("option `{key}` must be a positive whole number of milliseconds"),
            )),
        }
    }

    fn bool(&self, key: &str) -> Result<Option<bool>> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(Error::invalid_option(
                key,
                format!("option `{key}` must be true or false"),
            )),
        }
    }
}

/// Whether `url`'s host is loopback: `localhost`, 127.0.0.0/8 or `::1`.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

pub(crate) fn parse_base_url(param: &str, text: &str, allow_insecure_http: bool) -> Result<Url> {
    let trimmed = text.trim_end_matches('/');
    let url = Url::parse(trimmed)
        .map_err(|e| Error::invalid_option(param, format!("`{param}` is not a valid URL: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http || is_loopback(&url) => {}
        "http" => {
            return Err(Error::invalid_option(
                param,
                format!(
                    "`{param}` uses plain http:// for a host that is not loopback; \
                     use https:// or set allow_insecure_http"
                ),
            ))
        }
        other => {
            return Err(Error::invalid_option(
                param,
                format!("`{param}` has scheme `{other}`; only https:// (or http://) is supported"),
            ))
        }
    }
    if url.host().is_none() {
        return Err(Error::invalid_option(
            param,
            format!("`{param}` has no host"),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid_option(
            param,
            format!("`{param}` must not have a query or fragment"),
        ));
    }
    Ok(url)
}

/// The streaming base derived from the REST base, as the official SDK derives it: the
/// production host `api.gumloop.com` becomes `ws.gumloop.com`, and Gumloop's local development
/// pair `localhost:8080` becomes `localhost:9093`; any other base streams from itself.
fn derive_stream_url(base: &Url) -> Url {
    let mut url = base.clone();
    match (base.host_str(), base.port()) {
        // Setting a valid domain, or a port on a URL with a host, cannot fail.
        (Some("api.gumloop.com"), _) => {
            let _ = url.set_host(Some("ws.gumloop.com"));
        }
        (Some(host), Some(8080)) if host.eq_ignore_ascii_case("localhost") => {
            let _ = url.set_port(Some(9093));
        }
        _ => {}
    }
    url
}

fn read_ca_certs(options: &Options<'_>) -> Result<Vec<Vec<u8>>> {
    let mut certs = Vec::new();
    if let Some(pem) = options.string("ca_cert_pem")? {
        certs.push(pem.into_bytes());
    }
    if let Some(path) = options.string("ca_cert_path")? {
        let pem = std::fs::read(&path).map_err(|e| {
            Error::invalid_option(
                "ca_cert_path",
                format!("cannot read `ca_cert_path` {path:?}: {e}"),
            )
        })?;
        certs.push(pem);
    }
    for pem in &certs {
        if reqwest::Certificate::from_pem_bundle(pem).map_or(true, |c| c.is_empty()) {
            return Err(Error::invalid_option(
                "ca_cert_pem",
                "the CA certificate is not a PEM certificate",
            ));
        }
    }
    Ok(certs)
}

impl Config {
    /// Parses `options_json` (NULL or empty means `{}`), falling back to `env` for what it omits.
    pub fn parse(options_json: Option<&str>, env: EnvReader<'_>) -> Result<Config> {
        let value: Value = match options_json.map(str::trim) {
            None | Some("") => Value::Object(Map::new()),
            Some(text) => serde_json::from_str(text).map_err(|e| {
                Error::about(
                    ErrorKind::InvalidJson,
                    "options_json",
                    format!("options are not valid JSON: {e}"),
                )
            })?,
        };
        let Value::Object(map) = &value else {
            return Err(Error::invalid_option(
                "options_json",
                "options must be a JSON object",
            ));
        };
        // Every key is a declared option with a value of its type (`options.rs`).
        crate::options::check_keys_and_types(map)?;
        let options = Options { map };

        let explicit = match (options.string("access_token")?, options.string("api_key")?) {
            (Some(token), _) => Some(("access_token", token)),
            (None, Some(key)) => Some(("api_key", key)),
            (None, None) => None,
        };
        let credential = match explicit {
            Some((param, token)) => {
                check_header_value(ErrorKind::InvalidOption, param, &token)?;
                CredentialSource::Fixed(Secret::new(token))
            }
            None => CredentialSource::Environment,
        };

        let user_id = options
            .string("user_id")?
            .or_else(|| env("GUMLOOP_USER_ID"));
        if let Some(user) = &user_id {
            check_header_value(ErrorKind::InvalidOption, "user_id", user)?;
        }
        let team_id = options
            .string("team_id")?
            .or_else(|| env("GUMLOOP_TEAM_ID"));

        let allow_insecure_http = options.bool("allow_insecure_http")?.unwrap_or(false);
        let base_text = options
            .string("base_url")?
            .or_else(|| env("GUMLOOP_BASE_URL"))
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
        let base_url = parse_base_url("base_url", &base_text, allow_insecure_http)?;
        let stream_base_url = match options
            .string("stream_base_url")?
            .or_else(|| env("GUMLOOP_STREAM_BASE_URL"))
        {
            Some(text) => parse_base_url("stream_base_url", &text, allow_insecure_http)?,
            None => derive_stream_url(&base_url),
        };

        // The proxy URL may carry a password: it is checked, then kept as a secret.
        let proxy = match options.string("proxy")? {
            Some(text) => {
                Url::parse(&text).map_err(|e| {
                    Error::invalid_option("proxy", format!("`proxy` is not a valid URL: {e}"))
                })?;
                Some(Secret::new(text))
            }
            None => None,
        };
        let use_env_proxy = options.bool("use_env_proxy")?.unwrap_or(true);
        let env_proxies = if proxy.is_none() && use_env_proxy {
            crate::http::proxy::EnvProxies::from_env(env)?
        } else {
            crate::http::proxy::EnvProxies::default()
        };
        let user_agent_suffix = options.string("user_agent_suffix")?;
        if let Some(suffix) = &user_agent_suffix {
            check_header_value(ErrorKind::InvalidOption, "user_agent_suffix", suffix)?;
        }
        let max_response_bytes = match map.get("max_response_bytes") {
            None | Some(Value::Null) => DEFAULT_MAX_RESPONSE_BYTES,
            Some(v) => match v.as_u64() {
                Some(n) if n > 0 && n <= MAX_RESPONSE_BYTES_LIMIT => n,
                _ => {
                    return Err(Error::invalid_option(
                        "max_response_bytes",
                        format!(
                            "option `max_response_bytes` must be a whole number from 1 to \
                             {MAX_RESPONSE_BYTES_LIMIT} (1 GiB)"
                        ),
                    ))
                }
            },
        };
        let max_upload_bytes = positive(map, "max_upload_bytes", DEFAULT_MAX_UPLOAD_BYTES)?;

        let max_retries = match map.get("max_retries") {
            None | Some(Value::Null) => crate::http::retry::DEFAULT_MAX_RETRIES,
            Some(v) => match v.as_u64() {
                Some(n) if n <= MAX_RETRIES_LIMIT => n as u32,
                _ => {
                    return Err(Error::invalid_option(
                        "max_retries",
                        format!(
                        "option `max_retries` must be a whole number from 0 to {MAX_RETRIES_LIMIT}"
                    ),
                    ))
                }
            },
        };
        let retry = RetryPolicy {
            max_retries,
            max_backoff: options
                .millis("max_backoff_ms")?
                .unwrap_or(crate::http::retry::DEFAULT_MAX_BACKOFF),
        };

        let (oauth_client, refresh_token) = read_oauth(&options)?;
        Ok(Config {
            oauth_client,
            refresh_token,
            retry,
            auto_session_id: options.bool("auto_session_id")?.unwrap_or(false),
            credential,
            user_id,
            team_id,
            base_url,
            stream_base_url,
            timeout: options.millis("timeout_ms")?.unwrap_or(DEFAULT_TIMEOUT),
            connect_timeout: options
                .millis("connect_timeout_ms")?
                .unwrap_or(DEFAULT_CONNECT_TIMEOUT),
            stream_idle_timeout: options
                .millis("stream_idle_timeout_ms")?
                .unwrap_or(DEFAULT_STREAM_IDLE_TIMEOUT),
            ca_certs_pem: read_ca_certs(&options)?,
            proxy,
            env_proxies,
            user_agent_suffix,
            max_response_bytes,
            max_upload_bytes,
            allow_insecure_http,
            extra_headers: crate::http::headers::parse_extra_headers(
                map.get("extra_headers"),
                ErrorKind::InvalidOption,
                "extra_headers",
            )?,
        })
    }
}

/// The OAuth options: `client_id` with an optional `client_secret`, and a `refresh_token`,
/// which needs `client_id`. The secrets are checked as header values are (they travel in a form,
/// but a CR or LF in one is a caller's mistake either way).
fn read_oauth(
    options: &Options<'_>,
) -> Result<(Option<crate::oauth::OAuthClient>, Option<Secret>)> {
    let client_id = options.string("client_id")?;
    let client_secret = options.string("client_secret")?;
    let refresh_token = options.string("refresh_token")?;
    for (name, value) in [
        ("client_id", &client_id),
        ("client_secret", &client_secret),
        ("refresh_token", &refresh_token),
    ] {
        if let Some(value) = value {
            check_header_value(ErrorKind::InvalidOption, name, value)?;
        }
    }
    let Some(client_id) = client_id else {
        if let Some(name) = [
            ("client_secret", &client_secret),
            ("refresh_token", &refresh_token),
        ]
        .iter()
        .find_map(|(name, value)| value.is_some().then_some(*name))
        {
            return Err(Error::invalid_option(
                name,
                format!("option `{name}` needs the option `client_id`"),
            ));
        }
        return Ok((None, None));
    };
    let client = crate::oauth::OAuthClient {
        client_id,
        client_secret: client_secret.map(Secret::new),
    };
    Ok((Some(client), refresh_token.map(Secret::new)))
}

/// The positive whole number of option `key`, or `default` when it is absent.
fn positive(map: &Map<String, Value>, key: &str, default: u64) -> Result<u64> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(v) => match v.as_u64() {
            Some(n) if n > 0 => Ok(n),
            _ => Err(Error::invalid_option(
                key,
                format!("option `{key}` must be a positive whole number"),
            )),
        },
    }
}

/// The credential found in the environment: `GUMLOOP_ACCESS_TOKEN`, as the official SDK reads
/// it, then `GUMLOOP_API_KEY`, as the SDK's command-line tool reads it (the SDK's library does
/// not; this library does, so that a program run where the CLI works finds its key).
pub fn env_credential(env: EnvReader<'_>) -> Option<Secret> {
    env("GUMLOOP_ACCESS_TOKEN")
        .or_else(|| env("GUMLOOP_API_KEY"))
        .map(Secret::new)
}

/// The error for a call that has no credential at all.
pub fn no_credentials() -> Error {
    Error::about(
        ErrorKind::NoCredentials,
        "access_token",
        "no credential: pass access_token (or api_key), or set GUMLOOP_ACCESS_TOKEN",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k: &str| map.get(k).cloned()
    }

    #[test]
    fn explicit_options_win_over_the_environment() {
        let env = env_of(&[
            ("GUMLOOP_ACCESS_TOKEN", "env_token"),
            ("GUMLOOP_USER_ID", "env_user"),
            ("GUMLOOP_BASE_URL", "https://env.example/api/v1"),
        ]);
        let c = Config::parse(
            Some(r#"{"access_token":"tok","user_id":"u1","base_url":"https://x.example/api/v1/"}"#),
            &env,
        )
        .unwrap();
        assert!(matches!(c.credential, CredentialSource::Fixed(ref s) if s.expose() == "tok"));
        assert_eq!(c.user_id.as_deref(), Some("u1"));
        assert_eq!(c.base_url.as_str(), "https://x.example/api/v1");
    }

    #[test]
    fn environment_fills_what_options_omit() {
        let env = env_of(&[("GUMLOOP_API_KEY", "k"), ("GUMLOOP_TEAM_ID", "team_1")]);
        let c = Config::parse(None, &env).unwrap();
        assert!(matches!(c.credential, CredentialSource::Environment));
        assert_eq!(c.team_id.as_deref(), Some("team_1"));
        assert_eq!(c.base_url.as_str(), DEFAULT_BASE_URL);
        assert_eq!(c.stream_base_url.as_str(), "https://ws.gumloop.com/api/v1");
    }

    #[test]
    fn the_stream_host_is_derived_as_the_official_sdk_derives_it() {
        let derived = |base: &str| {
            let env = env_of(&[("GUMLOOP_ACCESS_TOKEN", "t"), ("GUMLOOP_BASE_URL", base)]);
            Config::parse(None, &env)
                .unwrap()
                .stream_base_url
                .to_string()
        };
        assert_eq!(
            derived("http://localhost:8080/api/v1"),
            "http://localhost:9093/api/v1"
        );
        assert_eq!(
            derived("https://api.gumloop.com/api/v1/"),
            "https://ws.gumloop.com/api/v1"
        );
        // Any other base streams from itself.
        for base in [
            "http://localhost:8081/api/v1",
            "http://127.0.0.1:8080/api/v1",
        ] {
            assert_eq!(derived(base), base);
        }
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_refused() {
        let env = env_of(&[]);
        let e = Config::parse(Some(r#"{"access_token":"t","timeuot_ms":5}"#), &env).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidOption);
        assert_eq!(e.param.as_deref(), Some("timeuot_ms"));
        let e = Config::parse(Some(r#"{"access_token":"t","timeout_ms":"5"}"#), &env).unwrap_err();
        assert_eq!(e.param.as_deref(), Some("timeout_ms"));
        let e = Config::parse(Some("[1]"), &env).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidOption);
        let e = Config::parse(Some("{"), &env).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidJson);
    }

    #[test]
    fn plain_http_only_for_loopback_unless_allowed() {
        let env = env_of(&[("GUMLOOP_ACCESS_TOKEN", "t")]);
        assert!(Config::parse(Some(r#"{"base_url":"http://127.0.0.1:9/api/v1"}"#), &env).is_ok());
        assert!(Config::parse(Some(r#"{"base_url":"http://localhost:9/api/v1"}"#), &env).is_ok());
        let e =
            Config::parse(Some(r#"{"base_url":"http://example.com/api/v1"}"#), &env).unwrap_err();
        assert_eq!(e.param.as_deref(), Some("base_url"));
        assert!(Config::parse(
            Some(r#"{"base_url":"http://example.com/api/v1","allow_insecure_http":true}"#),
            &env
        )
        .is_ok());
    }

    #[test]
    fn environment_proxies_are_read_unless_turned_off_or_replaced() {
        let env = env_of(&[("GUMLOOP_ACCESS_TOKEN", "t"), ("https_proxy", "http://p:1")]);
        let on = Config::parse(None, &env).unwrap();
        let api = Url::parse("https://api.gumloop.com/api/v1").unwrap();
        assert_eq!(
            on.env_proxies
                .for_url(&api)
                .map(|u| u.to_string())
                .as_deref(),
            Some("http://p:1/")
        );
        let off = Config::parse(Some(r#"{"use_env_proxy":false}"#), &env).unwrap();
        assert!(off.env_proxies.is_empty());
        assert_eq!(off.env_proxies.for_url(&api), None);
        let explicit = Config::parse(Some(r#"{"proxy":"http://q:2"}"#), &env).unwrap();
        assert!(explicit.env_proxies.is_empty());
        let e = Config::parse(Some(r#"{"use_env_proxy":"no"}"#), &env).unwrap_err();
        assert_eq!(e.param.as_deref(), Some("use_env_proxy"));
    }

    #[test]
    fn extra_headers_cannot_carry_what_the_library_or_http_owns() {
        let env = env_of(&[]);
        for name in [
            "Authorization",
            "x-auth-key",
            "Idempotency-Key",
            "Content-Type",
            "Content-Length",
            "Content-Encoding",
            "Transfer-Encoding",
            "Expect",
            "Upgrade",
            "TE",
            "Connection",
            "Host",
            "Keep-Alive",
            "Proxy-Authorization",
            "Proxy-Connection",
            "Proxy-Anything",
            "Trailer",
            "User-Agent",
            "Accept",
        ] {
            let options = json!({ "access_token": "t", "extra_headers": { name: "x" } });
            let e = Config::parse(Some(&options.to_string()), &env)
                .expect_err(&format!("{name} was accepted"));
            assert_eq!(e.kind, ErrorKind::InvalidOption, "{name}");
            assert_eq!(e.param.as_deref(), Some("extra_headers"), "{name}");
            assert!(e.message.contains(name), "{name}: {}", e.message);
        }
        for name in ["X-Request-Source", "traceparent", "Proxyish"] {
            let options = json!({ "access_token": "t", "extra_headers": { name: "x" } });
            assert!(
                Config::parse(Some(&options.to_string()), &env).is_ok(),
                "{name}"
            );
        }
    }

    #[test]
    fn header_injection_in_credentials_is_refused() {
        let env = env_of(&[]);
        let e = Config::parse(Some(r#"{"access_token":"a\r\nX-Evil: 1"}"#), &env).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidOption);
        assert!(!e.message.contains("X-Evil"), "message echoes the secret");
        let e = Config::parse(Some(r#"{"access_token":"t","user_id":"u\n"}"#), &env).unwrap_err();
        assert_eq!(e.param.as_deref(), Some("user_id"));
        let e = Config::parse(
            Some(r#"{"access_token":"t","extra_headers":{"Authorization":"x"}}"#),
            &env,
        )
        .unwrap_err();
        assert_eq!(e.param.as_deref(), Some("extra_headers"));
    }
}
