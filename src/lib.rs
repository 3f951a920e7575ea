//! # libgumloop
//!
//! A client library for Gumloop's Agents Sessions API with a stable C ABI.
//!
//! The pure-Rust core ([`Client`], [`Config`], [`Error`]) runs on one internal tokio runtime; the
//! [`ffi`] module is the C boundary, from which cbindgen generates `include/gumloop.h`.

pub mod body;
pub mod cancel;
pub mod client;
pub mod config;
pub mod error;
pub mod ffi;
pub mod fork;
pub mod headers;
pub mod paths;
pub mod proxy;
pub mod redirect;
pub mod replay;
pub mod retry;
pub mod runtime;
pub mod secret;
pub mod send_body;
pub mod server_error;
pub mod sessions;
pub mod shared;
pub mod sigpipe;
pub mod sse;
pub mod stream;
pub mod stream_relay;
pub mod transport;
pub mod wait;

pub use client::{CallAuth, Client};
pub use config::Config;
pub use error::{Error, ErrorKind, Result};
