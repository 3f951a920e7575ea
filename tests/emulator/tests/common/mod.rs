//! A small HTTP/1.1 client over raw sockets (plain or TLS) for the emulator's tests, so
//! that every byte the emulator sends (or fails to send) can be checked.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use gumloop_emulator::{start, Config, Fixtures, RunningEmulator};
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;

/// Personal key of Ada.
pub const ADA: &[(&str, &str)] = &[
    ("authorization", "Bearer gk_personal_ada"),
    ("x-auth-key", "user_ada"),
];
/// Personal key of Bob.
pub const BOB: &[(&str, &str)] = &[
    ("authorization", "Bearer gk_personal_bob"),
    ("x-auth-key", "user_bob"),
];
/// OAuth token of Ada.
pub const ADA_OAUTH: &[(&str, &str)] = &[("authorization", "Bearer gt_oauth_ada")];

/// Longest any single read in a test may wait before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(20);

pub trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// The emulator under test plus clients for its hosts.
pub struct Emu {
    pub running: RunningEmulator,
    pub api: Client,
    pub stream: Client,
    pub storage: Client,
}

/// Starts an emulator with the default fixtures.
pub async fn emu() -> Emu {
    emu_with(Fixtures::default()).await
}

/// Starts an emulator with the given fixtures.
pub async fn emu_with(fixtures: Fixtures) -> Emu {
    let running = start(Config {
        fixtures,
        ..Config::default()
    })
    .await
    .expect("emulator starts");
    Emu {
        api: Client::plain(running.api_addr),
        stream: Client::plain(running.stream_addr),
        storage: Client::plain(running.storage_addr),
        running,
    }
}

/// Fixtures from a JSON text merged over the defaults.
pub fn fixtures(json: &str) -> Fixtures {
    Fixtures::from_json(json).expect("valid fixtures")
}

/// A parsed response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Splits raw bytes into status line + headers and the rest.
type Headers = Vec<(String, String)>;

fn parse_head(raw: &[u8]) -> Result<(u16, Headers, usize), String> {
    let end = find(raw, b"\r\n\r\n").ok_or("no complete response head")?;
    let head = std::str::from_utf8(&raw[..end]).map_err(|e| e.to_string())?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().ok_or("empty head")?;
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line}"))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Ok((status, headers, end + 4))
}

/// Decodes a chunked body; `Ok((data, complete))`, complete when the last chunk was seen.
fn dechunk(mut raw: &[u8]) -> (Vec<u8>, bool, usize) {
    let mut out = Vec::new();
    let mut used = 0;
    loop {
        let Some(line_end) = find(raw, b"\r\n") else {
            return (out, false, used);
        };
        let size_text = String::from_utf8_lossy(&raw[..line_end]);
        let Ok(size) = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
        else {
            return (out, false, used);
        };
        if size == 0 {
            let complete = raw.len() >= line_end + 4;
            return (out, complete, used + line_end + 4);
        }
        let start = line_end + 2;
        if raw.len() < start + size + 2 {
            return (out, false, used);
        }
        out.extend_from_slice(&raw[start..start + size]);
        raw = &raw[start + size + 2..];
        used += start + size + 2;
    }
}

/// Parses a complete response read until EOF; an error when it is cut short.
pub fn parse_response(raw: &[u8]) -> Result<Resp, String> {
    let (status, headers, body_start) = parse_head(raw)?;
    let rest = &raw[body_start..];
    let get = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let body = if get("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        let (data, complete, _) = dechunk(rest);
        if !complete {
            return Err("chunked body cut short".into());
        }
        data
    } else if let Some(len) = get("content-length") {
        let len: usize = len.parse().map_err(|_| "bad content-length")?;
        if rest.len() < len {
            return Err(format!("body cut short: {} of {len} bytes", rest.len()));
        }
        rest[..len].to_vec()
    } else {
        rest.to_vec()
    };
    Ok(Resp {
        status,
        headers,
        body,
    })
}

/// Connects to one listener, plain or TLS.
#[derive(Clone)]
pub struct Client {
    pub addr: SocketAddr,
    tls: Option<(TlsConnector, ServerName<'static>)>,
}

/// Encodes one request with `Connection: close` (unless `keep_alive`).
pub fn encode(
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
    keep_alive: bool,
) -> Vec<u8> {
    let mut out = format!("{method} {path} HTTP/1.1\r\nhost: emulator.test\r\n");
    if !keep_alive {
        out.push_str("connection: close\r\n");
    }
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(b) = body {
        out.push_str(&format!(
            "content-type: application/json\r\ncontent-length: {}\r\n",
            b.len()
        ));
    }
    out.push_str("\r\n");
    if let Some(b) = body {
        out.push_str(b);
    }
    out.into_bytes()
}

impl Client {
    pub fn plain(addr: SocketAddr) -> Client {
        Client { addr, tls: None }
    }

