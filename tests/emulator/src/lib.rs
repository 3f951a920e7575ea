//! `gumloop-emulator`: a local stand-in for Gumloop's Sessions API (the API as the library uses it: `docs/API.md`; the emulator's own choices: `README.md` beside this crate).
//!
//! One process serves three listeners: the *api* host (REST plus the `/_emulator` admin
//! API) and the *stream* host (SSE), both under `/api/v1`, and the *storage* host that
//! serves artifact bytes at signed URLs. State lives in memory. Use
//! [`start`] to run it inside a Rust test, or the `gumloop-emulator` binary.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! let emu = gumloop_emulator::start(gumloop_emulator::Config::default()).await?;
//! println!("{}", emu.ready_line());
//! # Ok(()) }
//! ```

mod access;
mod admin;
mod app_state;
mod approvals;
mod artifacts;
mod auth;
mod body;
mod clock;
mod config;
mod dispatch;
mod errors;
mod faults;
mod files;
mod fixtures;
mod ids;
mod listeners;
mod oauth;
mod oauth_routes;
mod plan;
mod queue;
mod reqlog;
mod routes;
mod runlog;
mod runs;
mod sse;
mod storage;
mod store;
mod tls;
mod view;

pub use body::BoxError;
pub use config::{Config, TlsFiles};
pub use fixtures::{Agent, Fixtures, Plan, Team, User};
pub use listeners::{start, RunningEmulator};
