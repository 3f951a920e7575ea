//! `POST /sessions/{id}/files` and the `attachments` of create and send,
//! which may name only files stored on the same session.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use hyper::{Response, StatusCode};
use serde_json::{json, Map, Value};

use super::fields::{opt_array, opt_str, parse_object};
use super::{session_for, Ctx};
use crate::body::RespBody;
use crate::errors::{json_response, ApiError};
use crate::files::{guess_media_type, sanitize_name, stored_path, Attached, StoredFile};
use crate::store::Session;

/// At most this many attachments per message.
pub const MAX_ATTACHMENTS: usize = 10;

/// Standard alphabet; the padding may be present or left off.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

fn invalid_name(message: &str) -> ApiError {
    ApiError::new(400, "invalid_file_name", message).param("file_name")
}

fn invalid_content(message: impl Into<String>) -> ApiError {
    ApiError::new(400, "invalid_file_content", message).param("file_content")
}

/// The 413 for a decoded size over the limit.
pub fn too_large(limit: u64, size: Option<u64>) -> ApiError {
    ApiError::new(
        413,
        "file_too_large",
        format!("The file is larger than the limit of {limit} bytes"),
    )
    .param("file_content")
    .details(json!({"max_bytes": limit, "size": size}))
}

/// The decoded length of base64 text, without decoding it.
fn decoded_len(text: &str) -> u64 {
    let unpadded = text.trim_end_matches('=').len() as u64;
    unpadded * 3 / 4
}

/// Uploads a file: 201 `{file_name, media_type, size}`.
pub fn upload(ctx: &Ctx, session_id: &str) -> Result<Response<RespBody>, ApiError> {
    let caller = ctx.caller()?;
    let body = parse_object(ctx.body)?;
    let name = match body.get("file_name") {
        Some(Value::String(s)) => sanitize_name(s).ok_or_else(|| {
            invalid_name(
                "`file_name` has no usable name once directories and odd characters are removed",
            )
        })?,
        None | Some(Value::Null) => return Err(invalid_name("`file_name` is required")),
        Some(_) => return Err(invalid_name("`file_name` must be a string")),
    };
    let content = match body.get("file_content") {
        Some(Value::String(s)) => s.as_str(),
        None | Some(Value::Null) => return Err(invalid_content("`file_content` is required")),
        Some(_) => return Err(invalid_content("`file_content` must be a base64 string")),
    };
    let media_type = match opt_str(&body, "media_type")? {
        Some(m) if m.trim().is_empty() || !m.contains('/') => {
            return Err(ApiError::invalid(
                "media_type",
                "`media_type` must look like `type/subtype`",
            ))
        }
        Some(m) => Some(m.to_string()),
        None => guess_media_type(&name).map(str::to_string),
    };
    let limit = ctx.app.fixtures.max_file_bytes;
    if decoded_len(content) > limit {
        return Err(too_large(limit, Some(decoded_len(content))));
    }
    let bytes = BASE64
        .decode(content)
        .map_err(|e| invalid_content(format!("`file_content` is not valid base64: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit, Some(bytes.len() as u64)));
    }

    let app = ctx.app;
    let mut store = app.store();
    session_for(app, &store, &caller, session_id)?;
    let path = stored_path(session_id, &name);
    let file = StoredFile {
        name,
        media_type: media_type.clone(),
        bytes: bytes.into(),
    };
    let size = file.size();
    let session = store.sessions.get_mut(session_id).expect("session exists");
    session.files.insert(path.clone(), file);
    Ok(json_response(
        StatusCode::CREATED,
        &json!({"file_name": path, "media_type": media_type, "size": size}),
    ))
}

/// One entry of `attachments`, as asked for.
#[derive(Debug, Clone)]
pub struct Wanted {
    /// The stored path named.
    pub file_name: String,
    /// The media type given with it, if any.
    pub media_type: Option<String>,
}

/// Reads `attachments` (at most [`MAX_ATTACHMENTS`] objects with a `file_name` string and an
/// optional `media_type` string). `None` when absent; shape errors are 400 `invalid_request`.
pub fn wanted(body: &Map<String, Value>) -> Result<Option<Vec<Wanted>>, ApiError> {
    let Some(list) = opt_array(body, "attachments")? else {
        return Ok(None);
    };
    if list.len() > MAX_ATTACHMENTS {
        return Err(ApiError::invalid(
            "attachments",
            format!("at most {MAX_ATTACHMENTS} attachments are allowed"),
        ));
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let param = format!("attachments[{i}].file_name");
        let Some(obj) = item.as_object() else {
            return Err(ApiError::invalid(
                &format!("attachments[{i}]"),
                "each attachment must be an object with a `file_name`",
            ));
        };
        let file_name = match obj.get("file_name") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            _ => {
                return Err(ApiError::invalid(
                    &param,
                    "each attachment needs a non-empty `file_name` string",
                ))
            }
        };
        let media_type = match obj.get("media_type") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                return Err(ApiError::invalid(
                    &format!("attachments[{i}].media_type"),
                    "`media_type` must be a string",
                ))
            }
        };
        out.push(Wanted {
            file_name,
            media_type,
        });
    }
    Ok(Some(out))
}

/// The 400 for an attachment that is not a stored file of this session.
pub fn not_this_session(index: usize, file_name: &str) -> ApiError {
    ApiError::new(
        400,
        "invalid_attachment",
        "The attachment is not a file stored on this session; upload it to this session first",
    )
    .param(&format!("attachments[{index}].file_name"))
    .details(json!({"file_name": file_name}))
}

/// Resolves attachments against the session's stored files (400 `invalid_attachment`
/// for any other name).
pub fn resolve(session: &Session, wanted: &[Wanted]) -> Result<Vec<Attached>, ApiError> {
    wanted
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let file = session
                .files
                .get(&w.file_name)
                .ok_or_else(|| not_this_session(i, &w.file_name))?;
            Ok(Attached {
                path: w.file_name.clone(),
                name: file.name.clone(),
                media_type: w.media_type.clone().or_else(|| file.media_type.clone()),
                size: file.size(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoded_length_matches_the_decoder() {
        for text in ["", "YQ", "YQ==", "YWI=", "YWJj", "YWJjZA=="] {
            let n = BASE64.decode(text).unwrap().len() as u64;
            assert_eq!(decoded_len(text), n, "{text}");
        }
    }
}
