//! Armed faults: matched by method, path pattern and (optionally) listener, consumed
//! `times` times, first armed first used.
//!
//! Path patterns are compared segment by segment with the raw (still percent-encoded)
//! request path: `*` matches exactly one segment, a final `**` matches any remainder
//! (including nothing), anything else must be equal.

use serde_json::{json, Value};

use crate::app_state::Listener;

/// What a request fault does.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestFault {
    /// Only the delay (`delay_ms`), then normal processing.
    DelayOnly,
    /// Answer with this status without processing.
    Status {
        /// HTTP status.
        status: u16,
        /// `Retry-After` header value, if any.
        retry_after: Option<String>,
        /// Body to send instead of the default error envelope.
        body: Option<Value>,
    },
    /// Process the request, then close the connection without a response.
    ResetBeforeResponse,
    /// Close the connection without processing the request.
    ResetBeforeRequest,
    /// Process, declare the full Content-Length, send half the body, close.
    Truncate,
    /// Without processing, 200 with a body that is not JSON.
    Garbage,
    /// Without processing, 307 to this URL.
    Redirect(String),
}

/// What a stream fault does once `N` events were sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamFault {
    /// Stop sending (no events, no pings), connection left open.
    Stall(usize),
    /// Close the connection abruptly.
    Drop(usize),
}

impl StreamFault {
    /// The number of events sent before the fault strikes.
    pub fn after(self) -> usize {
        match self {
            StreamFault::Stall(n) | StreamFault::Drop(n) => n,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Request(RequestFault),
    Stream(StreamFault),
}

/// One armed fault.
#[derive(Debug, Clone)]
pub struct Fault {
    id: u64,
    method: Option<String>,
    path: String,
    listener: Option<Listener>,
    remaining: u64,
    delay_ms: u64,
    kind: Kind,
    spec: Value,
}

/// A matched request fault: optional delay, then the action.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Milliseconds to wait before acting.
    pub delay_ms: u64,
    /// The action.
    pub action: RequestFault,
    /// A short name for the request log.
    pub name: String,
}

/// The list of armed faults.
#[derive(Debug, Default)]
pub struct Faults {
    next_id: u64,
    armed: Vec<Fault>,
}

/// Whether a raw path matches a pattern (see the module docs).
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let pat: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
    let segs: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    for (i, p) in pat.iter().enumerate() {
        if *p == "**" && i == pat.len() - 1 {
            return segs.len() >= i;
        }
        match segs.get(i) {
            Some(s) if *p == "*" && !s.is_empty() => {}
            Some(s) if s == p => {}
            _ => return false,
        }
    }
    segs.len() == pat.len()
}

fn opt_u64(spec: &Value, key: &str) -> Result<Option<u64>, String> {
    match spec.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| format!("`{key}` must be a non-negative integer")),
    }
}

fn parse_kind(spec: &Value) -> Result<Kind, String> {
    let mut kinds = Vec::new();
    if let Some(status) = opt_u64(spec, "status")? {
        if !(100..=599).contains(&status) {
            return Err("`status` must be 100..599".into());
        }
        let retry_after = match spec.get("retry_after") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(_) => return Err("`retry_after` must be a number or a string".into()),
        };
        kinds.push(Kind::Request(RequestFault::Status {
            status: status as u16,
            retry_after,
            body: spec.get("body").cloned(),
        }));
    }
    match spec.get("reset") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s == "before_response" => {
            kinds.push(Kind::Request(RequestFault::ResetBeforeResponse))
        }
        Some(Value::String(s)) if s == "before_request" => {
            kinds.push(Kind::Request(RequestFault::ResetBeforeRequest))
        }
        Some(_) => return Err("`reset` must be \"before_response\" or \"before_request\"".into()),
    }
    for (key, fault) in [
        ("truncate", RequestFault::Truncate),
        ("garbage", RequestFault::Garbage),
    ] {
        match spec.get(key) {
            None | Some(Value::Null) | Some(Value::Bool(false)) => {}
            Some(Value::Bool(true)) => kinds.push(Kind::Request(fault)),
            Some(_) => return Err(format!("`{key}` must be true")),
        }
    }
    match spec.get("redirect") {
        None | Some(Value::Null) => {}
        Some(Value::String(url)) => kinds.push(Kind::Request(RequestFault::Redirect(url.clone()))),
        Some(_) => return Err("`redirect` must be a URL string".into()),
    }
    if let Some(n) = opt_u64(spec, "stall_stream_after")? {
        kinds.push(Kind::Stream(StreamFault::Stall(n as usize)));
    }
    if let Some(n) = opt_u64(spec, "drop_stream_after")? {
        kinds.push(Kind::Stream(StreamFault::Drop(n as usize)));
    }
    match kinds.len() {
        0 if spec.get("delay_ms").is_some() => Ok(Kind::Request(RequestFault::DelayOnly)),
        0 => Err("a fault needs one of status, delay_ms, reset, truncate, garbage, redirect, stall_stream_after, drop_stream_after".into()),
        1 => Ok(kinds.remove(0)),
        _ => Err("a fault has exactly one kind (delay_ms may accompany a request fault)".into()),
    }
}

fn name_of(action: &RequestFault) -> String {
    match action {
        RequestFault::DelayOnly => "delay".into(),
        RequestFault::Status { status, .. } => format!("status_{status}"),
        RequestFault::ResetBeforeResponse => "reset_before_response".into(),
        RequestFault::ResetBeforeRequest => "reset_before_request".into(),
        RequestFault::Truncate => "truncate".into(),
        RequestFault::Garbage => "garbage".into(),
        RequestFault::Redirect(_) => "redirect".into(),
    }
}

