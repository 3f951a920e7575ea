//! The version macros of the header; a test keeps them equal to Cargo.toml's version.

/// Major version of the header.
pub const GUMLOOP_VERSION_MAJOR: u32 = 0;
/// Minor version of the header.
pub const GUMLOOP_VERSION_MINOR: u32 = 3;
/// Patch version of the header.
pub const GUMLOOP_VERSION_PATCH: u32 = 0;
/// The version as one number: `MAJOR * 10000 + MINOR * 100 + PATCH`.
pub const GUMLOOP_VERSION_NUMBER: u32 = 300;
// GUMLOOP_VERSION_STRING is written by cbindgen.toml (cbindgen cannot emit string constants);
// tests/header.rs checks it against Cargo.toml.

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macros_match_cargo_toml() {
        let part = |s: &str| s.parse::<u32>().unwrap();
        assert_eq!(GUMLOOP_VERSION_MAJOR, part(env!("CARGO_PKG_VERSION_MAJOR")));
        assert_eq!(GUMLOOP_VERSION_MINOR, part(env!("CARGO_PKG_VERSION_MINOR")));
        assert_eq!(GUMLOOP_VERSION_PATCH, part(env!("CARGO_PKG_VERSION_PATCH")));
        assert_eq!(
            GUMLOOP_VERSION_NUMBER,
            GUMLOOP_VERSION_MAJOR * 10000 + GUMLOOP_VERSION_MINOR * 100 + GUMLOOP_VERSION_PATCH
        );
    }
}
