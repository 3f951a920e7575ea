//! The client options, declared once: each one's name, JSON type, default and whether it is a
//! secret. The options parser (`config.rs`) refuses any key not here and any value not of the
//! declared type, and the exported description (`description.rs`) lists this table, so what a
//! binding offers cannot drift from what the library accepts.
//!
//! Adding an option is one row here and its reading in `Config::parse`.

use crate::config::{
    DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_STREAM_IDLE_TIMEOUT, DEFAULT_TIMEOUT,
};
use crate::http::retry::{DEFAULT_MAX_BACKOFF, DEFAULT_MAX_RETRIES};
use serde_json::Value;

/// The JSON type of an option's value (`null` is always accepted and means "not set").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OptionType {
    /// A JSON string.
    String,
    /// A whole number.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// A JSON object.
    Object,
}

impl OptionType {
    /// The type's name in the description: `"string"`, `"integer"`, `"boolean"`, `"object"`.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            OptionType::String => "string",
            OptionType::Integer => "integer",
            OptionType::Boolean => "boolean",
            OptionType::Object => "object",
        }
    }

    /// Whether `value` (not `null`) is of this type.
    pub(crate) fn admits(self, value: &Value) -> bool {
        match self {
            OptionType::String => value.is_string(),
            OptionType::Integer => value.is_u64() || value.is_i64(),
            OptionType::Boolean => value.is_boolean(),
            OptionType::Object => value.is_object(),
        }
    }

    /// What a value of this type is, for an error message.
    const fn described(self) -> &'static str {
        match self {
            OptionType::String => "a string",
            OptionType::Integer => "a whole number",
            OptionType::Boolean => "true or false",
            OptionType::Object => "a JSON object",
        }
    }
}

/// What an option is when it is not given (nor, where the option has one, found in the
/// environment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OptionDefault {
    /// Not set (the description's `null`).
    Unset,
    /// A string.
    String(&'static str),
    /// A whole number.
    Integer(u64),
    /// A flag.
    Boolean(bool),
}

impl OptionDefault {
    /// The default as JSON.
    pub(crate) fn to_json(self) -> Value {
        match self {
            OptionDefault::Unset => Value::Null,
            OptionDefault::String(s) => Value::from(s),
            OptionDefault::Integer(n) => Value::from(n),
            OptionDefault::Boolean(b) => Value::from(b),
        }
    }
}

/// One client option.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ClientOption {
    /// The key in the options JSON.
    pub(crate) name: &'static str,
    /// The JSON type of its value.
    pub(crate) kind: OptionType,
    /// Its value when not given.
    pub(crate) default: OptionDefault,
    /// Whether the value is a credential (or may carry one): never logged, shown or echoed.
    pub(crate) secret: bool,
}

const fn option(
    name: &'static str,
    kind: OptionType,
    default: OptionDefault,
    secret: bool,
) -> ClientOption {
    ClientOption {
        name,
        kind,
        default,
        secret,
    }
}

const fn millis(d: std::time::Duration) -> OptionDefault {
    OptionDefault::Integer(d.as_millis() as u64)
}

use OptionDefault::{Boolean, Integer, Unset};
use OptionType as T;

/// Every client option, in the order the documentation lists them.
pub(crate) const OPTIONS: &[ClientOption] = &[
    option("access_token", T::String, Unset, true),
    option("api_key", T::String, Unset, true),
    option("user_id", T::String, Unset, true),
    option("team_id", T::String, Unset, false),
    option(
        "base_url",
        T::String,
        OptionDefault::String(DEFAULT_BASE_URL),
        false,
    ),
    option("stream_base_url", T::String, Unset, false),
    option("timeout_ms", T::Integer, millis(DEFAULT_TIMEOUT), false),
    option(
        "connect_timeout_ms",
        T::Integer,
        millis(DEFAULT_CONNECT_TIMEOUT),
        false,
    ),
    option(
        "stream_idle_timeout_ms",
        T::Integer,
        millis(DEFAULT_STREAM_IDLE_TIMEOUT),
        false,
    ),
    option("ca_cert_pem", T::String, Unset, false),
    option("ca_cert_path", T::String, Unset, false),
    // A proxy URL may carry a password.
    option("proxy", T::String, Unset, true),
    option("use_env_proxy", T::Boolean, Boolean(true), false),
    option("user_agent_suffix", T::String, Unset, false),
    option(
        "max_response_bytes",
        T::Integer,
        Integer(DEFAULT_MAX_RESPONSE_BYTES),
        false,
    ),
    option(
        "max_upload_bytes",
        T::Integer,
        Integer(DEFAULT_MAX_UPLOAD_BYTES),
        false,
    ),
    option("allow_insecure_http", T::Boolean, Boolean(false), false),
    option("extra_headers", T::Object, Unset, false),
    option(
        "max_retries",
        T::Integer,
        Integer(DEFAULT_MAX_RETRIES as u64),
        false,
    ),
    option(
        "max_backoff_ms",
        T::Integer,
        millis(DEFAULT_MAX_BACKOFF),
        false,
    ),
    option("auto_session_id", T::Boolean, Boolean(false), false),
    // OAuth: refresh after a 401 (`refresh_token` needs `client_id`).
    option("refresh_token", T::String, Unset, true),
    option("client_id", T::String, Unset, false),
    option("client_secret", T::String, Unset, true),
];

