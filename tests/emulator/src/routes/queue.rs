//! `/sessions/{id}/queue[/{qid}[/send]]`: list, add, edit, delete, and
//! send now (which interrupts the current run).

use hyper::{Response, StatusCode};
use serde_json::json;

use super::fields::{input_field, parse_object};
use super::{session_for, Ctx};
use crate::body::RespBody;
use crate::errors::{json_response, ApiError};
use crate::plan::RunPlan;
use crate::queue::{queue_json, with_entry, Queued, MAX_QUEUE};
use crate::runs::{admit, delay_for, interrupt, launch, user_message, Admission};
use crate::store::{Session, State};
use crate::view::envelope;

/// The 409 for a queue that holds [`MAX_QUEUE`] entries.
pub fn queue_full() -> ApiError {
    ApiError::new(
        409,
        "queue_full",
        format!("The session's queue already holds {MAX_QUEUE} messages"),
    )
    .details(json!({"limit": MAX_QUEUE}))
}

fn not_found(qid: &str) -> ApiError {
    ApiError::new(404, "queued_message_not_found", "Queued message not found")
        .details(json!({"queued_message_id": qid}))
}

fn position(session: &Session, qid: &str) -> Result<usize, ApiError> {
    session
        .queue
        .iter()
        .position(|q| q.id == qid)
        .ok_or_else(|| not_found(qid))
}

/// The required `input` (alias `message`) of add and edit; nothing else is accepted.
fn queued_input(ctx: &Ctx) -> Result<String, ApiError> {
    let body = parse_object(ctx.body)?;
    if let Some(key) = body
        .keys()
        .find(|k| !matches!(k.as_str(), "input" | "message"))
    {
        return Err(ApiError::invalid(
            key,
            format!("unknown field `{key}`; a queued message has only `input`"),
        ));
    }
    input_field(&body)?.ok_or_else(|| ApiError::invalid("input", "`input` is required"))
}

/// `GET /sessions/{id}/queue`.
pub fn list(ctx: &Ctx, session_id: &str) -> Result<Response<RespBody>, ApiError> {
    let caller = ctx.caller()?;
    let app = ctx.app;
    let store = app.store();
    let session = session_for(app, &store, &caller, session_id)?;
    Ok(json_response(
        StatusCode::OK,
        &json!({"queue": queue_json(session)}),
    ))
}

/// `POST /sessions/{id}/queue`: 201 `{queued_message, queue}`.
pub fn add(ctx: &Ctx, session_id: &str) -> Result<Response<RespBody>, ApiError> {
    let caller = ctx.caller()?;
    let input = queued_input(ctx)?;
    let app = ctx.app;
    let mut store = app.store();
    let session = session_for(app, &store, &caller, session_id)?;
    if session.queue.len() >= MAX_QUEUE {
        return Err(queue_full());
    }
    let entry = Queued::new(input, &caller.user_id);
    let id = entry.id.clone();
    let session = store.sessions.get_mut(session_id).expect("session exists");
    session.queue.push_back(entry);
    Ok(json_response(
        StatusCode::CREATED,
        &with_entry(session, &id),
    ))
}

/// `PATCH /sessions/{id}/queue/{qid}`: new text; ends an edit in progress.
pub fn edit(ctx: &Ctx, session_id: &str, qid: &str) -> Result<Response<RespBody>, ApiError> {
    let caller = ctx.caller()?;
    let input = queued_input(ctx)?;
    let app = ctx.app;
    let mut store = app.store();
    let session = session_for(app, &store, &caller, session_id)?;
    let index = position(session, qid)?;
    let session = store.sessions.get_mut(session_id).expect("session exists");
    let entry = &mut session.queue[index];
    entry.input = input;
    entry.editing = false;
    entry.touch();
    Ok(json_response(StatusCode::OK, &with_entry(session, qid)))
}

/// `DELETE /sessions/{id}/queue/{qid}`: 200 `{queue}`.
pub fn delete(ctx: &Ctx, session_id: &str, qid: &str) -> Result<Response<RespBody>, ApiError> {
    let caller = ctx.caller()?;
    let app = ctx.app;
    let mut store = app.store();
    let session = session_for(app, &store, &caller, session_id)?;
    let index = position(session, qid)?;
    let session = store.sessions.get_mut(session_id).expect("session exists");
    session.queue.remove(index);
    Ok(json_response(
        StatusCode::OK,
        &json!({"queue": queue_json(session)}),
    ))
}

/// `POST /sessions/{id}/queue/{qid}/send`: interrupts the current run, if any, and
/// starts this message at once. 202 with the session envelope.
pub fn send_now(ctx: &Ctx, session_id: &str, qid: &str) -> Result<Response<RespBody>, ApiError> {
    let caller = ctx.caller()?;
    parse_object(ctx.body)?;
    let app = ctx.app;
    let mut store = app.store();
    let session = session_for(app, &store, &caller, session_id)?;
    if session.incognito {
        return Err(ApiError::new(
            409,
            "incognito_session_unsupported",
            "Queued messages of an incognito session cannot be sent now",
        ));
    }
    let index = position(session, qid)?;
    if session.queue[index].editing {
        return Err(ApiError::new(
            409,
            "queued_message_not_eligible",
            "The queued message is being edited",
        )
        .details(json!({"queued_message_id": qid})));
    }
    // A processing run hands its slot on; anything else is admitted first, so that a
    // 429 changes nothing.
    let admitted = match session.state {
        State::Processing => None,
        _ => Some(admit(app, &store, &session.team_id)?),
    };
    let kept = interrupt(&mut store, session_id);
    let admission = kept.or(admitted).unwrap_or(Admission::Run);
    let delay = delay_for(app, &store, session_id);
    let session = store.sessions.get_mut(session_id).expect("session exists");
    let entry = session.queue.remove(index).expect("entry exists");
    session
        .messages
        .push(user_message(entry.message_id, &entry.input, &entry.user_id));
    let plan = RunPlan::new(&entry.input, delay, &entry.user_id);
    launch(app, &mut store, session_id, plan, admission);
    let session = &store.sessions[session_id];
    Ok(json_response(
        StatusCode::ACCEPTED,
        &envelope(app, &store, session),
    ))
}
