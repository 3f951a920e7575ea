//! OAuth 2.0 state of the emulator (docs/API.md §1.2): registered clients, authorization codes
//! bound to a PKCE S256 challenge, access tokens that expire after the fixtures'
//! `oauth_token_ttl_ms`, refresh tokens that rotate on use (a used one is refused), revocation,
//! and counters tests read (`GET /_emulator/oauth`). The HTTP side is `oauth_routes.rs`.

use std::collections::HashMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use crate::ids::new_id;

/// The client ID the SDK's command-line tool uses; known without registration, with any
/// loopback `…/callback` redirect.
pub const CLI_CLIENT_ID: &str = "gumloop_cli";

/// How long an authorization code stays valid.
const CODE_TTL_MS: u64 = 10 * 60 * 1000;

/// An RFC 6749 error: the HTTP status, `error` and `error_description`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    /// HTTP status.
    pub status: u16,
    /// The RFC `error` code.
    pub error: &'static str,
    /// The human description.
    pub description: String,
}

impl OAuthError {
    fn new(status: u16, error: &'static str, description: impl Into<String>) -> OAuthError {
        OAuthError {
            status,
            error,
            description: description.into(),
        }
    }

    /// 400 `invalid_request`.
    pub fn request(description: impl Into<String>) -> OAuthError {
        OAuthError::new(400, "invalid_request", description)
    }

    fn grant(description: impl Into<String>) -> OAuthError {
        OAuthError::new(400, "invalid_grant", description)
    }

    /// The RFC body `{"error","error_description"}`.
    pub fn body(&self) -> Value {
        json!({"error": self.error, "error_description": self.description})
    }
}

struct Client {
    redirect_uris: Vec<String>,
}

struct Code {
    client_id: String,
    redirect_uri: String,
    challenge: String,
    user_id: String,
    scope: String,
    expires_ms: u64,
}

/// Why an access token is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    /// Its lifetime is over.
    Expired,
    /// It was revoked.
    Revoked,
}

struct Access {
    user_id: String,
    expires_ms: u64,
    revoked: bool,
}

struct Refresh {
    client_id: String,
    user_id: String,
    scope: String,
    used: bool,
    revoked: bool,
}

/// What an authorization request asks for.
pub struct AuthorizeRequest<'a> {
    /// The client.
    pub client_id: &'a str,
    /// Where the code goes.
    pub redirect_uri: &'a str,
    /// The PKCE S256 challenge.
    pub challenge: &'a str,
    /// The scopes, space-separated.
    pub scope: &'a str,
    /// The user who approves.
    pub user_id: &'a str,
}

/// The emulator's OAuth state.
#[derive(Default)]
pub struct OAuthStore {
    clients: HashMap<String, Client>,
    codes: HashMap<String, Code>,
    access: HashMap<String, Access>,
    refresh: HashMap<String, Refresh>,
    /// Refresh-token grants answered with new tokens.
    pub refreshes: u64,
    /// Refresh-token grants refused.
    pub refreshes_refused: u64,
    /// Authorization codes issued.
    pub codes_issued: u64,
    /// Token pairs issued (code exchanges and refreshes).
    pub tokens_issued: u64,
    /// Revocation requests answered.
    pub revocations: u64,
}

/// The PKCE S256 challenge of `verifier`.
pub fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(ring::digest::digest(
        &ring::digest::SHA256,
        verifier.as_bytes(),
    ))
}

fn is_loopback_callback(uri: &str) -> bool {
    ["http://127.0.0.1:", "http://localhost:"]
        .iter()
        .any(|p| uri.starts_with(p))
        && uri.ends_with("/callback")
}

impl OAuthStore {
    /// Registers a client for `redirect_uris` and returns its ID.
    pub fn register(&mut self, redirect_uris: Vec<String>) -> String {
        let id = new_id("oc_");
        self.clients.insert(id.clone(), Client { redirect_uris });
        id
    }

