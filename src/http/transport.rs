//! The HTTP transport: one connection pool per client (rebuilt in a forked child), the sending of
//! one request, bounded reading of its answer, and the classification of transport failures.

use crate::config::Config;
use crate::error::{Error, ErrorKind, Result};
use crate::http::headers::user_agent;
use crate::http::tls::client_config;
use crate::runtime::local::{active_pool, TransportId};
use reqwest::redirect::Policy;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// The longest `Retry-After` reported, in milliseconds (one day); longer values are clamped.
pub(crate) const MAX_RETRY_AFTER_MS: u64 = 86_400_000;
/// How long an idle pooled connection is kept.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

fn build_pool(config: &Config, tls: &rustls::ClientConfig) -> Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .user_agent(user_agent(config.user_agent_suffix.as_deref()))
        .connect_timeout(config.connect_timeout)
        .pool_idle_timeout(POOL_IDLE_TIMEOUT)
        .tcp_nodelay(true)
        // The HTTP client's own reading of the environment is off: `http::proxy` decides.
        .no_proxy()
        .redirect(Policy::none())
        .use_preconfigured_tls(tls.clone());
    if let Some(proxy) = &config.proxy {
        let proxy = reqwest::Proxy::all(proxy.expose()).map_err(|_| {
            Error::invalid_option("proxy", "the proxy URL is not usable by the HTTP client")
        })?;
        builder = builder.proxy(proxy);
    } else if !config.env_proxies.is_empty() {
        let proxies = config.env_proxies.clone();
        builder = builder.proxy(reqwest::Proxy::custom(move |url| proxies.for_url(url)));
    }
    builder.build().map_err(|e| {
        Error::new(
            ErrorKind::Internal,
            format!("cannot build the HTTP client: {}", describe(&e)),
        )
    })
}

/// A connection pool that belongs to the process that built it.
pub struct Transport {
    pool: RwLock<(u64, reqwest::Client)>,
    /// The TLS settings every pool of this client shares (its roots are read once).
    tls: rustls::ClientConfig,
    /// This transport's identity in the pools that blocking calls keep on their own runtimes
    /// (`runtime::local`).
    id: Arc<TransportId>,
}

impl Transport {
    /// Builds the pool for `config`.
    pub fn new(config: &Config) -> Result<Transport> {
        let tls = client_config(&config.ca_certs_pem)?;
        Ok(Transport {
            pool: RwLock::new((
                crate::runtime::fork::generation(),
                build_pool(config, &tls)?,
            )),
            tls,
            id: TransportId::new(),
        })
    }

    /// The pool of the current process; a forked child builds its own on first use, because the
    /// parent's connections are driven by tasks that do not exist in the child.
    ///
    /// A blocking call running on its caller's thread gets the pool its runtime keeps for this
    /// client instead (`runtime::local`): connections are driven by the runtime that opened them.
    pub fn pool(&self, config: &Config) -> Result<reqwest::Client> {
        if let Some(pool) = active_pool(&self.id, || build_pool(config, &self.tls)) {
            return pool;
        }
        let generation = crate::runtime::fork::generation();
        {
            let guard = self.pool.read().unwrap_or_else(|p| p.into_inner());
            if guard.0 == generation {
                return Ok(guard.1.clone());
            }
        }
        let mut guard = self.pool.write().unwrap_or_else(|p| p.into_inner());
        if guard.0 != generation {
            // The parent's pool is forgotten, not dropped: dropping it would touch state owned by
            // the parent's runtime.
            let parent =
                std::mem::replace(&mut *guard, (generation, build_pool(config, &self.tls)?));
            std::mem::forget(parent);
        }
        Ok(guard.1.clone())
    }
}

/// The text of an error and all its sources, joined by `: `.
pub fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        let part = inner.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = inner.source();
    }
    text
}

fn is_tls_failure(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if e.is::<rustls::Error>() {
            return true;
        }
        // An io::Error's `source()` skips the error it wraps; `get_ref()` yields it.
        current = match e.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => e.source(),
        };
    }
    false
}

/// Whether the HTTP stack failed because the answer was not valid HTTP: a head too large (or
/// with too many headers), a bad status line, a bad header or length.
fn is_malformed_answer(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(hyper) = e.downcast_ref::<hyper::Error>() {
            return hyper.is_parse() || hyper.is_parse_status();
        }
        current = e.source();
    }
    false
}

/// Maps a failure of the HTTP stack to the library's kinds.
pub fn classify(error: reqwest::Error) -> Error {
    let text = describe(&error);
    let kind = if error.is_timeout() {
        ErrorKind::Timeout
    } else if is_tls_failure(&error) {
        ErrorKind::Tls
    } else if error.is_redirect() {
        ErrorKind::Redirect
    } else if is_malformed_answer(&error) {
        ErrorKind::InvalidResponse
    } else if error.is_connect() {
        ErrorKind::Connect
    } else {
        ErrorKind::ConnectionLost
    };
    Error::new(kind, text)
}

/// The most of a declared `Content-Length` reserved before any byte arrives; the buffer grows
/// with what the server actually sends.
const FIRST_RESERVE: usize = 64 * 1024;

/// Reads the whole body of `response`, refusing more than `max` bytes. A declared length is only
/// a hint: a server that declares more than `max` is refused at once, and no more than
/// [`FIRST_RESERVE`] bytes are reserved for what it declares.
pub async fn read_body(mut response: reqwest::Response, max: u64) -> Result<Vec<u8>> {
    let too_large = || {
        Error::new(
            ErrorKind::ResponseTooLarge,
            format!("the response is larger than max_response_bytes ({max} bytes)"),
        )
    };
    let declared = response.content_length();
    if declared.is_some_and(|n| n > max) {
        return Err(too_large());
    }
    let reserve = declared.map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX));
    // One byte more than declared: the C API hands the body out with a NUL after it, which then
    // fits without moving the body.
    let mut body = Vec::with_capacity(reserve.min(FIRST_RESERVE).saturating_add(1));
    while let Some(chunk) = response.chunk().await.map_err(classify)? {
        if (body.len() + chunk.len()) as u64 > max {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The `Retry-After` header of `response` in milliseconds, from its delay-seconds form (a
/// fraction is accepted). A wait longer than [`MAX_RETRY_AFTER_MS`] is reported as that; a value
/// that is not a non-negative finite number of seconds (an HTTP date, `-5`, `NaN`, `inf`) counts
/// as absent.
pub fn retry_after_ms(response: &reqwest::Response) -> Option<u64> {
    let value = response.headers().get(reqwest::header::RETRY_AFTER)?;
    parse_retry_after(value.to_str().ok()?)
}

/// See [`retry_after_ms`].
pub(crate) fn parse_retry_after(text: &str) -> Option<u64> {
    let text = text.trim();
    // Digits with at most one decimal point: no sign, exponent, `inf` or `NaN` words.
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    let points = text.bytes().filter(|&b| b == b'.').count();
    if digits == 0 || digits + points != text.len() || points > 1 {
        return None;
    }
    let seconds: f64 = text.parse().ok()?;
    let ms = seconds * 1000.0;
    Some(if ms >= MAX_RETRY_AFTER_MS as f64 {
        MAX_RETRY_AFTER_MS
    } else {
        ms as u64
    })
}
