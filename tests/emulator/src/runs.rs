//! Runs: admission against the team's concurrency limit, the paced run itself, its end,
//! cancellation, and handing freed slots to queued sessions.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Map, Value};
use tokio::time::{sleep_until, Instant};

use crate::app_state::App;
use crate::approvals::make_asks;
use crate::artifacts::{default_content, Artifact};
use crate::clock::{iso_seconds, now_millis};
use crate::errors::ApiError;
use crate::fixtures::Plan;
use crate::ids::new_id;
use crate::plan::{word_count, Outcome, RunPlan};
use crate::queue::take_next;
use crate::runlog::RunLog;
use crate::store::{Session, State, Store, Usage};

/// Whether a new run may start now or must wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// A slot is free: start `processing` now.
    Run,
    /// Enterprise team at its limit: `queued`.
    Queue,
}

fn event(kind: &str, fields: Value) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("type".to_string(), Value::String(kind.to_string()));
    if let Value::Object(extra) = fields {
        map.extend(extra);
    }
    map
}

/// Decides whether a run of `team_id` may start; 429 on free/pro teams at their limit.
pub fn admit(app: &App, store: &Store, team_id: &str) -> Result<Admission, ApiError> {
    let Some(team) = app.fixtures.teams.get(team_id) else {
        return Ok(Admission::Run);
    };
    let running = store.teams.get(team_id).map_or(0, |t| t.running);
    if running < team.limit() {
        return Ok(Admission::Run);
    }
    if team.plan == Plan::Enterprise {
        return Ok(Admission::Queue);
    }
    Err(ApiError::new(
        429,
        "concurrency_limit_exceeded",
        format!(
            "The concurrency limit of {} runs for this organization's {} plan was reached",
            team.limit(),
            team.plan.as_str()
        ),
    )
    .details(json!({"limit": team.limit(), "plan": team.plan.as_str(), "team_id": team_id}))
    .header("retry-after", "1"))
}

/// A user message in wire form.
pub fn user_message(id: String, input: &str, user_id: &str) -> Value {
    json!({
        "id": id,
        "role": "user",
        "content": input,
        "created_at": iso_seconds(now_millis()),
        "creator_id": user_id,
        "parts": [{"type": "text", "text": input}],
    })
}

/// Starts (or queues) a run on a session that already holds the user's message.
/// Returns the run's event log.
pub fn launch(
    app: &Arc<App>,
    store: &mut Store,
    session_id: &str,
    plan: RunPlan,
    admission: Admission,
) -> Option<Arc<RunLog>> {
    let session = store.sessions.get_mut(session_id)?;
    let run = Arc::new(RunLog::new(session_id, session.next_event_seq()));
    run.append(
        vec![event(
            "interaction-ready",
            json!({"interaction_id": session_id}),
        )],
        false,
    );
    session.run = Some(run.clone());
    session.asks.clear();
    if !session.participants.contains(&plan.user_id) {
        session.participants.push(plan.user_id.clone());
    }
    let team_id = session.team_id.clone();
    match admission {
        Admission::Run => {
            session.state = State::Processing;
            store.teams.entry(team_id).or_default().running += 1;
            tokio::spawn(drive(app.clone(), run.clone(), plan));
        }
        Admission::Queue => {
            session.state = State::Queued;
            session.waiting_plan = Some(plan);
            store
                .teams
                .entry(team_id)
                .or_default()
                .queue
                .push_back(session_id.to_string());
        }
    }
    Some(run)
}

fn due(start: Instant, delay: Duration, step: usize, steps: usize) -> Instant {
    let nanos = delay.as_nanos() * step as u128 / steps as u128;
    start + Duration::from_nanos(nanos as u64)
}

/// The run itself: paced text events, then the end of the run.
async fn drive(app: Arc<App>, run: Arc<RunLog>, plan: RunPlan) {
    let start = Instant::now();
    if !run.append(
        vec![event("text-start", json!({"id": plan.message_id}))],
        false,
    ) {
        return;
    }
    let n = plan.deltas.len();
    let mut i = 0;
    while i < n {
        sleep_until(due(start, plan.delay, i + 1, n + 1)).await;
        let now = Instant::now();
        let mut batch = Vec::new();
        while i < n && due(start, plan.delay, i + 1, n + 1) <= now {
            batch.push(event(
                "text-delta",
                json!({"id": plan.message_id, "delta": plan.deltas[i]}),
            ));
            i += 1;
        }
        if !run.append(batch, false) {
            return;
        }
    }
    sleep_until(start + plan.delay).await;
    finish(&app, &run, &plan);
}

