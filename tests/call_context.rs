//! Per-call context against the emulator: each call's own `request_options` (extra headers such
//! as a `traceparent`, a time limit) reach only that call's requests, and what a call's requests
//! saw (attempts, the server's request ID) is read after it, through the poller and through the
//! blocking call by name, without changing the server's JSON.

mod common;

use common::{parse, run, Emulator};
use gumloop::ffi::{
    gumloop_client, gumloop_client_call, gumloop_client_free, gumloop_client_new, gumloop_poller,
    gumloop_poller_free, gumloop_poller_new, gumloop_poller_start_call,
    gumloop_poller_take_call_info, gumloop_poller_take_item, gumloop_string_free, GUMLOOP_OK,
};
use serde_json::{json, Value};
use std::ffi::{c_char, CStr, CString};
use std::ptr;

/// Takes an owned string from the library, or `None` for NULL.
fn take(text: *mut c_char) -> Option<String> {
    if text.is_null() {
        return None;
    }
    // SAFETY: a NUL-terminated string from the library, freed once here.
    let owned = unsafe { CStr::from_ptr(text) }
        .to_string_lossy()
        .into_owned();
    // SAFETY: as above.
    unsafe { gumloop_string_free(text) };
    Some(owned)
}

/// A client handle for `options`.
fn client(emulator: &Emulator, extra: Value) -> *mut gumloop_client {
    let options = CString::new(emulator.options(extra).to_string()).unwrap();
    let mut client = ptr::null_mut();
    let mut error = ptr::null_mut();
    // SAFETY: valid strings and out-parameters.
    let code = unsafe { gumloop_client_new(options.as_ptr(), &mut client, &mut error) };
    assert_eq!(code, GUMLOOP_OK, "{:?}", take(error));
    client
}

/// `gumloop_client_call`: its code, result document and info.
fn call_by_name(
    client: *const gumloop_client,
    operation: &str,
    args: &Value,
) -> (u32, Value, Option<Value>) {
    let operation = CString::new(operation).unwrap();
    let args = CString::new(args.to_string()).unwrap();
    let (mut out, mut info) = (ptr::null_mut(), ptr::null_mut());
    // SAFETY: a live client, valid strings and out-parameters.
    let code = unsafe {
        gumloop_client_call(
            client,
            operation.as_ptr(),
            args.as_ptr(),
            ptr::null(),
            &mut out,
            &mut info,
        )
    };
    let out = parse(&take(out).expect("a document"));
    (code, out, take(info).map(|i| parse(&i)))
}

