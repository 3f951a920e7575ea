//! The library's description of itself, as data: every operation with its arguments and result
//! kind, every client option with its type and default, every code with its group and error
//! class stem, the groups, and the fields of an error document. Built once from the tables it
//! describes (`operations.rs`, `options.rs`, `error.rs`, `codes.rs`), so it cannot drift from
//! them; bindings and their coverage tests read it (`gumloop_description_get`).

use crate::codes::{GROUPS, GUMLOOP_OK, OK_GROUP};
use crate::error::{ErrorKind, DOCUMENT_FIELDS};
use crate::operations::OPERATIONS;
use crate::options::OPTIONS;
use serde_json::{json, Value};
use std::ffi::CString;
use std::sync::OnceLock;

/// The description as JSON.
pub(crate) fn describe() -> Value {
    let operations: Vec<Value> = OPERATIONS
        .iter()
        .map(|op| {
            let arguments: Vec<Value> = op
                .arguments
                .iter()
                .map(|a| json!({"name": a.name, "type": a.kind.name(), "required": a.required}))
                .collect();
            json!({
                "name": op.name,
                "function": op.function,
                "result": op.result.name(),
                "arguments": arguments,
            })
        })
        .collect();
    let options: Vec<Value> = OPTIONS
        .iter()
        .map(|o| {
            json!({
                "name": o.name,
                "type": o.kind.name(),
                "default": o.default.to_json(),
                "secret": o.secret,
            })
        })
        .collect();
    let mut codes = vec![json!({
        "name": "GUMLOOP_OK",
        "code": GUMLOOP_OK,
        "group": OK_GROUP,
        "error": null,
        "message": "success",
    })];
    codes.extend(ErrorKind::ALL.iter().map(|kind| {
        json!({
            "name": kind.name(),
            "code": kind.code(),
            "group": kind.group(),
            "error": kind.error(),
            "message": kind.message(),
        })
    }));
    let groups: Vec<Value> = GROUPS
        .iter()
        .map(|g| json!({"name": g.name, "first": g.first, "last": g.last, "error": g.error}))
        .collect();
    json!({
        "version": env!("CARGO_PKG_VERSION"),
        "operations": operations,
        "options": options,
        "codes": codes,
        "groups": groups,
        "error_fields": DOCUMENT_FIELDS,
    })
}

/// The description as a C string, built on first use and kept for the process's life.
pub(crate) fn description_c() -> &'static CString {
    static TEXT: OnceLock<CString> = OnceLock::new();
    TEXT.get_or_init(|| {
        // serde_json escapes every control character, so the text has no NUL byte.
        CString::new(describe().to_string()).expect("JSON text has no NUL byte")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::Args;
    use crate::config::Config;
    use crate::operations::{prepare, ArgKind};

    #[test]
    fn every_code_has_a_group_whose_range_holds_it() {
        let description = describe();
        let codes = description["codes"].as_array().unwrap();
        assert_eq!(codes.len(), ErrorKind::ALL.len() + 1);
        for code in &codes[1..] {
            let number = code["code"].as_u64().unwrap();
            let group = description["groups"]
                .as_array()
                .unwrap()
                .iter()
                .find(|g| g["name"] == code["group"])
                .unwrap_or_else(|| panic!("{code}: no group"));
            assert!(group["first"].as_u64() <= Some(number), "{code}");
            assert!(group["last"].as_u64() >= Some(number), "{code}");
            assert!(code["error"].as_str().is_some_and(|s| !s.is_empty()));
        }
        assert_eq!(codes[0]["code"], 0);
        assert_eq!(codes[0]["error"], Value::Null);
    }

    #[test]
    fn the_options_are_exactly_what_the_parser_accepts() {
        let no_env = |_: &str| None;
        for option in describe()["options"].as_array().unwrap() {
            let name = option["name"].as_str().unwrap();
            let options = json!({"access_token": "t", name: null});
            assert!(
                Config::parse(Some(&options.to_string()), &no_env).is_ok(),
                "{name}"
            );
        }
        let error = Config::parse(Some(r#"{"access_token":"t","colour":1}"#), &no_env).unwrap_err();
        assert_eq!(error.param.as_deref(), Some("colour"));
    }

    /// A sample value of an argument of `kind` in `args_json`.
    fn sample(kind: &str) -> Value {
        match kind {
            "string" => json!("x"),
            "object" => json!({}),
            "array" => json!(["agents"]),
            "json" => json!({}),
            other => panic!("no sample for {other}"),
        }
    }

    /// Every operation takes exactly the arguments it declares: with all of them it prepares;
    /// without a required one it fails naming it; an undeclared one is refused.
    #[test]
    fn every_operation_takes_exactly_its_declared_arguments() {
        for op in describe()["operations"].as_array().unwrap() {
            let name = op["name"].as_str().unwrap();
            let arguments = op["arguments"].as_array().unwrap();
            let build = |skip: Option<&str>, extra: bool| {
                let mut map = serde_json::Map::new();
                let mut data = None;
                for a in arguments {
                    let key = a["name"].as_str().unwrap();
                    if Some(key) == skip {
                        continue;
                    }
                    if a["type"] == ArgKind::Bytes.name() {
                        data = Some(vec![1u8]);
                    } else if key == "method" {
                        map.insert(key.into(), json!("POST"));
                    } else {
                        map.insert(key.into(), sample(a["type"].as_str().unwrap()));
                    }
                }
                if extra {
                    map.insert("undeclared".into(), json!(1));
                }
                Args::parse(Some(&Value::Object(map).to_string()))
                    .unwrap()
                    .with_data(data)
            };
            if let Err(e) = prepare(name, build(None, false)) {
                panic!("{name} refused its declared arguments: {e}");
            }
            let error = prepare(name, build(None, true)).err().unwrap();
            assert_eq!(error.param.as_deref(), Some("undeclared"), "{name}");
            for a in arguments.iter().filter(|a| a["required"] == true) {
                let key = a["name"].as_str().unwrap();
                let error = prepare(name, build(Some(key), false)).err();
                let error = error.unwrap_or_else(|| panic!("{name} ran without {key}"));
                assert_eq!(error.kind, ErrorKind::NullArgument, "{name} {key}");
                assert_eq!(error.param.as_deref(), Some(key), "{name}");
            }
        }
    }

    #[test]
    fn the_text_is_built_once_and_parses() {
        let first = description_c();
        assert!(std::ptr::eq(first, description_c()));
        let parsed: Value = serde_json::from_slice(first.as_bytes()).unwrap();
        assert_eq!(parsed, describe());
        assert_eq!(parsed["error_fields"], json!(DOCUMENT_FIELDS));
        assert_eq!(parsed["version"], env!("CARGO_PKG_VERSION"));
    }
}
