//! `POST /sessions/{id}/approvals`: per-item outcomes and the cursor of
//! the continued run.

use hyper::{Response, StatusCode};
use serde_json::json;

use super::fields::parse_object;
use super::{session_for, Ctx};
use crate::approvals::{apply, parse_items, Completion};
use crate::body::RespBody;
use crate::errors::{json_response, ApiError};
use crate::view::session_json;

/// Resolves some or all of a paused session's asks.
pub fn resolve(ctx: &Ctx, session_id: &str) -> Result<Response<RespBody>, ApiError> {
    let caller = ctx.caller()?;
    let body = parse_object(ctx.body)?;
    let items = parse_items(&body)?;
    let app = ctx.app;
    let mut store = app.store();
    session_for(app, &store, &caller, session_id)?;
    let applied = apply(
        app,
        &mut store,
        session_id,
        &caller.user_id,
        &items,
        Completion::Partial,
        None,
    )?;
    let session = &store.sessions[session_id];
    Ok(json_response(
        StatusCode::OK,
        &json!({
            "session": session_json(app, &store, session, true),
            "results": applied.results,
            "stream_cursor": applied.stream_cursor,
        }),
    ))
}
