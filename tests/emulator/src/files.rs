//! Session files: name sanitizing, stored paths, media types, and the attachments that
//! name them.

use bytes::Bytes;
use serde_json::{json, Value};

/// Longest stored file name, in characters (after sanitizing).
pub const MAX_NAME_CHARS: usize = 255;

/// One uploaded file, held in memory.
#[derive(Debug, Clone)]
pub struct StoredFile {
    /// The sanitized base name, e.g. `notes.txt`.
    pub name: String,
    /// The media type given at upload, or guessed from the name.
    pub media_type: Option<String>,
    /// The decoded content.
    pub bytes: Bytes,
}

impl StoredFile {
    /// The decoded size in bytes.
    pub fn size(&self) -> usize {
        self.bytes.len()
    }
}

/// The stored path of `name` in a session: `sessions/<session_id>/files/<name>`.
pub fn stored_path(session_id: &str, name: &str) -> String {
    format!("sessions/{session_id}/files/{name}")
}

/// Strips directory parts (`/` and `\`), trims, replaces every character that is not a
/// letter, a digit, `.`, `-` or `_` with `_`, and drops leading dots. `None` when nothing
/// usable is left or the result is longer than [`MAX_NAME_CHARS`].
pub fn sanitize_name(raw: &str) -> Option<String> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let cleaned: String = base
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('.');
    let usable = cleaned.chars().any(|c| c.is_alphanumeric());
    (usable && cleaned.chars().count() <= MAX_NAME_CHARS).then(|| cleaned.to_string())
}

/// The media type that goes with a file name's extension, if it is a common one.
pub fn guess_media_type(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "txt" | "log" => "text/plain",
        "md" => "text/markdown",
        "csv" => "text/csv",
        "html" | "htm" => "text/html",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "zip" => "application/zip",
        _ => return None,
    })
}

/// A file attached to a run: what the transcript and the answer say about it.
#[derive(Debug, Clone)]
pub struct Attached {
    /// The stored path, as given in `attachments`.
    pub path: String,
    /// The base name.
    pub name: String,
    /// The media type (the attachment's own, else the stored file's).
    pub media_type: Option<String>,
    /// Size in bytes.
    pub size: usize,
}

impl Attached {
    /// The `file` part of the user message that carried it.
    pub fn part(&self) -> Value {
        json!({
            "type": "file",
            "file_name": self.path,
            "media_type": self.media_type,
            "size": self.size,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_directories_and_odd_characters() {
        assert_eq!(sanitize_name("report.pdf").as_deref(), Some("report.pdf"));
        assert_eq!(sanitize_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(
            sanitize_name("C:\\tmp\\a b.txt").as_deref(),
            Some("a_b.txt")
        );
        assert_eq!(sanitize_name(".hidden").as_deref(), Some("hidden"));
        assert_eq!(sanitize_name("naïve$.md").as_deref(), Some("naïve_.md"));
        for bad in ["", "   ", "dir/", "..", "...", "$$$", "/"] {
            assert_eq!(sanitize_name(bad), None, "{bad:?}");
        }
        assert_eq!(
            sanitize_name(&"a".repeat(MAX_NAME_CHARS)).map(|n| n.len()),
            Some(255)
        );
        assert_eq!(sanitize_name(&"a".repeat(MAX_NAME_CHARS + 1)), None);
    }

    #[test]
    fn media_types_follow_the_extension() {
        assert_eq!(guess_media_type("a.TXT"), Some("text/plain"));
        assert_eq!(guess_media_type("a.tar.zip"), Some("application/zip"));
        assert_eq!(guess_media_type("noext"), None);
        assert_eq!(guess_media_type("a.weird"), None);
    }
}