impl Faults {
    /// Arms one fault from its JSON spec; returns its description (with `id`).
    pub fn arm(&mut self, spec: &Value) -> Result<Value, String> {
        if !spec.is_object() {
            return Err("a fault must be a JSON object".into());
        }
        let kind = parse_kind(spec)?;
        let delay_ms = opt_u64(spec, "delay_ms")?.unwrap_or(0);
        if delay_ms > 0 && matches!(kind, Kind::Stream(_)) {
            return Err("`delay_ms` cannot accompany a stream fault".into());
        }
        let method = match spec.get("method") {
            None | Some(Value::Null) => None,
            Some(Value::String(m)) if m == "*" => None,
            Some(Value::String(m)) => Some(m.to_ascii_uppercase()),
            Some(_) => return Err("`method` must be a string".into()),
        };
        let path = match spec.get("path") {
            None | Some(Value::Null) => "/**".to_string(),
            Some(Value::String(p)) if p.starts_with('/') => p.clone(),
            Some(_) => return Err("`path` must be a string starting with /".into()),
        };
        let listener = match spec.get("listener").and_then(Value::as_str) {
            None => None,
            Some("api") => Some(Listener::Api),
            Some("stream") => Some(Listener::Stream),
            Some("storage") => Some(Listener::Storage),
            Some(_) => return Err("`listener` must be \"api\", \"stream\" or \"storage\"".into()),
        };
        let times = opt_u64(spec, "times")?.unwrap_or(1);
        if times == 0 {
            return Err("`times` must be at least 1".into());
        }
        self.next_id += 1;
        let fault = Fault {
            id: self.next_id,
            method,
            path,
            listener,
            remaining: times,
            delay_ms,
            kind,
            spec: spec.clone(),
        };
        let desc = describe(&fault);
        self.armed.push(fault);
        Ok(desc)
    }

    /// Descriptions of the armed faults.
    pub fn list(&self) -> Vec<Value> {
        self.armed.iter().map(describe).collect()
    }

    /// Disarms everything.
    pub fn clear(&mut self) {
        self.armed.clear();
    }

    fn take(
        &mut self,
        method: &str,
        path: &str,
        listener: Listener,
        stream: bool,
    ) -> Option<(Kind, u64)> {
        let idx = self.armed.iter().position(|f| {
            matches!(f.kind, Kind::Stream(_)) == stream
                && f.method.as_deref().is_none_or(|m| m == method)
                && f.listener.is_none_or(|l| l == listener)
                && path_matches(&f.path, path)
        })?;
        let fault = &mut self.armed[idx];
        fault.remaining -= 1;
        let out = (fault.kind.clone(), fault.delay_ms);
        if fault.remaining == 0 {
            self.armed.remove(idx);
        }
        Some(out)
    }

    /// Consumes the first request fault matching this request, if any.
    pub fn take_request(&mut self, method: &str, path: &str, listener: Listener) -> Option<Hit> {
        match self.take(method, path, listener, false)? {
            (Kind::Request(action), delay_ms) => Some(Hit {
                delay_ms,
                name: name_of(&action),
                action,
            }),
            (Kind::Stream(_), _) => None,
        }
    }

    /// Consumes the first stream fault matching this request, if any.
    pub fn take_stream(
        &mut self,
        method: &str,
        path: &str,
        listener: Listener,
    ) -> Option<StreamFault> {
        match self.take(method, path, listener, true)? {
            (Kind::Stream(f), _) => Some(f),
            (Kind::Request(_), _) => None,
        }
    }
}

fn describe(f: &Fault) -> Value {
    json!({
        "id": f.id,
        "method": f.method,
        "path": f.path,
        "listener": f.listener.map(Listener::as_str),
        "remaining": f.remaining,
        "spec": f.spec,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(path_matches(
            "/api/v1/agents/*/sessions",
            "/api/v1/agents/a%2Fb/sessions"
        ));
        assert!(!path_matches(
            "/api/v1/agents/*/sessions",
            "/api/v1/agents/x/y/sessions"
        ));
        assert!(!path_matches(
            "/api/v1/agents/*/sessions",
            "/api/v1/agents//sessions"
        ));
        assert!(path_matches("/api/v1/**", "/api/v1/sessions/x/messages"));
        assert!(path_matches("/api/v1/**", "/api/v1"));
        assert!(path_matches("/**", "/anything/at/all"));
        assert!(!path_matches(
            "/api/v1/sessions/*",
            "/api/v1/sessions/x/cancel"
        ));
    }

    #[test]
    fn consumed_in_order_and_by_count() {
        let mut f = Faults::default();
        f.arm(&json!({"method": "post", "path": "/a/*", "status": 503, "times": 2}))
            .unwrap();
        f.arm(&json!({"path": "/a/*", "garbage": true})).unwrap();
        assert!(f.take_request("GET", "/b/x", Listener::Api).is_none());
        assert_eq!(
            f.take_request("POST", "/a/x", Listener::Api).unwrap().name,
            "status_503"
        );
        assert_eq!(
            f.take_request("POST", "/a/x", Listener::Api).unwrap().name,
            "status_503"
        );
        assert_eq!(
            f.take_request("POST", "/a/x", Listener::Api).unwrap().name,
            "garbage"
        );
        assert!(f.take_request("POST", "/a/x", Listener::Api).is_none());
        assert!(f.arm(&json!({"status": 503, "garbage": true})).is_err());
        assert!(f.arm(&json!({"path": "/x"})).is_err());
    }
}
