//! Header values: checked before anything is sent, and built for each request (`docs/API.md` §2).

use crate::error::{Error, ErrorKind, Result};

/// Refuses a header value with CR, LF, NUL or another control character (tab aside), which could
/// split or smuggle headers. The message never repeats the value, which may be a secret.
pub fn check_header_value(kind: ErrorKind, param: &str, value: &str) -> Result<()> {
    let bad = value
        .bytes()
        .find(|&b| (b < 0x20 && b != b'\t') || b == 0x7f);
    match bad {
        None => Ok(()),
        Some(b) => {
            let what = match b {
                b'\r' => "a carriage return (CR)",
                b'\n' => "a line feed (LF)",
                0 => "a NUL byte",
                _ => "a control character",
            };
            Err(Error::about(
                kind,
                param,
                format!("`{param}` contains {what}, which is not allowed in an HTTP header"),
            ))
        }
    }
}

/// Headers that the library or HTTP itself owns, lowercase; `extra_headers` may not set them
/// (nor any `proxy-*` header, see [`is_library_owned`]). The library sets the credentials
/// (`authorization`, `x-auth-key`), `idempotency-key`, `accept`, `content-type` and
/// `user-agent`; the HTTP stack frames the message and its connection with the rest.
pub const LIBRARY_OWNED_HEADERS: &[&str] = &[
    "authorization",
    "x-auth-key",
    "idempotency-key",
    "accept",
    "content-type",
    "content-length",
    "content-encoding",
    "transfer-encoding",
    "expect",
    "upgrade",
    "te",
    "trailer",
    "connection",
    "keep-alive",
    "host",
    "user-agent",
];

/// The prefix of the headers meant for a proxy, all of which HTTP owns.
pub const PROXY_HEADER_PREFIX: &str = "proxy-";

/// Reads extra headers: an object of header names to string values (`null` or absent: none).
/// A name that is not a header name, one the library or HTTP owns ([`is_library_owned`]), or a
/// value with a control character is refused as `kind`, naming `param` (the client option
/// `extra_headers`, or a call's `request_options.extra_headers`).
pub fn parse_extra_headers(
    value: Option<&serde_json::Value>,
    kind: ErrorKind,
    param: &str,
) -> Result<Vec<(String, String)>> {
    use serde_json::Value;
    let map = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Object(map)) => map,
        Some(_) => {
            return Err(Error::about(
                kind,
                param,
                format!("`{param}` must be an object of header names to string values"),
            ))
        }
    };
    let mut headers = Vec::with_capacity(map.len());
    for (name, value) in map {
        let Value::String(value) = value else {
            return Err(Error::about(
                kind,
                param,
                format!("extra header `{name}` must have a string value"),
            ));
        };
        if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(Error::about(
                kind,
                param,
                format!("`{name}` is not a valid header name"),
            ));
        }
        if is_library_owned(name) {
            return Err(Error::about(
                kind,
                param,
                format!(
                    "header `{name}` is set by the library or by HTTP itself and cannot be added"
                ),
            ));
        }
        check_header_value(kind, param, value)?;
        headers.push((name.clone(), value.clone()));
    }
    Ok(headers)
}

/// Whether header `name` (any case) is one the library or HTTP owns.
pub fn is_library_owned(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    LIBRARY_OWNED_HEADERS.contains(&lower.as_str()) || lower.starts_with(PROXY_HEADER_PREFIX)
}

/// The `User-Agent` this library sends: `gumloop-ffi/<version> (<os>; <arch>)`, plus the suffix.
pub fn user_agent(suffix: Option<&str>) -> String {
    let base = format!(
        "gumloop-ffi/{} ({}; {})",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    match suffix {
        Some(s) => format!("{base} {s}"),
        None => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_without_echoing_the_value() {
        for bad in ["a\rb", "a\nb", "a\0b", "a\x1bb"] {
            let e =
                check_header_value(ErrorKind::InvalidArgument, "access_token", bad).unwrap_err();
            assert_eq!(e.param.as_deref(), Some("access_token"));
            assert!(!e.message.contains(bad));
        }
        assert!(check_header_value(ErrorKind::InvalidArgument, "x", "tab\tok").is_ok());
    }

    #[test]
    fn the_header_file_lists_every_owned_header() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/include/gumloop.h");
        let header = std::fs::read_to_string(path).expect("include/gumloop.h");
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
            .expect("README.md");
        for doc in [&header, &readme] {
            let lower = doc.to_ascii_lowercase();
            for name in LIBRARY_OWNED_HEADERS {
                assert!(
                    lower.contains(&format!("`{name}`")),
                    "{name} is not documented"
                );
            }
            assert!(lower.contains(&format!("`{PROXY_HEADER_PREFIX}*`")));
        }
    }

    #[test]
    fn user_agent_names_the_library_and_platform() {
        let ua = user_agent(Some("myapp/1.0"));
        assert!(ua.starts_with("gumloop-ffi/"));
        assert!(ua.ends_with(" myapp/1.0"));
        assert!(ua.contains(std::env::consts::OS));
    }
}
