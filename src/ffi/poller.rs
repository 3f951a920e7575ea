//! The poller: calls started without blocking, whose stream events and outcomes the caller's
//! own event loop collects through a file descriptor. Every operation of the client is started
//! by name with `gumloop_poller_start_call`, so a new operation needs no new function here; the
//! bytes of a bytes operation are taken with `gumloop_poller_take_bytes`.

use super::args::{null_argument, optional_str, out_param, required_str};
use super::bytes::bytes_into_c;
use super::client::gumloop_client;
use super::codes::{gumloop_code, GUMLOOP_ERR_NULL_ARGUMENT, GUMLOOP_OK};
use super::guard::{call, guard, outcome_to_c};
use super::handle::{shared, ArcHandle};
use super::strings::into_c;
use crate::args::Args;
use crate::context::RequestOptions;
use crate::error::{Error, ErrorKind, Result};
use crate::json::parse_object;
use crate::operations::prepare;
use crate::poller::{Item, Poller};
use std::ffi::{c_char, c_int};
use std::ptr;

/// Item kind: nothing is ready now.
pub const GUMLOOP_ITEM_NONE: u32 = 0;
/// Item kind: a stream event of call `*out_call_id`; `*out_json` is its JSON.
pub const GUMLOOP_ITEM_EVENT: u32 = 1;
/// Item kind: call `*out_call_id` ended; `*out_code` is its outcome and `*out_json` its result or
/// error document, exactly as the blocking function would have returned them. The ID is retired.
pub const GUMLOOP_ITEM_DONE: u32 = 2;

/// A set of calls in flight whose completions and stream events the caller's event loop collects.
///
/// Opaque. Create it with `gumloop_poller_new`, free it with `gumloop_poller_free`. Calls run as
/// tasks on the library's one runtime (no thread per call); the library's threads never call the
/// caller's code: the caller takes what is ready with `gumloop_poller_take_item` when the
/// poller's file descriptor is readable. Every poller function may be called from any thread,
/// including from inside the caller's event-loop callback, and none of them blocks. A poller is
/// usable only in the process that made it: in a child after `fork()` its functions fail with
/// `GUMLOOP_ERR_WRONG_THREAD` (make a new poller there).
#[allow(non_camel_case_types)]
pub struct gumloop_poller {
    _opaque: [u8; 0],
}

impl ArcHandle for gumloop_poller {
    type Target = Poller;
}

/// Borrows the poller behind a handle.
///
/// # Safety
/// `poller` must be NULL or a live poller.
unsafe fn poller_ref<'a>(poller: *const gumloop_poller) -> Result<&'a Poller> {
    // SAFETY: NULL or live by the caller's contract; the poller is only used behind its lock.
    unsafe { gumloop_poller::borrow(poller) }.ok_or_else(|| null_argument("poller"))
}

/// The error of a required out-parameter left NULL.
fn null_out(param: &str) -> Error {
    null_argument(param)
}

/// Creates a poller. `options_json` is NULL or a JSON object; it has no options yet, and an
/// unknown key is refused with `GUMLOOP_ERR_INVALID_OPTION` (as for clients).
///
/// On `GUMLOOP_OK`, `*out_poller` is the new poller and `*out_json` is NULL. Otherwise
/// `*out_poller` is NULL and `*out_json` an error document. Both out-parameters are required.
///
/// # Safety
/// `options_json` must be NULL or a NUL-terminated string; `out_poller` and `out_json` NULL or
/// valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_poller_new(
    options_json: *const c_char,
    out_poller: *mut *mut gumloop_poller,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: each out-parameter is checked for NULL before it is written, and writable by the
    // caller's contract; `options_json` is NULL or NUL-terminated by the same contract.
    unsafe {
        let out_poller = out_param!(out_poller, ptr::null_mut());
        call(out_json, || {
            let out_poller = out_poller?;
            let options = parse_object(optional_str(options_json, "options_json")?)
                .map_err(|e| Error::about(ErrorKind::InvalidOption, "options_json", e.message))?;
            if let Some(key) = options.keys().next() {
                return Err(Error::about(
                    ErrorKind::InvalidOption,
                    key.as_str(),
                    format!("unknown poller option `{key}`; a poller has no options yet"),
                ));
            }
            *out_poller = gumloop_poller::into_raw(Poller::new()?);
            Ok(())
        })
    }
}

