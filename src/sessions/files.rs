//! Session files: `POST /sessions/{session_id}/files` uploads bytes (sent base64-encoded) and
//! answers the stored `file_name` to pass back in a message's `attachments`.
//!
//! The size is judged from the length alone, before a byte is read or copied. The JSON body is
//! never built whole: its base64 is encoded piece by piece as the connection takes it, so an
//! upload holds the caller's bytes (shared, not copied) plus [`ENCODE_CHUNK`]'s worth of
//! encoded text at a time.

use crate::cancel::CancelToken;
use crate::client::{Call, Client, StreamedBody};
use crate::error::{Error, ErrorKind, Result};
use crate::http::headers::check_header_value;
use crate::http::paths::Endpoint;
use base64::Engine;
use bytes::Bytes;
use futures_util::StreamExt;
use reqwest::Method;
use serde_json::json;
use std::sync::Arc;

/// The bytes encoded at a time (a multiple of 3, so the pieces join without padding): 48 KiB
/// of data become 64 KiB of base64.
pub(crate) const ENCODE_CHUNK: usize = 48 * 1024;

/// The JSON body of an upload, `{…,"file_content":"<base64>"}`, as a stream made afresh for
/// each attempt.
struct UploadBody {
    /// The body up to the opening quote of `file_content`'s value.
    head: Bytes,
    /// The raw bytes, encoded as the stream is read.
    data: Bytes,
}

impl UploadBody {
    /// The closing of the string and the object.
    const TAIL: &'static [u8] = b"\"}";

    fn new(file_name: &str, media_type: Option<&str>, data: Bytes) -> UploadBody {
        let mut fields = json!({ "file_name": file_name });
        if let Some(media_type) = media_type {
            fields["media_type"] = json!(media_type);
        }
        let mut head = fields.to_string();
        head.pop(); // the closing brace
        head.push_str(",\"file_content\":\"");
        UploadBody {
            head: Bytes::from(head),
            data,
        }
    }

    /// The exact length of the body.
    fn len(&self) -> u64 {
        let encoded = self.data.len().div_ceil(3) * 4;
        (self.head.len() + encoded + Self::TAIL.len()) as u64
    }

    /// The body as a stream.
    fn stream(&self) -> reqwest::Body {
        reqwest::Body::wrap_stream(self.pieces())
    }

    /// The pieces of the body: the head, the base64 piece by piece, the tail.
    fn pieces(
        &self,
    ) -> impl futures_util::Stream<Item = std::result::Result<Bytes, std::io::Error>> + Send + 'static
    {
        let data = self.data.clone();
        let pieces = data.len().div_ceil(ENCODE_CHUNK);
        let encoded = futures_util::stream::iter(0..pieces).map(move |i| {
            let end = ((i + 1) * ENCODE_CHUNK).min(data.len());
            let text =
                base64::engine::general_purpose::STANDARD.encode(&data[i * ENCODE_CHUNK..end]);
            Ok::<Bytes, std::io::Error>(Bytes::from(text))
        });
        let head = futures_util::stream::iter([Ok(self.head.clone())]);
        let tail = futures_util::stream::iter([Ok(Bytes::from_static(Self::TAIL))]);
        head.chain(encoded).chain(tail)
    }
}

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
        self.check_upload_size(data.len())?;
        let data = Bytes::copy_from_slice(data);
        self.upload_file_bytes(session_id, file_name, media_type, data, cancel)
            .await
    }

    /// As [`Client::upload_file`], taking the bytes without copying them.
    pub async fn upload_file_bytes(
        &self,
        session_id: &str,
        file_name: &str,
        media_type: Option<&str>,
        data: Bytes,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        self.check_upload_size(data.len())?;
        let url = self.rest_url(Endpoint::SessionFiles(session_id))?;
        check_upload(file_name, media_type)?;
        let body = Arc::new(UploadBody::new(file_name, media_type, data));
        let mut call = Call::api(Method::POST, url, None);
        let length = body.len();
        call.streamed_body = Some(StreamedBody {
            make: Arc::new(move || body.stream()),
            length,
        });
        self.execute(call, cancel).await
    }

    /// Refuses an upload of `len` bytes above the client's `max_upload_bytes`, from the length
    /// alone (nothing is read, copied or sent).
    pub fn check_upload_size(&self, len: usize) -> Result<()> {
        let cap = self.config().max_upload_bytes;
        if len as u64 > cap {
            return Err(Error::invalid_argument(
                "data",
                format!("the file has {len} bytes, more than max_upload_bytes ({cap})"),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The body a stream sends, collected.
    fn collected(body: &UploadBody) -> Vec<u8> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let pieces: Vec<_> = runtime.block_on(body.pieces().collect::<Vec<_>>());
        pieces
            .into_iter()
            .flat_map(|p| p.unwrap().to_vec())
            .collect()
    }

    #[test]
    fn the_streamed_body_is_the_json_it_stands_for() {
        for size in [
            0,
            1,
            2,
            3,
            ENCODE_CHUNK - 1,
            ENCODE_CHUNK,
            ENCODE_CHUNK + 1,
            3 * ENCODE_CHUNK + 2,
        ] {
            let data: Vec<u8> = (0..size).map(|i| (i * 7 % 256) as u8).collect();
            let body =
                UploadBody::new("a \"q\".bin", Some("text/plain"), Bytes::from(data.clone()));
            let bytes = collected(&body);
            assert_eq!(bytes.len() as u64, body.len(), "{size}");
            let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(value["file_name"], "a \"q\".bin");
            assert_eq!(value["media_type"], "text/plain");
            let content = value["file_content"].as_str().unwrap();
            assert_eq!(
                base64::engine::general_purpose::STANDARD
                    .decode(content)
                    .unwrap(),
                data
            );
        }
    }

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
