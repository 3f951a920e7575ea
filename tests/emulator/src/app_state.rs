//! The state of one running emulator that every request handler reaches (`App`): fixtures, the
//! session store, armed faults, the request log and counters; and which listener a request came on.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use std::collections::HashMap;

use crate::faults::Faults;
use crate::fixtures::{Agent, Fixtures};
use crate::oauth::OAuthStore;
use crate::reqlog::RequestLog;
use crate::store::Store;

/// Which listener a request or connection arrived on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listener {
    /// The REST host (also serves `/_emulator`).
    Api,
    /// The streaming (SSE) host.
    Stream,
    /// The storage host that serves artifact bytes at signed URLs (no credentials).
    Storage,
}

impl Listener {
    /// `"api"` or `"stream"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Listener::Api => "api",
            Listener::Stream => "stream",
            Listener::Storage => "storage",
        }
    }
}

/// Counters reported by `GET /_emulator/stats`.
#[derive(Debug, Default)]
pub struct Stats {
    /// Requests received on the api listener outside `/_emulator`.
    pub requests_api: AtomicU64,
    /// Requests received on the stream listener.
    pub requests_stream: AtomicU64,
    /// Requests received on the storage listener.
    pub requests_storage: AtomicU64,
    /// Requests to `/_emulator`.
    pub requests_admin: AtomicU64,
    /// Connections currently open (all listeners).
    pub connections_open: AtomicI64,
    /// Connections accepted since start (all listeners).
    pub connections_total: AtomicU64,
}

/// Everything a request handler can reach.
pub struct App {
    /// The fixture set (immutable while running).
    pub fixtures: Fixtures,
    /// The fixture agents, shared.
    pub agents: HashMap<String, Arc<Agent>>,
    /// Base URL of the api host, e.g. `http://127.0.0.1:1234/api/v1`.
    pub api_base: String,
    /// Base URL of the stream host.
    pub stream_base: String,
    /// Base URL of the storage host, e.g. `http://127.0.0.1:1236`.
    pub storage_base: String,
    /// The key that signs artifact download URLs (fresh for each emulator).
    pub url_key: ring::hmac::Key,
    /// Interval of keep-alive comments on streams.
    pub keepalive: Duration,
    /// Sessions, runs and team load.
    pub store: Mutex<Store>,
    /// Armed faults.
    pub faults: Mutex<Faults>,
    /// Log of received requests.
    pub log: Mutex<RequestLog>,
    /// OAuth clients, codes and tokens.
    pub oauth: Mutex<OAuthStore>,
    /// Counters.
    pub stats: Stats,
}

impl App {
    /// A fresh emulator state over `fixtures`.
    pub fn new(
        fixtures: Fixtures,
        api_base: String,
        stream_base: String,
        storage_base: String,
    ) -> Result<Arc<App>, ring::error::Unspecified> {
        let rng = ring::rand::SystemRandom::new();
        let url_key = ring::hmac::Key::generate(ring::hmac::HMAC_SHA256, &rng)?;
        Ok(Arc::new(App {
            keepalive: Duration::from_millis(fixtures.keepalive_ms.max(1)),
            log: Mutex::new(RequestLog::new(fixtures.request_log_limit)),
            agents: fixtures
                .agents
                .iter()
                .map(|(id, a)| (id.clone(), Arc::new(a.clone())))
                .collect(),
            fixtures,
            api_base,
            stream_base,
            storage_base,
            url_key,
            store: Mutex::new(Store::default()),
            faults: Mutex::new(Faults::default()),
            oauth: Mutex::new(OAuthStore::default()),
            stats: Stats::default(),
        }))
    }

    /// Locks the session store (a poisoned lock is recovered: the state stays usable).
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Locks the fault list.
    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        self.faults.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Locks the request log.
    pub fn log(&self) -> MutexGuard<'_, RequestLog> {
        self.log.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Locks the OAuth state.
    pub fn oauth(&self) -> MutexGuard<'_, OAuthStore> {
        self.oauth.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts one request.
    pub fn count_request(&self, listener: Listener, admin: bool) {
        let counter = match (listener, admin) {
            (_, true) => &self.stats.requests_admin,
            (Listener::Api, false) => &self.stats.requests_api,
            (Listener::Stream, false) => &self.stats.requests_stream,
            (Listener::Storage, false) => &self.stats.requests_storage,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}