    /// A TLS client that trusts only `cert_pem` and checks the name `server_name`.
    pub fn tls(addr: SocketAddr, cert_pem: &str, server_name: &str) -> Client {
        let mut roots = RootCertStore::empty();
        for cert in CertificateDer::pem_slice_iter(cert_pem.as_bytes()) {
            roots.add(cert.expect("PEM cert")).expect("add root");
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        let name = ServerName::try_from(server_name.to_string()).expect("server name");
        Client {
            addr,
            tls: Some((TlsConnector::from(Arc::new(config)), name)),
        }
    }

    pub async fn connect(&self) -> Box<dyn Io> {
        let tcp = TcpStream::connect(self.addr).await.expect("connect");
        match &self.tls {
            None => Box::new(tcp),
            Some((connector, name)) => Box::new(
                connector
                    .connect(name.clone(), tcp)
                    .await
                    .expect("TLS handshake"),
            ),
        }
    }

    /// Sends raw bytes and reads until the server closes (a reset counts as a close).
    pub async fn raw(&self, request: &[u8]) -> Vec<u8> {
        let mut io = self.connect().await;
        io.write_all(request).await.expect("write request");
        let mut out = Vec::new();
        let mut buf = [0u8; 16 * 1024];
        loop {
            match tokio::time::timeout(PATIENCE, io.read(&mut buf)).await {
                Err(_) => panic!("no end of response within {PATIENCE:?}"),
                Ok(Ok(0)) | Ok(Err(_)) => return out,
                Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
            }
        }
    }

    /// One request on its own connection; panics unless a complete response comes.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Resp {
        let raw = self.raw(&encode(method, path, headers, body, false)).await;
        parse_response(&raw).unwrap_or_else(|e| {
            panic!(
                "{method} {path}: {e}; got {:?}",
                String::from_utf8_lossy(&raw)
            )
        })
    }

    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        self.request("GET", path, headers, None).await
    }

    pub async fn post(&self, path: &str, headers: &[(&str, &str)], body: &str) -> Resp {
        self.request("POST", path, headers, Some(body)).await
    }

    /// Opens an event stream (reads the response head).
    pub async fn sse(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Sse {
        let mut io = self.connect().await;
        io.write_all(&encode(method, path, headers, body, false))
            .await
            .expect("write request");
        let mut raw = Vec::new();
        let mut buf = [0u8; 16 * 1024];
        loop {
            if let Ok((status, headers, start)) = parse_head(&raw) {
                let chunked = headers
                    .iter()
                    .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
                let rest = raw[start..].to_vec();
                let mut sse = Sse {
                    io,
                    status,
                    headers,
                    chunked,
                    raw: rest,
                    text: String::new(),
                    body: Vec::new(),
                    complete: false,
                    eof: false,
                };
                sse.decode();
                return sse;
            }
            let n = tokio::time::timeout(PATIENCE, io.read(&mut buf))
                .await
                .expect("response head in time")
                .unwrap_or(0);
            assert!(n > 0, "connection closed before a response head: {raw:?}");
            raw.extend_from_slice(&buf[..n]);
        }
    }
}

/// One SSE frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    /// A `data:` frame, parsed.
    Event(Value),
    /// A comment-only frame (`: ping`).
    Comment(String),
}

/// An open event stream.
pub struct Sse {
    io: Box<dyn Io>,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    chunked: bool,
    raw: Vec<u8>,
    text: String,
    /// The whole body when it was not a stream (error responses).
    pub body: Vec<u8>,
    /// The body ended with its terminating chunk.
    pub complete: bool,
    /// The connection was closed.
    pub eof: bool,
}