/// Cancels every call still in flight (their connections close) and frees the poller; returns
/// without waiting for the network. NULL is ignored. Items not taken are discarded.
///
/// # Safety
/// `poller` must be NULL or a poller from `gumloop_poller_new` not freed yet, and no other
/// thread may be using it.
#[no_mangle]
pub unsafe extern "C" fn gumloop_poller_free(poller: *mut gumloop_poller) {
    // SAFETY: NULL or a poller not freed yet, by the caller's contract.
    guard(|| unsafe { gumloop_poller::free(poller) });
}

/// The read end of a non-blocking, close-on-exec `AF_UNIX` socket pair owned by the poller: it
/// is readable while items are ready.
///
/// Watch it with epoll, poll or select, asyncio's `add_reader`, libuv's `uv_poll`, Node's
/// `net.Socket({fd})` or Go's `os.NewFile`; when it is readable, call
/// `gumloop_poller_take_item` until it reports `GUMLOOP_ITEM_NONE`. The caller may read bytes
/// from it or not: readiness is only a hint, `gumloop_poller_take_item` is the truth (it drains
/// the socket when it finds nothing ready, so level- and edge-triggered watching both work).
/// Never close it. Returns -1 for NULL.
///
/// # Safety
/// `poller` must be NULL or a live poller.
#[no_mangle]
pub unsafe extern "C" fn gumloop_poller_get_fd(poller: *const gumloop_poller) -> c_int {
    // SAFETY: NULL or live by the caller's contract. A panic, like NULL, gives -1.
    guard(|| unsafe { poller_ref(poller) }.map(Poller::fd)).unwrap_or(-1)
}

/// Starts `operation` on `client` with `args_json` without blocking.
///
/// `operation` is the `name` of one of the operations `gumloop_description_get` lists (the
/// blocking function's name without `gumloop_client_`, e.g. `"get_session"`), and `args_json` a
/// JSON object of its `arguments` by name (the blocking function's parameter names without
/// `_json`), e.g.
/// `{"agent_id":"a","body":{"input":"hi"}}`, `{"agent_id":"a","query":{"page_size":5}}`,
/// `{"session_id":"s","options":{"timeout_ms":60000}}`, `{"session_id":"s","cursor":"c"}`. An
/// absent or `null` key is a NULL parameter; JSON values (`body`, `query`, `options`) are sent
/// byte for byte as written; an unknown key is refused. `data`/`data_len` carry raw bytes for
/// operations that take them (an argument of type `"bytes"`: a file upload), else NULL/0. A
/// bytes operation (`"result":"bytes"`, e.g. `download_artifact`) ends with its JSON document;
/// take its bytes with `gumloop_poller_take_bytes`.
///
/// The reserved key `"request_options"` (any operation) holds options of this call alone:
/// `{"extra_headers": {name: value}, "timeout_ms": N}`. `extra_headers` are checked as the client
/// option `extra_headers` is (the headers the library or HTTP owns are refused) and are added to
/// each of the call's requests, replacing a client-wide extra header of the same name (e.g. a
/// `traceparent` per call); `timeout_ms` is the whole-request time limit of each of the call's
/// requests instead of the client's (not for streams, which have none). What the call's requests
/// saw is taken after its end with `gumloop_poller_take_call_info`.
///
/// Everything is checked before anything is sent, as the blocking function checks it (the
/// operation, the arguments, the body's fields, the credentials): on a bad argument this returns
/// that code and error document (`param` names the argument) and starts nothing. On `GUMLOOP_OK`,
/// `*out_call_id` is the call's ID (never 0) and `*out_json` is NULL; the call then runs as a
/// task on the library's runtime, a stream's events and the call's end arriving as items (see
/// `gumloop_poller_take_item`). A stream holds at most 1 MiB of events not yet taken: a caller
/// that does not take them holds the stream back. The call uses `client` while it runs: free the
/// client only after its last call has ended (its `GUMLOOP_ITEM_DONE` was taken) or the poller
/// was freed.
///
/// Never blocks; callable from any thread, including from inside the caller's event-loop
/// callback.
///
/// # Safety
/// `poller` and `client` must be NULL or live handles; `operation` and `args_json` NULL or
/// NUL-terminated strings; `data` NULL or valid for reading `data_len` bytes; `out_call_id` and
/// `out_json` NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn gumloop_poller_start_call(
    poller: *mut gumloop_poller,
    client: *const gumloop_client,
    operation: *const c_char,
    args_json: *const c_char,
    data: *const u8,
    data_len: usize,
    out_call_id: *mut u64,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: each pointer is checked for NULL before use and valid by the caller's contract.
    unsafe {
        let out_call_id = out_param!(out_call_id, 0);
        call(out_json, || {
            let out_call_id = out_call_id?;
            let poller = poller_ref(poller)?;
            let client = shared!(client)?;
            let name = required_str(operation, "operation")?;
            // An upload over the cap is refused from its length, before its bytes are copied.
            client.check_upload_size(data_len)?;
            let bytes = match (data.is_null(), data_len) {
                (true, 0) => None,
                (true, _) => return Err(null_out("data")),
                (false, len) => Some(std::slice::from_raw_parts(data, len).to_vec()),
            };
            let mut args = Args::parse(optional_str(args_json, "args_json")?)?.with_data(bytes);
            let options = RequestOptions::take(&mut args)?;
            let prepared = prepare(name, args)?;
            *out_call_id = poller.start_with(client, prepared, options)?;
            Ok(())
        })
    }
}

