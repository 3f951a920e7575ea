//! Every API path the library calls, built in one place from percent-encoded segments, so that
//! no ID can change the path (`docs/API.md` §1, §4).

use crate::error::{Error, Result};
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

/// Every path of the API that the library calls (under the REST or the streaming base URL).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Endpoint<'a> {
    /// `/agents/{agent_id}/sessions`: create a session (POST), list sessions (GET).
    AgentSessions(&'a str),
    /// `/sessions/{session_id}`: get (GET), rename (PATCH), resume a stream (GET with
    /// `stream=true`).
    Session(&'a str),
    /// `/sessions/{session_id}/messages`: send a message (POST).
    SessionMessages(&'a str),
    /// `/sessions/{session_id}/cancel`: cancel a session (POST).
    SessionCancel(&'a str),
}

/// One piece of a request path: fixed text, or an ID that is encoded as a single segment.
#[derive(Clone, Copy, Debug)]
enum Segment<'a> {
    /// A literal segment such as `agents`.
    Fixed(&'static str),
    /// A caller-supplied ID: the argument's name (for error messages) and the ID as given.
    Id(&'static str, &'a str),
}

impl<'a> Endpoint<'a> {
    /// The path's segments, in order.
    fn segments(self) -> Vec<Segment<'a>> {
        use Segment::{Fixed, Id};
        match self {
            Endpoint::AgentSessions(agent) => {
                vec![Fixed("agents"), Id("agent_id", agent), Fixed("sessions")]
            }
            Endpoint::Session(session) => vec![Fixed("sessions"), Id("session_id", session)],
            Endpoint::SessionMessages(session) => vec![
                Fixed("sessions"),
                Id("session_id", session),
                Fixed("messages"),
            ],
            Endpoint::SessionCancel(session) => vec![
                Fixed("sessions"),
                Id("session_id", session),
                Fixed("cancel"),
            ],
        }
    }
}

/// The URL of `endpoint` under `base`, encoding each ID as exactly one path segment.
///
/// An ID that is empty, `.` or `..` is refused: servers and proxies would collapse it.
pub(crate) fn build_url(base: &Url, endpoint: Endpoint<'_>) -> Result<Url> {
    let mut path = base.path().trim_end_matches('/').to_string();
    for segment in endpoint.segments() {
        path.push('/');
        match segment {
            Segment::Fixed(text) => path.push_str(text),
            Segment::Id(param, value) => {
                if value.is_empty() || value == "." || value == ".." {
                    return Err(Error::invalid_argument(
                        param,
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
        build_url(&base, Endpoint::AgentSessions(id)).map(|u| u.to_string())
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
        let base = Url::parse("https://api.example/api/v1").unwrap();
        for id in ["", ".", ".."] {
            assert_eq!(url(id).unwrap_err().param.as_deref(), Some("agent_id"));
            let e = build_url(&base, Endpoint::SessionCancel(id)).unwrap_err();
            assert_eq!(e.param.as_deref(), Some("session_id"));
        }
    }

    #[test]
    fn every_endpoint_has_its_path() {
        let base = Url::parse("https://api.example/api/v1/").unwrap();
        for (endpoint, path) in [
            (Endpoint::AgentSessions("a"), "/api/v1/agents/a/sessions"),
            (Endpoint::Session("s"), "/api/v1/sessions/s"),
            (
                Endpoint::SessionMessages("s"),
                "/api/v1/sessions/s/messages",
            ),
            (Endpoint::SessionCancel("s"), "/api/v1/sessions/s/cancel"),
        ] {
            assert_eq!(build_url(&base, endpoint).unwrap().path(), path);
        }
    }
}
