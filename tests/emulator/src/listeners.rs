//! The three listeners (api, stream, storage), the accept loops, connection accounting and shutdown.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

use crate::app_state::{App, Listener};
use crate::body::BoxError;
use crate::config::Config;
use crate::dispatch::serve;
use crate::tls;

/// A running emulator. Dropping it (or calling [`RunningEmulator::shutdown`]) stops the
/// listeners; connections already open finish on their own.
pub struct RunningEmulator {
    /// Base URL of the REST host, e.g. `http://127.0.0.1:41234/api/v1`.
    pub api_url: String,
    /// Base URL of the streaming host.
    pub stream_url: String,
    /// Base URL of the admin API, e.g. `http://127.0.0.1:41234/_emulator`.
    pub admin_url: String,
    /// Base URL of the storage host, e.g. `http://127.0.0.1:41236` (artifact downloads).
    pub storage_url: String,
    /// Bound address of the api listener.
    pub api_addr: SocketAddr,
    /// Bound address of the stream listener.
    pub stream_addr: SocketAddr,
    /// Bound address of the storage listener.
    pub storage_addr: SocketAddr,
    /// The certificate (PEM) in TLS mode.
    pub cert_pem: Option<String>,
    shutdown: watch::Sender<bool>,
}

impl RunningEmulator {
    /// The one-line JSON document printed when the emulator is ready.
    pub fn ready_line(&self) -> String {
        let q = |s: &str| serde_json::Value::String(s.to_string()).to_string();
        format!(
            "{{\"api\":{},\"stream\":{},\"admin\":{},\"storage\":{}}}",
            q(&self.api_url),
            q(&self.stream_url),
            q(&self.admin_url),
            q(&self.storage_url)
        )
    }

    /// Stops accepting connections.
    pub fn shutdown(&self) {
        let _ = self.shutdown.send(true);
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn bind(host: &str, port: u16) -> Result<TcpListener, BoxError> {
    let ip: std::net::IpAddr = if host == "localhost" {
        [127, 0, 0, 1].into()
    } else {
        host.parse()
            .map_err(|_| format!("--host must be an IP address, got {host}"))?
    };
    let addr = SocketAddr::new(ip, port);
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    Ok(socket.listen(4096)?)
}

fn base(scheme: &str, addr: SocketAddr) -> String {
    match addr {
        SocketAddr::V4(a) => format!("{scheme}://{}:{}", a.ip(), a.port()),
        SocketAddr::V6(a) => format!("{scheme}://[{}]:{}", a.ip(), a.port()),
    }
}

/// Binds the listeners, writes the TLS files if asked, and starts serving.
pub async fn start(config: Config) -> Result<RunningEmulator, BoxError> {
    config.fixtures.validate()?;
    let api = bind(&config.host, config.api_port)?;
    let stream = bind(&config.host, config.stream_port)?;
    let storage = bind(&config.host, config.storage_port)?;
    let tls = if config.tls.is_some() || config.tls_in_memory {
        let tls = tls::generate(&config.host)?;
        if let Some(files) = &config.tls {
            std::fs::write(&files.cert_out, &tls.cert_pem)
                .map_err(|e| format!("cannot write {}: {e}", files.cert_out.display()))?;
            std::fs::write(&files.key_out, &tls.key_pem)
                .map_err(|e| format!("cannot write {}: {e}", files.key_out.display()))?;
        }
        Some(tls)
    } else {
        None
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let api_addr = api.local_addr()?;
    let stream_addr = stream.local_addr()?;
    let storage_addr = storage.local_addr()?;
    let api_url = format!("{}/api/v1", base(scheme, api_addr));
    let stream_url = format!("{}/api/v1", base(scheme, stream_addr));
    let admin_url = format!("{}/_emulator", base(scheme, api_addr));
    let storage_url = base(scheme, storage_addr);
    let app = App::new(
        config.fixtures,
        api_url.clone(),
        stream_url.clone(),
        storage_url.clone(),
    )
    .map_err(|_| "no randomness for the URL signing key")?;
    let (shutdown, stop) = watch::channel(false);
    let acceptor = tls.as_ref().map(|t| t.acceptor.clone());
    tokio::spawn(accept_loop(
        api,
        Listener::Api,
        app.clone(),
        acceptor.clone(),
        stop.clone(),
    ));
    tokio::spawn(accept_loop(
        stream,
        Listener::Stream,
        app.clone(),
        acceptor.clone(),
        stop.clone(),
    ));
    tokio::spawn(accept_loop(storage, Listener::Storage, app, acceptor, stop));
    Ok(RunningEmulator {
        api_url,
        stream_url,
        admin_url,
        storage_url,
        api_addr,
        stream_addr,
        storage_addr,
        cert_pem: tls.map(|t| t.cert_pem),
        shutdown,
    })
}

async fn accept_loop(
    listener: TcpListener,
    kind: Listener,
    app: Arc<App>,
    tls: Option<TlsAcceptor>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() {
                    return;
                }
            }
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => {
                    let _ = tcp.set_nodelay(true);
                    app.stats.connections_open.fetch_add(1, Ordering::Relaxed);
                    app.stats.connections_total.fetch_add(1, Ordering::Relaxed);
                    tokio::spawn(connection(tcp, kind, app.clone(), tls.clone()));
                }
                // Out of file descriptors or a connection reset before accept: wait a
                // moment and go on.
                Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
            },
        }
    }
}

/// Decrements the open-connection gauge when a connection ends, however it ends.
struct OpenGuard(Arc<App>);

impl Drop for OpenGuard {
    fn drop(&mut self) {
        self.0
            .stats
            .connections_open
            .fetch_sub(1, Ordering::Relaxed);
    }
}

async fn connection(tcp: TcpStream, kind: Listener, app: Arc<App>, tls: Option<TlsAcceptor>) {
    let _guard = OpenGuard(app.clone());
    let svc = service_fn(move |req| serve(app.clone(), kind, req));
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).keep_alive(true);
    match tls {
        None => {
            let _ = builder.serve_connection(TokioIo::new(tcp), svc).await;
        }
        Some(acceptor) => {
            if let Ok(stream) = acceptor.accept(tcp).await {
                let _ = builder.serve_connection(TokioIo::new(stream), svc).await;
            }
        }
    }
}
