//! Redirects, followed by the library itself (the HTTP client follows none), so that the rule
//! can depend on the request's method:
//!
//! - only within the origin of the first request: credentials never travel to another host;
//! - a read (GET) follows 301, 302, 303, 307 and 308, as a GET;
//! - any other method follows only 307 and 308, which keep the method and the body; a 301, 302
//!   or 303 would turn it into a GET (a create answered by a list), so it is refused with
//!   `GUMLOOP_ERR_REDIRECT`: the library never changes a request's method;
//! - at most [`MAX_REDIRECTS`] in a row;
//! - a redirect status without a usable `Location` is returned as it is (an error status).

use crate::error::{Error, ErrorKind, Result};
use reqwest::{Method, Url};

/// Redirects followed at most for one request.
pub(crate) const MAX_REDIRECTS: usize = 5;

/// Where `response` (to a `method` request for `current`, the `hops`-th redirect of a request
/// first sent to `first`) sends the request next, or `None` when it is the answer.
pub(crate) fn next_hop(
    method: &Method,
    first: &Url,
    current: &Url,
    response: &reqwest::Response,
    hops: usize,
) -> Result<Option<Url>> {
    let status = response.status().as_u16();
    if !matches!(status, 301 | 302 | 303 | 307 | 308) {
        return Ok(None);
    }
    let Some(next) = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|location| current.join(location).ok())
    else {
        return Ok(None);
    };
    if next.origin() != first.origin() {
        return Err(Error::new(
            ErrorKind::Redirect,
            format!(
                "refused a redirect from {} to another origin, {}",
                first.origin().ascii_serialization(),
                next.origin().ascii_serialization()
            ),
        ));
    }
    if *method != Method::GET && !matches!(status, 307 | 308) {
        return Err(Error::new(
            ErrorKind::Redirect,
            format!(
                "refused an HTTP {status} redirect of a {method} request: it would be repeated \
                 as a GET, and the library never changes a request's method (only 307 and 308 \
                 are followed for a {method})"
            ),
        ));
    }
    if hops >= MAX_REDIRECTS {
        return Err(Error::new(
            ErrorKind::Redirect,
            format!("more than {MAX_REDIRECTS} redirects"),
        ));
    }
    Ok(Some(next))
}
