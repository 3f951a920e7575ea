//! Asks a paused run waits on (tool approvals and human input), and resolving them: the
//! per-item outcomes, and the continuation run once nothing is pending.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::app_state::App;
use crate::errors::ApiError;
use crate::ids::new_id;
use crate::plan::RunPlan;
use crate::runlog::RunLog;
use crate::runs::{admit, delay_for, launch, user_message};
use crate::store::{State, Store};

/// At most this many responses per request.
pub const MAX_RESPONSES: usize = 20;
/// Longest `reason`, in characters.
pub const MAX_REASON_CHARS: usize = 1000;
/// The one question of a human-input ask.
pub const QUESTION: &str = "choice";
/// The answers it accepts.
pub const CHOICES: [&str; 3] = ["alpha", "bravo", "charlie"];

/// What an ask asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskKind {
    /// `tool_approval`: may the agent call a tool?
    Tool,
    /// `human_input`: a question the user answers.
    HumanInput,
}

/// Accept or reject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `accept`.
    Accept,
    /// `reject`.
    Reject,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Reject => "reject",
        }
    }

    fn done(self) -> &'static str {
        match self {
            Action::Accept => "accepted",
            Action::Reject => "rejected",
        }
    }
}

/// How an ask was resolved.
#[derive(Debug, Clone)]
pub struct Resolution {
    /// The action taken.
    pub action: Action,
    /// The human-input answer, when accepted.
    pub choice: Option<String>,
    /// The reason given, if any.
    pub reason: Option<String>,
}

/// One ask of a paused run.
#[derive(Debug, Clone)]
pub struct Ask {
    /// `areq_…`.
    pub id: String,
    /// What it asks for.
    pub kind: AskKind,
    /// The `pending_approvals` item.
    pub wire: Value,
    /// Set once answered.
    pub resolved: Option<Resolution>,
}

/// The asks a run pauses on: `tools` tool approvals, then one human-input ask if `human`.
pub fn make_asks(tools: usize, human: bool, user_id: &str, query: &str) -> Vec<Ask> {
    let mut asks = Vec::with_capacity(tools + usize::from(human));
    for i in 1..=tools {
        let id = new_id("areq_");
        let title = if tools == 1 {
            "Approve web_search".to_string()
        } else {
            format!("Approve web_search ({i} of {tools})")
        };
        asks.push(Ask {
            wire: json!({
                "action_request_id": id,
                "type": "tool_approval",
                "title": title,
                "reason": "The agent wants to search the web",
                "recipient_user_id": user_id,
                "tool_name": "web_search",
                "server_label": "emulator",
                "display_fields": [["Query", query]],
                "questions": [],
            }),
            id,
            kind: AskKind::Tool,
            resolved: None,
        });
    }
    if human {
        let id = new_id("areq_");
        asks.push(Ask {
            wire: json!({
                "action_request_id": id,
                "type": "human_input",
                "title": "The agent needs your input",
                "reason": "Choose how the agent goes on",
                "recipient_user_id": user_id,
                "tool_name": null,
                "server_label": null,
                "display_fields": [["Topic", query]],
                "questions": [{
                    "name": QUESTION,
                    "label": "Which option should the agent use?",
                    "type": "select",
                    "options": CHOICES,
                    "required": true,
                }],
            }),
            id,
            kind: AskKind::HumanInput,
            resolved: None,
        });
    }
    asks
}

/// The `pending_approvals` of a session: its unanswered asks.
pub fn pending(asks: &[Ask]) -> Vec<Value> {
    asks.iter()
        .filter(|a| a.resolved.is_none())
        .map(|a| a.wire.clone())
        .collect()
}

/// One item of `approval_responses`, checked for shape.
#[derive(Debug, Clone)]
pub struct Item {
    /// The ask answered.
    pub id: String,
    /// Accept or reject.
    pub action: Action,
    /// Optional reason.
    pub reason: Option<String>,
    /// `response.values`, if given.
    pub values: Option<Map<String, Value>>,
}

fn bad(param: String, message: &str) -> ApiError {
    ApiError::invalid(&param, message)
}