fn finish_events(reason: &str, error: Option<&str>, continuation: bool) -> Vec<Map<String, Value>> {
    let mut out = Vec::new();
    for fin in [false, true] {
        let mut ev = event(
            "finish",
            json!({"finishReason": reason, "final": fin, "queuedContinuation": continuation}),
        );
        if let Some(msg) = error {
            ev.insert("errorMessage".to_string(), Value::String(msg.to_string()));
        }
        out.push(ev);
    }
    out
}

const FAIL_MESSAGE: &str = "The run failed (emulated by the [fail] marker)";

/// Ends a run that is still the session's current one and still `processing`.
fn finish(app: &Arc<App>, run: &Arc<RunLog>, plan: &RunPlan) {
    let mut store = app.store();
    let Some(session) = store.sessions.get_mut(run.session_id()) else {
        return;
    };
    let current = session.run.as_ref().is_some_and(|r| Arc::ptr_eq(r, run));
    if !current || session.state != State::Processing {
        return;
    }
    let mut parts = vec![json!({"type": "text", "text": plan.answer})];
    if plan.outcome == Outcome::Fail {
        parts.push(json!({"type": "error", "error": FAIL_MESSAGE}));
    }
    session.messages.push(json!({
        "id": plan.message_id,
        "role": "assistant",
        "content": plan.answer,
        "created_at": iso_seconds(now_millis()),
        "creator_id": null,
        "parts": parts,
    }));
    let usage = session.usage.get_or_insert_with(Usage::default);
    usage.credit_cost += 1;
    usage.input_tokens += word_count(&plan.input);
    usage.output_tokens += word_count(&plan.answer);
    let (state, reason, error) = match plan.outcome {
        Outcome::Complete => (State::Completed, "stop", None),
        Outcome::Approval { .. } => (State::ApprovalRequired, "stop", None),
        Outcome::Fail => (State::Failed, "error", Some(FAIL_MESSAGE)),
    };
    session.state = state;
    let mut events = vec![event("text-end", json!({"id": plan.message_id}))];
    if let Outcome::Approval { tools, human } = plan.outcome {
        session.asks = make_asks(tools, human, &plan.user_id, &plan.cleaned);
        events.extend(session.asks.iter().map(|ask| {
            event(
                "action-request",
                json!({"action_request_id": ask.id, "action_request": ask.wire}),
            )
        }));
    }
    // A paused turn has not ended: queued messages wait for its continuation.
    let next = match plan.outcome {
        Outcome::Approval { .. } => None,
        _ => take_next(session),
    };
    events.extend(finish_events(reason, error, next.is_some()));
    run.append(events, true);
    let made = match plan.outcome {
        Outcome::Complete => artifacts_of(session, plan),
        _ => Vec::new(),
    };
    let team_id = session.team_id.clone();
    match next {
        Some(queued) => {
            // The session keeps its slot for the queued message.
            session.messages.push(user_message(
                queued.message_id,
                &queued.input,
                &queued.user_id,
            ));
            let delay = delay_for(app, &store, run.session_id());
            let plan = RunPlan::new(&queued.input, delay, &queued.user_id);
            if let Some(load) = store.teams.get_mut(&team_id) {
                load.running = load.running.saturating_sub(1);
            }
            let id = run.session_id().to_string();
            launch(app, &mut store, &id, plan, Admission::Run);
        }
        None => release(app, &mut store, &team_id),
    }
    for mut artifact in made {
        artifact.seq = store.next_artifact_seq;
        store.next_artifact_seq += 1;
        store.artifacts.push(artifact);
    }
}

