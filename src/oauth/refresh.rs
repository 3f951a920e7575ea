//! Renewing a client's access token after a 401, once per wave: the calls that met a 401 with
//! the same credentials share one refresh, and each then repeats its request once.
//!
//! The state is a count of the refreshes tried and the outcome of the latest. A request notes
//! the count when it starts; when it meets a 401 it takes the refresh lock and then:
//! - if a refresh was tried since it started, it shares that refresh's outcome (repeat, or fail
//!   with its error);
//! - else if the credentials changed since it started (`set_credentials`), it repeats;
//! - else it refreshes, and the calls waiting on the lock share the outcome.
//!
//! A refresh refused with a 4xx drops the refresh token (it is dead); a 5xx or a transport
//! error keeps it, so the next 401 tries again. The new token pair waits for the caller
//! ([`Client::take_tokens`]); no caller code runs on the library's threads.

use crate::client::Client;
use crate::config::CredentialSource;
use crate::error::{Error, ErrorKind, Result};
use crate::log::record::{millis, Event, Record};
use crate::log::Level;
use crate::secret::Secret;
use futures_util::future::BoxFuture;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;
use zeroize::Zeroizing;

/// The refresh state of one client.
#[derive(Debug, Default)]
pub(crate) struct Refresher {
    /// Held while a refresh runs.
    lock: tokio::sync::Mutex<()>,
    /// Refreshes tried.
    tried: AtomicU64,
    /// Refreshes that succeeded.
    succeeded: AtomicU64,
    /// The error of the latest refresh tried, `None` when it succeeded.
    last_failure: Mutex<Option<Error>>,
    /// The latest token pair not yet taken: `{"generation","refresh_count","tokens"}` text.
    pending: Mutex<Option<Zeroizing<String>>>,
}

fn locked<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Each value under these locks is replaced in one step: a poisoned lock is still whole.
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

impl Refresher {
    /// Refreshes tried so far (a request notes it when it starts).
    pub(crate) fn attempts(&self) -> u64 {
        self.tried.load(Ordering::Acquire)
    }

    /// Refreshes that succeeded so far.
    pub(crate) fn count(&self) -> u64 {
        self.succeeded.load(Ordering::Acquire)
    }

    /// The latest token pair not yet taken, once.
    pub(crate) fn take(&self) -> Option<String> {
        locked(&self.pending).take().map(|text| text.to_string())
    }
}

/// The access token and (rotated) refresh token of a token endpoint answer.
fn read_tokens(text: &str) -> Result<(Secret, Option<Secret>)> {
    let value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let string = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .filter(|s| {
                crate::http::headers::check_header_value(ErrorKind::InvalidResponse, key, s).is_ok()
            })
            .map(|s| Secret::new(s.to_string()))
    };
    let Some(access) = string("access_token") else {
        return Err(Error::new(
            ErrorKind::InvalidResponse,
            "the token endpoint's answer has no usable access_token",
        ));
    };
    Ok((access, string("refresh_token")))
}

/// Whether a refresh that failed with `error` proves the refresh token dead (a 4xx, or an
/// answer without an access token), so that it must not be tried again.
fn is_final(error: &Error) -> bool {
    error.kind == ErrorKind::InvalidResponse
        || error.status().is_some_and(|s| (400..500).contains(&s))
}

impl Client {
    /// Successful refreshes of this client so far.
    pub fn refresh_count(&self) -> u64 {
        self.refresher.count()
    }

    /// The token pair of the latest refresh not yet taken, once:
    /// `{"generation":N,"refresh_count":K,"tokens":{…the token endpoint's answer…}}`.
    pub fn take_tokens(&self) -> Option<String> {
        self.refresher.take()
    }

