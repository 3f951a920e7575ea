//! `POST /agents/{agent_id}/sessions` (docs/API.md §4.1; the emulator's choices in its README).

use std::collections::{BTreeMap, HashMap, VecDeque};

use hyper::{Response, StatusCode};
use serde_json::json;

use super::fields::{input_field, opt_bool, opt_object, opt_str, parse_object, valid_name};
use super::{files, Ctx};
use crate::access::Access;
use crate::auth::resolve_agent;
use crate::body::RespBody;
use crate::clock::{iso_seconds, now_millis};
use crate::errors::{json_response, ApiError};
use crate::ids::new_id;
use crate::plan::RunPlan;
use crate::runs::{admit, launch, user_message};
use crate::sse;
use crate::store::{Session, State};
use crate::view::envelope;

/// Creates a session: 201 idle stub, 202 with a run, or a stream on the stream host.
pub fn create(ctx: &Ctx, raw_agent: &str) -> Result<Response<RespBody>, ApiError> {
    let caller = ctx.caller()?;
    let body = parse_object(ctx.body)?;
    let input = input_field(&body)?;
    let session_id = match opt_str(&body, "session_id")? {
        Some(s) if s.is_empty() || s.chars().count() > 256 => {
            return Err(ApiError::invalid(
                "session_id",
                "`session_id` must be 1 to 256 characters",
            ))
        }
        other => other.map(str::to_string),
    };
    let name = opt_str(&body, "name")?.map(valid_name).transpose()?;
    opt_object(&body, "metadata")?;
    let stream = opt_bool(&body, "stream")?.unwrap_or(false);
    let incognito = opt_bool(&body, "incognito")?.unwrap_or(false);
    // A session that does not exist yet has no stored files, so no attachment can name one.
    if let Some(first) = files::wanted(&body)?.and_then(|w| w.into_iter().next()) {
        return Err(files::not_this_session(0, &first.file_name));
    }
    if stream {
        ctx.require_stream_host()?;
        if input.is_none() {
            return Err(ApiError::invalid(
                "input",
                "`input` is required when `stream` is true",
            ));
        }
    }

    let app = ctx.app;
    let mut store = app.store();
    let (agent_id, agent) = resolve_agent(app, &mut store, &caller, raw_agent)?;
    let id = session_id.unwrap_or_else(|| new_id("sess_"));
    if store.sessions.contains_key(&id) {
        return Err(ApiError::new(
            409,
            "session_already_exists",
            format!("A session with id {id} already exists"),
        )
        .param("session_id")
        .details(json!({"session_id": id})));
    }
    let admission = match &input {
        Some(_) => Some(admit(app, &store, &agent.team_id)?),
        None => None,
    };
    let now = now_millis();
    let seq = store.next_seq;
    store.next_seq += 1;
    let mut session = Session {
        id: id.clone(),
        agent_id,
        team_id: agent.team_id.clone(),
        name: name.unwrap_or_else(|| agent.name.clone()),
        kind: "api",
        state: State::Idle,
        messages: Vec::new(),
        created_at: iso_seconds(now),
        seq,
        creator_user_id: caller.user_id.clone(),
        participants: vec![caller.user_id.clone()],
        incognito,
        trigger_id: None,
        asks: Vec::new(),
        usage: None,
        run: None,
        waiting_plan: None,
        queue: VecDeque::new(),
        idempotency: HashMap::new(),
        files: BTreeMap::new(),
        access: Access::new(
            app.fixtures
                .users
                .get(&caller.user_id)
                .map_or("", |u| u.email.as_str()),
        ),
    };
    let mut run = None;
    if let (Some(input), Some(admission)) = (&input, admission) {
        session
            .messages
            .push(user_message(new_id("msg_"), input, &caller.user_id));
        store.sessions.insert(id.clone(), session);
        let delay = agent.run_delay_ms.unwrap_or(app.fixtures.run_delay_ms);
        let plan = RunPlan::new(input, delay, &caller.user_id);
        run = launch(app, &mut store, &id, plan, admission);
    } else {
        store.sessions.insert(id.clone(), session);
    }
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
    let status = if input.is_some() {
        StatusCode::ACCEPTED
    } else {
        StatusCode::CREATED
    };
    let session = &store.sessions[&id];
    Ok(json_response(status, &envelope(app, &store, session)))
}
