//! Artifacts through the Rust core, against the emulator and its storage host: listing by
//! agent and session, and downloads into memory and into files, without credentials on the
//! storage host and without the signed URL's query in any error.

mod common;

use common::*;
use gumloop::DownloadOptions;
use gumloop::ErrorKind;
use serde_json::{json, Value};
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};

/// Runs `input` on agent_pro to completion; returns the session ID.
fn finished(client: &gumloop::Client, input: &str) -> String {
    let auth = gumloop::CallAuth::default();
    let body = json!({ "input": input }).to_string();
    let env = parse(&run(client.create_session("agent_pro", Some(&body), &auth, None)).unwrap());
    let sid = env["session"]["id"].as_str().unwrap().to_string();
    let done = parse(&run(client.wait_session(&sid, Default::default(), None)).unwrap());
    assert_eq!(done["session"]["state"], "completed");
    sid
}

/// The artifacts of `sid`, by file name.
fn artifacts(client: &gumloop::Client, sid: &str) -> Vec<Value> {
    let query = json!({ "session_id": sid }).to_string();
    parse(&run(client.list_artifacts("agent_pro", Some(&query), None)).unwrap())["artifacts"]
        .as_array()
        .unwrap()
        .clone()
}

fn id_of(items: &[Value], name: &str) -> String {
    items
        .iter()
        .find(|a| a["filename"] == name)
        .and_then(|a| a["id"].as_str())
        .unwrap_or_else(|| panic!("no artifact {name} in {items:?}"))
        .to_string()
}

/// A fresh empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gumloop-artifacts-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn storage_requests(emu: &Emulator) -> Vec<Value> {
    emu.requests()
        .into_iter()
        .filter(|r| r["listener"] == "storage")
        .collect()
}

#[test]
fn artifacts_are_listed_by_agent_and_session_in_pages() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let one = finished(&client, "[artifact:a.txt] [artifact:b.txt]");
    let two = finished(&client, "[artifact:c.txt]");
    assert_eq!(artifacts(&client, &one).len(), 2);
    assert_eq!(artifacts(&client, &two).len(), 1);
    let mut names = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = json!({ "page_size": 1, "cursor": cursor }).to_string();
        let page = parse(&run(client.list_artifacts("agent_pro", Some(&query), None)).unwrap());
        for a in page["artifacts"].as_array().unwrap() {
            names.push(a["filename"].as_str().unwrap().to_string());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    names.sort();
    assert_eq!(names, ["a.txt", "b.txt", "c.txt"]);
    emu.admin("DELETE", "/requests", None);
    for query in [r#"{"session_id":1}"#, r#"{"page_size":101}"#, "{"] {
        assert!(run(client.list_artifacts("agent_pro", Some(query), None)).is_err());
    }
    assert!(emu.requests().is_empty());
}

#[test]
fn a_download_into_memory_sends_no_credentials_to_the_storage_host() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let sid = finished(&client, "[artifact:report.txt]");
    let id = id_of(&artifacts(&client, &sid), "report.txt");
    emu.admin("DELETE", "/requests", None);
    let (bytes, doc) =
        run(client.download_artifact(&id, &DownloadOptions::default(), None)).unwrap();
    assert_eq!(
        bytes,
        format!("Artifact report.txt of session {sid}\n").into_bytes()
    );
    let doc = parse(&doc);
    assert_eq!(
        (doc["filename"].clone(), doc["size"].clone()),
        (json!("report.txt"), json!(bytes.len()))
    );
    assert!(
        doc.get("download_url").is_none(),
        "the signed URL is not repeated: {doc}"
    );
    let storage = storage_requests(&emu);
    assert_eq!(storage.len(), 1);
    let headers = storage[0]["headers"].as_object().unwrap();
    assert!(
        !headers.contains_key("authorization") && !headers.contains_key("x-auth-key"),
        "{headers:?}"
    );

    // The SDK's download: where the bytes are.
    let ticket = parse(&run(client.get_artifact_download(&id, None, None)).unwrap());
    assert!(ticket["download_url"]
        .as_str()
        .unwrap()
        .starts_with(&emu.running.storage_url));
}

