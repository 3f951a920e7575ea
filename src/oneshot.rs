//! The one-shot call, and the process-wide client behind it: configured from the environment
//! only, and rebuilt when that configuration changes, so one-shot calls share one connection
//! pool.

use crate::client::{CallAuth, Client};
use crate::config::{process_env, Config};
use crate::error::{Error, ErrorKind, Result};
use crate::runtime::local::run_here;
use crate::secret::Secret;
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
fn client() -> Result<Arc<Client>> {
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

/// Creates a session with the agent `agent_id` in one call on the shared client, blocking the
/// calling thread until it completes (the call runs on that thread: `runtime::local`).
///
/// `access_token` and `user_id` are this call's credentials: `None` falls back to the
/// environment as for any client; an empty one is refused (`GUMLOOP_ERR_INVALID_ARGUMENT`), so a
/// blank value never silently means "use the environment". Header values are checked before
/// anything is sent.
pub fn create_session(
    agent_id: &str,
    body_json: Option<&str>,
    access_token: Option<&str>,
    user_id: Option<&str>,
) -> Result<String> {
    for (param, value) in [("access_token", access_token), ("user_id", user_id)] {
        if value == Some("") {
            return Err(Error::about(
                ErrorKind::InvalidArgument,
                param,
                format!("`{param}` must not be empty; pass NULL to use the environment"),
            ));
        }
    }
    let auth = CallAuth {
        access_token: access_token.map(|t| Secret::new(t.to_string())),
        user_id: user_id.map(str::to_string),
    };
    auth.check()?;
    let client = client()?;
    run_here(client.create_session(agent_id, body_json, &auth, None))?
}
