//! The credentials a client sends, replaceable while it runs: a new set applies to the requests
//! that start afterwards, requests in flight keep theirs, and the connection pool is untouched.

use crate::config::CredentialSource;
use crate::error::{Error, ErrorKind, Result};
use crate::http::headers::check_header_value;
use crate::secret::Secret;
use serde_json::{Map, Value};
use std::sync::{Arc, RwLock};

/// One set of credentials, never changed once made (a change makes a new set).
#[derive(Clone, Debug)]
pub(crate) struct Credentials {
    /// The bearer credential.
    pub access: CredentialSource,
    /// Sent as `x-auth-key` when set.
    pub user_id: Option<String>,
    /// The refresh token used after a 401 (only with the client's `client_id`).
    pub refresh_token: Option<Secret>,
    /// Counts the changes: 0 for the set the client was made with, +1 for each replacement.
    pub generation: u64,
}

/// The client's current credentials: read (one `Arc` clone) for every request, swapped whole.
#[derive(Debug)]
pub(crate) struct LiveCredentials {
    current: RwLock<Arc<Credentials>>,
}

/// The keys `gumloop_client_set_credentials` takes.
const KEYS: &[&str] = &["access_token", "user_id", "refresh_token"];

impl LiveCredentials {
    /// Starts with `initial` (generation 0).
    pub(crate) fn new(initial: Credentials) -> LiveCredentials {
        LiveCredentials {
            current: RwLock::new(Arc::new(initial)),
        }
    }

    /// The current set.
    pub(crate) fn snapshot(&self) -> Arc<Credentials> {
        // Every write replaces the Arc in one step: a poisoned lock still holds a whole set.
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Replaces the set by `change` applied to a copy of the current one, with the next
    /// generation, and returns the new set.
    pub(crate) fn replace(&self, change: impl FnOnce(&mut Credentials)) -> Arc<Credentials> {
        let mut current = self.current.write().unwrap_or_else(|p| p.into_inner());
        let mut next = Credentials::clone(&current);
        change(&mut next);
        next.generation = current.generation + 1;
        let next = Arc::new(next);
        *current = next.clone();
        next
    }

    /// Applies `credentials_json` (see `gumloop_client_set_credentials`): every key is checked
    /// before anything changes. Returns the new generation.
    pub(crate) fn apply_json(&self, credentials_json: &str, refresh_allowed: bool) -> Result<u64> {
        let change = Change::parse(credentials_json, refresh_allowed)?;
        Ok(self.replace(|set| change.apply(set)).generation)
    }
}

/// A checked change: for each key, `None` leaves it, `Some(None)` clears it, `Some(Some(v))`
/// sets it.
struct Change {
    access_token: Option<Option<Secret>>,
    user_id: Option<Option<String>>,
    refresh_token: Option<Option<Secret>>,
}

/// The value of `key`: absent, null (clear), or a non-empty string valid in a header.
fn field(map: &Map<String, Value>, key: &str) -> Result<Option<Option<String>>> {
    match map.get(key) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::String(s)) if s.is_empty() => Err(Error::invalid_argument(
            key,
            format!("`{key}` must not be empty (null clears it)"),
        )),
        Some(Value::String(s)) => {
            check_header_value(ErrorKind::InvalidArgument, key, s)?;
            Ok(Some(Some(s.clone())))
        }
        Some(_) => Err(Error::invalid_argument(
            key,
            format!("`{key}` must be a string or null"),
        )),
    }
}

impl Change {
    fn parse(text: &str, refresh_allowed: bool) -> Result<Change> {
        let map = crate::json::known_object(text, "credentials_json", KEYS)?;
        let refresh_token = field(&map, "refresh_token")?;
        if matches!(refresh_token, Some(Some(_))) && !refresh_allowed {
            return Err(Error::invalid_argument(
                "refresh_token",
                "a refresh token needs the client option `client_id`",
            ));
        }
        Ok(Change {
            access_token: field(&map, "access_token")?.map(|t| t.map(Secret::new)),
            user_id: field(&map, "user_id")?,
            refresh_token: refresh_token.map(|t| t.map(Secret::new)),
        })
    }

    fn apply(self, set: &mut Credentials) {
        if let Some(token) = self.access_token {
            set.access = match token {
                Some(token) => CredentialSource::Fixed(token),
                None => CredentialSource::Environment,
            };
        }
        if let Some(user) = self.user_id {
            set.user_id = user;
        }
        if let Some(refresh) = self.refresh_token {
            set.refresh_token = refresh;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn live() -> LiveCredentials {
        LiveCredentials::new(Credentials {
            access: CredentialSource::Fixed(Secret::new("a0".into())),
            user_id: Some("u0".into()),
            refresh_token: None,
            generation: 0,
        })
    }

    #[test]
    fn a_change_replaces_only_the_keys_given_and_counts() {
        let creds = live();
        let before = creds.snapshot();
        assert_eq!(
            creds.apply_json(r#"{"access_token":"a1"}"#, true).unwrap(),
            1
        );
        let now = creds.snapshot();
        assert!(matches!(&now.access, CredentialSource::Fixed(t) if t.expose() == "a1"));
        assert_eq!(now.user_id.as_deref(), Some("u0"));
        // The set taken before is unchanged: a request in flight keeps its credentials.
        assert!(matches!(&before.access, CredentialSource::Fixed(t) if t.expose() == "a0"));
        assert_eq!(
            creds
                .apply_json(r#"{"user_id":null,"access_token":null}"#, true)
                .unwrap(),
            2
        );
        let now = creds.snapshot();
        assert!(now.user_id.is_none() && matches!(now.access, CredentialSource::Environment));
    }

    #[test]
    fn bad_changes_are_refused_and_change_nothing() {
        let creds = live();
        for (text, param) in [
            (r#"{"access_token":"a\nb"}"#, "access_token"),
            (r#"{"access_token":"ok","user_id":5}"#, "user_id"),
            (r#"{"access_token":""}"#, "access_token"),
            (r#"{"acess_token":"x"}"#, "acess_token"),
            (r#"[1]"#, "credentials_json"),
            (r#"{"refresh_token":"r"}"#, "refresh_token"),
        ] {
            let e = creds.apply_json(text, false).unwrap_err();
            assert_eq!(e.param.as_deref(), Some(param), "{text}");
            assert!(!e.message.contains("a\nb"), "{}", e.message);
        }
        assert_eq!(
            creds.apply_json("{", true).unwrap_err().kind,
            ErrorKind::InvalidJson
        );
        assert_eq!(creds.snapshot().generation, 0);
    }
}
