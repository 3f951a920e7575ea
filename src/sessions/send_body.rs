//! The body of a send-message call: checked, and for queued delivery turned into the request the
//! server expects (the idempotency key travels as a header, never in the body).

use crate::error::{Error, ErrorKind, Result};
use serde_json::{Map, Value};

/// Most attachments one message may carry.
pub(crate) const MAX_ATTACHMENTS: usize = 10;

/// What to send for a message.
#[derive(Debug, PartialEq)]
pub struct SendPlan {
    /// The body text to send.
    pub body: String,
    /// The `Idempotency-Key` header, for queued delivery.
    pub idempotency_key: Option<String>,
}

/// The text of a queued message: a string, or text parts joined by newlines.
fn queued_text(input: &Value) -> Result<String> {
    let text = match input {
        Value::String(s) => s.clone(),
        Value::Array(parts) => {
            let mut pieces = Vec::with_capacity(parts.len());
            for part in parts {
                match part {
                    Value::String(s) => pieces.push(s.clone()),
                    Value::Object(o)
                        if matches!(
                            o.get("type").and_then(Value::as_str),
                            Some("text" | "input_text")
                        ) =>
                    {
                        match o.get("text") {
                            Some(Value::String(s)) => pieces.push(s.clone()),
                            _ => {
                                return Err(Error::invalid_argument(
                                    "input",
                                    "a text part needs a string `text`",
                                ))
                            }
                        }
                    }
                    _ => {
                        return Err(Error::invalid_argument(
                            "input",
                            "queued delivery takes text only: strings or text parts",
                        ))
                    }
                }
            }
            pieces.join("\n")
        }
        _ => {
            return Err(Error::invalid_argument(
                "input",
                "`input` must be a string or an array of parts",
            ))
        }
    };
    if text.trim().is_empty() {
        return Err(Error::invalid_argument(
            "input",
            "a queued message must not be empty",
        ));
    }
    Ok(text)
}

fn check_idempotency_key(value: &Value) -> Result<String> {
    match value {
        Value::String(k)
            if (1..=256).contains(&k.len()) && k.bytes().all(|b| (b'!'..=b'~').contains(&b)) =>
        {
            Ok(k.clone())
        }
        _ => Err(Error::invalid_argument(
            "idempotency_key",
            "`idempotency_key` must be 1 to 256 printable ASCII characters without spaces",
        )),
    }
}

fn check_attachments(body: &Map<String, Value>) -> Result<()> {
    match body.get("attachments") {
        None => Ok(()),
        Some(Value::Array(items)) if items.len() <= MAX_ATTACHMENTS => {
            let ok = items.iter().all(|a| {
                a.get("file_name").is_some_and(Value::is_string)
                    && a.get("media_type")
                        .is_none_or(|m| m.is_string() || m.is_null())
            });
            if ok {
                Ok(())
            } else {
                Err(Error::invalid_argument(
                    "attachments",
                    "each attachment needs a string `file_name` (and an optional string `media_type`)",
                ))
            }
        }
        Some(_) => Err(Error::invalid_argument(
            "attachments",
            format!("`attachments` must be an array of at most {MAX_ATTACHMENTS} objects"),
        )),
    }
}

fn check_input_types(body: &Map<String, Value>) -> Result<()> {
    for k in ["input", "message"] {
        match body.get(k) {
            None | Some(Value::String(_) | Value::Array(_)) => {}
            Some(_) => {
                return Err(Error::invalid_argument(
                    k,
                    format!("`{k}` must be a string or an array of content parts"),
                ))
            }
        }
    }
    Ok(())
}

/// Checks a send-message body for the streaming call (its `stream` field already removed):
/// a message, or `approval_responses` to answer pending approvals; immediate delivery only.
pub fn check_stream_send(body: &Map<String, Value>) -> Result<()> {
    check_input_types(body)?;
    match body.get("approval_responses") {
        None => {
            if !body.contains_key("input") && !body.contains_key("message") {
                return Err(Error::invalid_argument(
                    "input",
                    "a message needs `input` (or `message`), or `approval_responses`",
                ));
            }
        }
        Some(Value::Array(items)) if !items.is_empty() => {}
        Some(_) => {
            return Err(Error::invalid_argument(
                "approval_responses",
                "`approval_responses` must be a non-empty array",
            ))
        }
    }
    check_attachments(body)?;
    match body.get("delivery") {
        None => {}
        Some(Value::String(d)) if d == "immediate" => {}
        Some(_) => {
            return Err(Error::invalid_argument(
                "delivery",
                "a streamed message is delivered immediately; `delivery` must be \"immediate\" or absent",
            ))
        }
    }
    if body.contains_key("idempotency_key") {
        return Err(Error::invalid_argument(
            "idempotency_key",
            "`idempotency_key` is only allowed with queued delivery, which does not stream",
        ));
    }
    Ok(())
}

