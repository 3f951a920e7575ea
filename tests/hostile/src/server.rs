//! The listener, the reading of request heads, and the running of scripts.

use crate::script::Step;
use crate::{IO_TIMEOUT, MAX_BODY_BYTES, MAX_HEAD_BYTES, MAX_HOLD};
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How often the accept loop looks at the stop flag.
const POLL: Duration = Duration::from_millis(5);

/// One request as the server read it.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// Its number among the requests this server read, from 0.
    pub index: usize,
    /// The method.
    pub method: String,
    /// The request target as sent: a path with its query, or an absolute URL (to a proxy).
    pub target: String,
    /// The headers, in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body, when the script read it ([`Step::ReadBody`]).
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// How many times header `name` (any case) was sent.
    pub fn header_count(&self, name: &str) -> usize {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .count()
    }

    /// The value of query parameter `name` in the target, as sent (not decoded).
    pub fn query(&self, name: &str) -> Option<&str> {
        let query = self.target.split_once('?')?.1;
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }
}

type Handler = dyn Fn(&Request) -> Vec<Step> + Send + Sync;

struct Shared {
    handler: Box<Handler>,
    requests: Mutex<Vec<Request>>,
    stop: AtomicBool,
}

/// A running hostile server; stopped when dropped.
pub struct HostileServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl HostileServer {
    /// Starts a server on 127.0.0.1 whose `handler` gives the script for each request.
    pub fn start<F>(handler: F) -> HostileServer
    where
        F: Fn(&Request) -> Vec<Step> + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared {
            handler: Box::new(handler),
            requests: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
        });
        let accept = {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || accept_loop(&listener, &shared))
        };
        HostileServer {
            addr,
            shared,
            accept: Some(accept),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address listened on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The requests read so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.shared
            .requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    while !shared.stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let shared = Arc::clone(shared);
                std::thread::spawn(move || serve(stream, &shared));
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => std::thread::sleep(POLL),
            Err(_) => std::thread::sleep(POLL),
        }
    }
}

/// Reads one request head; `None` when the client closed or sent something that is not one.
fn read_head(stream: &mut TcpStream) -> Option<(Request, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_HEAD_BYTES {
            return None;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let rest = buf[end + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let request = Request {
        index: 0,
        method,
        target,
        headers,
        body: Vec::new(),
    };
    Some((request, rest))
}

fn read_body(stream: &mut TcpStream, request: &mut Request, mut already: Vec<u8>) {
    let length = request
        .header("content-length")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_BODY_BYTES);
    let mut chunk = [0u8; 65536];
    while already.len() < length {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => already.extend_from_slice(&chunk[..n]),
        }
    }
    already.truncate(length);
    request.body = already;
}

fn serve(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let Some((mut request, rest)) = read_head(&mut stream) else {
        return;
    };
    let mut rest = Some(rest);
    let steps = {
        let mut log = shared.requests.lock().unwrap_or_else(|p| p.into_inner());
        request.index = log.len();
        log.push(request.clone());
        drop(log);
        (shared.handler)(&request)
    };
    for step in steps {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let ok = match step {
            Step::ReadBody => {
                read_body(&mut stream, &mut request, rest.take().unwrap_or_default());
                let mut log = shared.requests.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(entry) = log.get_mut(request.index) {
                    entry.body = request.body.clone();
                }
                true
            }
            Step::Write(bytes) => stream.write_all(&bytes).is_ok(),
            Step::Trickle {
                bytes,
                chunk,
                pause,
            } => bytes.chunks(chunk.max(1)).all(|piece| {
                let sent = stream.write_all(piece).is_ok();
                std::thread::sleep(pause);
                sent && !shared.stop.load(Ordering::SeqCst)
            }),
            Step::Repeat { line, count } => {
                let per_write = (65536 / line.len().max(1)).max(1);
                let block = line.repeat(per_write);
                let mut left = count;
                let mut sent = true;
                while left > 0 && sent {
                    let n = left.min(per_write);
                    sent = stream.write_all(&block[..n * line.len()]).is_ok();
                    left -= n;
                }
                sent
            }
            Step::Pause(time) => {
                std::thread::sleep(time);
                true
            }
            Step::Hold(time) => {
                hold(&mut stream, time.min(MAX_HOLD), shared);
                true
            }
            Step::ShutdownWrite => stream.shutdown(Shutdown::Write).is_ok(),
            Step::Close => return,
        };
        if !ok {
            return;
        }
    }
}

/// Waits until the client closes, the time passes, or the server stops; what the client sends
/// meanwhile is read and dropped.
fn hold(stream: &mut TcpStream, time: Duration, shared: &Shared) {
    let until = Instant::now() + time;
    let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
    let mut sink = [0u8; 8192];
    while Instant::now() < until && !shared.stop.load(Ordering::SeqCst) {
        match stream.read(&mut sink) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return,
        }
    }
}
