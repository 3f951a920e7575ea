//! Fetching an artifact's bytes from its `download_url`, into memory or into a file.
//!
//! The URL is usually a signed storage URL on another host. Gumloop credentials (the bearer
//! token, `x-auth-key`, `extra_headers`, `team_id`) go only to the API's own origin; any other
//! origin gets a bare GET. The URL's query (the signature) never appears in an error: errors name
//! the URL by its origin and path only, and any echo of the query in a server's body, in any
//! encoding, is replaced by `[redacted]` (see `crate::redact`), as are the caller's credentials.
//!
//! A download to a file replaces only a regular file of the caller's naming (see
//! [`Client::download_artifact_to_file`]).

use super::target::{self, Destination};
use super::{DownloadOptions, DownloadTicket, DEFAULT_MAX_FILE_DOWNLOAD_BYTES};
use crate::cancel::{with_cancel, CancelToken};
use crate::client::{Call, Client};
use crate::config::is_loopback;
use crate::error::{Error, ErrorKind, Result};
use crate::http::retry::Repeat;
use crate::http::server_error;
use crate::http::transport::{classify, read_body, retry_after_ms};
use crate::redact::Redactor;
use reqwest::{Method, Url};
use serde_json::Value;
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// A fallback for a server file name that is unusable as a name.
const FALLBACK_NAME: &str = "artifact";
/// The longest file name written, in bytes.
const MAX_NAME_BYTES: usize = 200;

/// The redactor of a download: the signed URL's query and the client's credentials.
fn redactor_for(client: &Client, url: &Url) -> Redactor {
    client.credential_redactor(None).url_query(url)
}

/// The URL as errors may show it: origin and path, never the query.
fn shown(url: &Url) -> String {
    format!("{}{}", url.origin().ascii_serialization(), url.path())
}

/// Whether `c` is a control character or an invisible formatting character that can disguise a
/// name (bidirectional embeddings, overrides and isolates, marks, zero-width characters).
fn is_hidden_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// A name to write the server's `filename` under: its last path component (after `/` or `\\`),
/// without control, bidirectional or zero-width characters, without leading dots (never a
/// hidden file), trimmed, at most 200 bytes; `artifact` when nothing is left.
pub fn safe_file_name(server_name: Option<&str>) -> String {
    let last = server_name
        .unwrap_or("")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("");
    let mut name: String = last.chars().filter(|&c| !is_hidden_control(c)).collect();
    while name.len() > MAX_NAME_BYTES {
        name.pop();
    }
    let name = name
        .trim_start_matches(|c: char| c == '.' || c.is_whitespace())
        .trim_end()
        .to_owned();
    if name.is_empty() {
        FALLBACK_NAME.to_owned()
    } else {
        name
    }
}

/// Deletes a temporary file unless it was renamed into place.
struct TempFile {
    path: PathBuf,
    keep: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

impl Client {
    /// Whether `url` may be fetched at all (https, or http where the client allows it).
    fn check_storage_url(&self, url: &Url, shown: &str) -> Result<()> {
        match url.scheme() {
            "https" => Ok(()),
            "http" if self.config().allow_insecure_http || is_loopback(url) => Ok(()),
            scheme => Err(Error::new(
                ErrorKind::InvalidResponse,
                format!(
                    "refused to fetch the artifact from {shown}: scheme `{scheme}` is not https"
                ),
            )),
        }
    }

    /// One GET of the ticket's URL, with credentials only for the API's own origin.
    async fn storage_attempt(&self, url: &Url) -> Result<reqwest::Response> {
        let request = if url.origin() == self.config().base_url.origin() {
            self.request(&Call::api(Method::GET, url.clone(), None))?
        } else {
            self.pool()?.get(url.clone()).timeout(self.config().timeout)
        };
        let response = request
            .send()
            .await
            .map_err(|e| classify(e.without_url()))?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            return Ok(response);
        }
        let retry_after = retry_after_ms(&response);
        let cap = self.config().max_response_bytes;
        let body = read_body(response, cap).await.unwrap_or_default();
        let mut error = server_error::from_response(status, &body, retry_after);
        error.message = format!("the artifact's storage host answered HTTP {status}");
        Err(error)
    }

