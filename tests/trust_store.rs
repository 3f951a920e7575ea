//! One trust store: the system's. A client trusts the root certificates the system's store
//! holds (read when the client is built, as OpenSSL-based tools read them: `SSL_CERT_FILE` and
//! `SSL_CERT_DIR` when set, else the distribution's bundle) plus those given in `ca_cert_pem` /
//! `ca_cert_path`, and nothing compiled in: a CA an administrator removes from the system is
//! no longer trusted.
//!
//! The store is the process's environment, so the behaviour is one test.

mod common;

use common::{parse, run, Emulator};
use gumloop::{CallAuth, ErrorKind};
use serde_json::json;

#[test]
fn the_systems_store_is_the_one_trusted() {
    let emu = Emulator::start_tls();
    let other = Emulator::start_tls();
    let pem = emu.running.cert_pem.clone().expect("certificate");
    let other_pem = other.running.cert_pem.clone().expect("certificate");
    let dir = std::env::temp_dir().join(format!("gumloop-trust-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let empty = dir.join("certs");
    std::fs::create_dir_all(&empty).unwrap();
    let with_ca = dir.join("with.pem");
    let without_ca = dir.join("without.pem");
    std::fs::write(&with_ca, format!("{other_pem}\n{pem}")).unwrap();
    std::fs::write(&without_ca, &other_pem).unwrap();
    std::env::set_var("SSL_CERT_DIR", &empty);

    // The system's store holds the CA: trusted without any option.
    std::env::set_var("SSL_CERT_FILE", &with_ca);
    let client = emu.client(json!({ "max_retries": 0 }));
    let created = run(client.create_session("agent_pro", None, &CallAuth::default(), None));
    assert_eq!(
        parse(&created.expect("trusted"))["session"]["state"],
        "idle"
    );

    // The administrator removes it: a client built afterwards no longer trusts it.
    std::env::set_var("SSL_CERT_FILE", &without_ca);
    emu.reset();
    let client = emu.client(json!({ "max_retries": 0 }));
    let error = run(client.create_session("agent_pro", None, &CallAuth::default(), None))
        .expect_err("removed from the system's store");
    assert_eq!(error.kind, ErrorKind::Tls, "{error:?}");
    assert!(emu.requests().is_empty(), "nothing sent untrusted");

    // `ca_cert_pem` adds to the system's store.
    let client = emu.client(json!({ "max_retries": 0, "ca_cert_pem": pem }));
    assert!(run(client.create_session("agent_pro", None, &CallAuth::default(), None)).is_ok());

    std::env::remove_var("SSL_CERT_FILE");
    std::env::remove_var("SSL_CERT_DIR");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The library carries no compiled-in root certificates: the bundle crate is not in its
/// dependency tree (the system's store is read through rustls-native-certs).
#[test]
fn no_roots_are_compiled_in() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["tree", "--offline", "-p", "gumloop-ffi", "-e", "normal"])
        .args(["--prefix", "none", "--manifest-path"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .output()
        .expect("cargo tree");
    assert!(output.status.success(), "{output:?}");
    let tree = String::from_utf8_lossy(&output.stdout);
    let crates: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(crates.contains(&"rustls-native-certs"), "{tree}");
    assert!(
        !crates.contains(&"webpki-roots"),
        "compiled-in roots:\n{tree}"
    );
}
