//! Proxies from the environment, by libcurl's rule, read once when a client is built.
//!
//! - `http_proxy` for `http://` URLs: lowercase only (a CGI program gets `HTTP_PROXY` from a
//!   request's `Proxy:` header, so the uppercase name is never trusted);
//! - `HTTPS_PROXY`, then `https_proxy`, for `https://` URLs;
//! - `ALL_PROXY`, then `all_proxy`, for either when the scheme's own is unset;
//! - `NO_PROXY`, then `no_proxy`: a comma-separated list of hosts that go direct; a name
//!   matches the host itself and its subdomains (a leading `.` or `*.` is ignored); an IP
//!   address matches that address; a CIDR range (`10.0.0.0/8`, `fd00::/8`, `[2001:db8::]/32`)
//!   matches every IP address in it (never a name); `host:port` (`[v6]:port`) matches only
//!   that port (the scheme's default when the URL names none); `*` matches every host. An entry
//!   that cannot be read (`10.0.0.0/33`) matches nothing;
//! - loopback hosts (`localhost`, 127.0.0.0/8, `::1`) never go through an environment proxy.
//!
//! A value without a scheme is read as `http://`. An explicit `proxy` option replaces all of
//! this, and `use_env_proxy: false` turns it off.

use crate::config::{is_loopback, EnvReader};
use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;
use reqwest::Url;
use std::net::IpAddr;
use url::Host;

/// What one `NO_PROXY` entry matches.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Bypass {
    /// `*`: every host.
    Every,
    /// A name and its subdomains, on any port or on one.
    Name(String, Option<u16>),
    /// One IP address, on any port or on one.
    Address(IpAddr, Option<u16>),
    /// Every IP address of a range: the network and its prefix length.
    Range(IpAddr, u8),
    /// An entry that cannot be read: matches nothing.
    Nothing,
}

impl Bypass {
    /// Reads one entry (already trimmed and lower-cased; not empty).
    fn parse(entry: &str) -> Bypass {
        if entry == "*" {
            return Bypass::Every;
        }
        if let Some((address, prefix)) = entry.split_once('/') {
            let address = address.trim_start_matches('[').trim_end_matches(']');
            return match (address.parse::<IpAddr>(), prefix.parse::<u8>()) {
                (Ok(ip @ IpAddr::V4(_)), Ok(bits @ 0..=32))
                | (Ok(ip @ IpAddr::V6(_)), Ok(bits @ 0..=128)) => Bypass::Range(ip, bits),
                _ => Bypass::Nothing,
            };
        }
        // `[v6]`, `[v6]:port`, a bare v6 address (several colons), `host` or `host:port`.
        let (host, port) = if let Some(rest) = entry.strip_prefix('[') {
            match rest.split_once(']') {
                Some((host, "")) => (host, None),
                Some((host, tail)) => match tail.strip_prefix(':').map(str::parse::<u16>) {
                    Some(Ok(port)) => (host, Some(port)),
                    _ => return Bypass::Nothing,
                },
                None => return Bypass::Nothing,
            }
        } else if entry.matches(':').count() == 1 {
            let (host, port) = entry.split_once(':').unwrap_or((entry, ""));
            match port.parse::<u16>() {
                Ok(port) => (host, Some(port)),
                Err(_) => return Bypass::Nothing,
            }
        } else {
            (entry, None)
        };
        match host.parse::<IpAddr>() {
            Ok(ip) => Bypass::Address(ip, port),
            Err(_) => {
                let name = host.trim_start_matches("*.").trim_start_matches('.');
                if name.is_empty() {
                    Bypass::Nothing
                } else {
                    Bypass::Name(name.to_string(), port)
                }
            }
        }
    }

