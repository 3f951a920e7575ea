//! Artifacts, the files runs produce (`[artifact:NAME]`, `[artifact:NAME:BYTES]`): their
//! deterministic bytes, their wire form, and the signed URLs the storage host serves.

use ring::hmac;
use serde_json::{json, Value};

use crate::app_state::App;
use crate::files::guess_media_type;
use crate::view::creator_json;

/// Largest artifact a marker may ask for.
pub const MAX_ARTIFACT_BYTES: u64 = 64 * 1024 * 1024;

/// One artifact (a single version).
#[derive(Debug, Clone)]
pub struct Artifact {
    /// `art_…`.
    pub id: String,
    /// `artv_…`.
    pub version_id: String,
    /// The agent whose run made it.
    pub agent_id: String,
    /// The session whose run made it.
    pub session_id: String,
    /// The name, exactly as the marker gave it (it may hold `/` or `..`).
    pub filename: String,
    /// Creation time, ISO-8601.
    pub created_at: String,
    /// Creation order, for sorting and cursors.
    pub seq: u64,
    /// The user whose run made it.
    pub creator_user_id: String,
    /// Size in bytes.
    pub size: u64,
    /// Whether the marker gave the size (`[artifact:NAME:BYTES]`).
    pub sized: bool,
}

impl Artifact {
    /// The media type guessed from the name, else `application/octet-stream`.
    pub fn media_type(&self) -> &'static str {
        guess_media_type(&self.filename).unwrap_or("application/octet-stream")
    }

    /// The content: `Artifact <name> of session <session_id>\n` unless the marker gave a
    /// size, then `<session_id>/<name>\n` repeated and cut to that size.
    pub fn bytes(&self) -> Vec<u8> {
        if !self.sized {
            return default_content(&self.session_id, &self.filename).into_bytes();
        }
        let unit = format!("{}/{}\n", self.session_id, self.filename).into_bytes();
        unit.iter()
            .copied()
            .cycle()
            .take(self.size as usize)
            .collect()
    }

    /// The listing item.
    pub fn to_json(&self, app: &App) -> Value {
        json!({
            "id": self.id,
            "version_id": self.version_id,
            "major_version": 1,
            "agent_id": self.agent_id,
            "session_id": self.session_id,
            "filename": self.filename,
            "created_at": self.created_at,
            "metadata": {},
            "url": null,
            "creator": creator_json(app, &self.creator_user_id),
        })
    }
}

/// The content of an artifact whose marker gave no size.
pub fn default_content(session_id: &str, name: &str) -> String {
    format!("Artifact {name} of session {session_id}\n")
}

fn signed_text(artifact_id: &str, version_id: &str, expires: u64) -> String {
    format!("{artifact_id}:{version_id}:{expires}")
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The signed storage URL of an artifact, valid until `expires` (ms since the epoch):
/// `<storage>/artifacts/<id>/<version_id>?expires=<ms>&signature=<hex HMAC-SHA256>`.
pub fn signed_url(app: &App, a: &Artifact, expires: u64) -> String {
    let tag = hmac::sign(
        &app.url_key,
        signed_text(&a.id, &a.version_id, expires).as_bytes(),
    );
    format!(
        "{}/artifacts/{}/{}?expires={expires}&signature={}",
        app.storage_base,
        a.id,
        a.version_id,
        to_hex(tag.as_ref())
    )
}

/// Whether `signature` (hex) signs this artifact version until `expires`.
pub fn signature_ok(
    app: &App,
    artifact_id: &str,
    version_id: &str,
    expires: u64,
    signature: &str,
) -> bool {
    from_hex(signature).is_some_and(|tag| {
        hmac::verify(
            &app.url_key,
            signed_text(artifact_id, version_id, expires).as_bytes(),
            &tag,
        )
        .is_ok()
    })
}
