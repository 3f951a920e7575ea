//! Shared by the Rust integration tests: an in-process emulator on free ports, clients for its
//! fixture users, and its admin API.

#![allow(dead_code)] // each test file uses a different part of this module

use gumloop::block_on;
use gumloop::Client;
use gumloop_emulator::{Config as EmulatorConfig, RunningEmulator};
use serde_json::{json, Value};

/// A running emulator with its own runtime; stopped when dropped.
pub struct Emulator {
    runtime: tokio::runtime::Runtime,
    /// The emulator's URLs and certificate.
    pub running: RunningEmulator,
}

impl Emulator {
    /// Starts an emulator over plain HTTP.
    pub fn start() -> Emulator {
        Emulator::start_with(EmulatorConfig::default())
    }

    /// Starts an emulator over TLS with a self-signed certificate held in memory.
    pub fn start_tls() -> Emulator {
        Emulator::start_with(EmulatorConfig {
            tls_in_memory: true,
            ..EmulatorConfig::default()
        })
    }

    fn start_with(config: EmulatorConfig) -> Emulator {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("emulator runtime");
        let running = runtime
            .block_on(gumloop_emulator::start(config))
            .expect("emulator starts");
        Emulator { runtime, running }
    }

    /// Options for user_ada's personal key against this emulator, merged with `extra`.
    pub fn options(&self, extra: Value) -> Value {
        let mut options = json!({
            "access_token": "gk_personal_ada",
            "user_id": "user_ada",
            "base_url": self.running.api_url,
            "stream_base_url": self.running.stream_url,
        });
        if let (Some(base), Some(more)) = (options.as_object_mut(), extra.as_object()) {
            for (k, v) in more {
                base.insert(k.clone(), v.clone());
            }
        }
        options
    }

    /// A client for user_ada with `extra` options.
    pub fn client(&self, extra: Value) -> Client {
        Client::new(Some(&self.options(extra).to_string())).expect("client")
    }

    /// Calls the admin API and returns its JSON answer.
    pub fn admin(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{}", self.running.admin_url, path);
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut builder = reqwest::Client::builder();
        if let Some(pem) = &self.running.cert_pem {
            let cert =
                reqwest::Certificate::from_pem(pem.as_bytes()).expect("emulator certificate");
            builder = builder.add_root_certificate(cert);
        }
        let client = builder.build().expect("admin client");
        block_on(async move {
            let mut request = client.request(method, url);
            if let Some(body) = body {
                request = request
                    .header("content-type", "application/json")
                    .body(body.to_string());
            }
            let response = request.send().await.expect("admin request");
            let text = response.text().await.unwrap_or_default();
            serde_json::from_str::<Value>(&text).unwrap_or(Value::Null)
        })
        .expect("not inside a runtime")
    }

    /// Clears sessions, faults and the request log.
    pub fn reset(&self) {
        self.admin("POST", "/reset", Some(json!({})));
    }

    /// Arms one fault.
    pub fn fault(&self, fault: Value) {
        self.admin("POST", "/faults", Some(fault));
    }

    /// The requests logged since the last reset (API and stream listeners).
    pub fn requests(&self) -> Vec<Value> {
        self.admin("GET", "/requests", None)["requests"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// How many sessions exist.
    pub fn sessions_total(&self) -> u64 {
        self.admin("GET", "/stats", None)["sessions"]["total"]
            .as_u64()
            .expect("stats.sessions.total")
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.running.shutdown();
    }
}

/// Runs a future of the library on its runtime, from the test's thread.
pub fn run<F: std::future::Future>(future: F) -> F::Output {
    block_on(future).expect("called from an ordinary thread")
}

/// Parses JSON text.
pub fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON")
}
