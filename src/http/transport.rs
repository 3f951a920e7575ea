//! The HTTP transport: one connection pool per client (rebuilt in a forked child), the sending of
//! one request, bounded reading of its answer, and the classification of transport failures.

use crate::config::Config;
use crate::error::{Error, ErrorKind, Result};
use crate::http::headers::user_agent;
use reqwest::redirect::{Attempt, Policy};
use std::sync::RwLock;
use std::time::Duration;

/// Redirects followed at most, all within the same origin.
const MAX_REDIRECTS: usize = 5;
/// How long an idle pooled connection is kept.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// A redirect to another origin is refused, so credentials never travel to another host.
fn same_origin_only(attempt: Attempt<'_>) -> reqwest::redirect::Action {
    if attempt.previous().len() > MAX_REDIRECTS {
        return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
    }
    let first = &attempt.previous()[0];
    let next = attempt.url();
    if next.origin() == first.origin() {
        attempt.follow()
    } else {
        let message = format!(
            "refused a redirect from {} to another origin, {}",
            first.origin().ascii_serialization(),
            next.origin().ascii_serialization()
        );
        attempt.error(message)
    }
}

fn build_pool(config: &Config) -> Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .user_agent(user_agent(config.user_agent_suffix.as_deref()))
        .connect_timeout(config.connect_timeout)
        .pool_idle_timeout(POOL_IDLE_TIMEOUT)
        .tcp_nodelay(true)
        .redirect(Policy::custom(same_origin_only));
    for pem in &config.ca_certs_pem {
        let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
            Error::invalid_option("ca_cert_pem", format!("bad CA certificate: {e}"))
        })?;
        for cert in certs {
            builder = builder.add_root_certificate(cert);
        }
    }
    if let Some(proxy) = &config.proxy {
        let proxy = reqwest::Proxy::all(proxy.expose()).map_err(|_| {
            Error::invalid_option("proxy", "the proxy URL is not usable by the HTTP client")
        })?;
        builder = builder.proxy(proxy);
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
}

impl Transport {
    /// Builds the pool for `config`.
    pub fn new(config: &Config) -> Result<Transport> {
        Ok(Transport {
            pool: RwLock::new((crate::runtime::fork::generation(), build_pool(config)?)),
        })
    }

    /// The pool of the current process; a forked child builds its own on first use, because the
    /// parent's connections are driven by tasks that do not exist in the child.
    pub fn pool(&self, config: &Config) -> Result<reqwest::Client> {
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
            let parent = std::mem::replace(&mut *guard, (generation, build_pool(config)?));
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

/// Maps a failure of the HTTP stack to the library's kinds.
pub fn classify(error: reqwest::Error) -> Error {
    let text = describe(&error);
    let kind = if error.is_timeout() {
        ErrorKind::Timeout
    } else if is_tls_failure(&error) {
        ErrorKind::Tls
    } else if error.is_redirect() {
        ErrorKind::Redirect
    } else if error.is_connect() {
        ErrorKind::Connect
    } else {
        ErrorKind::ConnectionLost
    };
    Error::new(kind, text)
}

/// Reads the whole body of `response`, refusing more than `max` bytes.
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
    let mut body = Vec::with_capacity(declared.unwrap_or(0) as usize);
    while let Some(chunk) = response.chunk().await.map_err(classify)? {
        if (body.len() + chunk.len()) as u64 > max {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The `Retry-After` header of `response` in milliseconds (delay-seconds form).
pub fn retry_after_ms(response: &reqwest::Response) -> Option<u64> {
    let value = response.headers().get(reqwest::header::RETRY_AFTER)?;
    let seconds: f64 = value.to_str().ok()?.trim().parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then_some((seconds * 1000.0) as u64)
}
