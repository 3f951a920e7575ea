//! Credentials (personal keys, OAuth tokens, team keys) and read access to agents.

use std::sync::Arc;

use hyper::HeaderMap;
use serde_json::json;

use crate::app_state::{App, Listener};
use crate::errors::ApiError;
use crate::fixtures::Agent;
use crate::store::Store;

/// How the caller authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialKind {
    /// Personal API key (+ `x-auth-key`).
    Personal,
    /// OAuth access token.
    OAuth,
    /// Team API key (+ `team_id` and a member's `x-auth-key`).
    Team,
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The acting user.
    pub user_id: String,
    /// The credential used.
    pub kind: CredentialKind,
    /// The team the request is scoped to (team key's team, or `team_id` query).
    pub team_scope: Option<String>,
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn unauthorized(code: &'static str, message: &str) -> ApiError {
    ApiError::new(401, code, message)
}

/// Checks the credentials of a request. `team_id` is the query parameter, if any.
pub fn authenticate(
    app: &App,
    headers: &HeaderMap,
    team_id: Option<&str>,
    listener: Listener,
) -> Result<Caller, ApiError> {
    let fx = &app.fixtures;
    let Some(auth) = header(headers, "authorization") else {
        return Err(unauthorized(
            "missing_credentials",
            "Authorization header with a Bearer token is required",
        ));
    };
    let token = match auth.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        _ => {
            return Err(unauthorized(
                "invalid_credentials",
                "The Authorization header must be `Bearer <credential>`",
            ))
        }
    };
    let auth_key = header(headers, "x-auth-key");
    let member_of = |user: &str, team: &str| {
        fx.users
            .get(user)
            .is_some_and(|u| u.teams.iter().any(|t| t == team))
    };
    let issued = app.oauth().check_access(token, crate::clock::now_millis());
    let (user_id, kind, team_scope) = if let Some(issued) = issued {
        match issued {
            Ok(user) => (user, CredentialKind::OAuth, None),
            Err(crate::oauth::TokenProblem::Expired) => {
                return Err(unauthorized(
                    "token_expired",
                    "The access token has expired",
                ))
            }
            Err(crate::oauth::TokenProblem::Revoked) => {
                return Err(unauthorized(
                    "invalid_credentials",
                    "The access token was revoked",
                ))
            }
        }
    } else if let Some(user) = fx.personal_keys.get(token) {
        match auth_key {
            None => {
                return Err(unauthorized(
                    "invalid_auth_key",
                    "Personal API keys require the x-auth-key header carrying your user id",
                ))
            }
            Some(k) if k != user => {
                return Err(unauthorized(
                    "invalid_auth_key",
                    "x-auth-key does not match the API key's user",
                ))
            }
            Some(_) => (user.clone(), CredentialKind::Personal, None),
        }
    } else if let Some(user) = fx.oauth_tokens.get(token) {
        (user.clone(), CredentialKind::OAuth, None)
    } else if let Some(team) = fx.team_keys.get(token) {
        match team_id {
            Some(t) if t == team => {}
            // The official SDK sends no team_id on stream requests; the key names its team.
            None if listener == Listener::Stream => {}
            None => {
                return Err(ApiError::new(
                    403,
                    "team_id_required",
                    "Team API keys require the team_id query parameter of the key's team",
                )
                .param("team_id"))
            }
            Some(_) => {
                return Err(ApiError::new(
                    403,
                    "team_mismatch",
                    "team_id does not match the team API key's team",
                )
                .param("team_id"))
            }
        }
        let Some(user) = auth_key else {
            return Err(unauthorized(
                "invalid_auth_key",
                "Team API keys require the x-auth-key header naming the acting member",
            ));
        };
        if !member_of(user, team) {
            return Err(ApiError::new(
                403,
                "not_a_team_member",
                "The x-auth-key user is not a member of the key's team",
            ));
        }
        (user.to_string(), CredentialKind::Team, Some(team.clone()))
    } else {
        return Err(unauthorized(
            "invalid_credentials",
            "The credential is not valid",
        ));
    };
    let team_scope = match (team_scope, team_id) {
        (Some(t), _) => Some(t),
        (None, Some(t)) if !t.is_empty() => {
            if !member_of(&user_id, t) {
                return Err(ApiError::new(
                    403,
                    "not_a_team_member",
                    "You are not a member of the team named by team_id",
                )
                .param("team_id"));
            }
            Some(t.to_string())
        }
        (None, _) => None,
    };
    Ok(Caller {
        user_id,
        kind,
        team_scope,
    })
}

/// Looks an agent up by its resolved id (fixtures first, then per-caller agents).
pub fn find_agent(app: &App, store: &Store, agent_id: &str) -> Option<Arc<Agent>> {
    if let Some(a) = app.agents.get(agent_id) {
        return Some(a.clone());
    }
    store.dynamic_agents.get(agent_id).cloned()
}

/// Whether the caller may read (and use) an agent.
pub fn can_read(app: &App, caller: &Caller, agent: &Agent) -> bool {
    if let Some(readers) = &agent.readers {
        return readers.iter().any(|r| r == &caller.user_id);
    }
    if caller.kind == CredentialKind::Team
        && caller.team_scope.as_deref() != Some(agent.team_id.as_str())
    {
        return false;
    }
    app.fixtures
        .users
        .get(&caller.user_id)
        .is_some_and(|u| u.teams.contains(&agent.team_id))
}

fn no_access() -> ApiError {
    ApiError::new(
        403,
        "permission_denied",
        "You do not have read access to this agent",
    )
}

/// Resolves a path `{agent_id}` (including the `gumball` / `analytics` aliases, created
/// on first use) and checks read access: 404 unknown, 403 not readable.
pub fn resolve_agent(
    app: &App,
    store: &mut Store,
    caller: &Caller,
    raw: &str,
) -> Result<(String, Arc<Agent>), ApiError> {
    if raw == "gumball" || raw == "analytics" {
        let id = format!("{raw}_{}", caller.user_id);
        if let Some(agent) = store.dynamic_agents.get(&id) {
            return Ok((id, agent.clone()));
        }
        let team = caller.team_scope.clone().or_else(|| {
            app.fixtures
                .users
                .get(&caller.user_id)
                .and_then(|u| u.teams.first().cloned())
        });
        let Some(team_id) = team else {
            return Err(ApiError::new(404, "agent_not_found", "Agent not found")
                .details(json!({"agent_id": raw})));
        };
        let name = if raw == "gumball" {
            "Gumball"
        } else {
            "Analytics"
        };
        let mut agent = Agent::new(name, &team_id, &caller.user_id);
        agent.readers = Some(vec![caller.user_id.clone()]);
        let agent = Arc::new(agent);
        store.dynamic_agents.insert(id.clone(), agent.clone());
        return Ok((id, agent));
    }
    let Some(agent) = find_agent(app, store, raw) else {
        return Err(ApiError::new(404, "agent_not_found", "Agent not found")
            .details(json!({"agent_id": raw})));
    };
    if !can_read(app, caller, &agent) {
        return Err(no_access());
    }
    Ok((raw.to_string(), agent))
}

/// The 403 for a session whose agent the caller cannot read.
pub fn no_session_access() -> ApiError {
    ApiError::new(
        403,
        "permission_denied",
        "You do not have access to this session",
    )
}
