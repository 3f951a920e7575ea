//! Severity of a log record, and the names the C API and `GUMLOOP_LOG` use for it.

use crate::error::{Error, Result};

/// A record's severity; a sink set to a level takes that level and the ones above it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub(crate) enum Level {
    /// Each attempt that succeeded, and each redirect followed.
    Debug = 1,
    /// Attempts that failed, repeats, stream resumes, recoveries and refreshes.
    Info = 2,
    /// A refresh that failed.
    Warn = 3,
    /// Not used by the library yet; accepted so that a sink can be set to it.
    Error = 4,
}

/// The sink setting that takes nothing.
pub(crate) const OFF: u8 = u8::MAX;

/// Every accepted setting name with its value, `off` first.
const NAMES: &[(&str, u8)] = &[
    ("off", OFF),
    ("error", Level::Error as u8),
    ("warn", Level::Warn as u8),
    ("info", Level::Info as u8),
    ("debug", Level::Debug as u8),
];

impl Level {
    /// The level's name in records: `debug`, `info`, `warn` or `error`.
    pub(crate) fn name(self) -> &'static str {
        setting_name(self as u8)
    }
}

/// The name of a sink setting (`off` or a level's name).
pub(crate) fn setting_name(setting: u8) -> &'static str {
    NAMES
        .iter()
        .find(|(_, value)| *value == setting)
        .map_or("off", |(name, _)| name)
}

/// The sink setting named `name` (case-insensitive), or an error naming the accepted ones.
pub(crate) fn parse_setting(param: &str, name: &str) -> Result<u8> {
    NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
        .map(|(_, value)| *value)
        .ok_or_else(|| {
            let known: Vec<&str> = NAMES.iter().map(|(n, _)| *n).collect();
            Error::invalid_argument(
                param,
                format!(
                    "unknown log level {name:?}; known levels: {}",
                    known.join(", ")
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_ones_are_refused() {
        for level in [Level::Debug, Level::Info, Level::Warn, Level::Error] {
            assert_eq!(parse_setting("level", level.name()).unwrap(), level as u8);
        }
        assert_eq!(parse_setting("level", " OFF ").unwrap(), OFF);
        assert_eq!(setting_name(OFF), "off");
        let e = parse_setting("level", "verbose").unwrap_err();
        assert_eq!(e.param.as_deref(), Some("level"));
        assert!(e.message.contains("debug"), "{}", e.message);
    }
}