impl Sse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn decode(&mut self) {
        if self.chunked {
            let (data, complete, used) = dechunk(&self.raw);
            self.raw.drain(..used);
            self.text.push_str(&String::from_utf8_lossy(&data));
            self.body.extend_from_slice(&data);
            self.complete |= complete;
        } else {
            self.text.push_str(&String::from_utf8_lossy(&self.raw));
            self.body.extend_from_slice(&self.raw);
            self.raw.clear();
        }
    }

    fn take_frame(&mut self) -> Option<Frame> {
        let end = self.text.find("\n\n")?;
        let block: String = self.text.drain(..end + 2).collect();
        let mut data = Vec::new();
        let mut comments = Vec::new();
        for line in block.lines() {
            if let Some(d) = line.strip_prefix("data:") {
                data.push(d.strip_prefix(' ').unwrap_or(d).to_string());
            } else if let Some(c) = line.strip_prefix(':') {
                comments.push(c.trim().to_string());
            }
        }
        if data.is_empty() {
            return Some(Frame::Comment(comments.join("\n")));
        }
        let json = data.join("\n");
        Some(Frame::Event(serde_json::from_str(&json).unwrap_or_else(
            |e| panic!("SSE data is not JSON ({e}): {json}"),
        )))
    }

    /// The next frame; `Ok(None)` once the stream ended; `Err` if nothing came in `wait`.
    pub async fn next_within(&mut self, wait: Duration) -> Result<Option<Frame>, ()> {
        let deadline = tokio::time::Instant::now() + wait;
        let mut buf = [0u8; 16 * 1024];
        loop {
            if let Some(f) = self.take_frame() {
                return Ok(Some(f));
            }
            if self.complete || self.eof {
                return Ok(None);
            }
            match tokio::time::timeout_at(deadline, self.io.read(&mut buf)).await {
                Err(_) => return Err(()),
                Ok(Ok(0)) | Ok(Err(_)) => self.eof = true,
                Ok(Ok(n)) => {
                    self.raw.extend_from_slice(&buf[..n]);
                    self.decode();
                }
            }
        }
    }

    /// The next frame; panics when nothing comes within [`PATIENCE`].
    pub async fn next(&mut self) -> Option<Frame> {
        self.next_within(PATIENCE)
            .await
            .expect("a frame or the end of the stream in time")
    }

    /// The next event, skipping comments.
    pub async fn next_event(&mut self) -> Option<Value> {
        loop {
            match self.next().await? {
                Frame::Event(v) => return Some(v),
                Frame::Comment(_) => continue,
            }
        }
    }

    /// All events until the stream ends.
    pub async fn rest(&mut self) -> Vec<Value> {
        let mut out = Vec::new();
        while let Some(ev) = self.next_event().await {
            out.push(ev);
        }
        out
    }
}

/// Polls a session until its state is one of `states`; returns the envelope.
pub async fn wait_state(
    client: &Client,
    id: &str,
    auth: &[(&str, &str)],
    states: &[&str],
) -> Value {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let resp = client.get(&format!("/api/v1/sessions/{id}"), auth).await;
        assert_eq!(resp.status, 200, "{}", resp.text());
        let env = resp.json();
        let state = env["session"]["state"].as_str().unwrap_or("").to_string();
        if states.contains(&state.as_str()) {
            return env;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "session {id} stayed {state}, wanted {states:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Creates a session on `agent` with the given JSON body; returns (status, envelope).
pub async fn create(
    client: &Client,
    agent: &str,
    auth: &[(&str, &str)],
    body: &str,
) -> (u16, Value) {
    let resp = client
        .post(&format!("/api/v1/agents/{agent}/sessions"), auth, body)
        .await;
    let status = resp.status;
    (status, resp.json())
}

/// Asserts the nested error envelope and returns `error`.
pub fn assert_error(resp: &Resp, status: u16, code: &str, kind: &str) -> Value {
    assert_eq!(resp.status, status, "{}", resp.text());
    let body = resp.json();
    let err = body["error"].clone();
    assert_eq!(err["code"], code, "{body}");
    assert_eq!(err["type"], kind, "{body}");
    assert!(
        err["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    let obj = err.as_object().expect("error object");
    for key in ["code", "message", "type", "param", "details"] {
        assert!(obj.contains_key(key), "missing error.{key}: {body}");
    }
    assert!(err["details"].is_object(), "{body}");
    err
}

/// Admin GET returning JSON.
pub async fn admin_get(emu: &Emu, path: &str) -> Value {
    let resp = emu.api.get(&format!("/_emulator{path}"), &[]).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    resp.json()
}

/// Arms a fault; panics unless it is accepted.
pub async fn arm(emu: &Emu, spec: &str) {
    let resp = emu.api.post("/_emulator/faults", &[], spec).await;
    assert_eq!(resp.status, 201, "{}", resp.text());
}

/// Creates an idle session of Ada's on `agent_pro`; returns its id.
pub async fn idle_session(emu: &Emu) -> String {
    let (status, env) = create(&emu.api, "agent_pro", ADA, "{}").await;
    assert_eq!(status, 201, "{env}");
    env["session"]["id"].as_str().unwrap().to_string()
}

/// Starts a run of Ada's on `agent` with `input`; returns its session id.
pub async fn run_session(emu: &Emu, agent: &str, input: &str) -> String {
    let body = serde_json::json!({ "input": input }).to_string();
    let (status, env) = create(&emu.api, agent, ADA, &body).await;
    assert_eq!(status, 202, "{env}");
    env["session"]["id"].as_str().unwrap().to_string()
}

/// Uploads `bytes` as `name` to a session (as Ada).
pub async fn upload(emu: &Emu, sid: &str, name: &str, bytes: &[u8]) -> Resp {
    use base64::Engine;
    let body = serde_json::json!({
        "file_name": name,
        "file_content": base64::engine::general_purpose::STANDARD.encode(bytes),
    })
    .to_string();
    emu.api
        .post(&format!("/api/v1/sessions/{sid}/files"), ADA, &body)
        .await
}

/// The last message of a session's transcript.
pub fn last_message(env: &Value) -> Value {
    env["session"]["messages"]
        .as_array()
        .and_then(|m| m.last())
        .cloned()
        .unwrap_or(Value::Null)
}
