//! The C boundary, and nothing else: argument checks, C strings to and from Rust, the panic
//! guard, and the stable codes (re-exported from the core's `codes.rs`). `include/gumloop.h` is
//! generated from this module by cbindgen.
//!
//! Rules every function here keeps:
//! - every pointer is checked for NULL and every string for UTF-8 before use;
//! - every body runs inside one panic guard (`guard::guard`, or `guard::call` for the functions
//!   that return a `gumloop_code`): a panic returns the function's typed default (NULL, false,
//!   nothing, or `GUMLOOP_ERR_INTERNAL` with its error document), never an abort;
//! - every required out-parameter is cleared first and checked for NULL by one prologue
//!   (`args::out_param!(out_call_id, 0)`), so it is defined on every return;
//! - a blocking operation builds its typed operation (`crate::operations`) from its parameters
//!   (`args::c_arg!(session_id)`) and runs it with the runner of its answer's kind;
//! - a handle is an `Arc` handed to C, converted in one place (`handle::ArcHandle`);
//! - an argument's name in an error document is its identifier (`args::required!(agent_id)`);
//! - `*out_json` is set on every return when `out_json` is not NULL: the result on `GUMLOOP_OK`,
//!   an error document otherwise. Free it with `gumloop_string_free`.
//!
//! Every exported name is `gumloop_<object>_<verb>[_<noun>]`. The modules are declared in the
//! order the header presents them (cbindgen follows it): version and codes, strings,
//! cancellation, the client, sessions (files, approvals, queue, access), streams, agents,
//! artifacts, the raw request, the call by name, the one-shot call, the poller, reading the JSON it returns.

// One module a group, each in its own paragraph so that rustfmt keeps this order.
mod version;

mod info;

mod codes;

mod strings;

mod bytes;

mod guard;

mod args;

mod handle;

mod cancel;

mod client;

mod credentials;

mod sessions;

mod files;

mod approvals;

mod queue;

mod access;

mod stream;

mod agents;

mod artifacts;

mod raw;

mod oauth;

mod call;

mod oneshot;

mod poller;

mod log;

mod json;

pub use access::*;
pub use agents::*;
pub use approvals::*;
pub use artifacts::*;
pub use bytes::gumloop_bytes_free;
pub use call::*;
pub use cancel::*;
pub use client::*;
pub use codes::*;
pub use credentials::*;
pub use files::*;
pub use info::*;
pub use json::*;
pub use log::*;
pub use oauth::*;
pub use oneshot::*;
pub use poller::*;
pub use queue::*;
pub use raw::*;
pub use sessions::*;
pub use stream::*;
pub use strings::gumloop_string_free;
pub use version::*;