    /// After a 401 of a request that started with credentials `generation` when `seen`
    /// refreshes had been tried: `Ok` when the request should be sent again (with the current
    /// credentials), or the refresh's error.
    ///
    /// Boxed as a trait object: the refresh is itself a request, whose sending could refresh.
    pub(crate) fn refresh_after_401(
        &self,
        generation: u64,
        seen: u64,
    ) -> BoxFuture<'_, Result<()>> {
        Box::pin(self.refresh_wave(generation, seen))
    }

    async fn refresh_wave(&self, generation: u64, seen: u64) -> Result<()> {
        let _wave = self.refresher.lock.lock().await;
        if self.refresher.attempts() != seen {
            return match locked(&self.refresher.last_failure).clone() {
                None => Ok(()),
                Some(error) => Err(error),
            };
        }
        let creds = self.live.snapshot();
        if creds.generation != generation {
            return Ok(());
        }
        let (Some(refresh_token), Some(client)) =
            (&creds.refresh_token, &self.config().oauth_client)
        else {
            return Err(Error::new(
                ErrorKind::Unauthorized,
                "no refresh token to renew the access token with",
            ));
        };
        self.refresher.tried.fetch_add(1, Ordering::AcqRel);
        let started = Instant::now();
        let secret = client.client_secret.as_ref().map(Secret::expose);
        let answer = self
            .oauth_refresh_token(&client.client_id, refresh_token.expose(), secret, None)
            .await;
        let outcome = answer.and_then(|text| {
            let (access, rotated) = read_tokens(&text)?;
            Ok((Zeroizing::new(text), access, rotated))
        });
        let elapsed = millis(started.elapsed());
        match outcome {
            Ok((text, access, rotated)) => {
                let next = self.live.replace(|set| {
                    set.access = CredentialSource::Fixed(access);
                    if rotated.is_some() {
                        set.refresh_token = rotated;
                    }
                });
                let count = self.refresher.succeeded.fetch_add(1, Ordering::AcqRel) + 1;
                let tokens: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                let pair = json!({
                    "generation": next.generation,
                    "refresh_count": count,
                    "tokens": tokens,
                });
                *locked(&self.refresher.pending) = Some(Zeroizing::new(pair.to_string()));
                *locked(&self.refresher.last_failure) = None;
                log_refresh(Level::Info, "ok", None, elapsed);
                Ok(())
            }
            Err(error) => {
                if is_final(&error) {
                    self.live.replace(|set| set.refresh_token = None);
                }
                log_refresh(Level::Warn, "failed", Some(&error), elapsed);
                *locked(&self.refresher.last_failure) = Some(error.clone());
                Err(error)
            }
        }
    }
}

/// Records a refresh and its outcome (never a token).
fn log_refresh(level: Level, outcome: &str, error: Option<&Error>, elapsed: u64) {
    if !crate::log::enabled(level) {
        return;
    }
    let message = match error {
        None => format!("access token refreshed in {elapsed} ms"),
        Some(e) => format!("token refresh failed ({}) in {elapsed} ms", e.kind.name()),
    };
    let mut record = Record::new(level, Event::Refresh, message)
        .with("outcome", outcome)
        .with("duration_ms", elapsed);
    if let Some(e) = error {
        record = record
            .with("status", e.status())
            .with("error", e.kind.name());
    }
    crate::log::emit(record);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_answer_needs_an_access_token() {
        let (access, rotated) =
            read_tokens(r#"{"access_token":"a","refresh_token":"r","expires_in":5}"#).unwrap();
        assert_eq!((access.expose(), rotated.unwrap().expose()), ("a", "r"));
        assert!(read_tokens(r#"{"access_token":"a"}"#).unwrap().1.is_none());
        for bad in [
            r#"{"refresh_token":"r"}"#,
            r#"{"access_token":""}"#,
            "[]",
            "x",
        ] {
            let e = read_tokens(bad).unwrap_err();
            assert!(is_final(&e), "{bad}");
        }
        assert!(!is_final(&Error::new(ErrorKind::Connect, "x")));
    }
}
