//! The admin API under `/_emulator` on the api listener (no auth; tests only).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use hyper::http::request::Parts;
use hyper::{Method, Response, StatusCode};
use serde_json::{json, Value};

use crate::app_state::App;
use crate::body::RespBody;
use crate::errors::{json_response, ApiError};
use crate::queue::with_entry;
use crate::store::State;

/// Answers one admin request.
pub fn handle(app: &Arc<App>, parts: &Parts, body: &[u8]) -> Response<RespBody> {
    let path = parts.uri.path().trim_end_matches('/');
    let result = match (&parts.method, path) {
        (&Method::GET, "/_emulator") => Ok(index(app)),
        (&Method::POST, "/_emulator/faults") => arm(app, body),
        (&Method::GET, "/_emulator/faults") => Ok(json_response(
            StatusCode::OK,
            &json!({"faults": app.faults().list()}),
        )),
        (&Method::DELETE, "/_emulator/faults") => {
            app.faults().clear();
            Ok(json_response(StatusCode::OK, &json!({"faults": []})))
        }
        (&Method::GET, "/_emulator/requests") => {
            Ok(json_response(StatusCode::OK, &app.log().to_json()))
        }
        (&Method::DELETE, "/_emulator/requests") => {
            app.log().clear();
            Ok(json_response(StatusCode::OK, &json!({"requests": []})))
        }
        (&Method::POST, "/_emulator/reset") => Ok(reset(app)),
        (&Method::GET, "/_emulator/oauth") => {
            Ok(json_response(StatusCode::OK, &app.oauth().stats()))
        }
        (&Method::POST, "/_emulator/oauth/approve") => Ok(crate::oauth_routes::approve(app, body)),
        (&Method::POST, "/_emulator/oauth/expire") => {
            let expired = app.oauth().expire_all(crate::clock::now_millis());
            Ok(json_response(StatusCode::OK, &json!({"expired": expired})))
        }
        (&Method::GET, "/_emulator/stats") => Ok(stats(app)),
        (&Method::GET, "/_emulator/fixtures") => Ok(json_response(
            StatusCode::OK,
            &serde_json::to_value(&app.fixtures).unwrap_or(Value::Null),
        )),
        (&Method::PATCH, p) if p.starts_with("/_emulator/sessions/") => set_editing(app, p, body),
        _ => Err(ApiError::new(404, "not_found", "No such admin endpoint")),
    };
    result.unwrap_or_else(ApiError::into_response)
}

fn index(app: &App) -> Response<RespBody> {
    json_response(
        StatusCode::OK,
        &json!({"api": app.api_base, "stream": app.stream_base, "storage": app.storage_base,
            "endpoints": [
            "POST /_emulator/faults", "GET /_emulator/faults", "DELETE /_emulator/faults",
            "GET /_emulator/requests", "DELETE /_emulator/requests",
            "POST /_emulator/reset", "GET /_emulator/stats", "GET /_emulator/fixtures",
            "GET /_emulator/oauth", "POST /_emulator/oauth/expire", "POST /_emulator/oauth/approve",
            "PATCH /_emulator/sessions/{session_id}/queue/{queued_message_id}",
        ]}),
    )
}

/// Arms one fault (a JSON object) or several (an array of objects).
fn arm(app: &App, body: &[u8]) -> Result<Response<RespBody>, ApiError> {
    let spec: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::new(400, "invalid_request", format!("invalid JSON: {e}")))?;
    let specs = match spec {
        Value::Array(items) => items,
        other => vec![other],
    };
    let mut faults = app.faults();
    // Validate all before arming any.
    let mut probe = crate::faults::Faults::default();
    for s in &specs {
        probe
            .arm(s)
            .map_err(|e| ApiError::new(400, "invalid_fault", e))?;
    }
    let armed: Vec<Value> = specs.iter().filter_map(|s| faults.arm(s).ok()).collect();
    Ok(json_response(
        StatusCode::CREATED,
        &json!({"faults": armed}),
    ))
}

/// `PATCH /_emulator/sessions/{sid}/queue/{qid}` `{"editing": bool}`: what another client
/// (the web editor) does when it starts or abandons an edit of a queued message.
fn set_editing(app: &App, path: &str, body: &[u8]) -> Result<Response<RespBody>, ApiError> {
    let rest = path.trim_start_matches("/_emulator/sessions/");
    let segs: Vec<&str> = rest.split('/').collect();
    let [sid, "queue", qid] = segs.as_slice() else {
        return Err(ApiError::new(404, "not_found", "No such admin endpoint"));
    };
    let editing = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("editing").and_then(Value::as_bool))
        .ok_or_else(|| ApiError::invalid("editing", "body must be {\"editing\": true|false}"))?;
    let mut store = app.store();
    let session = store
        .sessions
        .get_mut(*sid)
        .ok_or_else(|| ApiError::new(404, "session_not_found", "Session not found"))?;
    let entry = session
        .queue
        .iter_mut()
        .find(|q| q.id == *qid)
        .ok_or_else(|| {
            ApiError::new(404, "queued_message_not_found", "Queued message not found")
        })?;
    entry.editing = editing;
    entry.touch();
    Ok(json_response(StatusCode::OK, &with_entry(session, qid)))
}

fn reset(app: &App) -> Response<RespBody> {
    app.store().clear();
    app.faults().clear();
    app.log().clear();
    *app.oauth() = crate::oauth::OAuthStore::default();
    for c in [
        &app.stats.requests_api,
        &app.stats.requests_stream,
        &app.stats.requests_storage,
        &app.stats.requests_admin,
    ] {
        c.store(0, Ordering::Relaxed);
    }
    json_response(StatusCode::OK, &json!({"reset": true}))
}

fn stats(app: &App) -> Response<RespBody> {
    let store = app.store();
    let mut by_state = serde_json::Map::new();
    for st in [
        State::Idle,
        State::Queued,
        State::Processing,
        State::ApprovalRequired,
        State::Completed,
        State::Failed,
    ] {
        let n = store.sessions.values().filter(|s| s.state == st).count();
        by_state.insert(st.as_str().to_string(), json!(n));
    }
    let s = &app.stats;
    let api = s.requests_api.load(Ordering::Relaxed);
    let stream = s.requests_stream.load(Ordering::Relaxed);
    let storage = s.requests_storage.load(Ordering::Relaxed);
    let admin = s.requests_admin.load(Ordering::Relaxed);
    json_response(
        StatusCode::OK,
        &json!({
            "requests": {"total": api + stream + storage + admin, "api": api, "stream": stream,
                "storage": storage, "admin": admin},
            "sessions": {"total": store.sessions.len(), "by_state": by_state},
            "connections": {
                "open": s.connections_open.load(Ordering::Relaxed),
                "total": s.connections_total.load(Ordering::Relaxed),
            },
            "request_log_entries": app.log().held(),
        }),
    )
}
