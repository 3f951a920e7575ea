//! `GET /agents` and `GET /agents/{agent_id}`: the agents a caller can
//! read, searched and paged, in full or as a summary.

use hyper::{Response, StatusCode};
use serde_json::{json, Value};

use super::{paging, Ctx};
use crate::app_state::App;
use crate::auth::{can_read, resolve_agent};
use crate::body::RespBody;
use crate::errors::{json_response, ApiError};
use crate::fixtures::Agent;
use crate::store::Store;
use crate::view::creator_json;

/// The cursor tag of agent listings.
const TAG: &str = "agents";
/// The fields a `summary=true` listing keeps.
const SUMMARY_FIELDS: [&str; 7] = [
    "id",
    "name",
    "model_name",
    "team_id",
    "creator",
    "is_active",
    "last_used_at",
];

/// The agent in wire form (the fields the fixtures do not hold are empty defaults).
fn agent_json(app: &App, store: &Store, id: &str, a: &Agent) -> Value {
    let last_used = store
        .sessions
        .values()
        .filter(|s| s.agent_id == id)
        .map(|s| s.created_at.as_str())
        .max();
    json!({
        "id": id,
        "name": a.name,
        "description": a.description,
        "team_id": a.team_id,
        "is_active": a.is_active,
        "tools": a.tools,
        "resources": [],
        "skill_ids": [],
        "abilities": {},
        "incognito": {"enforced": a.incognito_enforced},
        "knowledge_sources": [],
        "triggers": [],
        "version": 1,
        "metadata": {},
        "model_name": a.model_name,
        "system_prompt": a.system_prompt,
        "folder_id": null,
        "type": "agent",
        "created_at": a.created_at,
        "last_used_at": last_used,
        "last_updated_at": a.created_at,
        "active_trigger_count": 0,
        "creator": creator_json(app, &a.creator_user_id),
    })
}

fn summary_of(full: Value) -> Value {
    let Value::Object(map) = full else {
        return full;
    };
    Value::Object(
        map.into_iter()
            .filter(|(k, _)| SUMMARY_FIELDS.contains(&k.as_str()))
            .collect(),
    )
}

fn matches(a: &Agent, needle: &str) -> bool {
    a.name.to_lowercase().contains(needle)
        || a.description
            .as_deref()
            .is_some_and(|d| d.to_lowercase().contains(needle))
}

/// `GET /agents?search&team_id&page_size&cursor&summary`, ordered by id.
pub fn list(ctx: &Ctx) -> Result<Response<RespBody>, ApiError> {
    let caller = ctx.caller()?;
    let q = &ctx.query;
    let page_size = paging::page_size(q)?;
    let after = paging::after(q, TAG)?;
    let summary = match q.get("summary") {
        None | Some("") | Some("false") | Some("0") => false,
        Some("true") | Some("1") => true,
        Some(_) => {
            return Err(ApiError::invalid(
                "summary",
                "`summary` must be `true` or `false`",
            ))
        }
    };
    let search = q
        .get("search")
        .filter(|s| !s.is_empty())
        .map(str::to_lowercase);
    let team = q.get("team_id").filter(|t| !t.is_empty());
    let app = ctx.app;
    let store = app.store();
    let mut hits: Vec<(&String, &Agent)> = app
        .agents
        .iter()
        .chain(store.dynamic_agents.iter())
        .map(|(id, a)| (id, a.as_ref()))
        .filter(|(_, a)| can_read(app, &caller, a))
        .filter(|(_, a)| team.is_none_or(|t| a.team_id == t))
        .filter(|(_, a)| search.as_deref().is_none_or(|n| matches(a, n)))
        .filter(|(id, _)| after.as_deref().is_none_or(|last| id.as_str() > last))
        .collect();
    hits.sort_unstable_by_key(|(id, _)| id.as_str());
    let (hits, next_cursor) = paging::page(hits, page_size, TAG, |(id, _)| id.to_string());
    let agents: Vec<Value> = hits
        .into_iter()
        .map(|(id, a)| agent_json(app, &store, id, a))
        .map(|full| if summary { summary_of(full) } else { full })
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &json!({"agents": agents, "next_cursor": next_cursor}),
    ))
}

/// `GET /agents/{agent_id}` (aliases too): `{agent}`.
pub fn retrieve(ctx: &Ctx, raw_agent: &str) -> Result<Response<RespBody>, ApiError> {
    let caller = ctx.caller()?;
    let app = ctx.app;
    let mut store = app.store();
    let (id, agent) = resolve_agent(app, &mut store, &caller, raw_agent)?;
    Ok(json_response(
        StatusCode::OK,
        &json!({"agent": agent_json(app, &store, &id, &agent)}),
    ))
}
