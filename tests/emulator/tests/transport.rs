//! Transport: TLS mode, 1,000 concurrent connections, and the binary's command line
//! (ready line, fixtures file, TLS files, signals) and `scripts/with-emulator.sh`.

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use common::*;
use gumloop_emulator::{start, Config};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Raises the open-files soft limit towards `want` (both ends of every connection live in
/// this process).
fn raise_nofile(want: u64) {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct we pass; setrlimit only reads it.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < want {
            lim.rlim_cur = want.min(lim.rlim_max);
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_connections() {
    const N: usize = 1000;
    raise_nofile(4 * N as u64 + 256);
    let emu = emu().await;
    let mut conns = Vec::with_capacity(N);
    for _ in 0..N {
        conns.push(
            TcpStream::connect(emu.running.api_addr)
                .await
                .expect("connect"),
        );
    }
    // Wait until the server holds all of them open at once (plus the stats connection).
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let stats = admin_get(&emu, "/stats").await;
        if stats["connections"]["open"].as_u64().unwrap() > N as u64 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{stats}");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let request = encode(
        "POST",
        "/api/v1/agents/agent_pro/sessions",
        ADA,
        Some("{}"),
        false,
    );
    let tasks: Vec<_> = conns
        .into_iter()
        .map(|mut tcp| {
            let request = request.clone();
            tokio::spawn(async move {
                tcp.write_all(&request).await.expect("write");
                let mut raw = Vec::new();
                tokio::time::timeout(PATIENCE, tcp.read_to_end(&mut raw))
                    .await
                    .expect("response in time")
                    .expect("read");
                parse_response(&raw).expect("complete response").status
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), 201);
    }
    let stats = admin_get(&emu, "/stats").await;
    assert_eq!(stats["sessions"]["total"], N as u64);
    assert!(stats["connections"]["total"].as_u64().unwrap() > N as u64);
}

#[tokio::test]
async fn tls_mode_serves_https_on_both_listeners() {
    let running = start(Config {
        tls_in_memory: true,
        ..Config::default()
    })
    .await
    .unwrap();
    assert!(running.api_url.starts_with("https://127.0.0.1:"));
    assert!(running.stream_url.starts_with("https://127.0.0.1:"));
    assert!(running.admin_url.starts_with("https://127.0.0.1:"));
    let pem = running.cert_pem.clone().expect("certificate");
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    for name in ["localhost", "127.0.0.1"] {
        let api = Client::tls(running.api_addr, &pem, name);
        let (status, env) = create(&api, "agent_pro", ADA, "{}").await;
        assert_eq!(status, 201, "{env}");
    }
    let stream = Client::tls(running.stream_addr, &pem, "localhost");
    let mut sse = stream
        .sse(
            "POST",
            "/api/v1/agents/agent_pro/sessions",
            ADA,
            Some(r#"{"input":"over tls","stream":true}"#),
        )
        .await;
    let events = sse.rest().await;
    assert_eq!(events.last().unwrap()["finishReason"], "stop");
    // Plain HTTP to a TLS port gets no HTTP response.
    let raw = Client::plain(running.api_addr)
        .raw(&encode("GET", "/_emulator/stats", &[], None, false))
        .await;
    assert!(!String::from_utf8_lossy(&raw).starts_with("HTTP/1.1 200"));
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_gumloop-emulator")
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "gumloop-emulator-test-{tag}-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn url_addr(url: &str) -> std::net::SocketAddr {
    let rest = url.split("://").nth(1).unwrap();
    rest.split('/').next().unwrap().parse().unwrap()
}

fn signal(child: &std::process::Child, sig: i32) {
    // SAFETY: kill only sends a signal to the child we started.
    unsafe {
        libc::kill(child.id() as libc::pid_t, sig);
    }
}

#[test]
fn binary_prints_one_ready_line_and_exits_cleanly_on_sigterm() {
    let dir = temp_dir("cli");
    let fixtures = dir.join("fixtures.json");
    std::fs::write(
        &fixtures,
        r#"{"teams": {"team_tiny": {"plan": "pro", "concurrency_limit": 1}},
            "agents": {"agent_tiny": {"name": "Tiny", "team_id": "team_tiny",
                                      "creator_user_id": "user_bob"}},
            "users": {"user_bob": {"first_name": "Bob", "last_name": "Builder",
                                   "email": "bob@example.com", "teams": ["team_free", "team_tiny"]}}}"#,
    )
    .unwrap();
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    let mut child = Command::new(bin())
        .args(["--fixtures", fixtures.to_str().unwrap()])
        .args(["--tls-cert-out", cert.to_str().unwrap()])
        .args(["--tls-key-out", key.to_str().unwrap()])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with(r#"{"api":"https://127.0.0.1:"#), "{line}");
    let ready: serde_json::Value = serde_json::from_str(&line).unwrap();
    let keys: Vec<_> = ready.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys.len(), 4);
    assert!(ready["api"].as_str().unwrap().ends_with("/api/v1"));
    assert!(ready["stream"].as_str().unwrap().ends_with("/api/v1"));
    assert!(ready["admin"].as_str().unwrap().ends_with("/_emulator"));
    assert!(ready["storage"]
        .as_str()
        .unwrap()
        .starts_with("https://127.0.0.1:"));
    let pem = std::fs::read_to_string(&cert).unwrap();
    assert!(std::fs::read_to_string(&key)
        .unwrap()
        .contains("PRIVATE KEY"));

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let api = Client::tls(url_addr(ready["api"].as_str().unwrap()), &pem, "localhost");
        let (status, env) = create(&api, "agent_tiny", BOB, "{}").await;
        assert_eq!(status, 201, "{env}");
        assert_eq!(env["session"]["agent_name"], "Tiny");
        // The defaults are still there.
        assert_eq!(create(&api, "agent_pro", ADA, "{}").await.0, 201);
    });
    signal(&child, libc::SIGTERM);
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn binary_honours_ports_and_sigint_and_rejects_bad_arguments() {
    let (api_port, stream_port, storage_port) = (free_port(), free_port(), free_port());
    let mut child = Command::new(bin())
        .args(["--api-port", &api_port.to_string()])
        .args(["--stream-port", &stream_port.to_string()])
        .args(["--storage-port", &storage_port.to_string()])
        .args([
            "--host",
            "127.0.0.1",
            "--keepalive-ms",
            "100",
            "--run-delay-ms",
            "10",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(
        line.trim_end(),
        format!(
            r#"{{"api":"http://127.0.0.1:{api_port}/api/v1","stream":"http://127.0.0.1:{stream_port}/api/v1","admin":"http://127.0.0.1:{api_port}/_emulator","storage":"http://127.0.0.1:{storage_port}"}}"#
        )
    );
    signal(&child, libc::SIGINT);
    assert!(child.wait().unwrap().success());

    for args in [
        vec!["--bogus"],
        vec!["--api-port"],
        vec!["--api-port", "x"],
        vec!["--tls-cert-out", "/tmp/x.pem"],
        vec!["--fixtures", "/nonexistent/fixtures.json"],
    ] {
        let out = Command::new(bin()).args(&args).output().unwrap();
        assert!(!out.status.success(), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn with_emulator_script_exports_urls_and_passes_the_status_through() {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/with-emulator.sh");
    let out = Command::new("bash")
        .arg(&script)
        .args([
            "bash",
            "-c",
            "curl_free_check() { [[ $1 == http://127.0.0.1:* ]]; }; \
             curl_free_check \"$GUMLOOP_BASE_URL\" && curl_free_check \"$GUMLOOP_STREAM_BASE_URL\" \
             && curl_free_check \"$GUMLOOP_EMULATOR_STORAGE\" \
             && echo \"$GUMLOOP_EMULATOR_ADMIN\" && exit 7",
        ])
        .env("GUMLOOP_EMULATOR_BIN", bin())
        .env("GUMLOOP_EMULATOR_ARGS", "--run-delay-ms 5")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let admin = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(admin.ends_with("/_emulator"), "{admin}");
    // The emulator is gone afterwards.
    assert!(std::net::TcpStream::connect(url_addr(&admin)).is_err());

    let out = Command::new("bash")
        .arg(&script)
        .arg("true")
        .env("GUMLOOP_EMULATOR_BIN", "/nonexistent/emulator")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no emulator binary"));
}
