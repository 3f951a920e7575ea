//! Proxies from the environment, by libcurl's rule, read once when a client is built.
//!
//! - `http_proxy` for `http://` URLs: lowercase only (a CGI program gets `HTTP_PROXY` from a
//!   request's `Proxy:` header, so the uppercase name is never trusted);
//! - `HTTPS_PROXY`, then `https_proxy`, for `https://` URLs;
//! - `ALL_PROXY`, then `all_proxy`, for either when the scheme's own is unset;
//! - `NO_PROXY`, then `no_proxy`: a comma-separated list of hosts that go direct; an entry
//!   matches the host itself and its subdomains (a leading `.` or `*.` is ignored), `*` matches
//!   every host;
//! - loopback hosts (`localhost`, 127.0.0.0/8, `::1`) never go through an environment proxy.
//!
//! A value without a scheme is read as `http://`. An explicit `proxy` option replaces all of
//! this, and `use_env_proxy: false` turns it off.

use crate::config::{is_loopback, EnvReader};
use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;
use reqwest::Url;

/// The proxies the environment names; the URLs may carry passwords, so they are kept secret.
#[derive(Clone, Debug, Default)]
pub struct EnvProxies {
    http: Option<Secret>,
    https: Option<Secret>,
    all: Option<Secret>,
    no_proxy: Vec<String>,
}

/// The first of `names` that is set, checked as a proxy URL.
fn proxy_var(env: EnvReader<'_>, names: &[&str]) -> Result<Option<Secret>> {
    for name in names {
        let Some(value) = env(name) else { continue };
        let text = if value.contains("://") {
            value
        } else {
            format!("http://{value}")
        };
        // The message never repeats the value, which may hold a password.
        Url::parse(&text).map_err(|_| {
            Error::about(
                ErrorKind::InvalidOption,
                *name,
                format!("the environment variable {name} is not a usable proxy URL"),
            )
        })?;
        return Ok(Some(Secret::new(text)));
    }
    Ok(None)
}

impl EnvProxies {
    /// Reads the proxy variables through `env`.
    pub fn from_env(env: EnvReader<'_>) -> Result<EnvProxies> {
        let no_proxy = env("NO_PROXY")
            .or_else(|| env("no_proxy"))
            .unwrap_or_default()
            .split(',')
            .map(|entry| {
                let entry = entry.trim().to_ascii_lowercase();
                let entry = entry.trim_start_matches("*.").trim_start_matches('.');
                entry
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .to_string()
            })
            .filter(|entry| !entry.is_empty())
            .collect();
        Ok(EnvProxies {
            http: proxy_var(env, &["http_proxy"])?,
            https: proxy_var(env, &["HTTPS_PROXY", "https_proxy"])?,
            all: proxy_var(env, &["ALL_PROXY", "all_proxy"])?,
            no_proxy,
        })
    }

    /// Whether the environment names any proxy.
    pub fn is_empty(&self) -> bool {
        self.http.is_none() && self.https.is_none() && self.all.is_none()
    }

    fn bypassed(&self, host: &str) -> bool {
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        self.no_proxy.iter().any(|entry| {
            entry == "*"
                || host == *entry
                || host
                    .strip_suffix(entry.as_str())
                    .is_some_and(|rest| rest.ends_with('.'))
        })
    }

    /// The proxy for a request to `url`, if any.
    pub fn for_url(&self, url: &Url) -> Option<Url> {
        if is_loopback(url) || url.host_str().is_none_or(|host| self.bypassed(host)) {
            return None;
        }
        let own = match url.scheme() {
            "http" => self.http.as_ref(),
            "https" => self.https.as_ref(),
            _ => None,
        };
        own.or(self.all.as_ref())
            .and_then(|proxy| Url::parse(proxy.expose()).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn proxies(pairs: &[(&str, &str)]) -> EnvProxies {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        EnvProxies::from_env(&move |k: &str| map.get(k).cloned()).unwrap()
    }

    fn via(p: &EnvProxies, url: &str) -> Option<String> {
        p.for_url(&Url::parse(url).unwrap()).map(|u| u.to_string())
    }

    #[test]
    fn each_scheme_has_its_own_variable_and_all_proxy_is_the_fallback() {
        let p = proxies(&[
            ("http_proxy", "http://h.proxy:1"),
            ("HTTPS_PROXY", "s.proxy:2"),
            ("ALL_PROXY", "http://a.proxy:3"),
        ]);
        assert_eq!(
            via(&p, "http://api.example/x").as_deref(),
            Some("http://h.proxy:1/")
        );
        assert_eq!(
            via(&p, "https://api.example/x").as_deref(),
            Some("http://s.proxy:2/")
        );
        let fallback = proxies(&[("all_proxy", "http://a.proxy:3")]);
        assert_eq!(
            via(&fallback, "https://api.example/").as_deref(),
            Some("http://a.proxy:3/")
        );
    }

    #[test]
    fn uppercase_http_proxy_is_never_trusted() {
        let p = proxies(&[("HTTP_PROXY", "http://evil:1")]);
        assert!(p.is_empty());
        assert_eq!(via(&p, "http://api.example/"), None);
    }

    #[test]
    fn loopback_and_no_proxy_hosts_go_direct() {
        let p = proxies(&[
            ("http_proxy", "http://h.proxy:1"),
            ("HTTPS_PROXY", "http://h.proxy:1"),
            ("NO_PROXY", " .internal.example, other.example ,[::2]"),
        ]);
        for direct in [
            "http://127.0.0.1:9/",
            "http://127.8.9.10/",
            "http://localhost:8080/",
            "http://[::1]:80/",
            "https://internal.example/",
            "https://api.internal.example/",
            "https://other.example/",
            "http://[::2]/",
        ] {
            assert_eq!(via(&p, direct), None, "{direct}");
        }
        for proxied in ["https://notinternal.example/", "https://other.example.com/"] {
            assert!(via(&p, proxied).is_some(), "{proxied}");
        }
        let none = proxies(&[("https_proxy", "http://h.proxy:1"), ("no_proxy", "*")]);
        assert_eq!(via(&none, "https://api.example/"), None);
    }

    #[test]
    fn a_bad_proxy_variable_is_refused_without_repeating_it() {
        let map = [("https_proxy", "http://user:se cret@[bad")];
        let env = move |k: &str| {
            map.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        };
        let e = EnvProxies::from_env(&env).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidOption);
        assert_eq!(e.param.as_deref(), Some("https_proxy"));
        assert!(!e.message.contains("se cret"));
    }
}
