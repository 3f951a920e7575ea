//! Random-looking, unique identifiers (`sess_…`, `msg_…`, …).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn seed() -> u64 {
    static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *SEED.get_or_init(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x5eed)
            ^ u64::from(std::process::id()).rotate_left(32)
    })
}

/// SplitMix64: a bijective mixer, so distinct counters give distinct outputs.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A new identifier: `prefix` followed by 16 base-62 characters, unique in this process.
pub fn new_id(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    // Two mixed words: the first is a bijection of the counter (uniqueness), the second
    // only adds noise.
    let mut a = mix(n ^ seed());
    let mut b = mix(a ^ seed().rotate_left(17));
    let mut out = String::with_capacity(prefix.len() + 16);
    out.push_str(prefix);
    for i in 0..16 {
        let word = if i < 11 { &mut a } else { &mut b };
        out.push(ALPHABET[(*word % 62) as usize] as char);
        *word /= 62;
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_unique_and_prefixed() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..10_000 {
            let id = super::new_id("sess_");
            assert!(id.starts_with("sess_") && id.len() == 21);
            assert!(seen.insert(id));
        }
    }
}
