//! The client handle: create, use from any number of threads, free; and the create call.

use super::args::{optional, out_param};
use super::cancel::gumloop_cancel_token;
use super::codes::gumloop_code;
use super::guard::{call, guard};
use super::handle::{shared, ArcHandle};
use crate::cancel::CancelToken;
use crate::client::Client;
use crate::operations::{Json, TypedOperation};
use crate::runtime::local::run_here;
use std::ffi::c_char;
use std::future::Future;
use std::ptr;
use std::sync::Arc;

/// A Gumloop API client: its configuration and its connection pool.
///
/// Opaque. Create it with `gumloop_client_new`, free it with `gumloop_client_free`. It is
/// immutable once created and safe to use from any number of threads at once; every call takes a
/// `const gumloop_client *`. Free it only after every call using it has returned.
#[allow(non_camel_case_types)]
pub struct gumloop_client {
    _opaque: [u8; 0],
}

impl ArcHandle for gumloop_client {
    type Target = Client;
}

/// Creates a client from `options_json`, a JSON object (NULL means `{}`).
///
/// Options (all optional; an unknown key is an error, so a typo never passes silently):
/// `access_token` (or `api_key`), `user_id` (sent as `x-auth-key`), `team_id` (sent as the
/// `team_id` query parameter of REST requests, as the official SDK sends it: not when the call
/// names its own, and not to the streaming host), `base_url`, `stream_base_url`, `timeout_ms` (whole request,
/// default 90000), `connect_timeout_ms` (default 30000), `stream_idle_timeout_ms` (default
/// 3600000), `ca_cert_pem` (PEM text) and `ca_cert_path` (a PEM file), trusted in addition to the
/// system's roots, `proxy` (URL), `user_agent_suffix`, `max_response_bytes` (default 16 MiB, at most 1 GiB),
/// `max_upload_bytes` (default 200 MiB: a larger `gumloop_client_upload_file` is refused before
/// sending), `allow_insecure_http` (plain `http://` is otherwise allowed only for loopback hosts),
/// `extra_headers` (an object of header names to string values; the headers the library or HTTP
/// owns are refused: `authorization`, `x-auth-key`, `idempotency-key`, `accept`, `content-type`,
/// `content-length`, `content-encoding`, `transfer-encoding`, `expect`, `upgrade`, `te`,
/// `trailer`, `connection`, `keep-alive`, `host`, `user-agent` and every `proxy-*`),
/// `use_env_proxy` (default true; see below), `max_retries` (0–10, default
/// 2; 0 turns retries off), `max_backoff_ms` (default 8000: the longest wait between attempts,
/// and the longest `Retry-After` honoured), `auto_session_id` (default false; see
/// `gumloop_client_create_session`).
///
/// Retries are made only where they are safe: a connection that failed before the request was
/// sent, HTTP 429 and 503 (honouring `Retry-After`), and for reads also other 5xx statuses,
/// time-outs and lost connections, with exponential backoff and jitter. A POST that may have
/// reached the server is never repeated blindly. Error documents say how many `attempts` were
/// made.
///
/// Proxies: an explicit `proxy` applies to every request. Otherwise the environment's are used,
/// read when the client is created, by libcurl's rule: `http_proxy` (lowercase only) for
/// `http://` URLs, `HTTPS_PROXY` or `https_proxy` for `https://` URLs, `ALL_PROXY` or
/// `all_proxy` for either, hosts listed in `NO_PROXY`/`no_proxy` (and their subdomains; `*` for
/// all) go direct, and loopback hosts never go through an environment proxy. A proxy sees the
/// request, credentials included, unless the URL is `https://`. `use_env_proxy: false` ignores
/// the environment.
///
/// Redirects are followed only within the origin of the first request, at most 5: a GET
/// follows 301, 302, 303, 307 and 308; any other method follows only 307 and 308 (same method
/// and body), and a 301, 302 or 303, which would turn it into a GET, fails with
/// `GUMLOOP_ERR_REDIRECT`.
///
/// Omitted options come from the environment, as the official SDK reads it:
/// `GUMLOOP_ACCESS_TOKEN` (read again on every request so a rotated token is picked up), then
/// `GUMLOOP_API_KEY` (as the SDK's command-line tool reads it), `GUMLOOP_USER_ID`,
/// `GUMLOOP_TEAM_ID`, `GUMLOOP_BASE_URL` (default `https://api.gumloop.com/api/v1`),
/// `GUMLOOP_STREAM_BASE_URL` (when unset, derived as the SDK derives it: `api.gumloop.com`
/// streams from `ws.gumloop.com`, `localhost:8080` from `localhost:9093`, any other base from
/// itself).
///
/// Threads: the library runs one runtime per process, with `GUMLOOP_WORKER_THREADS` worker
/// threads (read when the first call starts it; 1 to 64, default one per four cores, 1 to 4). A
/// call runs on a worker while the calling thread sleeps; a streaming call's events come back to
/// the calling thread, where its callback is invoked (at most 1 MiB of events waits for a slow
/// callback). An invalid `GUMLOOP_WORKER_THREADS` makes calls fail with
/// `GUMLOOP_ERR_INVALID_OPTION`. The library's threads, which write every socket it uses, block
/// SIGPIPE in their own signal mask: a write to a closed connection fails with `EPIPE` and never
/// kills the host; the process's disposition and the host's handlers are left alone.
///
/// On `GUMLOOP_OK`, `*out_client` is the new client and `*out_json` is NULL. Otherwise
/// `*out_client` is NULL and `*out_json` is an error document; free it with
/// `gumloop_string_free`. Both out-parameters are required.
///
/// # Safety
/// `options_json` must be NULL or a NUL-terminated string; `out_client` and `out_json` must be
/// NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_new(
    options_json: *const c_char,
    out_client: *mut *mut gumloop_client,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: `out_json` and `out_client` are NULL or writable, `options_json` NULL or a
    // NUL-terminated string, by the caller's contract.
    unsafe {
        let out_client = out_param!(out_client, ptr::null_mut());
        call(out_json, || {
            let out_client = out_client?;
            let client = Client::new(optional!(options_json)?)?;
            *out_client = gumloop_client::into_raw(client);
            Ok(())
        })
    }
}