/// The option named `name`.
pub(crate) fn find(name: &str) -> Option<&'static ClientOption> {
    OPTIONS.iter().find(|o| o.name == name)
}

/// Checks every key of an options object against the table: an unknown key, or a value (other
/// than `null`) not of the option's type, is a `GUMLOOP_ERR_INVALID_OPTION` naming the key.
pub(crate) fn check_keys_and_types(map: &serde_json::Map<String, Value>) -> crate::Result<()> {
    for (key, value) in map {
        let Some(option) = find(key) else {
            let known: Vec<&str> = OPTIONS.iter().map(|o| o.name).collect();
            return Err(crate::Error::invalid_option(
                key,
                format!(
                    "unknown option `{key}`; known options are: {}",
                    known.join(", ")
                ),
            ));
        };
        if !value.is_null() && !option.kind.admits(value) {
            return Err(crate::Error::invalid_option(
                key,
                format!("option `{key}` must be {}", option.kind.described()),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use serde_json::json;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    /// A value of the wrong type for `kind`.
    fn wrong(kind: OptionType) -> Value {
        match kind {
            OptionType::String => json!(7),
            OptionType::Integer | OptionType::Boolean | OptionType::Object => json!("x"),
        }
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = OPTIONS.iter().map(|o| o.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), OPTIONS.len());
    }

    #[test]
    fn every_option_is_accepted_as_null_and_refused_with_the_wrong_type() {
        for option in OPTIONS {
            let options = json!({ "access_token": "t", option.name: null });
            assert!(
                Config::parse(Some(&options.to_string()), &no_env).is_ok(),
                "{} = null was refused",
                option.name
            );
            let options = json!({ "access_token": "t", option.name: wrong(option.kind) });
            let error = Config::parse(Some(&options.to_string()), &no_env)
                .expect_err(&format!("{} took a wrong type", option.name));
            assert_eq!(
                error.kind,
                crate::ErrorKind::InvalidOption,
                "{}",
                option.name
            );
            assert_eq!(error.param.as_deref(), Some(option.name));
        }
        let error = Config::parse(Some(r#"{"acces_token":"t"}"#), &no_env).unwrap_err();
        assert_eq!(error.param.as_deref(), Some("acces_token"));
    }

    #[test]
    fn the_declared_defaults_are_the_ones_applied() {
        let config = Config::parse(Some(r#"{"access_token":"t"}"#), &no_env).unwrap();
        let integer = |name: &str| match find(name).unwrap().default {
            OptionDefault::Integer(n) => n,
            other => panic!("{name}: {other:?}"),
        };
        let boolean = |name: &str| match find(name).unwrap().default {
            OptionDefault::Boolean(b) => b,
            other => panic!("{name}: {other:?}"),
        };
        let ms = |d: std::time::Duration| d.as_millis() as u64;
        assert_eq!(ms(config.timeout), integer("timeout_ms"));
        assert_eq!(ms(config.connect_timeout), integer("connect_timeout_ms"));
        assert_eq!(
            ms(config.stream_idle_timeout),
            integer("stream_idle_timeout_ms")
        );
        assert_eq!(config.max_response_bytes, integer("max_response_bytes"));
        assert_eq!(config.max_upload_bytes, integer("max_upload_bytes"));
        assert_eq!(u64::from(config.retry.max_retries), integer("max_retries"));
        assert_eq!(ms(config.retry.max_backoff), integer("max_backoff_ms"));
        assert_eq!(config.allow_insecure_http, boolean("allow_insecure_http"));
        assert_eq!(config.auto_session_id, boolean("auto_session_id"));
        match find("base_url").unwrap().default {
            OptionDefault::String(url) => assert_eq!(url, config.base_url.as_str()),
            other => panic!("base_url: {other:?}"),
        }
        // use_env_proxy's default (true) reads the environment: a proxy there is used.
        let env = |name: &str| (name == "https_proxy").then(|| "http://p:1".to_string());
        let config = Config::parse(Some(r#"{"access_token":"t"}"#), &env).unwrap();
        assert_eq!(!config.env_proxies.is_empty(), boolean("use_env_proxy"));
    }
}
