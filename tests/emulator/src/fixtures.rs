//! The emulator's world: teams and plans, users, credentials, agents and timings.
//!
//! [`Fixtures::default`] is the built-in set other engineers write tests against; a JSON
//! file with the same schema (see `tests/emulator/README.md`) is merged over it entry by
//! entry, or replaces it when the file says `"extends_defaults": false`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A plan, which decides the default concurrency limit and what happens over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    /// 5 concurrent runs; over the limit → 429.
    Free,
    /// 25 concurrent runs; over the limit → 429.
    Pro,
    /// 100 concurrent runs; over the limit → `queued`.
    Enterprise,
}

impl Plan {
    /// The documented concurrency limit of the plan.
    pub fn default_limit(self) -> usize {
        match self {
            Plan::Free => 5,
            Plan::Pro => 25,
            Plan::Enterprise => 100,
        }
    }

    /// Lower-case name as used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Free => "free",
            Plan::Pro => "pro",
            Plan::Enterprise => "enterprise",
        }
    }
}

/// A team (organization) and its plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Billing plan.
    pub plan: Plan,
    /// Concurrent runs allowed; the plan's default when absent.
    #[serde(default)]
    pub concurrency_limit: Option<usize>,
}

impl Team {
    /// The effective concurrency limit.
    pub fn limit(&self) -> usize {
        self.concurrency_limit
            .unwrap_or_else(|| self.plan.default_limit())
    }
}

/// A user, with the teams they belong to (the first one is their home team).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// E-mail address.
    pub email: String,
    /// Team ids in order; the first is used for the `gumball` / `analytics` aliases.
    #[serde(default)]
    pub teams: Vec<String>,
}

/// An agent.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    /// Display name, also the default session name.
    pub name: String,
    /// Owning team.
    pub team_id: String,
    /// User who created the agent.
    pub creator_user_id: String,
    /// Icon URL, usually null.
    #[serde(default)]
    pub icon_url: Option<String>,
    /// Tools as returned in `agent_tools`.
    #[serde(default)]
    pub tools: Vec<Value>,
    /// Run duration for this agent's runs; the global default when absent.
    #[serde(default)]
    pub run_delay_ms: Option<u64>,
    /// When set, only these users may read the agent (others get 403).
    #[serde(default)]
    pub readers: Option<Vec<String>>,
    /// What the agent is for (searched by `GET /agents`).
    #[serde(default)]
    pub description: Option<String>,
    /// The model the agent runs on.
    #[serde(default)]
    pub model_name: Option<String>,
    /// The agent's instructions.
    #[serde(default)]
    pub system_prompt: Option<String>,
    /// Whether the agent is enabled.
    #[serde(default = "yes")]
    pub is_active: bool,
    /// Whether every session on the agent is incognito (`incognito: {"enforced": …}`).
    #[serde(default)]
    pub incognito_enforced: bool,
    /// Creation time, ISO-8601.
    #[serde(default = "fixture_time")]
    pub created_at: String,
}

fn yes() -> bool {
    true
}

/// The creation time given to fixture agents that name none.
pub fn fixture_time() -> String {
    "2026-01-15T09:00:00Z".to_string()
}

impl Agent {
    /// An active agent with no tools, description or model, created at the fixture time.
    pub fn new(name: &str, team_id: &str, creator_user_id: &str) -> Agent {
        Agent {
            name: name.to_string(),
            team_id: team_id.to_string(),
            creator_user_id: creator_user_id.to_string(),
            icon_url: None,
            tools: Vec::new(),
            run_delay_ms: None,
            readers: None,
            description: None,
            model_name: None,
            system_prompt: None,
            is_active: true,
            incognito_enforced: false,
            created_at: fixture_time(),
        }
    }
}

