//! Removing secrets from the text a server sends back, before the library passes it on.
//!
//! A server may repeat what it was sent: an error body that echoes the request's headers carries
//! the caller's token and user ID, a storage host's error repeats the signed URL. Every error the
//! core builds from a server's answer goes through a [`Redactor`] holding the secrets of that
//! request, so every binding gets the cleaned text.
//!
//! A secret is found in any spelling a server is likely to use: as it is, percent-encoded (any
//! byte, hex digits of either case, also twice: `%252B`), and with `+` and a space standing for
//! each other (form encoding). Each occurrence becomes `[redacted]`. Secrets shorter than
//! [`MIN_SECRET_CHARS`] are not searched for: replacing two letters everywhere would garble the
//! text and hide nothing worth hiding.

use crate::error::Error;
use reqwest::Url;
use serde_json::Value;

/// What replaces a secret.
pub(crate) const REDACTED: &str = "[redacted]";
/// The shortest secret searched for, in bytes.
pub(crate) const MIN_SECRET_CHARS: usize = 4;

/// The secrets of one request, and the removal of each of them from text.
#[derive(Clone, Debug, Default)]
pub(crate) struct Redactor {
    /// The secrets, longest first (so a secret inside another is not cut in two).
    secrets: Vec<Vec<u8>>,
}

