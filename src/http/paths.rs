//! URLs built from percent-encoded path segments, so that no ID can change the path.

use crate::error::{Error, ErrorKind, Result};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use reqwest::Url;

/// Everything but RFC 3986 unreserved characters is encoded, so `/`, `.`, `?`, `#` and `%` in an
/// ID stay inside its segment.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'!')
    .add(b'"')
    .add(b'#')
    .add(b'$')
    .add(b'%')
    .add(b'&')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b'*')
    .add(b'+')
    .add(b',')
    .add(b'/')
    .add(b':')
    .add(b';')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'?')
    .add(b'@')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// One piece of a request path: fixed text, or an ID that is encoded as a single segment.
#[derive(Clone, Copy, Debug)]
pub enum Segment<'a> {
    /// A literal segment such as `agents`.
    Fixed(&'static str),
    /// A caller-supplied ID, named by `param` for error messages.
    Id {
        /// The argument's name, e.g. `agent_id`.
        param: &'static str,
        /// The ID as given.
        value: &'a str,
    },
}

/// Appends `segments` to `base`, encoding each ID as exactly one path segment.
///
/// An ID that is empty, `.` or `..` is refused: servers and proxies would collapse it.
pub fn build_url(base: &Url, segments: &[Segment<'_>]) -> Result<Url> {
    let mut path = base.path().trim_end_matches('/').to_string();
    for segment in segments {
        path.push('/');
        match segment {
            Segment::Fixed(text) => path.push_str(text),
            Segment::Id { param, value } => {
                if value.is_empty() || *value == "." || *value == ".." {
                    return Err(Error::about(
                        ErrorKind::InvalidArgument,
                        *param,
                        format!("`{param}` must be a non-empty ID other than `.` or `..`"),
                    ));
                }
                path.extend(utf8_percent_encode(value, SEGMENT));
            }
        }
    }
    let mut url = base.clone();
    url.set_path(&path);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(id: &str) -> Result<String> {
        let base = Url::parse("https://api.example/api/v1").unwrap();
        build_url(
            &base,
            &[
                Segment::Fixed("agents"),
                Segment::Id {
                    param: "agent_id",
                    value: id,
                },
                Segment::Fixed("sessions"),
            ],
        )
        .map(|u| u.to_string())
    }

    #[test]
    fn ids_stay_one_segment() {
        assert_eq!(
            url("a/../b").unwrap(),
            "https://api.example/api/v1/agents/a%2F..%2Fb/sessions"
        );
        assert_eq!(
            url("x?y#z%20 é").unwrap(),
            "https://api.example/api/v1/agents/x%3Fy%23z%2520%20%C3%A9/sessions"
        );
        assert_eq!(
            url("abc-DEF_1.2~").unwrap(),
            "https://api.example/api/v1/agents/abc-DEF_1.2~/sessions"
        );
    }

    #[test]
    fn empty_and_dot_ids_are_refused() {
        for id in ["", ".", ".."] {
            assert_eq!(url(id).unwrap_err().param.as_deref(), Some("agent_id"));
        }
    }
}
