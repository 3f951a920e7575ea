//! Session files: `POST /sessions/{session_id}/files` uploads bytes (sent base64-encoded) and
//! answers the stored `file_name` to pass back in a message's `attachments`.

use crate::cancel::CancelToken;
use crate::client::{Call, CallAuth, Client};
use crate::error::{Error, ErrorKind, Result};
use crate::http::headers::check_header_value;
use crate::http::paths::Endpoint;
use base64::Engine;
use reqwest::Method;
use serde_json::json;

/// Checks the name and media type of an upload; the server strips directories and sanitizes the
/// rest, so only what no server could use is refused here.
fn check_upload(file_name: &str, media_type: Option<&str>) -> Result<()> {
    if file_name.trim().is_empty() {
        return Err(Error::invalid_argument(
            "file_name",
            "`file_name` must not be empty",
        ));
    }
    if file_name.chars().any(char::is_control) {
        return Err(Error::invalid_argument(
            "file_name",
            "`file_name` must not contain control characters",
        ));
    }
    if let Some(media_type) = media_type {
        check_header_value(ErrorKind::InvalidArgument, "media_type", media_type)?;
        if media_type.is_empty() {
            return Err(Error::invalid_argument(
                "media_type",
                "`media_type` must not be empty (pass none instead)",
            ));
        }
    }
    Ok(())
}

impl Client {
    /// `POST /sessions/{session_id}/files`: uploads `data` as the file `file_name` (its
    /// directory parts are stripped by the server) and returns
    /// `{"file_name":"<stored path>","media_type":…,"size":…}`.
    ///
    /// More than the client's `max_upload_bytes` is refused before anything is sent; the
    /// server's own limit answers 413 (`PayloadTooLarge`, code `file_too_large`). An upload that
    /// may have reached the server is not repeated.
    pub async fn upload_file(
        &self,
        session_id: &str,
        file_name: &str,
        media_type: Option<&str>,
        data: &[u8],
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let url = self.rest_url(Endpoint::SessionFiles(session_id))?;
        check_upload(file_name, media_type)?;
        let cap = self.config().max_upload_bytes;
        if data.len() as u64 > cap {
            return Err(Error::invalid_argument(
                "data",
                format!(
                    "the file has {} bytes, more than max_upload_bytes ({cap})",
                    data.len()
                ),
            ));
        }
        let content = base64::engine::general_purpose::STANDARD.encode(data);
        let mut body = json!({ "file_name": file_name, "file_content": content });
        if let Some(media_type) = media_type {
            body["media_type"] = json!(media_type);
        }
        let auth = CallAuth::default();
        let call = Call::json(Method::POST, url, Some(body.to_string()), &auth);
        self.execute(call, cancel).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_media_types_are_checked() {
        assert!(check_upload("report.pdf", Some("application/pdf")).is_ok());
        assert!(check_upload("../a b.txt", None).is_ok());
        for (name, media, param) in [
            ("", None, "file_name"),
            ("  ", None, "file_name"),
            ("a\nb", None, "file_name"),
            ("a", Some("text/plain\r\nX: y"), "media_type"),
            ("a", Some(""), "media_type"),
        ] {
            let e = check_upload(name, media).unwrap_err();
            assert_eq!(e.param.as_deref(), Some(param), "{name:?} {media:?}");
        }
    }
}
