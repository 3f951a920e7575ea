//! The SSE decoder: `sse::SseDecoder` fed the stream in chunks the fuzzer chooses, and
//! `sse::to_json` on every event.
//!
//! Input layout: byte 0 picks how the stream is cut into chunks (0: one chunk; 1: one byte at a
//! time; otherwise the seed of a sequence of chunk sizes from 1 to 8, or up to 64 when bit 7 is
//! set), byte 1 the event size limit (`max_event_bytes`: 1 + byte, or 1 MiB when the byte is
//! 255), the rest is the stream as received.
//!
//! Invariants: decoding the same bytes in one chunk, one byte at a time and in the chosen chunks
//! gives the same events and the same outcome; no event's data, name or id exceeds the limit;
//! `to_json` gives an object that serializes, reads back the same, and carries the event name
//! as `type` when the SDK's rule says so; `sse::decode` agrees with `to_json` and calls the data
//! verbatim only when the data text is that very object.

#![no_main]

mod common;

use common::check_error;
use gumloop::internal::{decode as decode_event, to_json, SseDecoder, SseEvent};
use gumloop::ErrorKind;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// The events and, when the decoder refused the stream, the error's kind and message.
type Outcome = (Vec<SseEvent>, Option<(ErrorKind, String)>);

fn decode(stream: &[u8], max: usize, sizes: &mut dyn FnMut() -> usize) -> Outcome {
    let mut decoder = SseDecoder::new(max);
    let mut events = Vec::new();
    let mut rest = stream;
    while !rest.is_empty() {
        let n = sizes().clamp(1, rest.len());
        let (chunk, tail) = rest.split_at(n);
        rest = tail;
        if let Err(e) = decoder.feed(chunk, &mut events) {
            check_error(&e);
            assert_eq!(e.kind, ErrorKind::ResponseTooLarge);
            return (events, Some((e.kind, e.message)));
        }
    }
    (events, None)
}

fn check_event(ev: &SseEvent, max: usize) {
    assert!(
        ev.data.len() <= max,
        "event data of {} bytes passed a limit of {max}: {ev:?}",
        ev.data.len()
    );
    assert!(ev.event.len() <= max, "event name over the limit: {ev:?}");
    assert!(ev
        .id
        .as_ref()
        .is_none_or(|id| id.len() <= max && !id.contains('\0')));

    let object = to_json(ev);
    let text = serde_json::to_string(&object).expect("to_json output serializes");
    let back: Value = serde_json::from_str(&text).expect("to_json output is valid JSON");
    assert_eq!(
        back,
        Value::Object(object.clone()),
        "to_json output does not read back"
    );
    if !ev.event.is_empty() && ev.event != "message" {
        assert!(
            object.contains_key("type"),
            "named event without type: {ev:?}"
        );
    }
    if ev.data.is_empty() {
        assert!(object.len() <= 1);
    }

    // `decode` gives the same object, and says "verbatim" only when the data text is exactly
    // that object (the stream then hands the text on as it came).
    let (decoded, verbatim) = decode_event(ev);
    assert_eq!(decoded, object, "decode and to_json differ");
    if verbatim {
        assert_eq!(
            serde_json::from_str::<Value>(&ev.data).ok(),
            Some(Value::Object(decoded)),
            "verbatim data is not the event's object: {ev:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let (split, limit, stream) = (data[0], data[1], &data[2..]);
    let max = if limit == 255 {
        1 << 20
    } else {
        1 + usize::from(limit)
    };

    let whole = decode(stream, max, &mut || usize::MAX);
    let bytewise = decode(stream, max, &mut || 1);
    let mut state = u32::from(split) | 0x9e37_7900;
    let span = if split & 0x80 != 0 { 64 } else { 8 };
    let chunked = match split {
        0 => whole.clone(),
        1 => bytewise.clone(),
        _ => decode(stream, max, &mut || {
            // xorshift32: a cheap, deterministic sequence of chunk sizes.
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            1 + (state % span) as usize
        }),
    };

    for ev in &whole.0 {
        check_event(ev, max);
    }
    assert_eq!(bytewise, whole, "one byte at a time differs from one chunk");
    assert_eq!(chunked, whole, "chunks differ from one chunk");
});
