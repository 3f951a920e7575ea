//! Server-sent events: a decoder that follows the SSE specification (CR, LF and CRLF line ends,
//! multi-line data, comments, `event`, `id` and `retry` fields), bounded in memory, and the
//! official SDK's rule for turning an event into a JSON object.
//!
//! Written here rather than taken from a crate because the decoder must refuse an event larger
//! than the response size limit (a hostile server could otherwise grow one line without end),
//! and because resuming needs the decoder's state to be dropped and restarted cleanly.

use crate::error::{Error, ErrorKind, Result};
use serde_json::{Map, Value};

/// The UTF-8 byte order mark, which the specification lets a stream start with.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One dispatched event.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SseEvent {
    /// The `event:` name; empty when none was given.
    pub event: String,
    /// The `data:` lines joined by `\n`.
    pub data: String,
    /// The last `id:` seen on the stream, if any.
    pub id: Option<String>,
    /// A `retry:` value in milliseconds given with this event.
    pub retry_ms: Option<u64>,
}

/// An incremental SSE decoder.
#[derive(Debug)]
pub struct SseDecoder {
    line: Vec<u8>,
    after_cr: bool,
    /// Whether the start of the stream (where a byte order mark may be) is behind us.
    started: bool,
    /// How many bytes of a byte order mark the stream has begun with so far (a mark may be split
    /// across chunks).
    bom_matched: usize,
    data: String,
    event: String,
    last_id: Option<String>,
    retry_ms: Option<u64>,
    has_fields: bool,
    max_event_bytes: usize,
    event_bytes: usize,
}

impl SseDecoder {
    /// A decoder that refuses any event (or line) larger than `max_event_bytes`.
    pub fn new(max_event_bytes: usize) -> SseDecoder {
        SseDecoder {
            line: Vec::new(),
            after_cr: false,
            started: false,
            bom_matched: 0,
            data: String::new(),
            event: String::new(),
            last_id: None,
            retry_ms: None,
            has_fields: false,
            max_event_bytes,
            event_bytes: 0,
        }
    }

    /// Feeds a chunk of the stream, appending completed events to `out`.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<SseEvent>) -> Result<()> {
        let mut rest = chunk;
        while !self.started {
            let Some((&byte, tail)) = rest.split_first() else {
                return Ok(()); // still inside what may be a byte order mark
            };
            if byte == BOM[self.bom_matched] {
                self.bom_matched += 1;
                rest = tail;
                self.started = self.bom_matched == BOM.len();
            } else {
                // Not a mark after all: the bytes held back are ordinary stream bytes.
                self.started = true;
                self.push_bytes(&BOM[..self.bom_matched], out)?;
            }
        }
        self.push_bytes(rest, out)
    }

    /// Decodes stream bytes after the optional byte order mark.
    fn push_bytes(&mut self, mut bytes: &[u8], out: &mut Vec<SseEvent>) -> Result<()> {
        if self.after_cr {
            self.after_cr = false;
            if let Some(rest) = bytes.strip_prefix(b"\n") {
                bytes = rest;
            }
        }
        while !bytes.is_empty() {
            // The line's bytes up to its end (or the chunk's), added at once.
            let end = memchr::memchr2(b'\n', b'\r', bytes).unwrap_or(bytes.len());
            self.event_bytes += end;
            if self.event_bytes > self.max_event_bytes {
                return Err(self.too_large());
            }
            self.line.extend_from_slice(&bytes[..end]);
            let Some(&ending) = bytes.get(end) else {
                return Ok(());
            };
            bytes = &bytes[end + 1..];
            self.end_line(out)?;
            if ending == b'\r' {
                match bytes.first() {
                    Some(b'\n') => bytes = &bytes[1..],
                    Some(_) => {}
                    // A CR ends the chunk: an LF starting the next one belongs to it.
                    None => self.after_cr = true,
                }
            }
        }
        Ok(())
    }

    fn end_line(&mut self, out: &mut Vec<SseEvent>) -> Result<()> {
        // The line buffer is taken out and put back, so its capacity is reused.
        let bytes = std::mem::take(&mut self.line);
        let text = match std::str::from_utf8(&bytes) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(&bytes),
        };
        // Each invalid byte becomes a 3-byte U+FFFD: the decoded size counts against the limit.
        self.event_bytes += text.len() - bytes.len();
        let over = self.event_bytes > self.max_event_bytes;
        if !over {
            self.field(&text, out);
        }
        drop(text);
        self.line = bytes;
        self.line.clear();
        if over {
            return Err(self.too_large());
        }
        Ok(())
    }

    fn too_large(&self) -> Error {
        Error::new(
            ErrorKind::ResponseTooLarge,
            format!(
                "a stream event is larger than max_response_bytes ({} bytes)",
                self.max_event_bytes
            ),
        )
    }

    fn field(&mut self, line: &str, out: &mut Vec<SseEvent>) {
        if line.is_empty() {
            self.dispatch(out);
            return;
        }
        if line.starts_with(':') {
            return; // a comment, such as a keep-alive
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
                self.has_fields = true;
            }
            "event" => {
                self.event = value.to_string();
                self.has_fields = true;
            }
            "id" if !value.contains('\0') => {
                self.last_id = Some(value.to_string());
                self.has_fields = true;
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry_ms = value.parse().ok();
                self.has_fields = true;
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, out: &mut Vec<SseEvent>) {
        self.event_bytes = 0;
        if !self.has_fields {
            return;
        }
        self.has_fields = false;
        if self.data.ends_with('\n') {
            self.data.pop();
        }
        out.push(SseEvent {
            event: std::mem::take(&mut self.event),
            data: std::mem::take(&mut self.data),
            id: self.last_id.clone(),
            retry_ms: self.retry_ms.take(),
        });
    }
}