    /// The answer of a GET of the ticket's URL, repeated as reads are.
    async fn storage_response(
        &self,
        ticket: &DownloadTicket,
        redactor: &Redactor,
        cancel: Option<&CancelToken>,
    ) -> Result<reqwest::Response> {
        let shown = shown(&ticket.url);
        self.check_storage_url(&ticket.url, &shown)?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let error = match with_cancel(cancel, self.storage_attempt(&ticket.url)).await? {
                Ok(response) => return Ok(response),
                Err(error) => redactor.scrub(error),
            };
            let error = Error {
                message: format!("{} (fetching {shown})", error.message),
                attempts: attempt,
                ..error
            };
            let Some(wait) = self
                .config()
                .retry
                .delay(Repeat::Idempotent, &error, attempt)
            else {
                return Err(error);
            };
            with_cancel(cancel, tokio::time::sleep(wait)).await?;
        }
    }

    /// Downloads an artifact's bytes into memory, at most `max_bytes` (default
    /// `max_response_bytes`). Returns the bytes and `{"artifact_id","filename","media_type",
    /// "size"}`.
    pub async fn download_artifact(
        &self,
        artifact_id: &str,
        options: &DownloadOptions,
        cancel: Option<&CancelToken>,
    ) -> Result<(Vec<u8>, String)> {
        let cap = options
            .max_bytes
            .unwrap_or(self.config().max_response_bytes);
        let ticket = self.download_ticket(artifact_id, options, cancel).await?;
        let redactor = redactor_for(self, &ticket.url);
        let mut response = self.storage_response(&ticket, &redactor, cancel).await?;
        let mut bytes = Vec::new();
        while let Some(chunk) = next_chunk(&mut response, &redactor, cancel).await? {
            if (bytes.len() + chunk.len()) as u64 > cap {
                return Err(too_large(cap));
            }
            bytes.extend_from_slice(&chunk);
        }
        let size = bytes.len() as u64;
        Ok((bytes, ticket.describe(artifact_id, size).to_string()))
    }

    /// Downloads an artifact into the file `destination`, or, when `destination` is a
    /// directory, into it under the server's file name made safe ([`safe_file_name`]).
    ///
    /// Only a regular file of the caller's naming is ever replaced: a FIFO, socket, device or
    /// dangling link at `destination` is refused (`InvalidArgument`, `param` `"path"`) and left
    /// as it was, before anything is fetched; a symbolic link is followed to the regular file
    /// or directory it names. A server-chosen name never follows a link and never replaces an
    /// existing entry unless `options.overwrite`, and then only a regular file. The bytes go to
    /// a temporary file beside the target, renamed into place once complete; on failure
    /// nothing is left behind. At most `max_bytes` (default 1 GiB). Returns
    /// `{"artifact_id","filename","media_type","size","path"}`.
    pub async fn download_artifact_to_file(
        &self,
        artifact_id: &str,
        destination: &Path,
        options: &DownloadOptions,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        if destination.as_os_str().is_empty() {
            return Err(Error::invalid_argument("path", "`path` must not be empty"));
        }
        let cap = options.max_bytes.unwrap_or(DEFAULT_MAX_FILE_DOWNLOAD_BYTES);
        let destination = target::destination(destination).await?;
        let ticket = self.download_ticket(artifact_id, options, cancel).await?;
        let (target, chosen) = match destination {
            Destination::File(path) => (path, false),
            Destination::Directory(dir) => (
                target::in_directory(&dir, ticket.filename.as_deref(), options.overwrite).await?,
                true,
            ),
        };
        let redactor = redactor_for(self, &ticket.url);
        let mut response = self.storage_response(&ticket, &redactor, cancel).await?;

        let (mut file, mut temp) = create_temp(&target).await?;
        let mut size: u64 = 0;
        while let Some(chunk) = next_chunk(&mut response, &redactor, cancel).await? {
            size += chunk.len() as u64;
            if size > cap {
                return Err(too_large(cap));
            }
            file.write_all(&chunk)
                .await
                .map_err(|e| io_error(&temp.path, &e))?;
        }
        file.sync_all()
            .await
            .map_err(|e| io_error(&temp.path, &e))?;
        drop(file);
        // Looked at again: something else may have appeared there while the bytes came.
        if chosen {
            target::check_chosen(&target, options.overwrite).await?;
        } else {
            target::check_named(&target).await?;
        }
        tokio::fs::rename(&temp.path, &target)
            .await
            .map_err(|e| io_error(&target, &e))?;
        temp.keep = true;
        let mut document = ticket.describe(artifact_id, size);
        document["path"] = Value::String(target.to_string_lossy().into_owned());
        Ok(document.to_string())
    }
}

