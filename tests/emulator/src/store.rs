//! In-memory sessions, per-team run load, and agents created on first use.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;

use serde_json::Value;

use crate::access::Access;
use crate::approvals::Ask;
use crate::artifacts::Artifact;
use crate::files::StoredFile;
use crate::fixtures::Agent;
use crate::queue::Queued;
use crate::runlog::RunLog;

/// A session's state (docs/API.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Created without input, or nothing to do.
    Idle,
    /// Waiting for a concurrency slot (enterprise plans).
    Queued,
    /// A run is in progress.
    Processing,
    /// Paused on a pending approval.
    ApprovalRequired,
    /// The last run succeeded.
    Completed,
    /// The last run failed or was cancelled.
    Failed,
}

impl State {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Idle => "idle",
            State::Queued => "queued",
            State::Processing => "processing",
            State::ApprovalRequired => "approval_required",
            State::Completed => "completed",
            State::Failed => "failed",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<State> {
        Some(match s {
            "idle" => State::Idle,
            "queued" => State::Queued,
            "processing" => State::Processing,
            "approval_required" => State::ApprovalRequired,
            "completed" => State::Completed,
            "failed" => State::Failed,
            _ => return None,
        })
    }

    /// `processing` or `queued`: a send now gets 409.
    pub fn is_busy(self) -> bool {
        matches!(self, State::Processing | State::Queued)
    }
}

/// Token and credit counters; all null until the first run records usage.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    /// Credits charged.
    pub credit_cost: u64,
    /// Input tokens (words of the inputs, in this emulator).
    pub input_tokens: u64,
    /// Output tokens (words of the answers).
    pub output_tokens: u64,
}

/// One session.
#[derive(Debug)]
pub struct Session {
    /// `sess_…` or the caller's `session_id`.
    pub id: String,
    /// The (resolved) agent id.
    pub agent_id: String,
    /// The agent's team, whose concurrency the runs count against.
    pub team_id: String,
    /// Session name (the agent's name unless given or renamed).
    pub name: String,
    /// Origin; always `api` here.
    pub kind: &'static str,
    /// Current state.
    pub state: State,
    /// Transcript, as wire objects.
    pub messages: Vec<Value>,
    /// Creation time, ISO-8601.
    pub created_at: String,
    /// Creation order, used for sorting and cursors.
    pub seq: u64,
    /// The user who created the session.
    pub creator_user_id: String,
    /// Users who sent messages, in order of first appearance.
    pub participants: Vec<String>,
    /// `incognito` flag from create.
    pub incognito: bool,
    /// Trigger id (always null for API-created sessions).
    pub trigger_id: Option<String>,
    /// The asks of the current turn's pause (answered ones included) while
    /// `approval_required`; cleared when a new run starts.
    pub asks: Vec<Ask>,
    /// Usage, `None` until a run finished.
    pub usage: Option<Usage>,
    /// The current or last run's event log.
    pub run: Option<Arc<RunLog>>,
    /// The plan of a run that waits in `queued`.
    pub waiting_plan: Option<crate::plan::RunPlan>,
    /// Queued messages, in order (the queue endpoints and `delivery:"queued"` sends).
    pub queue: VecDeque<Queued>,
    /// `Idempotency-Key` → (message id, time in ms) of `delivery:"queued"` sends.
    pub idempotency: HashMap<String, (String, u64)>,
    /// Who the session is shared with.
    pub access: Access,
    /// Uploaded files by stored path.
    pub files: BTreeMap<String, StoredFile>,
}

impl Session {
    /// The stream cursor number the next run's first event gets.
    pub fn next_event_seq(&self) -> u64 {
        self.run.as_ref().map_or(1, |r| r.next_seq())
    }
}

/// Run load of one team.
#[derive(Debug, Default)]
pub struct TeamLoad {
    /// Runs currently `processing`.
    pub running: usize,
    /// Sessions waiting in `queued`, oldest first.
    pub queue: VecDeque<String>,
}

/// All mutable emulator state, behind one lock.
#[derive(Debug, Default)]
pub struct Store {
    /// Sessions by id.
    pub sessions: HashMap<String, Session>,
    /// Creation counter.
    pub next_seq: u64,
    /// Per-caller agents behind the `gumball` / `analytics` aliases.
    pub dynamic_agents: HashMap<String, Arc<Agent>>,
    /// Run load by team id.
    pub teams: HashMap<String, TeamLoad>,
    /// Artifacts made by runs, oldest first.
    pub artifacts: Vec<Artifact>,
    /// Creation counter of artifacts.
    pub next_artifact_seq: u64,
}

impl Store {
    /// 1-based position of a queued session in its team's queue.
    pub fn queue_position(&self, session: &Session) -> Option<usize> {
        if session.state != State::Queued {
            return None;
        }
        self.teams
            .get(&session.team_id)?
            .queue
            .iter()
            .position(|id| id == &session.id)
            .map(|i| i + 1)
    }

    /// Drops every session and load; ends every run log so streams and runs stop.
    pub fn clear(&mut self) {
        for s in self.sessions.values() {
            if let Some(run) = &s.run {
                run.abandon();
            }
        }
        self.sessions.clear();
        self.dynamic_agents.clear();
        self.teams.clear();
        self.artifacts.clear();
    }
}
