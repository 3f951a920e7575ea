//! The `/api/v1` routes of both hosts.

mod access;
mod agents;
mod approvals;
mod artifacts;
mod create;
mod fields;
mod files;
mod list;
mod messages;
mod paging;
mod queue;
mod session;

use std::sync::Arc;

use hyper::{HeaderMap, Method, Response};
use percent_encoding::percent_decode_str;
use serde_json::json;

use crate::app_state::{App, Listener};
use crate::auth::{authenticate, can_read, find_agent, no_session_access, Caller};
use crate::body::RespBody;
use crate::errors::ApiError;
use crate::faults::StreamFault;
use crate::store::{Session, Store};

/// The 413 `file_too_large` for an upload over `limit` bytes (size unknown).
pub fn too_large(limit: u64) -> ApiError {
    files::too_large(limit, None)
}

/// Decoded query parameters, in order.
#[derive(Debug, Default)]
pub struct Query(Vec<(String, String)>);

fn decode_component(s: &str) -> String {
    percent_decode_str(&s.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

impl Query {
    /// Parses a raw query string (`a=1&b=x%20y`).
    pub fn parse(raw: Option<&str>) -> Query {
        let pairs = raw
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode_component(k), decode_component(v))
            })
            .collect();
        Query(pairs)
    }

    /// Every pair, in order.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The first value of a parameter.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One request, as the route handlers see it.
pub struct Ctx<'a> {
    /// The emulator.
    pub app: &'a Arc<App>,
    /// Where it arrived.
    pub listener: Listener,
    /// HTTP method.
    pub method: &'a Method,
    /// Raw path.
    pub path: &'a str,
    /// Decoded query.
    pub query: Query,
    /// Headers.
    pub headers: &'a HeaderMap,
    /// The whole request body.
    pub body: &'a [u8],
}

impl Ctx<'_> {
    /// Authenticates the caller (`team_id` from the query string).
    pub fn caller(&self) -> Result<Caller, ApiError> {
        authenticate(
            self.app,
            self.headers,
            self.query.get("team_id"),
            self.listener,
        )
    }

    /// 400 `use_streaming_host` unless this request came to the stream host.
    pub fn require_stream_host(&self) -> Result<(), ApiError> {
        if self.listener == Listener::Stream {
            return Ok(());
        }
        let host = &self.app.stream_base;
        Err(ApiError::new(
            400,
            "use_streaming_host",
            format!("Streaming is served by the streaming host; retry against {host}"),
        )
        .param("stream")
        .details(json!({"streaming_host": host})))
    }

    /// The stream fault armed for this request, if any (consumed).
    pub fn stream_fault(&self) -> Option<StreamFault> {
        self.app
            .faults()
            .take_stream(self.method.as_str(), self.path, self.listener)
    }
}

/// Finds a session the caller may access: 404 unknown, 403 not readable.
pub fn session_for<'s>(
    app: &App,
    store: &'s Store,
    caller: &Caller,
    id: &str,
) -> Result<&'s Session, ApiError> {
    let Some(session) = store.sessions.get(id) else {
        return Err(ApiError::new(404, "session_not_found", "Session not found")
            .details(json!({"session_id": id})));
    };
    let readable = find_agent(app, store, &session.agent_id)
        .is_some_and(|agent| can_read(app, caller, &agent));
    if !readable {
        return Err(no_session_access());
    }
    Ok(session)
}

fn method_not_allowed(allow: &str) -> ApiError {
    ApiError::new(405, "method_not_allowed", "Method not allowed on this path")
        .header("allow", allow)
}

fn route(ctx: &Ctx) -> Result<Response<RespBody>, ApiError> {
    let not_found = || ApiError::new(404, "not_found", "No such endpoint");
    let rest = ctx.path.strip_prefix("/api/v1/").ok_or_else(not_found)?;
    let segs: Vec<String> = rest
        .split('/')
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let m = ctx.method;
    match segs.as_slice() {
        ["agents"] => match *m {
            Method::GET => agents::list(ctx),
            _ => Err(method_not_allowed("GET")),
        },
        ["agents", agent] if !agent.is_empty() => match *m {
            Method::GET => agents::retrieve(ctx, agent),
            _ => Err(method_not_allowed("GET")),
        },
        ["agents", agent, "artifacts"] if !agent.is_empty() => match *m {
            Method::GET => artifacts::list(ctx, agent),
            _ => Err(method_not_allowed("GET")),
        },
        ["artifacts", id, "download"] if !id.is_empty() => match *m {
            Method::GET => artifacts::download(ctx, id),
            _ => Err(method_not_allowed("GET")),
        },
        ["agents", agent, "sessions"] if !agent.is_empty() => match *m {
            Method::POST => create::create(ctx, agent),
            Method::GET => list::list(ctx, agent),
            _ => Err(method_not_allowed("GET, POST")),
        },
        ["sessions", id] if !id.is_empty() => match *m {
            Method::GET => session::retrieve(ctx, id),
            Method::PATCH => session::rename(ctx, id),
            _ => Err(method_not_allowed("GET, PATCH")),
        },
        ["sessions", id, "messages"] if !id.is_empty() => match *m {
            Method::POST => messages::send(ctx, id),
            _ => Err(method_not_allowed("POST")),
        },
        ["sessions", id, "queue"] if !id.is_empty() => match *m {
            Method::GET => queue::list(ctx, id),
            Method::POST => queue::add(ctx, id),
            _ => Err(method_not_allowed("GET, POST")),
        },
        ["sessions", id, "queue", qid] if !id.is_empty() && !qid.is_empty() => match *m {
            Method::PATCH => queue::edit(ctx, id, qid),
            Method::DELETE => queue::delete(ctx, id, qid),
            _ => Err(method_not_allowed("PATCH, DELETE")),
        },
        ["sessions", id, "queue", qid, "send"] if !id.is_empty() && !qid.is_empty() => match *m {
            Method::POST => queue::send_now(ctx, id, qid),
            _ => Err(method_not_allowed("POST")),
        },
        ["sessions", id, "access"] if !id.is_empty() => match *m {
            Method::GET => access::get(ctx, id),
            Method::PUT => access::update(ctx, id),
            _ => Err(method_not_allowed("GET, PUT")),
        },
        ["sessions", id, "approvals"] if !id.is_empty() => match *m {
            Method::POST => approvals::resolve(ctx, id),
            _ => Err(method_not_allowed("POST")),
        },
        ["sessions", id, "files"] if !id.is_empty() => match *m {
            Method::POST => files::upload(ctx, id),
            _ => Err(method_not_allowed("POST")),
        },
        ["sessions", id, "cancel"] if !id.is_empty() => match *m {
            Method::POST => session::cancel(ctx, id),
            _ => Err(method_not_allowed("POST")),
        },
        _ => Err(not_found()),
    }
}

/// Answers one `/api/v1` request (errors become error envelopes).
pub fn dispatch(ctx: &Ctx) -> Response<RespBody> {
    route(ctx).unwrap_or_else(ApiError::into_response)
}