/// Checks a send-message body (already parsed from `text`) for a call that does not stream.
pub fn plan_send(mut body: Map<String, Value>, text: &str) -> Result<SendPlan> {
    if !body.contains_key("input") && !body.contains_key("message") {
        return Err(Error::invalid_argument(
            "input",
            "a message needs `input` (or its alias `message`)",
        ));
    }
    check_input_types(&body)?;
    match body.get("stream") {
        None | Some(Value::Bool(false)) => {}
        Some(Value::Bool(true)) => {
            return Err(Error::about(
                ErrorKind::UseStreamingCall,
                "stream",
                "`stream: true` asks for an event stream; use the streaming send call instead",
            ))
        }
        Some(_) => {
            return Err(Error::invalid_argument(
                "stream",
                "`stream` must be true or false",
            ))
        }
    }
    if body.contains_key("approval_responses") {
        return Err(Error::invalid_argument(
            "approval_responses",
            "`approval_responses` are accepted only by the streaming send call or the approvals endpoint",
        ));
    }
    check_attachments(&body)?;
    let queued = match body.get("delivery") {
        None => false,
        Some(Value::String(d)) if d == "immediate" => false,
        Some(Value::String(d)) if d == "queued" => true,
        Some(_) => {
            return Err(Error::invalid_argument(
                "delivery",
                "`delivery` must be \"immediate\" or \"queued\"",
            ))
        }
    };
    if !queued {
        if body.contains_key("idempotency_key") {
            return Err(Error::invalid_argument(
                "idempotency_key",
                "`idempotency_key` is only allowed with `delivery: \"queued\"`",
            ));
        }
        return Ok(SendPlan {
            body: text.to_string(),
            idempotency_key: None,
        });
    }
    if body.contains_key("attachments") {
        return Err(Error::invalid_argument(
            "attachments",
            "queued delivery takes text only, no attachments",
        ));
    }
    // Both the field and its alias are flattened to text: neither may carry other content.
    for field in ["input", "message"] {
        if let Some(value) = body.get(field) {
            let joined = queued_text(value).map_err(|mut e| {
                e.param = Some(field.to_string());
                e
            })?;
            body.insert(field.to_string(), Value::String(joined));
        }
    }
    let idempotency_key = match body.remove("idempotency_key") {
        Some(value) => check_idempotency_key(&value)?,
        None => crate::random::uuid_v4()?,
    };
    Ok(SendPlan {
        body: Value::Object(body).to_string(),
        idempotency_key: Some(idempotency_key),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse_object;

    fn plan(text: &str) -> Result<SendPlan> {
        plan_send(parse_object(Some(text))?, text)
    }

    #[test]
    fn immediate_bodies_are_sent_unchanged() {
        let text = r#"{"input":"hi","x":1.50}"#;
        let p = plan(text).unwrap();
        assert_eq!(p.body, text);
        assert_eq!(p.idempotency_key, None);
    }

    #[test]
    fn queued_bodies_move_the_key_to_a_header() {
        let p = plan(r#"{"input":["a",{"type":"text","text":"b"}],"delivery":"queued","idempotency_key":"k-1"}"#)
            .unwrap();
        assert_eq!(p.idempotency_key.as_deref(), Some("k-1"));
        let sent: Value = serde_json::from_str(&p.body).unwrap();
        assert_eq!(sent["input"], "a\nb");
        assert!(sent.get("idempotency_key").is_none());
        let generated = plan(r#"{"input":"x","delivery":"queued"}"#).unwrap();
        let key = generated.idempotency_key.unwrap();
        assert_eq!(key.len(), 36);
        assert_eq!(&key[14..15], "4");
    }

    #[test]
    fn bad_bodies_name_the_field() {
        for (body, param) in [
            (r#"{}"#, "input"),
            (r#"{"input":1}"#, "input"),
            (
                r#"{"input":"x","approval_responses":[]}"#,
                "approval_responses",
            ),
            (r#"{"input":"x","delivery":"later"}"#, "delivery"),
            (r#"{"input":"x","idempotency_key":"k"}"#, "idempotency_key"),
            (
                r#"{"input":"x","delivery":"queued","idempotency_key":"has space"}"#,
                "idempotency_key",
            ),
            (r#"{"input":"  ","delivery":"queued"}"#, "input"),
            (
                r#"{"input":"x","message":[{"type":"image","url":"u"}],"delivery":"queued"}"#,
                "message",
            ),
            (
                r#"{"input":"x","attachments":[{"name":"a"}]}"#,
                "attachments",
            ),
        ] {
            assert_eq!(
                plan(body).unwrap_err().param.as_deref(),
                Some(param),
                "{body}"
            );
        }
        assert_eq!(
            plan(r#"{"input":"x","stream":true}"#).unwrap_err().kind,
            ErrorKind::UseStreamingCall
        );
    }
}
