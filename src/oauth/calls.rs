//! The four OAuth calls of a client, sent to the root host's `/oauth/*` endpoints with the
//! fields the SDK sends, in its order, and without the client's credentials.

use super::authorize::scope_string;
use super::form;
use crate::cancel::CancelToken;
use crate::client::Client;
use crate::error::{Error, Result};
use reqwest::Method;
use serde_json::Value;

/// The client name the SDK registers with when none is given.
const DEFAULT_CLIENT_NAME: &str = "Gumloop Python SDK";

/// The form media type.
const FORM: &str = "application/x-www-form-urlencoded";

/// A required argument: present and not empty.
fn required<'a>(name: &str, value: &'a str) -> Result<&'a str> {
    if value.is_empty() {
        return Err(Error::invalid_argument(
            name,
            format!("`{name}` must not be empty"),
        ));
    }
    Ok(value)
}

/// The token endpoint's form: the SDK's `pairs`, then `client_secret` when given (the SDK's
/// public clients have none).
fn token_form<'a>(mut pairs: Vec<(&'a str, &'a str)>, client_secret: Option<&'a str>) -> String {
    if let Some(secret) = client_secret.filter(|s| !s.is_empty()) {
        pairs.push(("client_secret", secret));
    }
    form::encode(&pairs)
}

impl Client {
    /// Sends an OAuth request: `POST {oauth base}/oauth/{name}` with `body` of `content_type`,
    /// no credentials. Repeated only when the server cannot have acted on it.
    async fn oauth_post(
        &self,
        name: &str,
        body: String,
        content_type: &'static str,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let url = super::endpoint(&self.config().base_url, name)?;
        let mut call = crate::client::Call::api(Method::POST, url, Some(body));
        call.content_type = content_type;
        call.anonymous = true;
        call.allow_empty = true;
        self.execute(call, cancel).await
    }

    /// Registers an OAuth client (`POST /oauth/register`, JSON): `scopes_json` is a JSON string
    /// or array of strings (NULL: the SDK's default scopes).
    pub async fn oauth_register_client(
        &self,
        redirect_uri: &str,
        client_name: Option<&str>,
        scopes_json: Option<&str>,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let redirect_uri = required("redirect_uri", redirect_uri)?;
        let scopes = match scopes_json {
            None => None,
            Some(text) => Some(serde_json::from_str::<Value>(text).map_err(|e| {
                Error::about(
                    crate::ErrorKind::InvalidJson,
                    "scopes",
                    format!("`scopes` is not valid JSON: {e}"),
                )
            })?),
        };
        // Written field by field: a JSON map would reorder the SDK's fields.
        let text = |value: &str| Value::String(value.to_string()).to_string();
        let body = format!(
            "{{\"client_name\":{},\"redirect_uris\":[{}],\
             \"grant_types\":[\"authorization_code\",\"refresh_token\"],\
             \"response_types\":[\"code\"],\"token_endpoint_auth_method\":\"none\",\"scope\":{}}}",
            text(client_name.unwrap_or(DEFAULT_CLIENT_NAME)),
            text(redirect_uri),
            text(&scope_string(scopes.as_ref())?),
        );
        self.oauth_post("register", body, "application/json", cancel)
            .await
    }

    /// Exchanges an authorization code for tokens (`POST /oauth/token`,
    /// `grant_type=authorization_code`).
    pub async fn oauth_exchange_code(
        &self,
        client_id: &str,
        code: &str,
        redirect_uri: &str,
        code_verifier: &str,
        client_secret: Option<&str>,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let body = token_form(
            vec![
                ("grant_type", "authorization_code"),
                ("client_id", required("client_id", client_id)?),
                ("code", required("code", code)?),
                ("redirect_uri", required("redirect_uri", redirect_uri)?),
                ("code_verifier", required("code_verifier", code_verifier)?),
            ],
            client_secret,
        );
        self.oauth_post("token", body, FORM, cancel).await
    }

    /// Gets a new access token for `refresh_token` (`POST /oauth/token`,
    /// `grant_type=refresh_token`). The client's own credentials are not changed.
    pub async fn oauth_refresh_token(
        &self,
        client_id: &str,
        refresh_token: &str,
        client_secret: Option<&str>,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let body = token_form(
            vec![
                ("grant_type", "refresh_token"),
                ("client_id", required("client_id", client_id)?),
                ("refresh_token", required("refresh_token", refresh_token)?),
            ],
            client_secret,
        );
        self.oauth_post("token", body, FORM, cancel).await
    }

    /// Revokes an access or refresh token (`POST /oauth/revoke`, RFC 7009). The server answers
    /// 200 with an empty body, returned as `{}` (as the SDK returns it).
    pub async fn oauth_revoke(
        &self,
        client_id: &str,
        token: &str,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let body = form::encode(&[
            ("client_id", required("client_id", client_id)?),
            ("token", required("token", token)?),
        ]);
        let text = self.oauth_post("revoke", body, FORM, cancel).await?;
        Ok(if text == "null" {
            "{}".to_string()
        } else {
            text
        })
    }
}
