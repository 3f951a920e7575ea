//! The TLS settings of a client, built once: its trusted roots (the system's store, read as
//! OpenSSL-based tools read it, and the client's own `ca_cert_pem`/`ca_cert_path`; nothing
//! compiled in) and ALPN.
//!
//! Reading the system's roots parses every certificate in the system's store (some 20 million
//! instructions); doing it once per client, and sharing the result with every connection pool
//! the client opens (one per runtime that runs its calls: see `runtime::local`), keeps that
//! cost out of the first call of each thread.

use crate::error::{Error, ErrorKind, Result};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;
use std::sync::Arc;

/// The rustls configuration every pool of a client uses.
pub(crate) fn client_config(extra_roots_pem: &[Vec<u8>]) -> Result<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    // Unreadable or unparsable system certificates are skipped, as the HTTP client does.
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    for pem in extra_roots_pem {
        let certs = CertificateDer::pem_slice_iter(pem)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| {
                Error::invalid_option("ca_cert_pem", format!("bad CA certificate: {e}"))
            })?;
        for cert in certs {
            roots.add(cert).map_err(|e| {
                Error::invalid_option("ca_cert_pem", format!("bad CA certificate: {e}"))
            })?;
        }
    }
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(rustls::ALL_VERSIONS)
        .map_err(|e| Error::new(ErrorKind::Internal, format!("cannot set up TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}
