//! `GET /agents/{agent_id}/sessions` (docs/API.md §4.2): cursor pages and filters.

use hyper::{Response, StatusCode};
use serde_json::json;

use super::paging::ByCreation;
use super::Ctx;
use crate::auth::resolve_agent;
use crate::body::RespBody;
use crate::errors::{json_response, ApiError};
use crate::store::{Session, State};
use crate::view::session_json;

fn matches_search(s: &Session, needle: &str) -> bool {
    if s.name.to_lowercase().contains(needle) {
        return true;
    }
    s.messages.iter().any(|m| {
        m.get("content")
            .and_then(|c| c.as_str())
            .is_some_and(|c| c.to_lowercase().contains(needle))
    })
}

/// Lists the agent's sessions, newest first unless `sort_order=oldest`.
pub fn list(ctx: &Ctx, raw_agent: &str) -> Result<Response<RespBody>, ApiError> {
    let caller = ctx.caller()?;
    let q = &ctx.query;
    let paging = ByCreation::parse(q, "sessions")?;
    let state = match q.get("state").filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            State::parse(s)
                .ok_or_else(|| ApiError::invalid("state", format!("unknown state `{s}`")))?,
        ),
    };
    let search = q
        .get("search")
        .or_else(|| q.get("search_query"))
        .filter(|s| !s.is_empty())
        .map(str::to_lowercase);
    let kind = q.get("type").filter(|s| !s.is_empty());
    let creator = q.get("creator_user_id").filter(|s| !s.is_empty());
    let trigger = q.get("trigger_id").filter(|s| !s.is_empty());

    let app = ctx.app;
    let mut store = app.store();
    let (agent_id, _agent) = resolve_agent(app, &mut store, &caller, raw_agent)?;
    let hits: Vec<&Session> = store
        .sessions
        .values()
        .filter(|s| s.agent_id == agent_id)
        .filter(|s| state.is_none_or(|st| s.state == st))
        .filter(|s| kind.is_none_or(|k| s.kind == k))
        .filter(|s| creator.is_none_or(|c| s.creator_user_id == c))
        .filter(|s| trigger.is_none_or(|t| s.trigger_id.as_deref() == Some(t)))
        .filter(|s| search.as_deref().is_none_or(|n| matches_search(s, n)))
        .collect();
    let (hits, next_cursor) = paging.page(hits, |s| s.seq);
    let sessions: Vec<_> = hits
        .iter()
        .map(|s| session_json(app, &store, s, false))
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &json!({"sessions": sessions, "next_cursor": next_cursor}),
    ))
}
