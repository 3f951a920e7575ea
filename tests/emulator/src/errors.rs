//! Error responses in the nested envelope of docs/API.md §6.

use hyper::{header, Response, StatusCode};
use serde_json::{json, Value};

use crate::body::{full, RespBody};

/// The `type` that goes with a status (the table in docs/API.md §6).
pub fn error_type(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        429 => "rate_limit_error",
        s if s >= 500 => "api_error",
        _ => "invalid_request_error",
    }
}

/// An API error, turned into a response by [`ApiError::into_response`]. Boxed, so that
/// `Result<_, ApiError>` stays small.
#[derive(Debug, Clone)]
pub struct ApiError(Box<Inner>);

#[derive(Debug, Clone)]
struct Inner {
    status: StatusCode,
    code: &'static str,
    message: String,
    param: Option<String>,
    details: Value,
    headers: Vec<(&'static str, String)>,
}

impl ApiError {
    /// A new error with empty details.
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError(Box::new(Inner {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            code,
            message: message.into(),
            param: None,
            details: json!({}),
            headers: Vec::new(),
        }))
    }

    /// A 400 `invalid_request` naming the parameter at fault.
    pub fn invalid(param: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(400, "invalid_request", message).param(param)
    }

    /// Sets `param`.
    pub fn param(mut self, param: &str) -> ApiError {
        self.0.param = Some(param.to_string());
        self
    }

    /// Sets `details`.
    pub fn details(mut self, details: Value) -> ApiError {
        self.0.details = details;
        self
    }

    /// Adds a response header.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> ApiError {
        self.0.headers.push((name, value.into()));
        self
    }

    /// The JSON body of this error.
    pub fn body(&self) -> Value {
        let e = &self.0;
        json!({
            "error": {
                "code": e.code,
                "message": e.message,
                "type": error_type(e.status),
                "param": e.param,
                "details": e.details,
            }
        })
    }

    /// The full response.
    pub fn into_response(self) -> Response<RespBody> {
        let mut resp = json_response(self.0.status, &self.body());
        for (name, value) in self.0.headers {
            if let Ok(v) = header::HeaderValue::from_str(&value) {
                resp.headers_mut().insert(name, v);
            }
        }
        resp
    }
}

/// A JSON response with the given status.
pub fn json_response(status: StatusCode, value: &Value) -> Response<RespBody> {
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    let mut resp = Response::new(full(bytes));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    resp
}
