//! The few fields the library reads from a stream event (`type`, `final`, `stream_cursor`,
//! `interaction_id`, `finishReason`), taken from its JSON in one pass that skips every other
//! field without building it: a stream hands most events on as they came, so building the whole
//! object for five fields would cost more than the rest of the event's path.

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use std::fmt;

/// What an event object holds of the fields the library reads (each `Null` when absent).
#[derive(Debug, Default)]
pub(crate) struct Peeked {
    /// Whether the object has a `type` key (of any value).
    pub has_type: bool,
    /// `type`.
    pub kind: Value,
    /// `final`.
    pub is_final: Value,
    /// `stream_cursor`.
    pub cursor: Value,
    /// `interaction_id`.
    pub interaction_id: Value,
    /// `finishReason`.
    pub finish_reason: Value,
}

impl Peeked {
    /// The fields of `text` when it is a JSON object; `None` for any other text (which the
    /// caller then decodes in full).
    pub fn read(text: &str) -> Option<Peeked> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let peeked = deserializer.deserialize_map(PeekVisitor).ok()?;
        deserializer.end().ok()?;
        Some(peeked)
    }
}

struct PeekVisitor;

impl<'de> Visitor<'de> for PeekVisitor {
    type Value = Peeked;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Peeked, A::Error> {
        let mut peeked = Peeked::default();
        // A repeated key keeps its last value, as a parsed object would.
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let slot = match key.as_ref() {
                "type" => {
                    peeked.has_type = true;
                    &mut peeked.kind
                }
                "final" => &mut peeked.is_final,
                "stream_cursor" => &mut peeked.cursor,
                "interaction_id" => &mut peeked.interaction_id,
                "finishReason" => &mut peeked.finish_reason,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = map.next_value()?;
        }
        Ok(peeked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_fields_and_skips_the_rest() {
        let peeked = Peeked::read(
            r#"{"type":"finish","x":{"deep":[1,{"type":"no"}]},"final":true,
               "stream_cursor":"s:9","finishReason":"stop","interaction_id":"sess_1"}"#,
        )
        .unwrap();
        assert!(peeked.has_type);
        assert_eq!(peeked.kind, json!("finish"));
        assert_eq!(peeked.is_final, json!(true));
        assert_eq!(peeked.cursor, json!("s:9"));
        assert_eq!(peeked.interaction_id, json!("sess_1"));
        assert_eq!(peeked.finish_reason, json!("stop"));
    }

    #[test]
    fn repeated_keys_keep_the_last_and_other_texts_are_refused() {
        let peeked = Peeked::read(r#"{"type":"a","type":"b"}"#).unwrap();
        assert_eq!(peeked.kind, json!("b"));
        assert!(!Peeked::read("{}").unwrap().has_type);
        for other in ["[1]", "\"x\"", "1", "", "{", "{} {}", "not json"] {
            assert!(Peeked::read(other).is_none(), "{other}");
        }
    }
}