    /// Whether `client_id` is known.
    pub fn knows(&self, client_id: &str) -> bool {
        client_id == CLI_CLIENT_ID || self.clients.contains_key(client_id)
    }

    /// Whether `redirect_uri` is one of `client_id`'s.
    pub fn redirect_allowed(&self, client_id: &str, redirect_uri: &str) -> bool {
        match self.clients.get(client_id) {
            Some(c) => c.redirect_uris.iter().any(|u| u == redirect_uri),
            None => client_id == CLI_CLIENT_ID && is_loopback_callback(redirect_uri),
        }
    }

    /// Issues a code for an approved authorization request.
    pub fn issue_code(&mut self, request: &AuthorizeRequest<'_>, now: u64) -> String {
        let code = new_id("code_");
        self.codes.insert(
            code.clone(),
            Code {
                client_id: request.client_id.to_string(),
                redirect_uri: request.redirect_uri.to_string(),
                challenge: request.challenge.to_string(),
                user_id: request.user_id.to_string(),
                scope: request.scope.to_string(),
                expires_ms: now + CODE_TTL_MS,
            },
        );
        self.codes_issued += 1;
        code
    }

    fn issue_tokens(
        &mut self,
        client_id: &str,
        user_id: &str,
        scope: &str,
        ttl_ms: u64,
        now: u64,
    ) -> Value {
        let access = new_id("gat_");
        let refresh = new_id("grt_");
        self.access.insert(
            access.clone(),
            Access {
                user_id: user_id.to_string(),
                expires_ms: now + ttl_ms,
                revoked: false,
            },
        );
        self.refresh.insert(
            refresh.clone(),
            Refresh {
                client_id: client_id.to_string(),
                user_id: user_id.to_string(),
                scope: scope.to_string(),
                used: false,
                revoked: false,
            },
        );
        self.tokens_issued += 1;
        json!({
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": ttl_ms / 1000,
            "refresh_token": refresh,
            "scope": scope,
        })
    }

    /// The `authorization_code` grant: the code must be this client's, unused, unexpired, for
    /// this redirect URI, and `verifier` must match its challenge. A code is used once.
    pub fn exchange(
        &mut self,
        client_id: &str,
        code: &str,
        redirect_uri: &str,
        verifier: &str,
        ttl_ms: u64,
        now: u64,
    ) -> Result<Value, OAuthError> {
        let Some(grant) = self.codes.remove(code) else {
            return Err(OAuthError::grant(
                "unknown, used or expired authorization code",
            ));
        };
        if grant.expires_ms <= now {
            return Err(OAuthError::grant("the authorization code has expired"));
        }
        if grant.client_id != client_id {
            return Err(OAuthError::grant("the code was issued to another client"));
        }
        if grant.redirect_uri != redirect_uri {
            return Err(OAuthError::grant(
                "redirect_uri does not match the authorization request",
            ));
        }
        if s256(verifier) != grant.challenge {
            return Err(OAuthError::grant("PKCE verification failed"));
        }
        Ok(self.issue_tokens(client_id, &grant.user_id, &grant.scope, ttl_ms, now))
    }

    /// The `refresh_token` grant: rotates the token (the old one is refused afterwards).
    pub fn refresh(
        &mut self,
        client_id: &str,
        token: &str,
        ttl_ms: u64,
        now: u64,
    ) -> Result<Value, OAuthError> {
        let refused = match self.refresh.get_mut(token) {
            None => Some("unknown refresh token"),
            Some(r) if r.revoked => Some("the refresh token was revoked"),
            Some(r) if r.used => Some("the refresh token was already used (tokens rotate)"),
            Some(r) if r.client_id != client_id => {
                Some("the refresh token belongs to another client")
            }
            Some(r) => {
                r.used = true;
                None
            }
        };
        if let Some(why) = refused {
            self.refreshes_refused += 1;
            return Err(OAuthError::grant(why));
        }
        let (user_id, scope) = {
            let r = &self.refresh[token];
            (r.user_id.clone(), r.scope.clone())
        };
        self.refreshes += 1;
        Ok(self.issue_tokens(client_id, &user_id, &scope, ttl_ms, now))
    }

