//! The process-wide client behind the one-shot call: configured from the environment only, and
//! rebuilt when that configuration changes, so one-shot calls share one connection pool.

use crate::client::Client;
use crate::config::{process_env, Config};
use crate::error::Result;
use std::sync::{Arc, Mutex};

/// Environment variables that shape the shared client (the credential is read per call).
const CONFIG_VARS: &[&str] = &[
    "GUMLOOP_BASE_URL",
    "GUMLOOP_STREAM_BASE_URL",
    "GUMLOOP_USER_ID",
    "GUMLOOP_TEAM_ID",
];

type Fingerprint = Vec<Option<String>>;

static SHARED: Mutex<Option<(Fingerprint, Arc<Client>)>> = Mutex::new(None);

/// The shared client for the current environment.
pub fn client() -> Result<Arc<Client>> {
    let fingerprint: Fingerprint = CONFIG_VARS.iter().map(|v| process_env(v)).collect();
    let mut guard = SHARED.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((seen, client)) = guard.as_ref() {
        if *seen == fingerprint {
            return Ok(Arc::clone(client));
        }
    }
    let client = Arc::new(Client::with_config(Config::parse(None, &process_env)?)?);
    *guard = Some((fingerprint, Arc::clone(&client)));
    Ok(client)
}