/// Reads `approval_responses`: 1 to 20 objects `{action_request_id, action, reason?,
/// response?: {values?}}`, each ask named at most once. Shape errors are 400
/// `invalid_request`; a repeated ID is 400 `duplicate_action_request`.
pub fn parse_items(body: &Map<String, Value>) -> Result<Vec<Item>, ApiError> {
    let list = match body.get("approval_responses") {
        Some(Value::Array(list)) if (1..=MAX_RESPONSES).contains(&list.len()) => list,
        _ => {
            return Err(ApiError::invalid(
                "approval_responses",
                "`approval_responses` must be an array of 1 to 20 responses",
            ))
        }
    };
    let mut items: Vec<Item> = Vec::with_capacity(list.len());
    for (i, raw) in list.iter().enumerate() {
        let at = |field: &str| format!("approval_responses[{i}]{field}");
        let Some(obj) = raw.as_object() else {
            return Err(bad(at(""), "each response must be an object"));
        };
        let id = match obj.get("action_request_id") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            _ => {
                return Err(bad(
                    at(".action_request_id"),
                    "`action_request_id` must be a non-empty string",
                ))
            }
        };
        let action = match obj.get("action").and_then(Value::as_str) {
            Some("accept") => Action::Accept,
            Some("reject") => Action::Reject,
            _ => return Err(bad(at(".action"), "`action` must be `accept` or `reject`")),
        };
        let reason = match obj.get("reason") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.chars().count() <= MAX_REASON_CHARS => Some(s.clone()),
            Some(_) => {
                return Err(bad(
                    at(".reason"),
                    "`reason` must be a string of at most 1000 characters",
                ))
            }
        };
        let values = match obj.get("response") {
            None | Some(Value::Null) => None,
            Some(Value::Object(r)) => match r.get("values") {
                None | Some(Value::Null) => None,
                Some(Value::Object(v)) => Some(v.clone()),
                Some(_) => return Err(bad(at(".response.values"), "`values` must be an object")),
            },
            Some(_) => return Err(bad(at(".response"), "`response` must be an object")),
        };
        if items.iter().any(|it| it.id == id) {
            return Err(ApiError::new(
                400,
                "duplicate_action_request",
                "Each action_request_id may appear only once",
            )
            .param(&at(".action_request_id"))
            .details(json!({"action_request_id": id})));
        }
        items.push(Item {
            id,
            action,
            reason,
            values,
        });
    }
    Ok(items)
}

/// Whether every pending ask must be answered by this request (streamed sends) or some
/// may stay pending (the approvals endpoint).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    /// Asks may stay pending.
    Partial,
    /// 400 `approvals_incomplete` unless nothing stays pending.
    Required,
}

/// What resolving did.
#[derive(Debug)]
pub struct Applied {
    /// `{action_request_id, action, outcome}` per item, in order.
    pub results: Vec<Value>,
    /// The continuation run, when nothing is pending any more.
    pub run: Option<Arc<RunLog>>,
    /// The cursor to resume the continuation from (`<session_id>:<n>`), with `run`.
    pub stream_cursor: Option<String>,
}

/// The human-input answer of an accepting item: `response.values.choice`, one of
/// [`CHOICES`].
fn choice(i: usize, item: &Item) -> Result<String, ApiError> {
    let given = item
        .values
        .as_ref()
        .and_then(|v| v.get(QUESTION))
        .and_then(Value::as_str);
    match given {
        Some(c) if CHOICES.contains(&c) => Ok(c.to_string()),
        _ => Err(ApiError::new(
            400,
            "invalid_human_input_option",
            format!("Accepting a human-input ask needs response.values.{QUESTION}, one of the question's options"),
        )
        .param(&format!("approval_responses[{i}].response.values.{QUESTION}"))
        .details(json!({"action_request_id": item.id, "options": CHOICES}))),
    }
}

