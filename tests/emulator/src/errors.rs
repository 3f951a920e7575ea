//! Error responses in the nested envelope of API.md §4.1.

use hyper::{header, Response, StatusCode};
use serde_json::{json, Value};

use crate::body::{full, RespBody};

/// The `type` that goes with a status (API.md §4.1 table).
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

/// An API error, turned into a response by [`ApiError::into_response`].
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Machine-readable code, e.g. `session_already_exists`.
    pub code: &'static str,
    /// Human-readable message.
    pub message: String,
    /// The offending parameter, if any.
    pub param: Option<String>,
    /// Extra details (an object).
    pub details: Value,
    /// Extra response headers.
    pub headers: Vec<(&'static str, String)>,
}

impl ApiError {
    /// A new error with empty details.
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            code,
            message: message.into(),
            param: None,
            details: json!({}),
            headers: Vec::new(),
        }
    }

    /// A 400 `invalid_request` naming the parameter at fault.
    pub fn invalid(param: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(400, "invalid_request", message).param(param)
    }

    /// Sets `param`.
    pub fn param(mut self, param: &str) -> ApiError {
        self.param = Some(param.to_string());
        self
    }

    /// Sets `details`.
    pub fn details(mut self, details: Value) -> ApiError {
        self.details = details;
        self
    }

    /// Adds a response header.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> ApiError {
        self.headers.push((name, value.into()));
        self
    }

    /// The JSON body of this error.
    pub fn body(&self) -> Value {
        json!({
            "error": {
                "code": self.code,
                "message": self.message,
                "type": error_type(self.status),
                "param": self.param,
                "details": self.details,
            }
        })
    }

    /// The full response.
    pub fn into_response(self) -> Response<RespBody> {
        let mut resp = json_response(self.status, &self.body());
        for (name, value) in self.headers {
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
