//! `GET /agents/{agent_id}/artifacts` and `GET /artifacts/{id}/download`:
//! listing what runs made, and a signed storage URL for the bytes.

use hyper::{Response, StatusCode};
use serde_json::json;

use super::paging::ByCreation;
use super::Ctx;
use crate::artifacts::{signed_url, Artifact};
use crate::auth::{can_read, find_agent, resolve_agent};
use crate::body::RespBody;
use crate::clock::now_millis;
use crate::errors::{json_response, ApiError};

/// Lists an agent's artifacts, newest first unless `sort_order=oldest`.
pub fn list(ctx: &Ctx, raw_agent: &str) -> Result<Response<RespBody>, ApiError> {
    let caller = ctx.caller()?;
    let q = &ctx.query;
    let paging = ByCreation::parse(q, "artifacts")?;
    let session = q.get("session_id").filter(|s| !s.is_empty());
    let search = q
        .get("search_query")
        .filter(|s| !s.is_empty())
        .map(str::to_lowercase);
    let app = ctx.app;
    let mut store = app.store();
    let (agent_id, _) = resolve_agent(app, &mut store, &caller, raw_agent)?;
    let hits: Vec<&Artifact> = store
        .artifacts
        .iter()
        .filter(|a| a.agent_id == agent_id)
        .filter(|a| session.is_none_or(|s| a.session_id == s))
        .filter(|a| {
            search
                .as_deref()
                .is_none_or(|n| a.filename.to_lowercase().contains(n))
        })
        .collect();
    let (hits, next_cursor) = paging.page(hits, |a| a.seq);
    let artifacts: Vec<_> = hits.iter().map(|a| a.to_json(app)).collect();
    Ok(json_response(
        StatusCode::OK,
        &json!({"artifacts": artifacts, "next_cursor": next_cursor}),
    ))
}

/// `{download_url, filename, media_type, size}`: the URL is signed for the fixtures'
/// `artifact_url_ttl_ms` and carries no credential.
pub fn download(ctx: &Ctx, artifact_id: &str) -> Result<Response<RespBody>, ApiError> {
    let caller = ctx.caller()?;
    let version = ctx.query.get("version_id").filter(|v| !v.is_empty());
    let app = ctx.app;
    let store = app.store();
    let Some(artifact) = store.artifacts.iter().find(|a| a.id == artifact_id) else {
        return Err(
            ApiError::new(404, "artifact_not_found", "Artifact not found")
                .details(json!({"artifact_id": artifact_id})),
        );
    };
    let readable = find_agent(app, &store, &artifact.agent_id)
        .is_some_and(|agent| can_read(app, &caller, &agent));
    if !readable {
        return Err(ApiError::new(
            403,
            "permission_denied",
            "You do not have access to this artifact",
        ));
    }
    if version.is_some_and(|v| v != artifact.version_id) {
        return Err(ApiError::new(
            404,
            "artifact_version_not_found",
            "The artifact has no such version",
        )
        .param("version_id")
        .details(json!({"artifact_id": artifact_id, "version_id": version})));
    }
    let expires = now_millis().saturating_add(app.fixtures.artifact_url_ttl_ms);
    Ok(json_response(
        StatusCode::OK,
        &json!({
            "download_url": signed_url(app, artifact, expires),
            "filename": artifact.filename,
            "media_type": artifact.media_type(),
            "size": artifact.size,
        }),
    ))
}