/// What the continuation says about one resolved ask.
fn summary(ask: &Ask) -> String {
    let Some(r) = &ask.resolved else {
        return format!("{} pending", ask.id);
    };
    let mut text = match &r.choice {
        Some(c) => format!("{} answered {QUESTION}={c}", ask.id),
        None => format!("{} {}", ask.id, r.action.done()),
    };
    if let Some(reason) = &r.reason {
        text.push_str(&format!(" (reason: {reason})"));
    }
    text
}

/// Resolves asks of an `approval_required` session, in order; checks everything before
/// changing anything. Once no ask is pending the continuation run starts (or queues),
/// after `input` as a user message when given.
pub fn apply(
    app: &Arc<App>,
    store: &mut Store,
    session_id: &str,
    user_id: &str,
    items: &[Item],
    completion: Completion,
    input: Option<&str>,
) -> Result<Applied, ApiError> {
    let session = store.sessions.get(session_id).expect("session exists");
    if session.state != State::ApprovalRequired {
        return Err(ApiError::new(
            409,
            "session_not_awaiting_approval",
            "The session has no pending approvals",
        )
        .details(json!({"state": session.state.as_str()})));
    }
    let mut outcomes = Vec::with_capacity(items.len());
    let mut newly: Vec<(usize, Resolution)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let param = format!("approval_responses[{i}].action_request_id");
        let Some(index) = session.asks.iter().position(|a| a.id == item.id) else {
            return Err(ApiError::new(
                400,
                "action_request_not_found",
                "No pending ask of this session has that action_request_id",
            )
            .param(&param)
            .details(json!({"action_request_id": item.id})));
        };
        let ask = &session.asks[index];
        let outcome = match &ask.resolved {
            Some(r) if r.action == item.action => format!("already_{}", r.action.done()),
            Some(r) => {
                return Err(ApiError::new(
                    400,
                    "action_request_already_resolved",
                    format!("The ask was already {}", r.action.done()),
                )
                .param(&param)
                .details(json!({"action_request_id": item.id, "resolved_as": r.action.as_str()})))
            }
            None => {
                let choice = match (ask.kind, item.action) {
                    (AskKind::HumanInput, Action::Accept) => Some(choice(i, item)?),
                    _ => None,
                };
                newly.push((
                    index,
                    Resolution {
                        action: item.action,
                        choice,
                        reason: item.reason.clone(),
                    },
                ));
                item.action.done().to_string()
            }
        };
        outcomes.push(json!({"action_request_id": item.id, "action": item.action.as_str(), "outcome": outcome}));
    }
    let still_pending: Vec<&str> = session
        .asks
        .iter()
        .enumerate()
        .filter(|(i, a)| a.resolved.is_none() && !newly.iter().any(|(n, _)| n == i))
        .map(|(_, a)| a.id.as_str())
        .collect();
    if completion == Completion::Required && !still_pending.is_empty() {
        return Err(ApiError::new(
            400,
            "approvals_incomplete",
            "A streamed send must answer every pending ask; use the approvals endpoint to answer some",
        )
        .param("approval_responses")
        .details(json!({"pending": still_pending})));
    }
    let complete = still_pending.is_empty();
    let admission = if complete {
        Some(admit(app, store, &session.team_id)?)
    } else {
        None
    };
    let delay = delay_for(app, store, session_id);
    let session = store.sessions.get_mut(session_id).expect("session exists");
    for (index, resolution) in newly {
        session.asks[index].resolved = Some(resolution);
    }
    let Some(admission) = admission else {
        return Ok(Applied {
            results: outcomes,
            run: None,
            stream_cursor: None,
        });
    };
    let answer = format!(
        "Continuing after approvals: {}.",
        session
            .asks
            .iter()
            .map(summary)
            .collect::<Vec<_>>()
            .join("; ")
    );
    if let Some(text) = input {
        session
            .messages
            .push(user_message(new_id("msg_"), text, user_id));
    }
    let cursor = format!(
        "{session_id}:{}",
        session.next_event_seq().saturating_sub(1)
    );
    let plan = RunPlan::continuation(answer, delay, user_id);
    let run = launch(app, store, session_id, plan, admission);
    Ok(Applied {
        results: outcomes,
        stream_cursor: run.as_ref().map(|_| cursor),
        run,
    })
}
