//! The files agents produced: `GET /agents/{agent_id}/artifacts` lists them and
//! `GET /artifacts/{artifact_id}/download` answers where to fetch one (see `storage` for the
//! fetch itself).

use crate::json::parse_object;
pub(crate) mod storage;
mod target;

use crate::cancel::CancelToken;
use crate::client::{Call, Client};
use crate::error::{Error, ErrorKind, Result};
use crate::http::paths::Endpoint;
use crate::http::query::add_query;
use reqwest::Method;
use serde_json::{json, Value};

/// Query parameters of the artifact list whose values must be strings.
const ARTIFACT_STRING_PARAMS: &[&str] = &["cursor", "session_id", "search_query", "sort_order"];

/// The cap on a download to a file when the caller sets none: 1 GiB.
pub(crate) const DEFAULT_MAX_FILE_DOWNLOAD_BYTES: u64 = 1 << 30;

/// How to download one artifact.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DownloadOptions {
    /// The version to fetch (the latest when `None`).
    pub version_id: Option<String>,
    /// The most bytes accepted (defaults: `max_response_bytes` in memory, 1 GiB to a file).
    pub max_bytes: Option<u64>,
    /// Whether a download into a directory may replace an existing regular file of the
    /// server-chosen name (default `false`: such a download is refused).
    pub overwrite: bool,
}

impl DownloadOptions {
    /// Parses `{"version_id","max_bytes","overwrite"}` (NULL means defaults); unknown keys are
    /// refused.
    pub fn parse(options_json: Option<&str>) -> Result<DownloadOptions> {
        let map = parse_object(options_json).map_err(|mut e| {
            e.param = Some("options_json".into());
            e
        })?;
        let mut options = DownloadOptions::default();
        for (key, value) in &map {
            let invalid = |m: &str| Error::invalid_argument(key.as_str(), m);
            match (key.as_str(), value) {
                (_, Value::Null) => {}
                ("version_id", Value::String(v)) if !v.is_empty() => {
                    options.version_id = Some(v.clone())
                }
                ("version_id", _) => {
                    return Err(invalid("`version_id` must be a non-empty string"))
                }
                ("max_bytes", v) => match v.as_u64() {
                    Some(n) if n > 0 => options.max_bytes = Some(n),
                    _ => return Err(invalid("`max_bytes` must be a positive whole number")),
                },
                ("overwrite", Value::Bool(b)) => options.overwrite = *b,
                ("overwrite", _) => return Err(invalid("`overwrite` must be true or false")),
                _ => {
                    return Err(invalid(
                        "unknown download option; known: version_id, max_bytes, overwrite",
                    ))
                }
            }
        }
        Ok(options)
    }
}

/// What the download endpoint said about an artifact's bytes.
pub(crate) struct DownloadTicket {
    /// Where the bytes are (a signed URL: never shown in errors).
    pub url: reqwest::Url,
    /// The server's file name (never used as a path as it is).
    pub filename: Option<String>,
    /// The declared media type.
    pub media_type: Option<Value>,
}

impl DownloadTicket {
    /// The result document of a download, without the URL.
    pub fn describe(&self, artifact_id: &str, size: u64) -> Value {
        json!({
            "artifact_id": artifact_id,
            "filename": self.filename,
            "media_type": self.media_type.clone().unwrap_or(Value::Null),
            "size": size,
        })
    }
}

impl Client {
    /// `GET /agents/{agent_id}/artifacts`: one page, `{"artifacts":[…],"next_cursor":…}`,
    /// filtered by `query_json` (`session_id`, `search_query`, `sort_order`, `page_size` 1–100,
    /// `cursor`; other keys as given).
    pub async fn list_artifacts(
        &self,
        agent_id: &str,
        query_json: Option<&str>,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let mut url = self.rest_url(Endpoint::AgentArtifacts(agent_id))?;
        add_query(&mut url, query_json, ARTIFACT_STRING_PARAMS)?;
        self.execute(Call::api(Method::GET, url, None), cancel)
            .await
    }

    /// `GET /artifacts/{artifact_id}/download`: `{"download_url","filename","media_type",
    /// "size"}` as the server sent it. `version_id` picks a version.
    pub async fn get_artifact_download(
        &self,
        artifact_id: &str,
        version_id: Option<&str>,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let mut url = self.rest_url(Endpoint::ArtifactDownload(artifact_id))?;
        if let Some(version) = version_id {
            url.query_pairs_mut().append_pair("version_id", version);
        }
        self.execute(Call::api(Method::GET, url, None), cancel)
            .await
    }

    /// Asks for an artifact's download and reads the answer's URL and names.
    pub(crate) async fn download_ticket(
        &self,
        artifact_id: &str,
        options: &DownloadOptions,
        cancel: Option<&CancelToken>,
    ) -> Result<DownloadTicket> {
        let text = self
            .get_artifact_download(artifact_id, options.version_id.as_deref(), cancel)
            .await?;
        let bad = |why: &str| {
            Error::new(
                ErrorKind::InvalidResponse,
                format!("the artifact download answer is unusable: {why}"),
            )
        };
        let value: Value = serde_json::from_str(&text).map_err(|_| bad("not JSON"))?;
        let link = value["download_url"]
            .as_str()
            .ok_or_else(|| bad("no string `download_url`"))?;
        let url = reqwest::Url::parse(link).map_err(|_| bad("`download_url` is not a URL"))?;
        Ok(DownloadTicket {
            url,
            filename: value["filename"].as_str().map(str::to_owned),
            media_type: value.get("media_type").cloned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_options_are_checked() {
        assert_eq!(
            DownloadOptions::parse(Some(r#"{"version_id":"v2","max_bytes":10}"#)).unwrap(),
            DownloadOptions {
                version_id: Some("v2".into()),
                max_bytes: Some(10),
                overwrite: false,
            }
        );
        assert_eq!(
            DownloadOptions::parse(None).unwrap(),
            DownloadOptions::default()
        );
        for (text, param) in [
            (r#"{"max_bytes":0}"#, "max_bytes"),
            (r#"{"max_bytes":"1"}"#, "max_bytes"),
            (r#"{"version_id":""}"#, "version_id"),
            (r#"{"path":"x"}"#, "path"),
            ("[]", "options_json"),
        ] {
            let e = DownloadOptions::parse(Some(text)).unwrap_err();
            assert_eq!(e.param.as_deref(), Some(param), "{text}");
        }
    }
}
