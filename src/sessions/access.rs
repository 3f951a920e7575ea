//! Who can see a session: `GET` and `PUT /sessions/{session_id}/access`.

use crate::cancel::CancelToken;
use crate::client::{Call, Client};
use crate::error::{Error, Result};
use crate::http::paths::Endpoint;
use crate::json::body_text;
use crate::json::parse_object;
use reqwest::Method;
use serde_json::{Map, Value};

fn invalid(param: &str, message: impl Into<String>) -> Error {
    Error::invalid_argument(param, message)
}

/// Checks the `share` or `remove` list named `param`: objects whose `type` is `person` (with a
/// string `email`), `team` (with a string `team_id`) or `organization`. Roles are the server's
/// to judge: their vocabulary is not documented.
fn check_grants(param: &str, value: &Value) -> Result<()> {
    let Some(items) = value.as_array() else {
        return Err(invalid(
            param,
            format!("`{param}` must be an array of objects"),
        ));
    };
    for item in items {
        let needs = match item.get("type").and_then(Value::as_str) {
            Some("person") => Some("email"),
            Some("team") => Some("team_id"),
            Some("organization") => None,
            _ => {
                return Err(invalid(
                    param,
                    format!(
                    "each `{param}` item needs a `type`: \"person\", \"team\" or \"organization\""
                ),
                ))
            }
        };
        if let Some(field) = needs {
            if !item.get(field).is_some_and(Value::is_string) {
                return Err(invalid(
                    param,
                    format!("a `{param}` item of this type needs a string `{field}`"),
                ));
            }
        }
    }
    Ok(())
}

/// Checks an access change: at least one of `share`, `remove` and `link` (an object with a
/// string `mode`). Other fields pass through.
fn check_access_change(body: &Map<String, Value>) -> Result<()> {
    if !["share", "remove", "link"]
        .iter()
        .any(|k| body.contains_key(*k))
    {
        return Err(invalid(
            "body_json",
            "an access change needs `share`, `remove` or `link`",
        ));
    }
    for key in ["share", "remove"] {
        if let Some(value) = body.get(key) {
            check_grants(key, value)?;
        }
    }
    match body.get("link") {
        None => Ok(()),
        Some(link) if link.get("mode").is_some_and(Value::is_string) => Ok(()),
        Some(_) => Err(invalid(
            "link",
            "`link` must be an object with a string `mode` (\"none\", \"anyone\" or \"password\")",
        )),
    }
}

impl Client {
    /// `GET /sessions/{session_id}/access`: `{"access":{grants_visibility, people, teams,
    /// organization_access, link, link_role, password_protected, hidden_by_role}}`.
    pub async fn get_session_access(
        &self,
        session_id: &str,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let url = self.rest_url(Endpoint::SessionAccess(session_id))?;
        self.execute(Call::api(Method::GET, url, None), cancel)
            .await
    }

    /// `PUT /sessions/{session_id}/access` with `{"share"?,"remove"?,"link"?}`: returns the new
    /// access document and `notified`, the e-mails newly shared with.
    pub async fn update_session_access(
        &self,
        session_id: &str,
        body_json: Option<&str>,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let url = self.rest_url(Endpoint::SessionAccess(session_id))?;
        check_access_change(&parse_object(body_json)?)?;
        let call = Call::api(Method::PUT, url, Some(body_text(body_json)));
        self.execute(call, cancel).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<()> {
        check_access_change(&parse_object(Some(text))?)
    }

    #[test]
    fn access_changes_are_checked() {
        assert!(check(r#"{"share":[{"type":"person","email":"a@x","role":"viewer"},{"type":"organization","role":"viewer"}],"remove":[{"type":"team","team_id":"t"}],"link":{"mode":"anyone","role":"viewer"}}"#).is_ok());
        for (body, param) in [
            ("{}", "body_json"),
            (r#"{"share":{}}"#, "share"),
            (r#"{"share":[{"email":"a@x"}]}"#, "share"),
            (r#"{"share":[{"type":"person"}]}"#, "share"),
            (r#"{"remove":[{"type":"team"}]}"#, "remove"),
            (r#"{"link":"anyone"}"#, "link"),
        ] {
            let e = check(body).unwrap_err();
            assert_eq!(e.param.as_deref(), Some(param), "{body}");
        }
    }
}
