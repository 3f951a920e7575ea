//! `GET /sessions/{id}` (retrieve, or resume a stream), `PATCH /sessions/{id}` (rename)
//! and `POST /sessions/{id}/cancel` (docs/API.md §4.3, §4.5, §4.6, §5).

use hyper::{Response, StatusCode};
use serde_json::Value;

use super::fields::{parse_object, valid_name};
use super::{session_for, Ctx};
use crate::body::RespBody;
use crate::errors::{json_response, ApiError};
use crate::runs::cancel as cancel_run;
use crate::sse;
use crate::view::{cancel_envelope, envelope};

/// The cursor number in `<session_id>:<n>`.
fn parse_cursor(cursor: &str, session_id: &str) -> Result<u64, ApiError> {
    cursor
        .rsplit_once(':')
        .filter(|(sid, _)| *sid == session_id)
        .and_then(|(_, n)| n.parse().ok())
        .ok_or_else(|| {
            ApiError::invalid(
                "last_cursor",
                "`last_cursor` is not a cursor of this session",
            )
        })
}

/// Retrieves a session, or with `stream=true` (stream host) resumes its event stream.
pub fn retrieve(ctx: &Ctx, session_id: &str) -> Result<Response<RespBody>, ApiError> {
    let caller = ctx.caller()?;
    let stream = matches!(ctx.query.get("stream"), Some("true") | Some("1"));
    if stream {
        ctx.require_stream_host()?;
    }
    let app = ctx.app;
    let store = app.store();
    let session = session_for(app, &store, &caller, session_id)?;
    if !stream {
        return Ok(json_response(
            StatusCode::OK,
            &envelope(app, &store, session),
        ));
    }
    let after = match ctx.query.get("last_cursor").filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => parse_cursor(c, session_id)?,
    };
    let run = session.run.clone().filter(|r| !r.is_finished());
    drop(store);
    let fault = ctx.stream_fault();
    Ok(match run {
        Some(run) => sse::follow(run, after, app.keepalive, fault),
        None => sse::not_resumable(fault),
    })
}

/// Renames a session (`{"name": …}` and nothing else).
pub fn rename(ctx: &Ctx, session_id: &str) -> Result<Response<RespBody>, ApiError> {
    let caller = ctx.caller()?;
    let body = parse_object(ctx.body)?;
    if let Some(key) = body.keys().find(|k| k.as_str() != "name") {
        return Err(ApiError::invalid(
            key,
            format!("unknown field `{key}`; only `name` can be changed"),
        ));
    }
    let name = match body.get("name") {
        Some(Value::String(s)) => valid_name(s)?,
        None | Some(Value::Null) => return Err(ApiError::invalid("name", "`name` is required")),
        Some(_) => return Err(ApiError::invalid("name", "`name` must be a string")),
    };
    let app = ctx.app;
    let mut store = app.store();
    session_for(app, &store, &caller, session_id)?;
    if let Some(s) = store.sessions.get_mut(session_id) {
        s.name = name;
    }
    let session = &store.sessions[session_id];
    Ok(json_response(
        StatusCode::OK,
        &envelope(app, &store, session),
    ))
}

/// Cancels a running or queued session (→ `failed`); other states are returned as is.
pub fn cancel(ctx: &Ctx, session_id: &str) -> Result<Response<RespBody>, ApiError> {
    let caller = ctx.caller()?;
    let app = ctx.app;
    let mut store = app.store();
    session_for(app, &store, &caller, session_id)?;
    cancel_run(app, &mut store, session_id);
    let session = &store.sessions[session_id];
    Ok(json_response(StatusCode::OK, &cancel_envelope(session)))
}