/// Frees a client. NULL is accepted and ignored.
///
/// # Safety
/// `client` must be NULL or a client from `gumloop_client_new` that was not freed yet, and no
/// call may be using it.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_free(client: *mut gumloop_client) {
    // SAFETY: NULL or not yet freed, by the caller's contract.
    guard(|| unsafe { gumloop_client::free(client) })
}

/// Runs one call of the client behind `client` and writes its outcome to `*out_json`: `op`
/// checks the call's other arguments and returns the call, given the client and the token behind
/// `cancel`, both owned; the call then runs on this thread, on a runtime of its own for the
/// call (`runtime::local::run_here`).
///
/// # Safety
/// `client` and `cancel` must be NULL or live handles; `out_json` NULL or valid for writing one
/// pointer.
pub(crate) unsafe fn call_client<F>(
    client: *const gumloop_client,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
    op: impl FnOnce(Arc<Client>, Option<Arc<CancelToken>>) -> crate::Result<F>,
) -> gumloop_code
where
    F: Future<Output = crate::Result<String>> + Send + 'static,
{
    // SAFETY: every pointer is used under the caller's contract.
    unsafe {
        call(out_json, || {
            let client = shared!(client)?;
            let call = op(client, gumloop_cancel_token::share(cancel))?;
            run_here(call)?
        })
    }
}

/// Runs the JSON operation `build` makes (from the C parameters) on the client behind `client`,
/// as `call_client` does: the operation is typed, so a stream or bytes operation does not
/// compile here.
///
/// # Safety
/// As for `call_client`.
pub(crate) unsafe fn run_operation<O>(
    client: *const gumloop_client,
    cancel: *const gumloop_cancel_token,
    out_json: *mut *mut c_char,
    build: impl FnOnce() -> crate::Result<O>,
) -> gumloop_code
where
    O: TypedOperation<Answer = Json>,
{
    // SAFETY: forwarded under the caller's contract.
    unsafe {
        call_client(client, cancel, out_json, |c, token| {
            Ok(build()?.prepare()?(c, token))
        })
    }
}