/// The artifacts a completed run leaves (their `seq` is set when they are stored).
fn artifacts_of(session: &Session, plan: &RunPlan) -> Vec<Artifact> {
    let now = iso_seconds(now_millis());
    plan.artifacts
        .iter()
        .map(|(name, size)| Artifact {
            id: new_id("art_"),
            version_id: new_id("artv_"),
            agent_id: session.agent_id.clone(),
            session_id: session.id.clone(),
            filename: name.clone(),
            created_at: now.clone(),
            seq: 0,
            creator_user_id: plan.user_id.clone(),
            size: size.unwrap_or_else(|| default_content(&session.id, name).len() as u64),
            sized: size.is_some(),
        })
        .collect()
}

/// The run duration for a session's agent (per-agent override or the default).
pub fn delay_for(app: &App, store: &Store, session_id: &str) -> u64 {
    let agent_id = store.sessions.get(session_id).map(|s| s.agent_id.as_str());
    agent_id
        .and_then(|id| {
            app.fixtures
                .agents
                .get(id)
                .and_then(|a| a.run_delay_ms)
                .or_else(|| store.dynamic_agents.get(id).and_then(|a| a.run_delay_ms))
        })
        .unwrap_or(app.fixtures.run_delay_ms)
}

/// Frees one slot of `team_id` and starts queued sessions while slots are free.
fn release(app: &Arc<App>, store: &mut Store, team_id: &str) {
    if let Some(load) = store.teams.get_mut(team_id) {
        load.running = load.running.saturating_sub(1);
    }
    let limit = app
        .fixtures
        .teams
        .get(team_id)
        .map_or(usize::MAX, |t| t.limit());
    loop {
        let Some(load) = store.teams.get_mut(team_id) else {
            return;
        };
        if load.running >= limit {
            return;
        }
        let Some(next_id) = load.queue.pop_front() else {
            return;
        };
        let Some(session) = store.sessions.get_mut(&next_id) else {
            continue;
        };
        let (Some(plan), Some(run)) = (session.waiting_plan.take(), session.run.clone()) else {
            continue;
        };
        if session.state != State::Queued {
            continue;
        }
        session.state = State::Processing;
        load.running += 1;
        tokio::spawn(drive(app.clone(), run, plan));
    }
}

/// Ends a session's current run with `reason`: an error message in the transcript, an
/// error `finish` on its stream, and no waiting plan.
fn stop_current(session: &mut Session, reason: &str) {
    session.state = State::Failed;
    session.waiting_plan = None;
    session.messages.push(json!({
        "id": new_id("msg_"),
        "role": "assistant",
        "content": null,
        "created_at": iso_seconds(now_millis()),
        "creator_id": null,
        "parts": [{"type": "error", "error": reason}],
    }));
    if let Some(run) = &session.run {
        run.append(finish_events("error", Some(reason), false), true);
    }
}

/// Cancels a `processing` or `queued` session (→ `failed`); other states are left as
/// they are. Queued messages stay queued. Returns the resulting state.
pub fn cancel(app: &Arc<App>, store: &mut Store, session_id: &str) -> Option<State> {
    let session = store.sessions.get_mut(session_id)?;
    let was = session.state;
    if !was.is_busy() {
        return Some(was);
    }
    stop_current(session, "Cancelled");
    let team_id = session.team_id.clone();
    if was == State::Processing {
        release(app, store, &team_id);
    } else if let Some(load) = store.teams.get_mut(&team_id) {
        load.queue.retain(|id| id != session_id);
    }
    Some(State::Failed)
}

/// The message a run interrupted by a promoted queued message ends with.
pub const INTERRUPTED: &str = "Interrupted: a queued message was sent now";

/// Stops a `processing` or `queued` session's run so that another takes its place (the
/// run becomes part of the transcript as failed). A `processing` run hands its slot to
/// the replacement: the result is then `Some(Admission::Run)`; otherwise `None`, and the
/// replacement must be admitted as usual.
pub fn interrupt(store: &mut Store, session_id: &str) -> Option<Admission> {
    let session = store.sessions.get_mut(session_id)?;
    let was = session.state;
    if !was.is_busy() {
        return None;
    }
    stop_current(session, INTERRUPTED);
    let team_id = session.team_id.clone();
    let load = store.teams.get_mut(&team_id)?;
    if was == State::Processing {
        // `launch` counts the replacement again.
        load.running = load.running.saturating_sub(1);
        return Some(Admission::Run);
    }
    load.queue.retain(|id| id != session_id);
    None
}
