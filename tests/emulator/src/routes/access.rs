//! `GET` and `PUT /sessions/{id}/access`.

use hyper::{Response, StatusCode};
use serde_json::json;

use super::fields::parse_object;
use super::{session_for, Ctx};
use crate::access::parse_change;
use crate::body::RespBody;
use crate::errors::{json_response, ApiError};

/// `GET`: `{access}`.
pub fn get(ctx: &Ctx, session_id: &str) -> Result<Response<RespBody>, ApiError> {
    let caller = ctx.caller()?;
    let app = ctx.app;
    let store = app.store();
    let session = session_for(app, &store, &caller, session_id)?;
    Ok(json_response(
        StatusCode::OK,
        &json!({"access": session.access.to_json(&app.fixtures)}),
    ))
}

/// `PUT`: applies `share`, `remove` and `link`; `{access, notified}`.
pub fn update(ctx: &Ctx, session_id: &str) -> Result<Response<RespBody>, ApiError> {
    let caller = ctx.caller()?;
    let app = ctx.app;
    let change = parse_change(&parse_object(ctx.body)?, &app.fixtures)?;
    let mut store = app.store();
    session_for(app, &store, &caller, session_id)?;
    let session = store.sessions.get_mut(session_id).expect("session exists");
    let mut access = session.access.clone();
    let notified = access.apply(&change)?;
    session.access = access;
    Ok(json_response(
        StatusCode::OK,
        &json!({"access": session.access.to_json(&app.fixtures), "notified": notified}),
    ))
}