/// The complete fixture set.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixtures {
    /// Default run duration in milliseconds.
    pub run_delay_ms: u64,
    /// Interval of `: ping` keep-alive comments on idle streams, in milliseconds.
    pub keepalive_ms: u64,
    /// The request log keeps at most this many entries (oldest dropped first).
    pub request_log_limit: usize,
    /// Largest decoded file an upload may carry, in bytes (above it: 413 `file_too_large`).
    pub max_file_bytes: u64,
    /// How long an artifact's signed download URL stays valid, in milliseconds.
    pub artifact_url_ttl_ms: u64,
    /// How long an OAuth access token issued by `/oauth/token` stays valid, in milliseconds.
    #[serde(default = "default_oauth_token_ttl_ms")]
    pub oauth_token_ttl_ms: u64,
    /// Teams by id.
    pub teams: BTreeMap<String, Team>,
    /// Users by id.
    pub users: BTreeMap<String, User>,
    /// Personal API keys → user id (`x-auth-key` must equal it).
    pub personal_keys: BTreeMap<String, String>,
    /// OAuth access tokens → user id (no `x-auth-key` needed).
    pub oauth_tokens: BTreeMap<String, String>,
    /// Team API keys → team id (need `team_id` query and a member's `x-auth-key`).
    pub team_keys: BTreeMap<String, String>,
    /// Agents by id.
    pub agents: BTreeMap<String, Agent>,
}

/// The shape of a fixtures file: every field optional, merged over the defaults.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FixturesFile {
    #[serde(default)]
    extends_defaults: Option<bool>,
    run_delay_ms: Option<u64>,
    keepalive_ms: Option<u64>,
    request_log_limit: Option<usize>,
    max_file_bytes: Option<u64>,
    artifact_url_ttl_ms: Option<u64>,
    oauth_token_ttl_ms: Option<u64>,
    #[serde(default)]
    teams: BTreeMap<String, Team>,
    #[serde(default)]
    users: BTreeMap<String, User>,
    #[serde(default)]
    personal_keys: BTreeMap<String, String>,
    #[serde(default)]
    oauth_tokens: BTreeMap<String, String>,
    #[serde(default)]
    team_keys: BTreeMap<String, String>,
    #[serde(default)]
    agents: BTreeMap<String, Agent>,
}

/// An hour, as the access tokens of the real service live.
fn default_oauth_token_ttl_ms() -> u64 {
    60 * 60 * 1000
}

