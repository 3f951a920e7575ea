//! # libgumloop
//!
//! A client library for Gumloop's Agents Sessions API with a stable C ABI.
//!
//! ## The Rust API
//!
//! The core is private to the crate; what a Rust program uses is re-exported here:
//!
//! - [`Client`]: built from an options JSON ([`Client::new`]) or a checked [`Config`]
//!   ([`Client::with_config`]); its `async` methods are the session calls
//!   (`create_session`, `get_session`, `list_sessions`, `send_message`, `cancel_session`,
//!   `rename_session`, `wait_session`) and [`Client::stream`], which takes a [`StreamStart`]
//!   and returns a [`StreamSummary`]; the OAuth calls (`oauth_register_client`,
//!   `oauth_exchange_code`, `oauth_refresh_token`, `oauth_revoke`, as an [`OAuthClient`] of the
//!   official SDK makes them), and the live credentials (`set_credentials`, and after a refresh
//!   `refresh_count` and `take_tokens`);
//! - [`CallAuth`] (per-call credentials, holding a [`Secret`]), [`CancelToken`] (cancels a call
//!   in flight) and [`WaitOptions`] (how `wait_session` polls);
//! - [`Config`] with [`CredentialSource`] and [`RetryPolicy`];
//! - [`Error`], [`ErrorKind`], [`ServerError`] and [`Result`]; the fields of an error's document
//!   ([`Error::to_document`]) are [`DOCUMENT_FIELDS`] and, for a stream, [`STREAM_FIELD`];
//! - [`block_on`], which runs one of the client's futures on the library's own runtime (the
//!   futures need it: a Rust program with its own tokio runtime polls them there instead).
//!
//! The [`ffi`] module is the C boundary, from which cbindgen generates `include/gumloop.h`.
//!
//! ## Layout of the source
//!
//! - `client.rs`: the client and the sending of one request with its retries;
//! - `config.rs`, `error.rs`, `secret.rs`, `cancel.rs`: options, errors, credentials held in
//!   wiped memory, cancellation;
//! - `json.rs`, `random.rs`: JSON bodies kept as the caller wrote them, and random IDs;
//! - `http/`: the connection pool, header values, every API path (`paths.rs`), the retry rules
//!   and retry state (`retry.rs`), the reading of error answers, proxies from the environment
//!   (`proxy.rs`) and the following of redirects (`redirect.rs`);
//! - `sessions/`: the REST calls, the checks of their request bodies, and waiting for a session
//!   to settle;
//! - `stream/`: SSE decoding, the streaming core with its automatic resume, and the relay that
//!   runs a stream's network side on a worker, and the dropping of events a resume replays
//!   (`replay.rs`);
//! - `runtime/`: the process-wide tokio runtime, fork detection, and SIGPIPE kept off the host
//!   (`sigpipe.rs`);
//! - `oneshot.rs`: the process-wide client behind the one-shot C call;
//! - `operations.rs`: every operation declared once, typed (a struct per operation, its
//!   arguments and result kind); the blocking C functions build these structs from their
//!   parameters, the poller reads them by name from `args_json` (`args.rs`);
//! - `codes.rs`, `options.rs`, `description.rs`: the codes and their groups, the client options,
//!   and the description of all of it that `gumloop_description_get` exports;
//! - `poller.rs`: calls in flight that the caller's event loop collects;
//! - `credentials.rs`: the client's credentials, replaceable while it runs;
//! - `oauth/`: OAuth as the SDK speaks it (the authorization URL, the four calls, the refresh
//!   after a 401);
//! - `log/`: structured records of what happens on the wire, pulled by the caller;
//! - `ffi/`: the C API.

mod agents;
mod args;
mod artifacts;
mod cancel;
mod client;
mod codes;
mod config;
mod context;
mod credentials;
mod description;
mod error;
pub mod ffi;
mod http;
mod json;
mod json_pointer;
mod log;
mod oauth;
mod oneshot;
mod operations;
mod options;
mod poller;
mod random;
mod raw;
mod redact;
mod runtime;
mod secret;
mod sessions;
mod stream;

pub use artifacts::DownloadOptions;
pub use cancel::CancelToken;
pub use client::{CallAuth, Client};
pub use config::{Config, CredentialSource};
pub use error::{Error, ErrorKind, Result, ServerError, DOCUMENT_FIELDS, STREAM_FIELD};
pub use http::retry::RetryPolicy;
pub use oauth::OAuthClient;
pub use runtime::block_on;
pub use secret::Secret;
pub use sessions::wait::WaitOptions;
pub use stream::{StreamStart, StreamSummary};

/// The pieces of the core that the integration tests, fuzz targets and benchmarks exercise
/// directly. Not part of the API: names here change without notice.
#[doc(hidden)]
pub mod internal {
    pub use crate::args::Args;
    pub use crate::http::server_error::from_response;
    pub use crate::json::parse_object;
    pub use crate::operations::prepare;
    pub use crate::poller::{Item, Poller};
    pub use crate::runtime::local::run_here;
    pub use crate::sessions::create_body::check_create;
    pub use crate::sessions::send_body::{check_stream_send, plan_send, SendPlan};
    pub use crate::stream::relay::{OwnedStart, IN_FLIGHT_BYTES};
    pub use crate::stream::sse::{decode, to_json, SseDecoder, SseEvent};

    /// The largest `max_response_bytes` a client accepts (a function, so that cbindgen does not
    /// put the core's constant in the C header).
    pub fn max_response_bytes_limit() -> u64 {
        crate::config::MAX_RESPONSE_BYTES_LIMIT
    }

    /// How many ended calls' infos a poller keeps for the caller to take.
    pub fn held_infos() -> usize {
        crate::poller::HELD_INFOS
    }

    /// The longest `retry_after_ms` an error reports.
    pub fn max_retry_after_ms() -> u64 {
        crate::http::transport::MAX_RETRY_AFTER_MS
    }
}
