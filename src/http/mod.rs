//! HTTP plumbing under the client: the connection pool and failure classification
//! ([`transport`]), header values ([`headers`]), URL paths ([`paths`]), the retry rules
//! ([`retry`]), the reading of error answers ([`server_error`]) and the TLS settings ([`tls`]).

pub(crate) mod headers;
pub(crate) mod paths;
pub(crate) mod proxy;
pub(crate) mod query;
pub(crate) mod redirect;
pub(crate) mod retry;
pub(crate) mod server_error;
pub(crate) mod tls;
pub(crate) mod transport;