/// Cancels call `call_id`: its task stops and its connection closes at once, and it ends with a
/// `GUMLOOP_ITEM_DONE` item whose code is `GUMLOOP_ERR_CANCELLED` (a stream's error document
/// then has the `stream` summary of the events queued before it), unless it had ended already
/// (its own `GUMLOOP_ITEM_DONE` is then still to be taken, and this does nothing). An unknown or
/// retired ID (its `GUMLOOP_ITEM_DONE` was taken): `GUMLOOP_ERR_INVALID_ARGUMENT`.
///
/// On `GUMLOOP_OK`, `*out_json` is NULL; otherwise an error document. Never blocks.
///
/// # Safety
/// `poller` must be NULL or a live poller; `out_json` NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_poller_cancel_call(
    poller: *mut gumloop_poller,
    call_id: u64,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: NULL or live by the caller's contract.
    unsafe { call(out_json, || poller_ref(poller)?.cancel(call_id)) }
}

/// Takes one ready item without blocking.
///
/// Returns `GUMLOOP_OK` with `*out_kind` one of:
/// - `GUMLOOP_ITEM_NONE`: nothing is ready now (`*out_call_id` 0, `*out_json` NULL);
/// - `GUMLOOP_ITEM_EVENT`: a stream event of call `*out_call_id`; `*out_json` is its JSON;
/// - `GUMLOOP_ITEM_DONE`: call `*out_call_id` ended; `*out_code` is its outcome and `*out_json`
///   its result or error document, exactly as the blocking function would have returned them.
///   The ID is retired.
///
/// `*out_code` is `GUMLOOP_OK` for the other kinds. Each stream's events come in order, each
/// once, and before its `GUMLOOP_ITEM_DONE`. Free every `*out_json` with `gumloop_string_free`.
/// A caller error (a NULL argument) returns its code, with an error document in `*out_json`
/// when `out_json` is not NULL.
///
/// # Safety
/// `poller` must be NULL or a live poller; the out-parameters NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn gumloop_poller_take_item(
    poller: *mut gumloop_poller,
    out_call_id: *mut u64,
    out_kind: *mut u32,
    out_code: *mut gumloop_code,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    if out_json.is_null() {
        return GUMLOOP_ERR_NULL_ARGUMENT;
    }
    // SAFETY: every out-parameter is checked for NULL before it is written and is writable by
    // the caller's contract; `poller` is NULL or live by the same contract.
    unsafe {
        let outs = (
            out_param!(out_call_id, 0),
            out_param!(out_kind, GUMLOOP_ITEM_NONE),
            out_param!(out_code, GUMLOOP_OK),
        );
        let mut taken = None;
        let code = call(out_json, || {
            let outs = (outs.0?, outs.1?, outs.2?);
            taken = poller_ref(poller)?.take()?.map(|item| (item, outs));
            Ok(())
        });
        let Some((item, (out_call_id, out_kind, out_code))) = taken else {
            return code;
        };
        match item {
            Item::Event { call, text } => {
                *out_call_id = call;
                *out_kind = GUMLOOP_ITEM_EVENT;
                // Event text is decoded JSON from a UTF-8 stream; an event with a raw NUL is
                // never produced by the decoder, so this falls back only in theory.
                *out_json = into_c(text).unwrap_or(ptr::null_mut());
            }
            Item::Done { call, outcome } => {
                let (outcome_code, text) = outcome_to_c(outcome);
                *out_call_id = call;
                *out_kind = GUMLOOP_ITEM_DONE;
                *out_code = outcome_code;
                *out_json = text;
            }
        }
        code
    }
}

