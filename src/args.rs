//! The named arguments of one operation from a poller's `args_json` object, read with errors that
//! name the argument (the blocking C functions build their typed operations directly instead).
//!
//! A key's name is the blocking function's parameter name without `_json` (`agent_id`, `body`,
//! `query`, `options`, `cursor`, …). An absent or `null` argument is as a NULL pointer: optional
//! ones are then not sent, required ones fail with `NullArgument`. JSON arguments keep the
//! caller's bytes exactly.

use crate::error::{Error, ErrorKind, Result};
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// The arguments of one call; each is taken once, and [`Args::finish`] refuses the rest.
#[derive(Debug, Default)]
pub struct Args {
    values: BTreeMap<String, Box<RawValue>>,
    /// Raw bytes for operations that take them (a file's content).
    data: Option<Vec<u8>>,
}

fn invalid(param: &str, message: String) -> Error {
    Error::about(ErrorKind::InvalidArgument, param, message)
}

impl Args {
    /// Parses `args_json`, a JSON object (NULL or blank means `{}`).
    pub fn parse(args_json: Option<&str>) -> Result<Args> {
        let text = args_json.map(str::trim).unwrap_or("");
        if text.is_empty() {
            return Ok(Args::default());
        }
        let values: BTreeMap<String, Box<RawValue>> = serde_json::from_str(text).map_err(|e| {
            let kind = if e.is_data() {
                ErrorKind::InvalidArgument
            } else {
                ErrorKind::InvalidJson
            };
            Error::about(
                kind,
                "args_json",
                format!("`args_json` must be a JSON object of arguments: {e}"),
            )
        })?;
        let values = values
            .into_iter()
            .filter(|(_, v)| v.get() != "null")
            .collect();
        Ok(Args { values, data: None })
    }

    /// Adds raw bytes (nothing for `None`).
    pub fn with_data(mut self, data: Option<Vec<u8>>) -> Args {
        self.data = data;
        self
    }

    /// Takes the raw bytes, required by the operations that take them.
    pub fn data(&mut self) -> Result<Vec<u8>> {
        self.data.take().ok_or_else(|| {
            Error::about(
                ErrorKind::NullArgument,
                "data",
                "this operation needs `data` (raw bytes)",
            )
        })
    }

    /// Takes the required string argument `name`.
    pub fn text(&mut self, name: &str) -> Result<String> {
        self.optional_text(name)?.ok_or_else(|| {
            Error::about(
                ErrorKind::NullArgument,
                name,
                format!("`{name}` is required (it was missing or null)"),
            )
        })
    }

    /// Takes the optional string argument `name`.
    pub fn optional_text(&mut self, name: &str) -> Result<Option<String>> {
        match self.values.remove(name) {
            None => Ok(None),
            Some(raw) => serde_json::from_str::<String>(raw.get())
                .map(Some)
                .map_err(|_| invalid(name, format!("`{name}` must be a JSON string"))),
        }
    }

    /// Takes the optional JSON argument `name` as JSON text, byte for byte as given.
    pub fn json(&mut self, name: &str) -> Option<String> {
        self.values.remove(name).map(|raw| raw.get().to_owned())
    }

    /// Takes the required JSON argument `name` as JSON text, byte for byte as given.
    pub fn required_json(&mut self, name: &str) -> Result<String> {
        self.json(name).ok_or_else(|| {
            Error::about(
                ErrorKind::NullArgument,
                name,
                format!("`{name}` is required (it was missing or null)"),
            )
        })
    }

    /// Refuses any argument `operation` did not take.
    pub fn finish(self, operation: &str) -> Result<()> {
        if self.data.is_some() {
            return Err(invalid(
                "data",
                format!("the operation `{operation}` takes no `data`"),
            ));
        }
        match self.values.into_keys().next() {
            None => Ok(()),
            Some(key) => Err(invalid(
                &key,
                format!("`{key}` is not an argument of the operation `{operation}`"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_json_are_taken_once_and_leftovers_are_refused() {
        let mut args =
            Args::parse(Some(r#"{"agent_id":"a","body":{"b": 1,"a":2},"x":null}"#)).unwrap();
        assert_eq!(args.text("agent_id").unwrap(), "a");
        assert_eq!(args.json("body").as_deref(), Some(r#"{"b": 1,"a":2}"#));
        assert_eq!(args.json("body"), None);
        args.finish("create_session").unwrap();

        let mut args = Args::parse(Some(r#"{"agent_id":7,"typo":1}"#)).unwrap();
        let error = args.text("agent_id").unwrap_err();
        assert_eq!(
            (error.kind, error.param.as_deref()),
            (ErrorKind::InvalidArgument, Some("agent_id"))
        );
        let error = args.finish("get_session").unwrap_err();
        assert_eq!(error.param.as_deref(), Some("typo"));
    }

    #[test]
    fn a_missing_required_argument_is_a_null_argument_and_bad_json_is_named() {
        let mut args = Args::parse(None).unwrap();
        let error = args.text("session_id").unwrap_err();
        assert_eq!(
            (error.kind, error.param.as_deref()),
            (ErrorKind::NullArgument, Some("session_id"))
        );
        let error = Args::parse(Some("[1]")).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidArgument);
        let error = Args::parse(Some("{")).unwrap_err();
        assert_eq!(
            (error.kind, error.param.as_deref()),
            (ErrorKind::InvalidJson, Some("args_json"))
        );
    }
}
