//! Where a download to a file may write: only a regular file of the caller's naming is ever
//! replaced.
//!
//! - The caller's `path` is looked at before anything is fetched. Nothing there: a new file. A
//!   regular file: replaced (the caller named it). A directory: the server's file name made safe
//!   goes inside it. A symbolic link is followed to what it names, which must be a regular file
//!   or a directory (the link itself is kept); a dangling link is refused. A FIFO, a socket or a
//!   device is refused and left as it was.
//! - A name the server chose never follows a symbolic link and never replaces an existing
//!   entry, unless the caller's options say `"overwrite": true`, and then only a regular file.
//!
//! Every refusal is `InvalidArgument` with `param` `"path"` and a message saying what is there.

use super::storage::safe_file_name;
use crate::error::{Error, Result};
use std::fs::{FileType, Metadata};
use std::io::ErrorKind as IoKind;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};

/// What the caller's `path` names.
pub(crate) enum Destination {
    /// A file to create or replace (a link already followed).
    File(PathBuf),
    /// A directory to write the server's file name into.
    Directory(PathBuf),
}

/// What an entry of `file_type` is, in words; `None` for a regular file.
fn not_regular(file_type: FileType) -> Option<&'static str> {
    if file_type.is_file() {
        None
    } else if file_type.is_dir() {
        Some("a directory")
    } else if file_type.is_symlink() {
        Some("a symbolic link")
    } else if file_type.is_fifo() {
        Some("a FIFO (named pipe)")
    } else if file_type.is_socket() {
        Some("a socket")
    } else if file_type.is_char_device() {
        Some("a character device")
    } else if file_type.is_block_device() {
        Some("a block device")
    } else {
        Some("not a regular file")
    }
}

fn refused(path: &Path, what: &str) -> Error {
    Error::invalid_argument(
        "path",
        format!(
            "{} is {what}; a download replaces only a regular file, so it was left as it is",
            path.display()
        ),
    )
}

fn unreadable(path: &Path, error: &std::io::Error) -> Error {
    Error::invalid_argument(
        "path",
        format!("cannot look at {}: {error}", path.display()),
    )
}

/// The entry at `path` without following a link; `None` when there is none.
async fn entry(path: &Path) -> Result<Option<Metadata>> {
    match tokio::fs::symlink_metadata(path).await {
        Ok(meta) => Ok(Some(meta)),
        Err(e) if e.kind() == IoKind::NotFound => Ok(None),
        Err(e) => Err(unreadable(path, &e)),
    }
}

/// Reads the caller's `path` (see the module's rules).
pub(crate) async fn destination(path: &Path) -> Result<Destination> {
    let Some(meta) = entry(path).await? else {
        return Ok(Destination::File(path.to_path_buf()));
    };
    if !meta.file_type().is_symlink() {
        return match not_regular(meta.file_type()) {
            None => Ok(Destination::File(path.to_path_buf())),
            Some(_) if meta.is_dir() => Ok(Destination::Directory(path.to_path_buf())),
            Some(what) => Err(refused(path, what)),
        };
    }
    // A link the caller named: followed to what it names.
    let resolved = match tokio::fs::canonicalize(path).await {
        Ok(resolved) => resolved,
        Err(e) if e.kind() == IoKind::NotFound => {
            return Err(refused(
                path,
                "a symbolic link to nothing (a dangling link)",
            ))
        }
        Err(e) => return Err(unreadable(path, &e)),
    };
    let meta = tokio::fs::metadata(&resolved)
        .await
        .map_err(|e| unreadable(&resolved, &e))?;
    match not_regular(meta.file_type()) {
        None => Ok(Destination::File(resolved)),
        Some(_) if meta.is_dir() => Ok(Destination::Directory(resolved)),
        Some(what) => Err(refused(path, &format!("a symbolic link to {what}"))),
    }
}

/// The file a download into `dir` writes, under the server's `filename` made safe; refused
/// when that name is taken, unless `overwrite` and it is a regular file.
pub(crate) async fn in_directory(
    dir: &Path,
    filename: Option<&str>,
    overwrite: bool,
) -> Result<PathBuf> {
    let name = safe_file_name(filename);
    let path = dir.join(&name);
    check_chosen(&path, overwrite).await?;
    Ok(path)
}

/// Checks the entry at `path`, a name the server chose, again just before it is replaced.
pub(crate) async fn check_chosen(path: &Path, overwrite: bool) -> Result<()> {
    match entry(path).await? {
        None => Ok(()),
        Some(meta) => match not_regular(meta.file_type()) {
            None if overwrite => Ok(()),
            None => Err(Error::invalid_argument(
                "path",
                format!(
                    "{} already exists and the name was chosen by the server; pass \
                     \"overwrite\": true in the download options to replace it",
                    path.display()
                ),
            )),
            Some(what) => Err(refused(path, what)),
        },
    }
}

/// Checks the caller's file again just before it is replaced: still nothing or a regular file.
pub(crate) async fn check_named(path: &Path) -> Result<()> {
    match entry(path).await? {
        Some(meta) => match not_regular(meta.file_type()) {
            Some(what) => Err(refused(path, what)),
            None => Ok(()),
        },
        None => Ok(()),
    }
}
