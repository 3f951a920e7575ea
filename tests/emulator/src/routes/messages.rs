//! `POST /sessions/{session_id}/messages` (docs/API.md §4.4): immediate sends, streamed
//! sends, and `delivery:"queued"` sends deduplicated by `Idempotency-Key`.

use hyper::{Response, StatusCode};
use serde_json::json;

use super::fields::{input_field, opt_array, opt_bool, opt_str, parse_object};
use super::queue::queue_full;
use super::{files, session_for, Ctx};
use crate::approvals::{apply, parse_items, Completion};
use crate::body::RespBody;
use crate::clock::now_millis;
use crate::errors::{json_response, ApiError};
use crate::files::Attached;
use crate::ids::new_id;
use crate::plan::RunPlan;
use crate::queue::{replay, valid_key, Queued, MAX_QUEUE};
use crate::runs::{admit, delay_for, launch, user_message};
use crate::sse;
use crate::view::envelope;

fn receipt(message_id: &str) -> Response<RespBody> {
    json_response(
        StatusCode::ACCEPTED,
        &json!({"message_id": message_id, "status": "accepted"}),
    )
}

/// Sends a message to a session.
pub fn send(ctx: &Ctx, session_id: &str) -> Result<Response<RespBody>, ApiError> {
    let caller = ctx.caller()?;
    let body = parse_object(ctx.body)?;
    let input = input_field(&body)?;
    let stream = opt_bool(&body, "stream")?.unwrap_or(false);
    let attachments = files::wanted(&body)?;
    let approvals = opt_array(&body, "approval_responses")?;
    let queued = match opt_str(&body, "delivery")? {
        None | Some("immediate") => false,
        Some("queued") => true,
        Some(_) => {
            return Err(ApiError::invalid(
                "delivery",
                "`delivery` must be `immediate` or `queued`",
            ))
        }
    };
    if stream {
        ctx.require_stream_host()?;
    }
    if approvals.is_some() && !stream {
        return Err(ApiError::new(
            400,
            "approvals_require_stream_or_approvals_endpoint",
            "approval_responses need stream:true on the streaming host, or the approvals endpoint",
        )
        .param("approval_responses"));
    }
    if queued
        && (stream || approvals.is_some() || attachments.as_ref().is_some_and(|a| !a.is_empty()))
    {
        return Err(ApiError::invalid(
            "delivery",
            "`delivery: queued` cannot be combined with stream, attachments or approval_responses",
        ));
    }
    // Streamed approval responses (stream host only, checked above).
    let items = match approvals {
        Some(_) => Some(parse_items(&body)?),
        None => None,
    };
    let idempotency_key =
        match ctx.headers.get("idempotency-key") {
            None => None,
            Some(_) if !queued => None,
            Some(v) => match v.to_str().ok().filter(|k| valid_key(k)) {
                Some(k) => Some(k.to_string()),
                None => return Err(ApiError::invalid(
                    "Idempotency-Key",
                    "`Idempotency-Key` must be 1 to 256 printable ASCII characters without spaces",
                )),
            },
        };

    let app = ctx.app;
    let mut store = app.store();
    let session = session_for(app, &store, &caller, session_id)?;
    let state = session.state;
    let attached = files::resolve(session, attachments.as_deref().unwrap_or_default())?;

    if let Some(items) = items {
        let applied = apply(
            app,
            &mut store,
            session_id,
            &caller.user_id,
            &items,
            Completion::Required,
            input.as_deref(),
        )?;
        drop(store);
        return match applied.run {
            Some(run) => Ok(sse::follow(run, 0, app.keepalive, ctx.stream_fault())),
            None => Err(ApiError::new(
                500,
                "internal_error",
                "The run did not start",
            )),
        };
    }
    let Some(input) = input else {
        return Err(ApiError::invalid(
            "input",
            "`input` (or `message`) is required",
        ));
    };

    if queued {
        if let Some(existing) = idempotency_key.as_ref().and_then(|k| replay(session, k)) {
            return Ok(receipt(&existing));
        }
        let message_id = if !state.is_busy() {
            let message_id = new_id("msg_");
            let admission = admit(app, &store, &session.team_id)?;
            let delay = delay_for(app, &store, session_id);
            let s = store.sessions.get_mut(session_id).expect("session exists");
            s.messages
                .push(user_message(message_id.clone(), &input, &caller.user_id));
            let plan = RunPlan::new(&input, delay, &caller.user_id);
            launch(app, &mut store, session_id, plan, admission);
            message_id
        } else {
            if session.queue.len() >= MAX_QUEUE {
                return Err(queue_full());
            }
            let entry = Queued::new(input, &caller.user_id);
            let id = entry.message_id.clone();
            let s = store.sessions.get_mut(session_id).expect("session exists");
            s.queue.push_back(entry);
            id
        };
        if let Some(key) = idempotency_key {
            let s = store.sessions.get_mut(session_id).expect("session exists");
            s.idempotency
                .insert(key, (message_id.clone(), now_millis()));
        }
        return Ok(receipt(&message_id));
    }

    if state.is_busy() {
        return Err(ApiError::new(
            409,
            "interaction_not_in_terminal_state",
            "The session is still running; wait for it to finish or cancel it",
        )
        .details(json!({"state": state.as_str()})));
    }
    let admission = admit(app, &store, &session.team_id)?;
    let delay = delay_for(app, &store, session_id);
    let s = store.sessions.get_mut(session_id).expect("session exists");
    let mut message = user_message(new_id("msg_"), &input, &caller.user_id);
    if let Some(parts) = message["parts"].as_array_mut() {
        parts.extend(attached.iter().map(Attached::part));
    }
    s.messages.push(message);
    let plan = RunPlan::new(&input, delay, &caller.user_id).with_attachments(&attached);
    let run = launch(app, &mut store, session_id, plan, admission);
    if stream {
        drop(store);
        if let Some(run) = run {
            return Ok(sse::follow(run, 0, app.keepalive, ctx.stream_fault()));
        }
        return Err(ApiError::new(
            500,
            "internal_error",
            "The run did not start",
        ));
    }
    let session = &store.sessions[session_id];
    Ok(json_response(
        StatusCode::ACCEPTED,
        &envelope(app, &store, session),
    ))
}
