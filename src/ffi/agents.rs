//! Finding and checking agents.

use super::args::c_arg;
use super::cancel::gumloop_cancel_token;
use super::client::{gumloop_client, run_operation};
use super::codes::gumloop_code;
use crate::operations::{GetAgent, ListAgents};
use std::ffi::c_char;

/// Lists the agents the caller can read, one page: `GET /agents`.
///
/// `query_json` (NULL means none): `search` (over name and description), `team_id`,
/// `page_size` (1–100), `cursor` (the previous page's `next_cursor`), `summary` (true: only
/// identity, model, creator and activity fields); other keys are sent as given. On
/// `GUMLOOP_OK`, `*out_json` is `{"agents":[…],"next_cursor":…}`.
///
/// # Safety
/// `client` and `cancel` must be NULL or live handles; `query_json` NULL or a NUL-terminated
/// string; `out_json` NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_list_agents(
    client: *const gumloop_client,
    query_json: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        run_operation(client, cancel, out_json, || {
            Ok(ListAgents {
                query: c_arg!(query_json)?,
            })
        })
    }
}

/// Retrieves an agent: `GET /agents/{agent_id}` (also the aliases `gumball` and `analytics`).
///
/// On `GUMLOOP_OK`, `*out_json` is `{"agent":{"id","name","description","model_name",…}}`; an
/// unknown agent answers `GUMLOOP_ERR_NOT_FOUND`.
///
/// # Safety
/// As for `gumloop_client_list_agents`; `agent_id` NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_get_agent(
    client: *const gumloop_client,
    agent_id: *const c_char,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is read under the caller's contract.
    unsafe {
        run_operation(client, cancel, out_json, || {
            Ok(GetAgent {
                agent_id: c_arg!(agent_id)?,
            })
        })
    }
}
