//! `GUMLOOP_LOG=info|debug`: records of that level and above written to stderr, one JSON line
//! each. Read once, at the first record.

use super::level::{parse_setting, OFF};
use super::record::Record;
use super::Level;
use std::io::Write;
use std::sync::OnceLock;

/// The stderr sink's setting, from `GUMLOOP_LOG` (unset, empty or unknown: off).
fn setting() -> u8 {
    static SETTING: OnceLock<u8> = OnceLock::new();
    *SETTING.get_or_init(|| {
        crate::config::process_env("GUMLOOP_LOG")
            .and_then(|name| parse_setting("GUMLOOP_LOG", &name).ok())
            .unwrap_or(OFF)
    })
}

/// Whether the stderr sink takes records of `level`.
pub(crate) fn accepts(level: Level) -> bool {
    level as u8 >= setting()
}

/// Writes `record` as one line; a failed write is ignored (a log must never fail a call).
pub(crate) fn write(record: &Record) {
    let line = format!("gumloop: {}\n", record.to_json());
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}