impl Redactor {
    /// A redactor for no secret yet.
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// Adds `secret` (ignored when shorter than [`MIN_SECRET_CHARS`]).
    pub fn secret(mut self, secret: &str) -> Redactor {
        if secret.len() >= MIN_SECRET_CHARS && !self.secrets.iter().any(|s| s == secret.as_bytes())
        {
            self.secrets.push(secret.as_bytes().to_vec());
            self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
        self
    }

    /// Adds the query of a signed URL: the whole query and each value, both as sent and
    /// decoded.
    pub fn url_query(self, url: &Url) -> Redactor {
        let Some(query) = url.query().filter(|q| !q.is_empty()) else {
            return self;
        };
        let mut redactor = self.secret(query).secret(&percent_decoded(query));
        for pair in query.split('&') {
            let raw = pair.split_once('=').map_or("", |(_, v)| v);
            redactor = redactor.secret(raw).secret(&percent_decoded(raw));
        }
        for (_, value) in url.query_pairs() {
            redactor = redactor.secret(&value);
        }
        redactor
    }

    /// `text` with every occurrence of every secret replaced.
    pub fn text(&self, text: &str) -> String {
        if self.secrets.is_empty() {
            return text.to_owned();
        }
        let bytes = text.as_bytes();
        let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match self.secrets.iter().find_map(|s| match_at(bytes, i, s)) {
                Some(end) => {
                    out.extend_from_slice(REDACTED.as_bytes());
                    i = end;
                }
                None => {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
        }
        // A match starts at an ASCII byte or a secret's first byte and ends after a secret's
        // last byte, so the text stays UTF-8; the lossy form is only a guard.
        String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into())
    }

    /// `value` with every string (and object key) cleaned.
    pub fn value(&self, value: &Value) -> Value {
        match value {
            Value::String(s) => Value::String(self.text(s)),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.value(v)).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (self.text(k), self.value(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// `error` with every trace of every secret replaced: its message, details, and all the
    /// server's text (body, code, type, param, details, trace ID).
    pub fn scrub(&self, mut error: Error) -> Error {
        if self.secrets.is_empty() {
            return error;
        }
        error.message = self.text(&error.message);
        if let Some(server) = error.server.as_mut() {
            server.body = self.value(&server.body);
            server.details = server.details.as_ref().map(|d| self.value(d));
            server.param = server.param.as_ref().map(|p| self.value(p));
            server.code = server.code.as_deref().map(|c| self.text(c));
            server.error_type = server.error_type.as_deref().map(|t| self.text(t));
            server.trace_id = server.trace_id.as_deref().map(|t| self.text(t));
        }
        if let Some(details) = error.details.as_mut() {
            **details = self.value(details);
        }
        error
    }
}

/// The value of hex digit `b`.
fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// The bytes the text may spell at `i`, each with where its spelling ends: the byte itself, a
/// `%XX` escape decoded, and an escape encoded twice (`%252B` for `+`).
fn units_at(text: &[u8], i: usize) -> impl Iterator<Item = (u8, usize)> + '_ {
    let byte = text.get(i).map(|&b| (b, i + 1));
    let escape = |at: usize| -> Option<u8> {
        (text.get(at) == Some(&b'%'))
            .then(|| Some(hex(*text.get(at + 1)?)? * 16 + hex(*text.get(at + 2)?)?))
            .flatten()
    };
    let once = escape(i).map(|b| (b, i + 3));
    let twice = (escape(i) == Some(b'%'))
        .then(|| {
            Some((
                hex(*text.get(i + 3)?)? * 16 + hex(*text.get(i + 4)?)?,
                i + 5,
            ))
        })
        .flatten();
    byte.into_iter().chain(once).chain(twice)
}

/// Whether the text's byte `got` stands for the secret's byte `want` (`+` and space stand for
/// each other).
fn same(want: u8, got: u8) -> bool {
    want == got || matches!((want, got), (b' ', b'+') | (b'+', b' '))
}

/// Where the longest spelling of `secret` that starts at `start` of `text` ends, if one does.
/// Every way of reading the text is followed at once (a `%` may be itself or start an escape).
fn match_at(text: &[u8], start: usize, secret: &[u8]) -> Option<usize> {
    // Most positions fail on their first byte: no allocation for them.
    let first = *text.get(start)?;
    if first != b'%' && !same(*secret.first()?, first) {
        return None;
    }
    let mut ends = vec![start];
    for &want in secret {
        let mut next: Vec<usize> = ends
            .iter()
            .flat_map(|&i| units_at(text, i))
            .filter(|&(got, _)| same(want, got))
            .map(|(_, end)| end)
            .collect();
        next.sort_unstable();
        next.dedup();
        if next.is_empty() {
            return None;
        }
        ends = next;
    }
    ends.last().copied()
}

/// `text` with its `%XX` escapes decoded (a `+` stays a `+`).
fn percent_decoded(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_secret_is_replaced() {
        let r = Redactor::new().secret("Ab+Cd/E f=");
        for spelling in [
            "Ab+Cd/E f=",
            "Ab%2BCd%2FE%20f%3D",
            "Ab%2bCd%2fE%20f%3d",
            "Ab+Cd/E+f=",
            "Ab Cd/E f=",
            "Ab%252BCd%252FE%2520f%253D",
        ] {
            assert_eq!(
                r.text(&format!("<{spelling}>")),
                "<[redacted]>",
                "{spelling}"
            );
        }
        assert_eq!(r.text("Ab+Cd/E"), "Ab+Cd/E");
        assert_eq!(Redactor::new().secret("ab").text("ab cab"), "ab cab");
    }

    #[test]
    fn text_stays_utf8_and_keys_are_cleaned() {
        let r = Redactor::new().secret("sécret");
        assert_eq!(r.text("é sécret é"), "é [redacted] é");
        assert_eq!(r.text("s%C3%A9cret"), "[redacted]");
        let v = r.value(&serde_json::json!({"sécret": ["x sécret"]}));
        assert_eq!(v, serde_json::json!({"[redacted]": ["x [redacted]"]}));
    }

    #[test]
    fn a_signed_query_is_found_as_sent_and_decoded() {
        let url = Url::parse("https://s.example/o?sig=Ab%2BCd%2F%3D&cred=key+id&exp=9").unwrap();
        let r = Redactor::new().url_query(&url);
        for text in [
            "sig=Ab%2BCd%2F%3D&cred=key+id&exp=9",
            "sig=Ab+Cd/=&cred=key id&exp=9",
            "Ab+Cd/=",
            "key id",
            "sig%3DAb%252BCd%252F%253D%26cred%3Dkey%2Bid%26exp%3D9",
        ] {
            assert!(!r.text(text).contains("Cd"), "{text}: {}", r.text(text));
            assert!(!r.text(text).contains("key"), "{text}: {}", r.text(text));
        }
    }
}
