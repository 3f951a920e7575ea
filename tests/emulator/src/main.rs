//! `gumloop-emulator`: runs the emulator until SIGTERM or SIGINT.
//!
//! ```text
//! gumloop-emulator [--api-port N] [--stream-port N] [--storage-port N] [--host 127.0.0.1]
//!                  [--fixtures FILE.json] [--tls-cert-out PATH --tls-key-out PATH]
//!                  [--keepalive-ms N] [--run-delay-ms N] [--oauth-token-ttl-ms N]
//! ```
//! When ready it prints one JSON line on stdout:
//! `{"api":"http://127.0.0.1:P/api/v1","stream":"http://127.0.0.1:Q/api/v1","admin":"http://127.0.0.1:P/_emulator","storage":"http://127.0.0.1:R"}`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use gumloop_emulator::{start, Config, Fixtures, TlsFiles};

const USAGE: &str = "usage: gumloop-emulator [--api-port N] [--stream-port N] [--storage-port N] [--host 127.0.0.1] \
[--fixtures FILE.json] [--tls-cert-out PATH --tls-key-out PATH] [--keepalive-ms N] [--run-delay-ms N] \
[--oauth-token-ttl-ms N]";

fn parse_args(args: Vec<String>) -> Result<Config, String> {
    let mut config = Config::default();
    let mut fixtures_path: Option<PathBuf> = None;
    let mut cert_out: Option<PathBuf> = None;
    let mut key_out: Option<PathBuf> = None;
    let mut keepalive: Option<u64> = None;
    let mut run_delay: Option<u64> = None;
    let mut oauth_ttl: Option<u64> = None;
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        if flag == "--help" || flag == "-h" {
            return Err(String::new());
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        let number = |v: String| {
            v.parse::<u64>()
                .map_err(|_| format!("{flag} needs a number, got {v}"))
        };
        match flag.as_str() {
            "--api-port" => config.api_port = number(value()?)? as u16,
            "--stream-port" => config.stream_port = number(value()?)? as u16,
            "--storage-port" => config.storage_port = number(value()?)? as u16,
            "--host" => config.host = value()?,
            "--fixtures" => fixtures_path = Some(PathBuf::from(value()?)),
            "--tls-cert-out" => cert_out = Some(PathBuf::from(value()?)),
            "--tls-key-out" => key_out = Some(PathBuf::from(value()?)),
            "--keepalive-ms" => keepalive = Some(number(value()?)?),
            "--run-delay-ms" => run_delay = Some(number(value()?)?),
            "--oauth-token-ttl-ms" => oauth_ttl = Some(number(value()?)?),
            _ => return Err(format!("unknown argument {arg}")),
        }
    }
    if let Some(path) = fixtures_path {
        config.fixtures = Fixtures::from_file(&path)?;
    }
    if let Some(ms) = keepalive {
        config.fixtures.keepalive_ms = ms;
    }
    if let Some(ms) = run_delay {
        config.fixtures.run_delay_ms = ms;
    }
    if let Some(ms) = oauth_ttl {
        config.fixtures.oauth_token_ttl_ms = ms;
    }
    config.tls = match (cert_out, key_out) {
        (Some(cert_out), Some(key_out)) => Some(TlsFiles { cert_out, key_out }),
        (None, None) => None,
        _ => return Err("--tls-cert-out and --tls-key-out go together".to_string()),
    };
    Ok(config)
}

/// Waits for SIGTERM or SIGINT. The handlers are installed when this is called, so call
/// it before announcing readiness (a signal sent right after the ready line must not kill
/// the process with the default action).
fn signals() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let config = match parse_args(std::env::args().skip(1).collect()) {
        Ok(c) => c,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("gumloop-emulator: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let stop = match signals() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("gumloop-emulator: cannot install signal handlers: {e}");
            return ExitCode::FAILURE;
        }
    };
    let emulator = match start(config).await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("gumloop-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", emulator.ready_line());
        let _ = out.flush();
    }
    stop.await;
    emulator.shutdown();
    // Open streams would keep the runtime busy; nothing needs to be flushed.
    std::process::exit(0);
}
