//! Sessions in wire form: the session object and its envelope (docs/API.md §4).

use serde_json::{json, Map, Value};

use crate::app_state::App;
use crate::approvals::pending;
use crate::auth::find_agent;
use crate::store::{Session, Store, Usage};

fn usage_json(usage: Option<Usage>) -> Value {
    match usage {
        None => json!({
            "credit_cost": null, "tool_credit_cost": null, "flow_credit_cost": null,
            "input_tokens": null, "cached_input_tokens": null,
            "cache_write_input_tokens": null, "output_tokens": null, "reasoning_tokens": null,
        }),
        Some(u) => json!({
            "credit_cost": u.credit_cost, "tool_credit_cost": 0, "flow_credit_cost": 0,
            "input_tokens": u.input_tokens, "cached_input_tokens": 0,
            "cache_write_input_tokens": 0, "output_tokens": u.output_tokens,
            "reasoning_tokens": 0,
        }),
    }
}

/// `{id, first_name, last_name, email, profile_picture}` of a fixtures user, or null.
pub fn creator_json(app: &App, user_id: &str) -> Value {
    app.fixtures.users.get(user_id).map_or(Value::Null, |u| {
        json!({
            "id": user_id,
            "first_name": u.first_name,
            "last_name": u.last_name,
            "email": u.email,
            "profile_picture": null,
        })
    })
}

/// The full session object; `with_messages: false` gives `messages: []` (list items).
pub fn session_json(app: &App, store: &Store, s: &Session, with_messages: bool) -> Value {
    let agent = find_agent(app, store, &s.agent_id);
    let users = &app.fixtures.users;
    let mut participants = Map::new();
    for id in &s.participants {
        if let Some(u) = users.get(id) {
            participants.insert(
                id.clone(),
                json!({"first_name": u.first_name, "last_name": u.last_name}),
            );
        }
    }
    let creator = creator_json(app, &s.creator_user_id);
    json!({
        "id": s.id,
        "agent_id": s.agent_id,
        "name": s.name,
        "type": s.kind,
        "state": s.state.as_str(),
        "messages": if with_messages { Value::Array(s.messages.clone()) } else { json!([]) },
        "created_at": s.created_at,
        "agent_name": agent.as_ref().map(|a| a.name.clone()),
        "agent_team_id": agent.as_ref().map(|a| a.team_id.clone()),
        "agent_creator_user_id": agent.as_ref().map(|a| a.creator_user_id.clone()),
        "agent_icon_url": agent.as_ref().and_then(|a| a.icon_url.clone()),
        "agent_tools": agent.as_ref().map_or_else(Vec::new, |a| a.tools.clone()),
        "participants": participants,
        "creator": creator,
        "pending_approvals": pending(&s.asks),
        "usage": usage_json(s.usage),
        "incognito": s.incognito,
    })
}

/// `{"session": …, "queue_position": …}` with the full session.
pub fn envelope(app: &App, store: &Store, s: &Session) -> Value {
    json!({
        "session": session_json(app, store, s, true),
        "queue_position": store.queue_position(s),
    })
}

/// The cancel response: only `id`, `agent_id` and `state` are filled (docs/API.md §4.5).
pub fn cancel_envelope(s: &Session) -> Value {
    json!({
        "session": {
            "id": s.id,
            "agent_id": s.agent_id,
            "name": null,
            "type": null,
            "state": s.state.as_str(),
            "messages": [],
            "created_at": null,
            "agent_name": null,
            "agent_team_id": null,
            "agent_creator_user_id": null,
            "agent_icon_url": null,
            "agent_tools": [],
            "participants": {},
            "creator": null,
            "pending_approvals": [],
            "usage": usage_json(None),
            "incognito": false,
        },
        "queue_position": null,
    })
}