/// Takes the bytes of the finished bytes call `call_id` (an operation whose description has
/// `"result":"bytes"`, e.g. `download_artifact`), without blocking.
///
/// A bytes call's `GUMLOOP_ITEM_DONE` item carries, on success, the same JSON document as its
/// blocking function (for `download_artifact`: `{"artifact_id","filename","media_type","size"}`);
/// its bytes stay in the poller until taken here, once, or until the poller is freed. Call this
/// after that item was taken: before, or for a call that holds no bytes (not a bytes call, one
/// that failed or was cancelled, bytes already taken, an unknown ID), it returns
/// `GUMLOOP_ERR_INVALID_ARGUMENT` with an error document (`param` is `call_id`).
///
/// On `GUMLOOP_OK`, `*out_data`/`*out_len` are the bytes (NULL and 0 when there are none), to
/// free with `gumloop_bytes_free(*out_data, *out_len)`, and `*out_json` is NULL. Otherwise
/// `*out_data` is NULL, `*out_len` 0 and `*out_json` an error document. Every out-parameter is
/// required.
///
/// # Safety
/// `poller` must be NULL or a live poller; `out_data`, `out_len` and `out_json` NULL or valid
/// for writing.
#[no_mangle]
pub unsafe extern "C" fn gumloop_poller_take_bytes(
    poller: *mut gumloop_poller,
    call_id: u64,
    out_data: *mut *mut u8,
    out_len: *mut usize,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: each out-parameter is checked for NULL before it is written and is writable by
    // the caller's contract; `poller` is NULL or live by the same contract.
    unsafe {
        let outs = (
            out_param!(out_data, ptr::null_mut()),
            out_param!(out_len, 0),
        );
        call(out_json, || {
            let (out_data, out_len) = (outs.0?, outs.1?);
            let bytes = poller_ref(poller)?.take_bytes(call_id)?;
            let (data, len) = bytes_into_c(bytes);
            *out_data = data;
            *out_len = len;
            Ok(())
        })
    }
}

/// Takes what the requests of the ended call `call_id` saw, as `*out_json`:
/// `{"attempts": N, "duration_ms": N, "request_id": "…" | null}` — the HTTP requests it sent
/// (retries included, redirects not), the time from its start to its end, and the server's
/// `x-request-id` of the last answer it received. Never holds a secret. Available for any ended
/// call, success or failure, without changing its JSON.
///
/// Call it after the call's `GUMLOOP_ITEM_DONE` item was taken; each info is taken once, and the
/// poller keeps those of the last 1024 calls whose end was taken (a caller that never takes them
/// costs no more). Before the end was taken, or for an info taken or dropped already:
/// `GUMLOOP_ERR_INVALID_ARGUMENT` (`param` `call_id`). Never blocks.
///
/// # Safety
/// `poller` must be NULL or a live poller; `out_json` NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_poller_take_call_info(
    poller: *mut gumloop_poller,
    call_id: u64,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: NULL or live by the caller's contract; `out_json` is checked by `call`.
    unsafe { call(out_json, || poller_ref(poller)?.take_call_info(call_id)) }
}
