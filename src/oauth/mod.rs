//! OAuth 2.0 as the official SDK speaks it (`gumloop/oauth.py` in gumloop 0.5.9, docs/API.md
//! §1.2): the authorization URL with PKCE S256 ([`authorize`]), and the four calls to the root
//! host's `/oauth/*` endpoints ([`calls`]): client registration (JSON), code exchange and
//! refresh (forms to `/oauth/token`) and revocation (a form to `/oauth/revoke`). [`refresh`]
//! renews a client's access token when a request meets a 401.

pub(crate) mod authorize;
pub(crate) mod calls;
pub(crate) mod form;
pub(crate) mod refresh;

use crate::secret::Secret;
use reqwest::Url;

/// The OAuth client a library client refreshes its tokens as.
#[derive(Clone, Debug)]
pub struct OAuthClient {
    /// The OAuth client ID.
    pub client_id: String,
    /// The client secret of a confidential client (the SDK's public clients have none).
    pub client_secret: Option<Secret>,
}

/// The scopes the SDK asks for when none are given.
pub(crate) const DEFAULT_SCOPES: &[&str] = &["gumloop", "userinfo"];

/// The OAuth base: the API base without a trailing `/api/v1`, as the SDK derives it
/// (`base_url.rstrip("/").removesuffix("/api/v1")`).
pub(crate) fn oauth_base(api_base: &Url) -> String {
    let text = api_base.as_str().trim_end_matches('/');
    text.strip_suffix("/api/v1").unwrap_or(text).to_string()
}

/// The URL of the OAuth endpoint `name` (`authorize`, `token`, `register`, `revoke`).
pub(crate) fn endpoint(api_base: &Url, name: &str) -> crate::Result<Url> {
    let text = format!("{}/oauth/{name}", oauth_base(api_base));
    Url::parse(&text).map_err(|e| {
        crate::Error::new(
            crate::ErrorKind::Internal,
            format!("cannot build the OAuth URL: {e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oauth_base_is_the_api_base_without_api_v1() {
        for (base, root) in [
            ("https://api.gumloop.com/api/v1", "https://api.gumloop.com"),
            ("http://127.0.0.1:9/api/v1/", "http://127.0.0.1:9"),
            (
                "https://h.example/prefix/api/v1",
                "https://h.example/prefix",
            ),
            ("https://h.example/other", "https://h.example/other"),
        ] {
            assert_eq!(oauth_base(&Url::parse(base).unwrap()), root, "{base}");
        }
        let url = endpoint(&Url::parse("http://127.0.0.1:9/api/v1").unwrap(), "token");
        assert_eq!(url.unwrap().as_str(), "http://127.0.0.1:9/oauth/token");
    }
}