    /// Whether a request to `host` on `port` goes direct by this entry.
    fn matches(&self, host: &Host<&str>, port: Option<u16>) -> bool {
        let port_ok = |want: &Option<u16>| want.is_none() || *want == port;
        let ip = match host {
            Host::Ipv4(v4) => Some(IpAddr::V4(*v4)),
            Host::Ipv6(v6) => Some(IpAddr::V6(*v6)),
            Host::Domain(_) => None,
        };
        match (self, host, ip) {
            (Bypass::Every, _, _) => true,
            (Bypass::Name(name, want), Host::Domain(domain), _) => {
                let domain = domain.to_ascii_lowercase();
                port_ok(want)
                    && (domain == *name
                        || domain
                            .strip_suffix(name.as_str())
                            .is_some_and(|rest| rest.ends_with('.')))
            }
            (Bypass::Address(address, want), _, Some(ip)) => *address == ip && port_ok(want),
            (Bypass::Range(network, bits), _, Some(ip)) => in_range(ip, *network, *bits),
            _ => false,
        }
    }
}

/// Whether `ip` lies in `network`/`bits` (of the same family).
fn in_range(ip: IpAddr, network: IpAddr, bits: u8) -> bool {
    match (ip, network) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
            u32::from(ip) & mask == u32::from(net) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(net)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
            u128::from(ip) & mask == u128::from(net) & mask
        }
        _ => false,
    }
}

/// The proxies the environment names; the URLs may carry passwords, so they are kept secret.
#[derive(Clone, Debug, Default)]
pub struct EnvProxies {
    http: Option<Secret>,
    https: Option<Secret>,
    all: Option<Secret>,
    no_proxy: Vec<Bypass>,
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
            .map(|entry| entry.trim().to_ascii_lowercase())
            .filter(|entry| !entry.is_empty())
            .map(|entry| Bypass::parse(&entry))
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

    /// Whether `url` goes direct by `NO_PROXY`.
    fn bypassed(&self, url: &Url) -> bool {
        let Some(host) = url.host() else {
            return true;
        };
        let port = url.port_or_known_default();
        self.no_proxy.iter().any(|entry| entry.matches(&host, port))
    }

    /// The proxy for a request to `url`, if any.
    pub fn for_url(&self, url: &Url) -> Option<Url> {
        if is_loopback(url) || self.bypassed(url) {
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
    fn no_proxy_takes_cidr_ranges_and_ports_as_curl_does() {
        let p = proxies(&[
            ("http_proxy", "http://h.proxy:1"),
            ("HTTPS_PROXY", "http://h.proxy:1"),
            (
                "NO_PROXY",
                "10.0.0.0/8, 192.168.4.0/22,172.16.5.9/32, fd00::/8, [2001:db8::]/32, \
                 ports.example:8443, [2001:db8:1::1]:8080, 198.51.100.7",
            ),
        ]);
        for direct in [
            "http://10.1.2.3/",
            "https://10.255.255.255:9/",
            "http://192.168.4.1/",
            "http://192.168.7.254/",
            "http://172.16.5.9/",
            "http://[fd12:3456::1]/",
            "https://[2001:db8:ffff::2]/",
            "https://ports.example:8443/",
            "http://198.51.100.7/",
            "http://[2001:db8:1::1]:8080/",
        ] {
            assert_eq!(via(&p, direct), None, "{direct}");
        }
        for proxied in [
            "http://11.0.0.1/",
            "http://192.168.8.1/",
            "http://192.168.3.255/",
            "http://172.16.5.10/",
            "http://[fe80::1]/",
            "http://[2001:db9::1]/",
            "https://ports.example/",
            "https://ports.example:8444/",
            "http://sub.ports.example:9/",
            "http://198.51.100.8/",
            // A name is never matched against a range, nor a range's text against a name.
            "http://10.0.0.0.example/",
        ] {
            assert!(via(&p, proxied).is_some(), "{proxied}");
        }
        // A port entry matches the scheme's default port too, as curl reads the URL's port.
        let q = proxies(&[
            ("https_proxy", "http://h.proxy:1"),
            ("no_proxy", "api.example:443"),
        ]);
        assert_eq!(via(&q, "https://api.example/"), None);
        assert!(via(&q, "https://api.example:8443/").is_some());
        // Bad ranges match nothing (and never everything).
        let r = proxies(&[
            ("https_proxy", "http://h.proxy:1"),
            ("no_proxy", "10.0.0.0/33,::/129,x/8"),
        ]);
        assert!(via(&r, "https://10.0.0.1/").is_some());
        assert!(via(&r, "https://[::2]/").is_some());
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
