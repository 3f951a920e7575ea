//! `POST /sessions/{session_id}/messages` (docs/API.md §4.4): immediate sends, streamed
//! sends, and `delivery:"queued"` sends deduplicated by `Idempotency-Key`.

use hyper::{Response, StatusCode};
use serde_json::json;

use super::fields::{input_field, opt_array, opt_bool, opt_str, parse_object};
use super::{session_for, Ctx};
use crate::body::RespBody;
use crate::errors::{json_response, ApiError};
use crate::ids::new_id;
use crate::plan::RunPlan;
use crate::runs::{admit, delay_for, launch, user_message};
use crate::sse;
use crate::store::State;
use crate::view::envelope;

/// The input used when a stream send resolves approvals without new text.
const APPROVAL_INPUT: &str = "Approval responses received; continuing.";

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
    let attachments = opt_array(&body, "attachments")?;
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
    if let Some(list) = attachments {
        if list.len() > 10 {
            return Err(ApiError::invalid(
                "attachments",
                "at most 10 attachments are allowed",
            ));
        }
        if !list.is_empty() {
            return Err(ApiError::new(
                400,
                "invalid_attachment",
                "The attachment does not belong to this session",
            )
            .param("attachments"));
        }
    }
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
    if queued && (stream || approvals.is_some() || attachments.is_some_and(|a| !a.is_empty())) {
        return Err(ApiError::invalid(
            "delivery",
            "`delivery: queued` cannot be combined with stream, attachments or approval_responses",
        ));
    }
    let idempotency_key = ctx
        .headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);

    let app = ctx.app;
    let mut store = app.store();
    let session = session_for(app, &store, &caller, session_id)?;
    let state = session.state;

    let input = match (input, approvals) {
        (Some(i), _) => i,
        (None, Some(_)) => APPROVAL_INPUT.to_string(),
        (None, None) => {
            return Err(ApiError::invalid(
                "input",
                "`input` (or `message`) is required",
            ))
        }
    };
    if approvals.is_some() && state != State::ApprovalRequired {
        return Err(ApiError::new(
            409,
            "session_not_awaiting_approval",
            "The session has no pending approvals",
        ));
    }

    if queued {
        if let Some(existing) = idempotency_key
            .as_ref()
            .and_then(|k| session.idempotency.get(k))
        {
            return Ok(receipt(existing));
        }
        let message_id = new_id("msg_");
        if !state.is_busy() {
            let admission = admit(app, &store, &session.team_id)?;
            let delay = delay_for(app, &store, session_id);
            let s = store.sessions.get_mut(session_id).expect("session exists");
            s.messages
                .push(user_message(message_id.clone(), &input, &caller.user_id));
            let plan = RunPlan::new(&input, delay, &caller.user_id);
            launch(app, &mut store, session_id, plan, admission);
        } else {
            let s = store.sessions.get_mut(session_id).expect("session exists");
            s.deliveries
                .push_back((message_id.clone(), input, caller.user_id.clone()));
        }
        if let Some(key) = idempotency_key {
            let s = store.sessions.get_mut(session_id).expect("session exists");
            s.idempotency.insert(key, message_id.clone());
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
    if approvals.is_none() {
        s.messages
            .push(user_message(new_id("msg_"), &input, &caller.user_id));
    }
    let plan = RunPlan::new(&input, delay, &caller.user_id);
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