#[test]
fn a_download_to_a_directory_uses_a_safe_name_and_leaves_no_temporary_file() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let sid = finished(&client, "[artifact:../../escape/x.bin:5000]");
    let id = id_of(&artifacts(&client, &sid), "../../escape/x.bin");
    let dir = scratch("dir");
    let doc = parse(
        &run(client.download_artifact_to_file(&id, &dir, &DownloadOptions::default(), None))
            .unwrap(),
    );
    assert_eq!(
        entries(&dir),
        ["x.bin"],
        "written inside the directory, under its last name"
    );
    assert_eq!(doc["path"], dir.join("x.bin").to_string_lossy().as_ref());
    let written = std::fs::read(dir.join("x.bin")).unwrap();
    let unit = format!("{sid}/../../escape/x.bin\n").into_bytes();
    let expected: Vec<u8> = unit.iter().copied().cycle().take(5000).collect();
    assert_eq!(written, expected);

    // To a named file; over the cap, nothing is left behind (not even a temporary file).
    let target = dir.join("named.out");
    run(client.download_artifact_to_file(&id, &target, &DownloadOptions::default(), None)).unwrap();
    assert_eq!(std::fs::read(&target).unwrap().len(), 5000);
    let capped = DownloadOptions {
        max_bytes: Some(100),
        ..DownloadOptions::default()
    };
    let e = run(client.download_artifact_to_file(&id, &dir.join("small.out"), &capped, None))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::ResponseTooLarge);
    let e = run(client.download_artifact(&id, &capped, None)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::ResponseTooLarge);
    assert_eq!(entries(&dir), ["named.out", "x.bin"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn storage_failures_never_show_the_signed_query() {
    let emu = Emulator::start();
    let client = emu.client(json!({"max_retries": 0}));
    let sid = finished(&client, "[artifact:secret.txt]");
    let id = id_of(&artifacts(&client, &sid), "secret.txt");
    let dir = scratch("faults");
    for fault in [
        json!({"status": 500}),
        json!({"truncate": true}),
        json!({"reset": "before_response"}),
    ] {
        let mut spec = json!({"listener": "storage", "path": "/artifacts/**", "times": 2});
        for (k, v) in fault.as_object().unwrap() {
            spec[k] = v.clone();
        }
        emu.fault(spec);
        let e = run(client.download_artifact(&id, &DownloadOptions::default(), None)).unwrap_err();
        let text = e.to_document().to_string();
        assert!(
            !text.contains("signature=") && !text.contains("expires="),
            "{text}"
        );
        let f = run(client.download_artifact_to_file(&id, &dir, &DownloadOptions::default(), None))
            .unwrap_err();
        let text = f.to_document().to_string();
        assert!(
            !text.contains("signature=") && !text.contains("expires="),
            "{text}"
        );
        assert!(
            entries(&dir).is_empty(),
            "nothing left behind after {fault}"
        );
        emu.admin("DELETE", "/faults", None);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn storage_reads_are_repeated_after_a_503_and_bad_input_sends_nothing() {
    let emu = Emulator::start();
    let client = emu.client(json!({"max_backoff_ms": 50}));
    let sid = finished(&client, "[artifact:r.txt]");
    let id = id_of(&artifacts(&client, &sid), "r.txt");
    emu.admin("DELETE", "/requests", None);
    emu.fault(json!({"listener": "storage", "path": "/artifacts/**", "times": 1, "status": 503}));
    let (bytes, _) = run(client.download_artifact(&id, &DownloadOptions::default(), None)).unwrap();
    assert!(!bytes.is_empty());
    assert_eq!(storage_requests(&emu).len(), 2);

    emu.admin("DELETE", "/requests", None);
    assert!(run(client.download_artifact("..", &DownloadOptions::default(), None)).is_err());
    let empty = PathBuf::new();
    let e = run(client.download_artifact_to_file(&id, &empty, &DownloadOptions::default(), None))
        .unwrap_err();
    assert_eq!(e.param.as_deref(), Some("path"));
    assert!(emu.requests().is_empty());
    let e = run(client.download_artifact("art_missing", &DownloadOptions::default(), None))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
}

// ---------------------------------------------------------------------------------------------
// Where a download may write: only a regular file of the caller's naming is ever replaced.
//
// A FIFO, a socket, a device node or a directory at the target is refused with
// `InvalidArgument` (`param` `"path"`) and left as it was, before any byte is fetched. A symlink
// the caller names is followed to the regular file it points to (and the link is kept); a
// dangling link, or one to anything but a regular file, is refused. A name the server chose
// (the caller gave a directory) is cleaned of separators, leading dots, control and
// bidirectional characters, and never replaces an existing entry unless the options say
// `"overwrite": true`, and then only a regular file.
//
// Everything happens in a fresh directory under the system's temporary directory.

fn c_path(path: &Path) -> CString {
    CString::new(path.as_os_str().as_bytes()).unwrap()
}

fn mkfifo(path: &Path) {
    // SAFETY: a valid NUL-terminated path.
    let rc = unsafe { libc::mkfifo(c_path(path).as_ptr(), 0o600) };
    assert_eq!(rc, 0, "mkfifo {}", path.display());
}

/// Makes a character device (the null device's numbers) at `path`; false where the system does
/// not let this process make device nodes (not root, or no such capability).
fn mknod_char(path: &Path) -> bool {
    // SAFETY: a valid NUL-terminated path; the node is made inside the test's own directory.
    let rc = unsafe {
        libc::mknod(
            c_path(path).as_ptr(),
            libc::S_IFCHR | 0o600,
            libc::makedev(1, 3),
        )
    };
    if rc != 0 {
        eprintln!("mknod: {}", std::io::Error::last_os_error());
        return false;
    }
    true
}

/// What is at `path` (not following a link), as a word.
fn kind_at(path: &Path) -> &'static str {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return "nothing";
    };
    let t = meta.file_type();
    if t.is_symlink() {
        "symlink"
    } else if t.is_fifo() {
        "fifo"
    } else if t.is_socket() {
        "socket"
    } else if t.is_char_device() {
        "char device"
    } else if t.is_dir() {
        "directory"
    } else if t.is_file() {
        "file"
    } else {
        "other"
    }
}

fn download(
    client: &gumloop::Client,
    id: &str,
    path: &Path,
    options: &str,
) -> gumloop::Result<Value> {
    let options = DownloadOptions::parse(Some(options)).expect("options");
    run(client.download_artifact_to_file(id, path, &options, None)).map(|t| parse(&t))
}

#[test]
fn a_download_never_replaces_what_is_not_a_regular_file() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let sid = finished(&client, "[artifact:r.bin:300]");
    let id = id_of(&artifacts(&client, &sid), "r.bin");
    let dir = scratch("targets");

    let fifo = dir.join("fifo");
    mkfifo(&fifo);
    let socket = dir.join("socket");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let device = dir.join("device");
    let have_device = mknod_char(&device);
    let to_fifo = dir.join("link-to-fifo");
    std::os::unix::fs::symlink(&fifo, &to_fifo).unwrap();
    let dangling = dir.join("dangling");
    std::os::unix::fs::symlink(dir.join("missing"), &dangling).unwrap();

    let mut refused = vec![
        (fifo.clone(), "FIFO", "fifo"),
        (socket.clone(), "socket", "socket"),
        (to_fifo.clone(), "FIFO", "symlink"),
        (dangling.clone(), "link", "symlink"),
    ];
    if have_device {
        refused.push((device.clone(), "device", "char device"));
    } else {
        eprintln!(
            "device nodes cannot be made here: the device case is not covered on this machine"
        );
    }
    emu.admin("DELETE", "/requests", None);
    for (path, word, kind) in &refused {
        let e = download(&client, &id, path, "{}").expect_err("not a regular file");
        assert_eq!(
            e.kind,
            ErrorKind::InvalidArgument,
            "{}: {e:?}",
            path.display()
        );
        assert_eq!(e.param.as_deref(), Some("path"), "{e:?}");
        assert!(
            e.message.contains(word),
            "{}: the message says what is there: {}",
            path.display(),
            e.message
        );
        assert_eq!(kind_at(path), *kind, "{} was changed", path.display());
    }
    assert_eq!(storage_requests(&emu).len(), 0, "no byte was fetched");
    assert_eq!(kind_at(&fifo), "fifo");
    assert_eq!(kind_at(&dir.join("missing")), "nothing");

    // A symlink to a regular file is followed: the file gets the bytes, the link stays a link.
    let real = dir.join("real.bin");
    std::fs::write(&real, b"old").unwrap();
    let link = dir.join("link.bin");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let doc = download(&client, &id, &link, "{}").expect("through the link");
    assert_eq!(std::fs::read(&real).unwrap().len(), 300);
    assert_eq!(kind_at(&link), "symlink");
    assert_eq!(doc["path"], real.to_string_lossy().as_ref());
    // A regular file the caller names is replaced, as asked.
    let named = dir.join("named.bin");
    std::fs::write(&named, b"old").unwrap();
    download(&client, &id, &named, "{}").expect("a named file");
    assert_eq!(std::fs::read(&named).unwrap().len(), 300);

    let mut expected = vec![
        "dangling",
        "fifo",
        "link-to-fifo",
        "link.bin",
        "named.bin",
        "real.bin",
        "socket",
    ];
    if have_device {
        expected.push("device");
        expected.sort();
    }
    assert_eq!(entries(&dir), expected, "no temporary file left behind");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_server_chosen_name_is_cleaned_and_never_overwrites_unasked() {
    let emu = Emulator::start();
    let client = emu.client(json!({}));
    let sid = finished(
        &client,
        "[artifact:.bashrc] [artifact:evil\u{202E}fdp.exe] [artifact:a\u{2066}b\u{200F}c.txt] \
         [artifact:report.txt] [artifact:sub] [artifact:pipe] [artifact:...]",
    );
    let items = artifacts(&client, &sid);
    let dir = scratch("names");

    // Hidden names lose their leading dots; bidirectional controls are dropped.
    for (server, written) in [
        (".bashrc", "bashrc"),
        ("evil\u{202E}fdp.exe", "evilfdp.exe"),
        ("a\u{2066}b\u{200F}c.txt", "abc.txt"),
        ("...", "artifact"),
    ] {
        let doc = download(&client, &id_of(&items, server), &dir, "{}").expect(server);
        assert_eq!(
            doc["path"],
            dir.join(written).to_string_lossy().as_ref(),
            "{server:?}"
        );
        assert_eq!(
            doc["filename"], server,
            "the document keeps the server's name"
        );
    }

    // An existing file of the server's name is kept, unless the caller asks to replace it.
    let report = id_of(&items, "report.txt");
    std::fs::write(dir.join("report.txt"), b"mine").unwrap();
    emu.admin("DELETE", "/requests", None);
    let e = download(&client, &report, &dir, "{}").expect_err("exists");
    assert_eq!(e.kind, ErrorKind::InvalidArgument, "{e:?}");
    assert_eq!(e.param.as_deref(), Some("path"));
    assert!(e.message.contains("overwrite"), "{}", e.message);
    assert_eq!(std::fs::read(dir.join("report.txt")).unwrap(), b"mine");
    let e = download(&client, &report, &dir, r#"{"overwrite":false}"#).expect_err("exists");
    assert_eq!(e.param.as_deref(), Some("path"));
    assert_eq!(
        storage_requests(&emu).len(),
        0,
        "nothing fetched for a refused name"
    );
    download(&client, &report, &dir, r#"{"overwrite":true}"#).expect("asked to replace");
    assert_ne!(std::fs::read(dir.join("report.txt")).unwrap(), b"mine");

    // What is not a regular file is never replaced, even when asked.
    std::fs::create_dir(dir.join("sub")).unwrap();
    mkfifo(&dir.join("pipe"));
    for (name, word) in [("sub", "directory"), ("pipe", "FIFO")] {
        let e = download(&client, &id_of(&items, name), &dir, r#"{"overwrite":true}"#)
            .expect_err("not a regular file");
        assert_eq!(e.param.as_deref(), Some("path"));
        assert!(e.message.contains(word), "{}", e.message);
    }
    assert_eq!(kind_at(&dir.join("sub")), "directory");
    assert_eq!(kind_at(&dir.join("pipe")), "fifo");
    // A symlink of the server's name is not followed, even when asked.
    let outside = scratch("names-outside").join("target.txt");
    std::fs::write(&outside, b"keep").unwrap();
    std::fs::remove_file(dir.join("bashrc")).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("bashrc")).unwrap();
    let e = download(
        &client,
        &id_of(&items, ".bashrc"),
        &dir,
        r#"{"overwrite":true}"#,
    )
    .expect_err("a link of the server's name");
    assert!(e.message.contains("link"), "{}", e.message);
    assert_eq!(std::fs::read(&outside).unwrap(), b"keep");

    assert_eq!(
        entries(&dir),
        [
            "abc.txt",
            "artifact",
            "bashrc",
            "evilfdp.exe",
            "pipe",
            "report.txt",
            "sub"
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(outside.parent().unwrap());
}

#[test]
fn the_overwrite_option_is_checked() {
    for (text, ok) in [
        (r#"{"overwrite":true}"#, true),
        (r#"{"overwrite":false}"#, true),
        (r#"{"overwrite":"yes"}"#, false),
        (r#"{"overwrite":1}"#, false),
    ] {
        match DownloadOptions::parse(Some(text)) {
            Ok(_) => assert!(ok, "{text} accepted"),
            Err(e) => {
                assert!(!ok, "{text}: {e:?}");
                assert_eq!(e.param.as_deref(), Some("overwrite"));
            }
        }
    }
}