    /// Revokes an access or refresh token (an unknown one is ignored, as RFC 7009 says).
    pub fn revoke(&mut self, token: &str) {
        if let Some(a) = self.access.get_mut(token) {
            a.revoked = true;
        }
        if let Some(r) = self.refresh.get_mut(token) {
            r.revoked = true;
        }
        self.revocations += 1;
    }

    /// The user of an issued access token, or why it is refused; `None` when this store never
    /// issued it.
    pub fn check_access(&self, token: &str, now: u64) -> Option<Result<String, TokenProblem>> {
        let access = self.access.get(token)?;
        Some(if access.revoked {
            Err(TokenProblem::Revoked)
        } else if access.expires_ms <= now {
            Err(TokenProblem::Expired)
        } else {
            Ok(access.user_id.clone())
        })
    }

    /// Makes every access token expire now (a test's shortcut past their lifetime).
    pub fn expire_all(&mut self, now: u64) -> usize {
        for a in self.access.values_mut() {
            a.expires_ms = a.expires_ms.min(now);
        }
        self.access.len()
    }

    /// The counters, for `GET /_emulator/oauth`.
    pub fn stats(&self) -> Value {
        json!({
            "refreshes": self.refreshes,
            "refreshes_refused": self.refreshes_refused,
            "codes_issued": self.codes_issued,
            "tokens_issued": self.tokens_issued,
            "revocations": self.revocations,
            "clients": self.clients.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn approved(store: &mut OAuthStore, verifier: &str) -> (String, String) {
        let client = store.register(vec!["http://127.0.0.1:1/cb".into()]);
        let request = AuthorizeRequest {
            client_id: &client,
            redirect_uri: "http://127.0.0.1:1/cb",
            challenge: &s256(verifier),
            scope: "gumloop userinfo",
            user_id: "user_ada",
        };
        let code = store.issue_code(&request, 0);
        (client, code)
    }

    #[test]
    fn a_code_is_used_once_and_needs_its_verifier() {
        let mut store = OAuthStore::default();
        let (client, code) = approved(&mut store, "v1");
        let cb = "http://127.0.0.1:1/cb";
        assert_eq!(
            store
                .exchange(&client, &code, cb, "wrong", 60_000, 1)
                .unwrap_err()
                .error,
            "invalid_grant"
        );
        // The failed exchange used the code up.
        assert!(store.exchange(&client, &code, cb, "v1", 60_000, 1).is_err());
        let (client, code) = approved(&mut store, "v2");
        let tokens = store.exchange(&client, &code, cb, "v2", 60_000, 1).unwrap();
        let access = tokens["access_token"].as_str().unwrap();
        assert_eq!(store.check_access(access, 2), Some(Ok("user_ada".into())));
        assert_eq!(
            store.check_access(access, 60_001),
            Some(Err(TokenProblem::Expired))
        );
    }

    #[test]
    fn refresh_tokens_rotate_and_revoked_ones_are_refused() {
        let mut store = OAuthStore::default();
        let (client, code) = approved(&mut store, "v");
        let first = store
            .exchange(&client, &code, "http://127.0.0.1:1/cb", "v", 1000, 0)
            .unwrap();
        let old = first["refresh_token"].as_str().unwrap().to_string();
        let second = store.refresh(&client, &old, 1000, 0).unwrap();
        assert_ne!(second["refresh_token"], first["refresh_token"]);
        assert_eq!(
            store.refresh(&client, &old, 1000, 0).unwrap_err().error,
            "invalid_grant"
        );
        let new = second["refresh_token"].as_str().unwrap();
        store.revoke(new);
        assert!(store.refresh(&client, new, 1000, 0).is_err());
        assert_eq!((store.refreshes, store.refreshes_refused), (1, 2));
    }
}
