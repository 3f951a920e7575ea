//! The entry point of every request: counting, the admin API, the request log, and the
//! faults that act around the normal handling.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::{header, Request, Response, StatusCode};
use serde_json::{json, Value};

use crate::admin;
use crate::app_state::{App, Listener};
use crate::body::{empty, full, Aborted, ChannelBody, RespBody};
use crate::errors::{error_type, json_response};
use crate::faults::RequestFault;
use crate::routes::{self, Ctx, Query};
use crate::storage;

/// Largest request body accepted, whatever the file limit.
const MIN_BODY_LIMIT: u64 = 32 * 1024 * 1024;

/// Largest request body accepted: room for the base64 text of the largest file an upload
/// may carry (4 characters per 3 bytes) plus its JSON, and never below [`MIN_BODY_LIMIT`].
fn body_limit(app: &App) -> usize {
    let upload = app.fixtures.max_file_bytes.div_ceil(3) * 4 + 64 * 1024;
    usize::try_from(upload.max(MIN_BODY_LIMIT)).unwrap_or(usize::MAX)
}

/// The 413 for a body over [`body_limit`]: `file_too_large` on an upload, else
/// `request_too_large`.
fn body_too_large(app: &App, path: &str) -> Response<RespBody> {
    if path.ends_with("/files") {
        return routes::too_large(app.fixtures.max_file_bytes).into_response();
    }
    json_response(
        StatusCode::PAYLOAD_TOO_LARGE,
        &json!({"error": {"code": "request_too_large", "message": "Request body too large",
            "type": "invalid_request_error", "param": null, "details": {}}}),
    )
}

fn is_admin(path: &str) -> bool {
    path == "/_emulator" || path.starts_with("/_emulator/")
}

/// Handles one request; an `Err` makes hyper close the connection without a response.
pub async fn serve(
    app: Arc<App>,
    listener: Listener,
    req: Request<Incoming>,
) -> Result<Response<RespBody>, Aborted> {
    let (parts, body) = req.into_parts();
    let admin = listener == Listener::Api && is_admin(parts.uri.path());
    app.count_request(listener, admin);
    let body = match Limited::new(body, body_limit(&app)).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => {
            return Ok(body_too_large(&app, parts.uri.path()))
        }
        Err(_) => return Err(Aborted("request body could not be read")),
    };
    if admin {
        return Ok(admin::handle(&app, &parts, &body));
    }

    let path = parts.uri.path();
    let hit = app
        .faults()
        .take_request(parts.method.as_str(), path, listener);
    let seq = app.log().record(
        listener,
        &parts,
        &body,
        hit.as_ref().map(|h| h.name.as_str()),
    );
    let answer = answer(&app, listener, &parts, path, &body, hit).await;
    answer.map(|resp| with_request_id(resp, seq))
}

/// Every recorded request's answer names it, as servers do: `x-request-id: req_<seq>`, the
/// `seq` of its entry in the request log.
fn with_request_id(mut resp: Response<RespBody>, seq: u64) -> Response<RespBody> {
    if let Ok(value) = header::HeaderValue::from_str(&format!("req_{seq}")) {
        resp.headers_mut().insert("x-request-id", value);
    }
    resp
}

/// The answer to a recorded request: its fault's, or the normal handling's.
async fn answer(
    app: &Arc<App>,
    listener: Listener,
    parts: &hyper::http::request::Parts,
    path: &str,
    body: &Bytes,
    hit: Option<crate::faults::Hit>,
) -> Result<Response<RespBody>, Aborted> {
    if let Some(hit) = &hit {
        if hit.delay_ms > 0 {
            tokio::time::sleep(Duration::from_millis(hit.delay_ms)).await;
        }
        match &hit.action {
            RequestFault::ResetBeforeRequest => return Err(Aborted("reset before request")),
            RequestFault::Status {
                status,
                retry_after,
                body,
            } => {
                return Ok(status_response(
                    *status,
                    retry_after.as_deref(),
                    body.as_ref(),
                ))
            }
            RequestFault::Garbage => return Ok(garbage()),
            RequestFault::Redirect(url) => return Ok(redirect(url)),
            RequestFault::DelayOnly
            | RequestFault::ResetBeforeResponse
            | RequestFault::Truncate => {}
        }
    }

    let resp = match listener {
        Listener::Storage => storage::handle(app, parts),
        Listener::Api if crate::oauth_routes::is_oauth(path) => crate::oauth_routes::handle(
            app,
            &parts.method,
            path,
            parts.uri.query(),
            &parts.headers,
            body,
        ),
        Listener::Api | Listener::Stream => routes::dispatch(&Ctx {
            app,
            listener,
            method: &parts.method,
            path,
            query: Query::parse(parts.uri.query()),
            headers: &parts.headers,
            body,
        }),
    };
    match hit.map(|h| h.action) {
        Some(RequestFault::ResetBeforeResponse) => {
            drop(resp);
            Err(Aborted("reset before response"))
        }
        Some(RequestFault::Truncate) => Ok(truncate(resp).await),
        _ => Ok(resp),
    }
}

fn status_response(
    status: u16,
    retry_after: Option<&str>,
    body: Option<&Value>,
) -> Response<RespBody> {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let mut resp = match body {
        Some(Value::String(text)) => {
            let mut r = Response::new(full(text.clone()));
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static("text/plain"),
            );
            r
        }
        Some(value) => json_response(code, value),
        None => json_response(
            code,
            &json!({"error": {
                "code": "emulated_fault",
                "message": format!("Emulated HTTP {status} (fault injection)"),
                "type": error_type(code),
                "param": null,
                "details": {},
            }}),
        ),
    };
    *resp.status_mut() = code;
    if let Some(v) = retry_after.and_then(|v| header::HeaderValue::from_str(v).ok()) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

fn garbage() -> Response<RespBody> {
    let mut resp = Response::new(full(Bytes::from_static(
        b"<html><body>Bad gateway: this is not JSON {\"session\":",
    )));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    resp
}

fn redirect(url: &str) -> Response<RespBody> {
    let mut resp = Response::new(empty());
    *resp.status_mut() = StatusCode::TEMPORARY_REDIRECT;
    if let Ok(v) = header::HeaderValue::from_str(url) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// Keeps the status and headers, declares the full Content-Length, sends half the body
/// and then breaks the connection.
async fn truncate(resp: Response<RespBody>) -> Response<RespBody> {
    let (mut parts, body) = resp.into_parts();
    let bytes = body
        .collect()
        .await
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    parts.headers.insert(
        header::CONTENT_LENGTH,
        header::HeaderValue::from(bytes.len()),
    );
    let (tx, body) = ChannelBody::channel(2);
    let half = bytes.slice(..bytes.len() / 2);
    tokio::spawn(async move {
        if tx.send(Ok(half)).await.is_ok() {
            // Let the half be flushed before the connection breaks.
            tokio::time::sleep(Duration::from_millis(20)).await;
            let _ = tx.send(Err(Box::new(Aborted("truncated body")))).await;
        }
    });
    Response::from_parts(parts, body)
}