fn map<V, const N: usize>(items: [(&str, V); N]) -> BTreeMap<String, V> {
    items.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn team(name: &str, plan: Plan, limit: Option<usize>) -> Team {
    Team {
        name: name.to_string(),
        plan,
        concurrency_limit: limit,
    }
}

fn user(first: &str, last: &str, email: &str, teams: &[&str]) -> User {
    User {
        first_name: first.to_string(),
        last_name: last.to_string(),
        email: email.to_string(),
        teams: teams.iter().map(|t| t.to_string()).collect(),
    }
}

fn agent(name: &str, team_id: &str, creator: &str, description: &str) -> Agent {
    let mut agent = Agent::new(name, team_id, creator);
    agent.description = Some(description.to_string());
    agent.model_name = Some("gpt-4.1".to_string());
    agent.system_prompt = Some(format!("You are the {name}."));
    agent
}

impl Default for Fixtures {
    fn default() -> Self {
        let web_search = serde_json::json!({
            "type": "builtin",
            "name": "web_search",
            "description": "Search the web and read pages"
        });
        let mut sales = agent(
            "Sales research agent",
            "team_pro",
            "user_ada",
            "Researches prospects and drafts outreach",
        );
        sales.tools = vec![web_search];
        let mut private = agent(
            "Private notes agent",
            "team_free",
            "user_bob",
            "Keeps Bob's private notes",
        );
        private.readers = Some(vec!["user_bob".to_string()]);
        Fixtures {
            run_delay_ms: 200,
            keepalive_ms: 15_000,
            request_log_limit: 100_000,
            max_file_bytes: 200 * 1024 * 1024,
            artifact_url_ttl_ms: 15 * 60 * 1000,
            oauth_token_ttl_ms: default_oauth_token_ttl_ms(),
            teams: map([
                ("team_free", team("Free team", Plan::Free, None)),
                ("team_pro", team("Pro team", Plan::Pro, None)),
                ("team_ent", team("Enterprise team", Plan::Enterprise, None)),
                (
                    "team_ent_small",
                    team("Small enterprise team", Plan::Enterprise, Some(2)),
                ),
                ("team_pro_small", team("Small pro team", Plan::Pro, Some(2))),
            ]),
            users: map([
                (
                    "user_ada",
                    user(
                        "Ada",
                        "Lovelace",
                        "ada@example.com",
                        &[
                            "team_pro",
                            "team_free",
                            "team_ent",
                            "team_ent_small",
                            "team_pro_small",
                        ],
                    ),
                ),
                (
                    "user_bob",
                    user("Bob", "Builder", "bob@example.com", &["team_free"]),
                ),
            ]),
            personal_keys: map([
                ("gk_personal_ada", "user_ada".to_string()),
                ("gk_personal_bob", "user_bob".to_string()),
            ]),
            oauth_tokens: map([("gt_oauth_ada", "user_ada".to_string())]),
            team_keys: map([("gk_team_pro", "team_pro".to_string())]),
            agents: map([
                ("agent_pro", sales),
                (
                    "agent_free",
                    agent(
                        "Free helper agent",
                        "team_free",
                        "user_ada",
                        "Answers questions for the free team",
                    ),
                ),
                (
                    "agent_ent",
                    agent(
                        "Enterprise agent",
                        "team_ent",
                        "user_ada",
                        "Handles enterprise workloads",
                    ),
                ),
                (
                    "agent_ent_small",
                    agent(
                        "Small enterprise agent",
                        "team_ent_small",
                        "user_ada",
                        "An enterprise agent with two run slots",
                    ),
                ),
                (
                    "agent_pro_small",
                    agent(
                        "Small pro agent",
                        "team_pro_small",
                        "user_ada",
                        "A pro agent with two run slots",
                    ),
                ),
                ("agent_private", private),
            ]),
        }
    }
}

impl Fixtures {
    /// Parses a fixtures file's JSON text and merges it over the defaults (or over an
    /// empty set when it says `"extends_defaults": false`).
    pub fn from_json(text: &str) -> Result<Fixtures, String> {
        let file: FixturesFile =
            serde_json::from_str(text).map_err(|e| format!("invalid fixtures JSON: {e}"))?;
        let mut fx = Fixtures::default();
        if !file.extends_defaults.unwrap_or(true) {
            fx.teams.clear();
            fx.users.clear();
            fx.personal_keys.clear();
            fx.oauth_tokens.clear();
            fx.team_keys.clear();
            fx.agents.clear();
        }
        if let Some(v) = file.run_delay_ms {
            fx.run_delay_ms = v;
        }
        if let Some(v) = file.keepalive_ms {
            fx.keepalive_ms = v;
        }
        if let Some(v) = file.request_log_limit {
            fx.request_log_limit = v;
        }
        if let Some(v) = file.max_file_bytes {
            fx.max_file_bytes = v;
        }
        if let Some(v) = file.artifact_url_ttl_ms {
            fx.artifact_url_ttl_ms = v;
        }
        if let Some(v) = file.oauth_token_ttl_ms {
            fx.oauth_token_ttl_ms = v;
        }
        fx.teams.extend(file.teams);
        fx.users.extend(file.users);
        fx.personal_keys.extend(file.personal_keys);
        fx.oauth_tokens.extend(file.oauth_tokens);
        fx.team_keys.extend(file.team_keys);
        fx.agents.extend(file.agents);
        fx.validate()?;
        Ok(fx)
    }

    /// Reads and merges a fixtures file (see [`Fixtures::from_json`]).
    pub fn from_file(path: &Path) -> Result<Fixtures, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read fixtures {}: {e}", path.display()))?;
        Fixtures::from_json(&text)
    }

    /// Checks that every reference (team, user) points at something that exists.
    pub fn validate(&self) -> Result<(), String> {
        for (id, u) in &self.users {
            for t in &u.teams {
                if !self.teams.contains_key(t) {
                    return Err(format!("user {id} names unknown team {t}"));
                }
            }
        }
        for (k, u) in self.personal_keys.iter().chain(self.oauth_tokens.iter()) {
            if !self.users.contains_key(u) {
                return Err(format!("credential {k} names unknown user {u}"));
            }
        }
        for (k, t) in &self.team_keys {
            if !self.teams.contains_key(t) {
                return Err(format!("team key {k} names unknown team {t}"));
            }
        }
        for (id, a) in &self.agents {
            if !self.teams.contains_key(&a.team_id) {
                return Err(format!("agent {id} names unknown team {}", a.team_id));
            }
        }
        Ok(())
    }
}