/// The event as a JSON object, by the official SDK's rules: the data parsed as JSON (empty data
/// is `{}`, data that is not JSON becomes `{"data": "<raw>"}`, JSON that is not an object becomes
/// `{"data": value}`); an event name other than `message` fills `type` when the object has none.
pub fn to_json(event: &SseEvent) -> Map<String, Value> {
    decode(event).0
}

/// As [`to_json`], also telling whether the event's data text *is* that object (so it can be
/// handed on as it came, without serializing it again).
pub fn decode(event: &SseEvent) -> (Map<String, Value>, bool) {
    let (mut object, verbatim) = if event.data.is_empty() {
        (Map::new(), false)
    } else {
        match serde_json::from_str::<Value>(&event.data) {
            Ok(Value::Object(map)) => (map, true),
            Ok(other) => (Map::from_iter([("data".to_string(), other)]), false),
            Err(_) => (
                Map::from_iter([("data".to_string(), Value::String(event.data.clone()))]),
                false,
            ),
        }
    };
    if !event.event.is_empty() && event.event != "message" && !object.contains_key("type") {
        object.insert("type".into(), Value::String(event.event.clone()));
        return (object, false);
    }
    (object, verbatim)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn decode_chunks(chunks: &[&[u8]]) -> Vec<SseEvent> {
        let mut decoder = SseDecoder::new(1 << 20);
        let mut out = Vec::new();
        for chunk in chunks {
            decoder.feed(chunk, &mut out).unwrap();
        }
        out
    }

    #[test]
    fn line_endings_cr_lf_and_crlf_even_split_across_chunks() {
        let events = decode_chunks(&[b"data: a\r", b"\n\r\ndata: b\r\rdata: c\n\n"]);
        let data: Vec<_> = events.iter().map(|e| e.data.as_str()).collect();
        assert_eq!(data, ["a", "b", "c"]);
    }

    #[test]
    fn a_byte_order_mark_is_dropped_wherever_the_chunks_split_it() {
        let stream: &[u8] = b"\xEF\xBB\xBFdata: a\n\n";
        for split in 0..=stream.len() {
            for second in split..=stream.len() {
                let parts = [&stream[..split], &stream[split..second], &stream[second..]];
                let events = decode_chunks(&parts);
                assert_eq!(events.len(), 1, "split at {split}, {second}");
                assert_eq!(events[0].data, "a");
            }
        }
    }

    #[test]
    fn the_start_of_a_mark_that_does_not_finish_is_kept_as_data() {
        // A stream that starts like a mark but is not one: the bytes are the field name's.
        let events = decode_chunks(&[b"\xEF", b"\xBBx: 1\ndata: b\n\n"]);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].data, "b");
        let mut decoder = SseDecoder::new(1 << 20);
        let mut out = Vec::new();
        decoder.feed(b"\xEF\xBB", &mut out).unwrap();
        decoder.feed(b"data: c\n\n", &mut out).unwrap();
        // The two held-back bytes start the line, so it is no `data` field.
        assert!(out.is_empty());
        // Only the stream's first bytes may be a mark: a later one is data.
        decoder.feed(b"data: \xEF\xBB\xBFd\n\n", &mut out).unwrap();
        assert_eq!(out[0].data, "\u{FEFF}d");
    }

    #[test]
    fn multi_line_data_comments_ids_and_retry() {
        let events = decode_chunks(&[
            b"\xEF\xBB\xBF: ping\n\nevent: finish\nid: 7\nretry: 250\ndata: {\"final\":\n",
            b"data:true}\n\n: keep-alive\n\ndata\n\n",
        ]);
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].event, "finish");
        assert_eq!(events[0].data, "{\"final\":\ntrue}");
        assert_eq!(events[0].id.as_deref(), Some("7"));
        assert_eq!(events[0].retry_ms, Some(250));
        assert_eq!(events[1].data, "");
        assert_eq!(events[1].id.as_deref(), Some("7"));
        assert_eq!(events[1].retry_ms, None);
    }

    #[test]
    fn byte_at_a_time_matches_whole() {
        let text = b"event: x\ndata: {\"type\":\"text-delta\",\"delta\":\"h\xC3\xA9\"}\n\n";
        let whole = decode_chunks(&[text]);
        let pieces: Vec<&[u8]> = text.chunks(1).collect();
        assert_eq!(decode_chunks(&pieces), whole);
        assert_eq!(whole[0].data, "{\"type\":\"text-delta\",\"delta\":\"hé\"}");
    }

    #[test]
    fn oversized_events_are_refused() {
        let mut decoder = SseDecoder::new(16);
        let mut out = Vec::new();
        let err = decoder.feed(&[b'a'; 64], &mut out).unwrap_err();
        assert_eq!(err.kind, ErrorKind::ResponseTooLarge);
    }

    #[test]
    fn sdk_json_rules() {
        let ev = |event: &str, data: &str| SseEvent {
            event: event.into(),
            data: data.into(),
            ..SseEvent::default()
        };
        assert_eq!(Value::Object(to_json(&ev("", ""))), json!({}));
        assert_eq!(
            Value::Object(to_json(&ev("", "[DONE]"))),
            json!({"data":"[DONE]"})
        );
        assert_eq!(Value::Object(to_json(&ev("", "[1]"))), json!({"data":[1]}));
        assert_eq!(
            Value::Object(to_json(&ev("finish", r#"{"final":true}"#))),
            json!({"final":true,"type":"finish"})
        );
        assert_eq!(
            Value::Object(to_json(&ev("finish", r#"{"type":"x"}"#))),
            json!({"type":"x"})
        );
        assert_eq!(
            Value::Object(to_json(&ev("message", r#"{"a":1}"#))),
            json!({"a":1})
        );
    }
}