/// A session of agent_pro, created directly.
fn session(emulator: &Emulator) -> String {
    let client = emulator.client(json!({}));
    let auth = gumloop::CallAuth::default();
    let created = run(client.create_session("agent_pro", None, &auth, None)).unwrap();
    parse(&created)["session"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The logged API requests whose path ends with `suffix`.
fn requests_to(emulator: &Emulator, suffix: &str) -> Vec<Value> {
    emulator
        .requests()
        .into_iter()
        .filter(|r| r["path"].as_str().is_some_and(|p| p.ends_with(suffix)))
        .collect()
}

fn traceparent(n: u32) -> String {
    format!("00-{n:032x}-{n:016x}-01")
}

#[test]
fn concurrent_calls_each_send_their_own_traceparent() {
    let emulator = Emulator::start();
    // The client has its own traceparent: each call's replaces it.
    let handle = client(
        &emulator,
        json!({"extra_headers": {"traceparent": traceparent(99), "x-team": "blue"}}),
    );
    let sessions: Vec<String> = (0..4).map(|_| session(&emulator)).collect();
    emulator.admin("DELETE", "/requests", None);
    // Every GET of a session waits a little at the server, so the calls overlap there.
    emulator
        .fault(json!({"method": "GET", "path": "/api/v1/sessions/*", "times": 4, "delay_ms": 200}));

    // Two through the poller, both in flight before either end is taken ...
    let mut poller: *mut gumloop_poller = ptr::null_mut();
    let mut error = ptr::null_mut();
    // SAFETY: valid out-parameters.
    assert_eq!(
        unsafe { gumloop_poller_new(ptr::null(), &mut poller, &mut error) },
        GUMLOOP_OK
    );
    let mut ids = Vec::new();
    for (n, sid) in sessions[..2].iter().enumerate() {
        let args = json!({
            "session_id": sid,
            "request_options": {"extra_headers": {"traceparent": traceparent(n as u32)}},
        });
        let (operation, args) = (c"get_session", CString::new(args.to_string()).unwrap());
        let mut id = 0;
        // SAFETY: live handles, valid strings and out-parameters.
        let code = unsafe {
            gumloop_poller_start_call(
                poller,
                handle,
                operation.as_ptr(),
                args.as_ptr(),
                ptr::null(),
                0,
                &mut id,
                &mut error,
            )
        };
        assert_eq!(code, GUMLOOP_OK, "{:?}", take(error));
        ids.push(id);
    }
    // ... and two blocking calls by name on two threads at once.
    let address = handle as usize;
    let threads: Vec<_> = sessions[2..]
        .iter()
        .enumerate()
        .map(|(n, sid)| {
            let sid = sid.clone();
            std::thread::spawn(move || {
                let args = json!({
                    "session_id": sid,
                    "request_options": {"extra_headers": {"traceparent": traceparent(n as u32 + 2)}},
                });
                call_by_name(address as *const gumloop_client, "get_session", &args)
            })
        })
        .collect();
    for thread in threads {
        let (code, document, info) = thread.join().unwrap();
        assert_eq!(code, GUMLOOP_OK, "{document}");
        assert!(
            document["session"]["id"].is_string(),
            "the server's JSON, unchanged"
        );
        let info = info.expect("an info");
        assert_eq!(info["attempts"], 1);
        assert!(info["request_id"].as_str().unwrap().starts_with("req_"));
    }
    let mut ended = 0;
    while ended < ids.len() {
        let (mut call, mut kind, mut code, mut out) = (0, 0, 0, ptr::null_mut());
        // SAFETY: a live poller and valid out-parameters.
        unsafe { gumloop_poller_take_item(poller, &mut call, &mut kind, &mut code, &mut out) };
        let text = take(out);
        if kind == gumloop::ffi::GUMLOOP_ITEM_DONE {
            assert_eq!(code, GUMLOOP_OK, "{text:?}");
            ended += 1;
        } else {
            std::thread::yield_now();
        }
    }

    for (n, sid) in sessions.iter().enumerate() {
        let seen = requests_to(&emulator, sid);
        assert_eq!(seen.len(), 1, "{sid}: {seen:?}");
        let headers = &seen[0]["headers"];
        // Exactly its own (a second value would be joined with ", " in the log).
        assert_eq!(headers["traceparent"], traceparent(n as u32), "{sid}");
        assert_eq!(
            headers["x-team"], "blue",
            "the client's other extra headers stay"
        );
    }
    // The info of each poller call: its one request, named by the server.
    for (n, id) in ids.iter().enumerate() {
        let mut out = ptr::null_mut();
        // SAFETY: a live poller and a valid out-parameter.
        let code = unsafe { gumloop_poller_take_call_info(poller, *id, &mut out) };
        let info = parse(&take(out).unwrap());
        assert_eq!(code, GUMLOOP_OK, "{info}");
        let seq = requests_to(&emulator, &sessions[n])[0]["seq"]
            .as_u64()
            .unwrap();
        assert_eq!(info["request_id"], format!("req_{seq}"));
        assert_eq!(info["attempts"], 1);
        assert!(info["duration_ms"].is_u64());
        // Taken once.
        let code = unsafe { gumloop_poller_take_call_info(poller, *id, &mut out) };
        assert_eq!(code, gumloop::ErrorKind::InvalidArgument.code());
        take(out);
    }
    // A call without request options sends the client's traceparent.
    emulator.admin("DELETE", "/requests", None);
    let (code, _, _) = call_by_name(handle, "get_session", &json!({"session_id": sessions[0]}));
    assert_eq!(code, GUMLOOP_OK);
    assert_eq!(
        requests_to(&emulator, &sessions[0])[0]["headers"]["traceparent"],
        traceparent(99)
    );
    // SAFETY: handles not used after.
    unsafe {
        gumloop_poller_free(poller);
        gumloop_client_free(handle);
    }
}

#[test]
fn the_info_counts_retries_and_names_the_last_answer() {
    let emulator = Emulator::start();
    let handle = client(&emulator, json!({"max_backoff_ms": 1}));
    let sid = session(&emulator);
    emulator.admin("DELETE", "/requests", None);
    emulator
        .fault(json!({"method": "GET", "path": "/api/v1/sessions/*", "times": 1, "status": 503}));
    let (code, document, info) = call_by_name(handle, "get_session", &json!({"session_id": sid}));
    assert_eq!(code, GUMLOOP_OK, "{document}");
    let info = info.unwrap();
    let seen = requests_to(&emulator, &sid);
    assert_eq!(seen.len(), 2);
    assert_eq!(info["attempts"], 2);
    assert_eq!(info["request_id"], format!("req_{}", seen[1]["seq"]));
    assert!(document.get("attempts").is_none() && document.get("_gumloop").is_none());
    let text = info.to_string();
    assert!(
        !text.contains("gk_personal_ada") && !text.contains("user_ada"),
        "{text}"
    );
    // SAFETY: not used after.
    unsafe { gumloop_client_free(handle) };
}

#[test]
fn a_calls_own_time_limit_applies_to_it_alone() {
    let emulator = Emulator::start();
    let handle = client(&emulator, json!({"max_retries": 0}));
    let sid = session(&emulator);
    emulator.fault(
        json!({"method": "GET", "path": "/api/v1/sessions/*", "times": 2, "delay_ms": 1000}),
    );
    let args = json!({"session_id": sid, "request_options": {"timeout_ms": 50}});
    let (code, document, info) = call_by_name(handle, "get_session", &args);
    assert_eq!(code, gumloop::ErrorKind::Timeout.code(), "{document}");
    assert_eq!(
        info.unwrap()["attempts"],
        1,
        "a failed call has its info too"
    );
    // The next call, without one, waits for the delayed answer (the client's limit is 90 s).
    let (code, document, _) = call_by_name(handle, "get_session", &json!({"session_id": sid}));
    assert_eq!(code, GUMLOOP_OK, "{document}");
    // SAFETY: not used after.
    unsafe { gumloop_client_free(handle) };
}

#[test]
fn bad_request_options_and_operations_are_refused_before_sending() {
    let emulator = Emulator::start();
    let handle = client(&emulator, json!({}));
    emulator.admin("DELETE", "/requests", None);
    for (request_options, param) in [
        (
            json!({"extra_headers": {"Authorization": "Bearer x"}}),
            "request_options.extra_headers",
        ),
        (
            json!({"extra_headers": {"x-a": "1\r\nx-b: 2"}}),
            "request_options.extra_headers",
        ),
        (json!({"timeout_ms": -1}), "request_options.timeout_ms"),
        (json!({"retry": true}), "request_options"),
        (json!("fast"), "request_options"),
    ] {
        let args = json!({"session_id": "sess_x", "request_options": request_options});
        let (code, document, info) = call_by_name(handle, "get_session", &args);
        assert_eq!(
            code,
            gumloop::ErrorKind::InvalidArgument.code(),
            "{document}"
        );
        assert_eq!(document["error"]["param"], param);
        assert!(info.is_none(), "a refused call has no info");
    }
    for (operation, args) in [
        ("stream_session", json!({"agent_id": "agent_pro"})),
        ("download_artifact", json!({"artifact_id": "art_x"})),
    ] {
        let (code, document, _) = call_by_name(handle, operation, &args);
        assert_eq!(
            code,
            gumloop::ErrorKind::InvalidArgument.code(),
            "{document}"
        );
        assert_eq!(document["error"]["param"], "operation");
    }
    let (code, document, _) = call_by_name(handle, "get_sessions", &json!({}));
    assert_eq!(document["error"]["param"], "operation", "{code}");
    assert!(emulator.requests().is_empty());
    // SAFETY: not used after.
    unsafe { gumloop_client_free(handle) };
}

#[test]
fn a_streams_own_headers_reach_the_stream_host() {
    let emulator = Emulator::start();
    let handle = client(&emulator, json!({}));
    let mut poller: *mut gumloop_poller = ptr::null_mut();
    let mut error = ptr::null_mut();
    // SAFETY: valid out-parameters.
    assert_eq!(
        unsafe { gumloop_poller_new(ptr::null(), &mut poller, &mut error) },
        GUMLOOP_OK
    );
    let args = json!({
        "agent_id": "agent_pro",
        "body": {"input": "[words:3] hello"},
        "request_options": {"extra_headers": {"traceparent": traceparent(7)}},
    });
    let args = CString::new(args.to_string()).unwrap();
    let mut id = 0;
    // SAFETY: live handles, valid strings and out-parameters.
    let code = unsafe {
        gumloop_poller_start_call(
            poller,
            handle,
            c"stream_session".as_ptr(),
            args.as_ptr(),
            ptr::null(),
            0,
            &mut id,
            &mut error,
        )
    };
    assert_eq!(code, GUMLOOP_OK, "{:?}", take(error));
    loop {
        let (mut call, mut kind, mut code, mut out) = (0, 0, 0, ptr::null_mut());
        // SAFETY: a live poller and valid out-parameters.
        unsafe { gumloop_poller_take_item(poller, &mut call, &mut kind, &mut code, &mut out) };
        let text = take(out);
        if kind == gumloop::ffi::GUMLOOP_ITEM_DONE {
            assert_eq!((call, code), (id, GUMLOOP_OK), "{text:?}");
            break;
        }
        std::thread::yield_now();
    }
    let streamed: Vec<Value> = emulator
        .requests()
        .into_iter()
        .filter(|r| r["listener"] == "stream")
        .collect();
    assert!(!streamed.is_empty(), "the stream host saw the call");
    for request in &streamed {
        assert_eq!(
            request["headers"]["traceparent"],
            traceparent(7),
            "{request}"
        );
    }
    let mut out = ptr::null_mut();
    // SAFETY: a live poller and a valid out-parameter.
    let code = unsafe { gumloop_poller_take_call_info(poller, id, &mut out) };
    let info = parse(&take(out).unwrap());
    assert_eq!(code, GUMLOOP_OK, "{info}");
    assert_eq!(info["attempts"], streamed.len());
    // SAFETY: handles not used after.
    unsafe {
        gumloop_poller_free(poller);
        gumloop_client_free(handle);
    }
}
