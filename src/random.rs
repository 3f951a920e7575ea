//! Random values from the operating system's generator: the session IDs made for
//! `auto_session_id`, idempotency keys for queued messages, and the jitter of retry waits.

use crate::error::{Error, ErrorKind, Result};

/// `N` random bytes; the error says what they were for.
fn random_bytes<const N: usize>(purpose: &str) -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes).map_err(|e| {
        Error::new(
            ErrorKind::Internal,
            format!("no randomness for {purpose}: {e}"),
        )
    })?;
    Ok(bytes)
}

/// A random UUID (version 4), for idempotency keys.
pub(crate) fn uuid_v4() -> Result<String> {
    let mut b: [u8; 16] = random_bytes("an idempotency key")?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

/// A session ID for `auto_session_id`: `sess_` and 24 random letters and digits.
pub(crate) fn session_id() -> Result<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let bytes: [u8; 24] = random_bytes("a session ID")?;
    // 248 is the largest multiple of 62 that fits a byte; the small bias left is harmless here.
    let id: String = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    Ok(format!("sess_{id}"))
}

/// A random fraction in [0, 1), for jitter; one half when the generator fails.
pub(crate) fn fraction() -> f64 {
    match random_bytes::<4>("jitter") {
        Ok(b) => f64::from(u32::from_le_bytes(b)) / (f64::from(u32::MAX) + 1.0),
        Err(_) => 0.5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_their_shape_and_differ() {
        let id = session_id().unwrap();
        assert!(id.starts_with("sess_") && id.len() == 29, "{id}");
        assert!(id[5..].bytes().all(|b| b.is_ascii_alphanumeric()), "{id}");
        assert_ne!(id, session_id().unwrap());
        let key = uuid_v4().unwrap();
        assert_eq!((key.len(), &key[14..15], &key[8..9]), (36, "4", "-"));
        assert_ne!(key, uuid_v4().unwrap());
        let f = fraction();
        assert!((0.0..1.0).contains(&f), "{f}");
    }
}
