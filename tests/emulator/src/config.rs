//! Start-up configuration of an emulator instance.

use std::path::PathBuf;

use crate::fixtures::Fixtures;

/// Where TLS mode writes the self-signed certificate and its private key (both PEM).
#[derive(Debug, Clone)]
pub struct TlsFiles {
    /// Path the certificate PEM is written to; clients trust this file.
    pub cert_out: PathBuf,
    /// Path the private key PEM is written to.
    pub key_out: PathBuf,
}

/// Everything [`crate::start`] needs to bring an emulator up.
#[derive(Debug, Clone)]
pub struct Config {
    /// Interface the listeners bind to; `127.0.0.1` by default.
    pub host: String,
    /// Port of the api listener (REST and `/_emulator`); 0 lets the OS choose.
    pub api_port: u16,
    /// Port of the stream listener (SSE host); 0 lets the OS choose.
    pub stream_port: u16,
    /// Port of the storage listener (artifact bytes at signed URLs); 0 lets the OS choose.
    pub storage_port: u16,
    /// Agents, credentials, teams and timings.
    pub fixtures: Fixtures,
    /// `Some` serves https with a fresh self-signed certificate written to these paths.
    pub tls: Option<TlsFiles>,
    /// `true` serves https with a fresh certificate that is written nowhere (in-process
    /// tests read [`crate::RunningEmulator::cert_pem`] instead). Implied when `tls` is set.
    pub tls_in_memory: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: "127.0.0.1".to_string(),
            api_port: 0,
            stream_port: 0,
            storage_port: 0,
            fixtures: Fixtures::default(),
            tls: None,
            tls_in_memory: false,
        }
    }
}