/// The next piece of a storage body, its errors scrubbed.
async fn next_chunk(
    response: &mut reqwest::Response,
    redactor: &Redactor,
    cancel: Option<&CancelToken>,
) -> Result<Option<bytes::Bytes>> {
    with_cancel(cancel, response.chunk())
        .await?
        .map_err(|e| redactor.scrub(classify(e.without_url())))
}

fn too_large(cap: u64) -> Error {
    Error::new(
        ErrorKind::ResponseTooLarge,
        format!("the artifact is larger than max_bytes ({cap} bytes)"),
    )
}

fn io_error(path: &Path, error: &std::io::Error) -> Error {
    Error::invalid_argument("path", format!("cannot write {}: {error}", path.display()))
}

/// Creates a new temporary file beside `target`, named after it with a random suffix.
async fn create_temp(target: &Path) -> Result<(tokio::fs::File, TempFile)> {
    let dir = target.parent().filter(|p| !p.as_os_str().is_empty());
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            Error::invalid_argument("path", "`path` must name a file or an existing directory")
        })?;
    let mut random = [0u8; 6];
    getrandom::getrandom(&mut random)
        .map_err(|e| Error::new(ErrorKind::Internal, format!("no randomness: {e}")))?;
    let suffix: String = random.iter().map(|b| format!("{b:02x}")).collect();
    let temp_name = format!(".{name}.{suffix}.part");
    let path = match dir {
        Some(dir) => dir.join(temp_name),
        None => PathBuf::from(temp_name),
    };
    let file = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .await
        .map_err(|e| io_error(&path, &e))?;
    Ok((file, TempFile { path, keep: false }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_names_never_become_paths() {
        assert_eq!(safe_file_name(Some("../../etc/passwd")), "passwd");
        assert_eq!(safe_file_name(Some("a\\b\\c.txt")), "c.txt");
        assert_eq!(safe_file_name(Some("..")), "artifact");
        assert_eq!(safe_file_name(Some("dir/")), "artifact");
        assert_eq!(safe_file_name(Some("x\n\u{0}y")), "xy");
        assert_eq!(safe_file_name(Some(".bashrc")), "bashrc");
        assert_eq!(safe_file_name(Some("..hidden")), "hidden");
        assert_eq!(safe_file_name(Some(" . .")), "artifact");
        assert_eq!(safe_file_name(Some("cod\u{202E}fdp.exe")), "codfdp.exe");
        assert_eq!(
            safe_file_name(Some("\u{2066}a\u{200E}b\u{200F}\u{2069}\u{FEFF}\u{200B}")),
            "ab"
        );
        assert_eq!(safe_file_name(None), "artifact");
        assert!(safe_file_name(Some(&"é".repeat(300))).len() <= MAX_NAME_BYTES);
    }

    #[test]
    fn the_signature_is_scrubbed_from_errors() {
        let url = Url::parse("https://store.example/o/a.bin?sig=s3cr3tvalue&exp=99").unwrap();
        let r = Redactor::new().url_query(&url);
        assert_eq!(shown(&url), "https://store.example/o/a.bin");
        let mut error = server_error::from_response(
            403,
            br#"{"error":"bad signature s3cr3tvalue","url":"https://store.example/o/a.bin?sig=s3cr3tvalue&exp=99"}"#,
            None,
        );
        error.message = format!("failed for {url}");
        let text = r.scrub(error).to_document().to_string();
        assert!(!text.contains("s3cr3tvalue"), "{text}");
        assert!(text.contains(crate::redact::REDACTED), "{text}");
    }
}
