//! A bytes operation through the poller: `download_artifact` ends with its JSON document, and
//! its bytes are taken once, without blocking, after its end; they stay in the poller until then
//! (or until it is freed), and a failed or refused download holds none; the call infos a caller
//! never takes are bounded.

mod common;

use common::{parse, run, Emulator};
use gumloop::internal::{prepare, Args, Item, Poller};
use gumloop::{DownloadOptions, ErrorKind};
use serde_json::{json, Value};
use std::sync::Arc;

/// Starts `download_artifact` with `args` and returns its call ID.
fn start(poller: &Poller, client: &Arc<gumloop::Client>, args: Value) -> gumloop::Result<u64> {
    let args = Args::parse(Some(&args.to_string())).unwrap();
    poller.start(Arc::clone(client), prepare("download_artifact", args)?)
}

/// Takes items until call `id` ends; returns its outcome.
fn end_of(poller: &Poller, id: u64) -> gumloop::Result<String> {
    loop {
        match poller.take().unwrap() {
            None => std::thread::yield_now(),
            Some(Item::Done { call, outcome }) if call == id => return outcome,
            Some(_) => panic!("an item of another call"),
        }
    }
}

/// The ID of the artifact `name` of a finished session of agent_pro made for it.
fn artifact(client: &gumloop::Client, name: &str) -> (String, String) {
    let body = json!({ "input": format!("[artifact:{name}]") }).to_string();
    let auth = gumloop::CallAuth::default();
    let created =
        parse(&run(client.create_session("agent_pro", Some(&body), &auth, None)).unwrap());
    let sid = created["session"]["id"].as_str().unwrap().to_string();
    run(client.wait_session(&sid, Default::default(), None)).unwrap();
    let query = json!({ "session_id": sid }).to_string();
    let listed = parse(&run(client.list_artifacts("agent_pro", Some(&query), None)).unwrap());
    let id = listed["artifacts"][0]["id"].as_str().unwrap().to_string();
    (sid, id)
}

#[test]
fn an_artifact_downloads_through_the_poller_and_its_bytes_are_taken_once() {
    let emulator = Emulator::start();
    let client = Arc::new(emulator.client(json!({})));
    let (sid, id) = artifact(&client, "report.txt");
    let poller = Poller::new().unwrap();

    let call = start(&poller, &client, json!({ "artifact_id": id })).unwrap();
    // Before its end is taken, its bytes are not to be had (whether or not it has finished).
    let early = poller.take_bytes(call).unwrap_err();
    assert_eq!(
        (early.kind, early.param.as_deref()),
        (ErrorKind::InvalidArgument, Some("call_id"))
    );
    let document = parse(&end_of(&poller, call).unwrap());
    let bytes = poller.take_bytes(call).unwrap();
    assert_eq!(
        bytes,
        format!("Artifact report.txt of session {sid}\n").into_bytes()
    );
    assert_eq!(document["size"], json!(bytes.len()));
    assert_eq!(document["filename"], "report.txt");
    // The same bytes as the blocking download's.
    let (blocking, _) =
        run(client.download_artifact(&id, &DownloadOptions::default(), None)).unwrap();
    assert_eq!(bytes, blocking);
    // Taken once.
    assert_eq!(
        poller.take_bytes(call).unwrap_err().kind,
        ErrorKind::InvalidArgument
    );
    assert_eq!(poller.held_bytes(), 0);

    // A version given twice is refused before anything is sent.
    emulator.admin("DELETE", "/requests", None);
    let twice = start(
        &poller,
        &client,
        json!({ "artifact_id": id, "version_id": "v1", "options": { "version_id": "v2" } }),
    )
    .unwrap_err();
    assert_eq!(twice.param.as_deref(), Some("version_id"));
    let cap = start(
        &poller,
        &client,
        json!({ "artifact_id": id, "options": { "max_bytes": 0 } }),
    );
    assert_eq!(cap.unwrap_err().param.as_deref(), Some("max_bytes"));
    assert!(emulator.requests().is_empty());

    // A download that fails holds no bytes.
    let missing = start(&poller, &client, json!({ "artifact_id": "art_missing" })).unwrap();
    assert_eq!(
        end_of(&poller, missing).unwrap_err().kind,
        ErrorKind::NotFound
    );
    assert_eq!(
        poller.take_bytes(missing).unwrap_err().kind,
        ErrorKind::InvalidArgument
    );

    // A download over its cap fails and holds none.
    let capped = start(
        &poller,
        &client,
        json!({ "artifact_id": id, "options": { "max_bytes": 3 } }),
    )
    .unwrap();
    assert_eq!(
        end_of(&poller, capped).unwrap_err().kind,
        ErrorKind::ResponseTooLarge
    );
    assert_eq!(poller.held_bytes(), 0);

    // A call that returns JSON holds no bytes.
    let args = Args::parse(Some(&json!({ "session_id": sid }).to_string())).unwrap();
    let json_call = poller
        .start(Arc::clone(&client), prepare("get_session", args).unwrap())
        .unwrap();
    end_of(&poller, json_call).unwrap();
    assert_eq!(
        poller.take_bytes(json_call).unwrap_err().kind,
        ErrorKind::InvalidArgument
    );

    // Bytes not taken stay until the poller is freed, one set per call.
    let first = start(&poller, &client, json!({ "artifact_id": id })).unwrap();
    end_of(&poller, first).unwrap();
    let second = start(&poller, &client, json!({ "artifact_id": id })).unwrap();
    end_of(&poller, second).unwrap();
    assert_eq!(poller.held_bytes(), 2);
    assert_eq!(poller.take_bytes(second).unwrap(), bytes);
    assert_eq!(poller.held_bytes(), 1);
    drop(poller);
}

/// A caller that never takes call infos costs a bounded amount: the poller keeps those of the
/// last `held_infos()` calls whose end was taken, dropping the oldest first.
#[test]
fn the_infos_not_taken_are_bounded() {
    let emulator = Emulator::start();
    let client = Arc::new(emulator.client(json!({})));
    let poller = Poller::new().unwrap();
    let limit = gumloop::internal::held_infos();
    let mut ids = Vec::new();
    // Calls cancelled at once: each ends, with an info, without waiting for the network.
    for _ in 0..=limit {
        let args = Args::parse(Some(r#"{"session_id":"sess_none"}"#)).unwrap();
        let id = poller
            .start(Arc::clone(&client), prepare("get_session", args).unwrap())
            .unwrap();
        poller.cancel(id).unwrap();
        end_of(&poller, id).unwrap_err();
        ids.push(id);
    }
    let oldest = poller.take_call_info(ids[0]).unwrap_err();
    assert_eq!(oldest.param.as_deref(), Some("call_id"));
    for id in &ids[1..] {
        let info = parse(&poller.take_call_info(*id).unwrap());
        assert!(info["attempts"].as_u64().unwrap() <= 1, "{info}");
    }
}
