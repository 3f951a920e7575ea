//! The operation table: every operation of a client, by name, with its arguments and its core
//! call. The blocking C functions and the poller both start calls through it, so an operation is
//! written once: adding one is one entry in [`OPERATIONS`].

use crate::args::Args;
use crate::cancel::CancelToken;
use crate::client::{CallAuth, Client};
use crate::error::{Error, ErrorKind, Result};
use crate::sessions::wait::WaitOptions;
use crate::stream::relay::OwnedStart;
use futures_util::future::BoxFuture;
use std::future::Future;
use std::sync::Arc;

/// A call ready to run: it owns everything it uses.
pub type CallFuture = BoxFuture<'static, Result<String>>;

/// Makes a call's future, given the client and an optional cancellation token.
pub type MakeCall = Box<dyn FnOnce(Arc<Client>, Option<Arc<CancelToken>>) -> CallFuture + Send>;

/// A call whose answer is bytes and a JSON document about them.
pub type BytesFuture = BoxFuture<'static, Result<(Vec<u8>, String)>>;

/// Makes a bytes call's future, given the client and an optional cancellation token.
pub type MakeBytesCall =
    Box<dyn FnOnce(Arc<Client>, Option<Arc<CancelToken>>) -> BytesFuture + Send>;

/// What an operation's arguments make.
pub enum Prepared {
    /// A call with one answer.
    Call(MakeCall),
    /// A call whose answer is bytes (and a JSON document about them).
    Bytes(MakeBytesCall),
    /// A stream of events, then a summary.
    Stream(OwnedStart),
}

/// What an operation's successful call gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultKind {
    /// JSON text.
    Json,
    /// Bytes, with a JSON document about them.
    Bytes,
    /// Stream events, then the stream's summary.
    Stream,
}

impl ResultKind {
    /// The kind's name in the description: `"json"`, `"bytes"`, `"stream"`.
    pub const fn name(self) -> &'static str {
        match self {
            ResultKind::Json => "json",
            ResultKind::Bytes => "bytes",
            ResultKind::Stream => "stream",
        }
    }
}

/// The kind of an operation's argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgKind {
    /// A string.
    String,
    /// A JSON object, sent byte for byte as written.
    Object,
    /// A JSON array.
    Array,
    /// Any JSON value, sent byte for byte as written.
    Json,
    /// Raw bytes: the poller's `data`/`data_len` parameters.
    Bytes,
}

impl ArgKind {
    /// The kind's name in the description: `"string"`, `"object"`, `"array"`, `"json"`,
    /// `"bytes"`.
    pub const fn name(self) -> &'static str {
        match self {
            ArgKind::String => "string",
            ArgKind::Object => "object",
            ArgKind::Array => "array",
            ArgKind::Json => "json",
            ArgKind::Bytes => "bytes",
        }
    }
}

/// One argument of an operation: its key in the poller's `args_json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Argument {
    /// The key (the blocking function's parameter name without `_json`).
    pub name: &'static str,
    /// What it holds.
    pub kind: ArgKind,
    /// Whether the call fails without it.
    pub required: bool,
}

const fn arg(name: &'static str, kind: ArgKind, required: bool) -> Argument {
    Argument {
        name,
        kind,
        required,
    }
}

use ArgKind::{Array, Bytes, Json, Object, String as Str};

/// One operation: its name, arguments and result kind, and how its arguments become a call.
pub struct Operation {
    /// The name a poller's `start_call` takes.
    pub name: &'static str,
    /// The blocking C function that runs it (`gumloop_client_<name>`), if there is one.
    pub function: Option<&'static str>,
    /// What a successful call gives.
    pub result: ResultKind,
    /// Its arguments, in the blocking function's order.
    pub arguments: &'static [Argument],
    /// Takes the operation's arguments (each named in its errors) and returns the call.
    pub prepare: fn(&mut Args) -> Result<Prepared>,
}

/// A call operation from a closure of the client, the token and the arguments it took.
fn call<F, Fut>(run: F) -> Prepared
where
    F: FnOnce(Arc<Client>, Option<Arc<CancelToken>>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<String>> + Send + 'static,
{
    Prepared::Call(Box::new(move |client, token| Box::pin(run(client, token))))
}

/// Every operation, in the header's order.
pub static OPERATIONS: &[Operation] = &[
    Operation {
        name: "create_session",
        function: Some("gumloop_client_create_session"),
        result: ResultKind::Json,
        arguments: &[arg("agent_id", Str, true), arg("body", Object, false)],
        prepare: |args| {
            let agent_id = args.text("agent_id")?;
            let body = args.json("body");
            Ok(call(move |c, t| async move {
                let auth = CallAuth::default();
                c.create_session(&agent_id, body.as_deref(), &auth, t.as_deref())
                    .await
            }))
        },
    },
    Operation {
        name: "get_session",
        function: Some("gumloop_client_get_session"),
        result: ResultKind::Json,
        arguments: &[arg("session_id", Str, true)],
        prepare: |args| {
            let session_id = args.text("session_id")?;
            Ok(call(move |c, t| async move {
                c.get_session(&session_id, t.as_deref()).await
            }))
        },
    },
    Operation {
        name: "list_sessions",
        function: Some("gumloop_client_list_sessions"),
        result: ResultKind::Json,
        arguments: &[arg("agent_id", Str, true), arg("query", Object, false)],
        prepare: |args| {
            let agent_id = args.text("agent_id")?;
            let query = args.json("query");
            Ok(call(move |c, t| async move {
                c.list_sessions(&agent_id, query.as_deref(), t.as_deref())
                    .await
            }))
        },
    },
    Operation {
        name: "send_message",
        function: Some("gumloop_client_send_message"),
        result: ResultKind::Json,
        arguments: &[arg("session_id", Str, true), arg("body", Object, false)],
        prepare: |args| {
            let session_id = args.text("session_id")?;
            let body = args.json("body");
            Ok(call(move |c, t| async move {
                c.send_message(&session_id, body.as_deref(), t.as_deref())
                    .await
            }))
        },
    },
    Operation {
        name: "cancel_session",
        function: Some("gumloop_client_cancel_session"),
        result: ResultKind::Json,
        arguments: &[arg("session_id", Str, true)],
        prepare: |args| {
            let session_id = args.text("session_id")?;
            Ok(call(move |c, t| async move {
                c.cancel_session(&session_id, t.as_deref()).await
            }))
        },
    },
    Operation {
        name: "rename_session",
        function: Some("gumloop_client_rename_session"),
        result: ResultKind::Json,
        arguments: &[arg("session_id", Str, true), arg("name", Str, true)],
        prepare: |args| {
            let session_id = args.text("session_id")?;
            let name = args.text("name")?;
            Ok(call(move |c, t| async move {
                c.rename_session(&session_id, &name, t.as_deref()).await
            }))
        },
    },
    Operation {
        name: "wait_session",
        function: Some("gumloop_client_wait_session"),
        result: ResultKind::Json,
        arguments: &[arg("session_id", Str, true), arg("options", Object, false)],
        prepare: |args| {
            let session_id = args.text("session_id")?;
            let options = WaitOptions::parse(args.json("options").as_deref())?;
            Ok(call(move |c, t| async move {
                c.wait_session(&session_id, options, t.as_deref()).await
            }))
        },
    },
    Operation {
        name: "stream_session",
        function: Some("gumloop_client_stream_session"),
        result: ResultKind::Stream,
        arguments: &[arg("agent_id", Str, true), arg("body", Object, false)],
        prepare: |args| {
            Ok(Prepared::Stream(OwnedStart::Create {
                agent_id: args.text("agent_id")?,
                body_json: args.json("body"),
            }))
        },
    },
    Operation {
        name: "stream_message",
        function: Some("gumloop_client_stream_message"),
        result: ResultKind::Stream,
        arguments: &[arg("session_id", Str, true), arg("body", Object, false)],
        prepare: |args| {
            Ok(Prepared::Stream(OwnedStart::Send {
                session_id: args.text("session_id")?,
                body_json: args.json("body"),
            }))
        },
    },
    Operation {
        name: "resume_stream",
        function: Some("gumloop_client_resume_stream"),
        result: ResultKind::Stream,
        arguments: &[arg("session_id", Str, true), arg("cursor", Str, true)],
        prepare: |args| {
            Ok(Prepared::Stream(OwnedStart::Resume {
                session_id: args.text("session_id")?,
                cursor: args.text("cursor")?,
            }))
        },
    },
    Operation {
        name: "upload_file",
        function: Some("gumloop_client_upload_file"),
        result: ResultKind::Json,
        arguments: &[
            arg("session_id", Str, true),
            arg("file_name", Str, true),
            arg("media_type", Str, false),
            arg("data", Bytes, true),
        ],
        prepare: |args| {
            let session_id = args.text("session_id")?;
            let file_name = args.text("file_name")?;
            let media_type = args.optional_text("media_type")?;
            let data = args.data()?;
            Ok(call(move |c, t| async move {
                c.upload_file(
                    &session_id,
                    &file_name,
                    media_type.as_deref(),
                    &data,
                    t.as_deref(),
                )
                .await
            }))
        },
    },
    Operation {
        name: "resolve_approvals",
        function: Some("gumloop_client_resolve_approvals"),
        result: ResultKind::Json,
        arguments: &[arg("session_id", Str, true), arg("body", Object, false)],
        prepare: |args| {
            let session_id = args.text("session_id")?;
            let body = args.json("body");
            Ok(call(move |c, t| async move {
                c.resolve_approvals(&session_id, body.as_deref(), t.as_deref())
                    .await
            }))
        },
    },
    Operation {
        name: "list_queue",
        function: Some("gumloop_client_list_queue"),
        result: ResultKind::Json,
        arguments: &[arg("session_id", Str, true)],
        prepare: |args| {
            let session_id = args.text("session_id")?;
            Ok(call(move |c, t| async move {
                c.list_queue(&session_id, t.as_deref()).await
            }))
        },
    },
    Operation {
        name: "queue_message",
        function: Some("gumloop_client_queue_message"),
        result: ResultKind::Json,
        arguments: &[arg("session_id", Str, true), arg("body", Object, false)],
        prepare: |args| {
            let session_id = args.text("session_id")?;
            let body = args.json("body");
            Ok(call(move |c, t| async move {
                c.queue_message(&session_id, body.as_deref(), t.as_deref())
                    .await
            }))
        },
    },
    Operation {
        name: "edit_queued_message",
        function: Some("gumloop_client_edit_queued_message"),
        result: ResultKind::Json,
        arguments: &[
            arg("session_id", Str, true),
            arg("queued_message_id", Str, true),
            arg("body", Object, false),
        ],
        prepare: |args| {
            let session_id = args.text("session_id")?;
            let queued = args.text("queued_message_id")?;
            let body = args.json("body");
            Ok(call(move |c, t| async move {
                c.edit_queued_message(&session_id, &queued, body.as_deref(), t.as_deref())
                    .await
            }))
        },
    },
    Operation {
        name: "delete_queued_message",
        function: Some("gumloop_client_delete_queued_message"),
        result: ResultKind::Json,
        arguments: &[
            arg("session_id", Str, true),
            arg("queued_message_id", Str, true),
        ],
        prepare: |args| {
            let session_id = args.text("session_id")?;
            let queued = args.text("queued_message_id")?;
            Ok(call(move |c, t| async move {
                c.delete_queued_message(&session_id, &queued, t.as_deref())
                    .await
            }))
        },
    },
    Operation {
        name: "send_queued_message",
        function: Some("gumloop_client_send_queued_message"),
        result: ResultKind::Json,
        arguments: &[
            arg("session_id", Str, true),
            arg("queued_message_id", Str, true),
        ],
        prepare: |args| {
            let session_id = args.text("session_id")?;
            let queued = args.text("queued_message_id")?;
            Ok(call(move |c, t| async move {
                c.send_queued_message(&session_id, &queued, t.as_deref())
                    .await
            }))
        },
    },
    Operation {
        name: "get_session_access",
        function: Some("gumloop_client_get_session_access"),
        result: ResultKind::Json,
        arguments: &[arg("session_id", Str, true)],
        prepare: |args| {
            let session_id = args.text("session_id")?;
            Ok(call(move |c, t| async move {
                c.get_session_access(&session_id, t.as_deref()).await
            }))
        },
    },
    Operation {
        name: "update_session_access",
        function: Some("gumloop_client_update_session_access"),
        result: ResultKind::Json,
        arguments: &[arg("session_id", Str, true), arg("body", Object, false)],
        prepare: |args| {
            let session_id = args.text("session_id")?;
            let body = args.json("body");
            Ok(call(move |c, t| async move {
                c.update_session_access(&session_id, body.as_deref(), t.as_deref())
                    .await
            }))
        },
    },
    Operation {
        name: "list_agents",
        function: Some("gumloop_client_list_agents"),
        result: ResultKind::Json,
        arguments: &[arg("query", Object, false)],
        prepare: |args| {
            let query = args.json("query");
            Ok(call(move |c, t| async move {
                c.list_agents(query.as_deref(), t.as_deref()).await
            }))
        },
    },
    Operation {
        name: "get_agent",
        function: Some("gumloop_client_get_agent"),
        result: ResultKind::Json,
        arguments: &[arg("agent_id", Str, true)],
        prepare: |args| {
            let agent_id = args.text("agent_id")?;
            Ok(call(move |c, t| async move {
                c.get_agent(&agent_id, t.as_deref()).await
            }))
        },
    },
    Operation {
        name: "list_artifacts",
        function: Some("gumloop_client_list_artifacts"),
        result: ResultKind::Json,
        arguments: &[arg("agent_id", Str, true), arg("query", Object, false)],
        prepare: |args| {
            let agent_id = args.text("agent_id")?;
            let query = args.json("query");
            Ok(call(move |c, t| async move {
                c.list_artifacts(&agent_id, query.as_deref(), t.as_deref())
                    .await
            }))
        },
    },
    Operation {
        name: "get_artifact_download",
        function: Some("gumloop_client_get_artifact_download"),
        result: ResultKind::Json,
        arguments: &[arg("artifact_id", Str, true), arg("version_id", Str, false)],
        prepare: |args| {
            let artifact_id = args.text("artifact_id")?;
            let version_id = args.optional_text("version_id")?;
            Ok(call(move |c, t| async move {
                c.get_artifact_download(&artifact_id, version_id.as_deref(), t.as_deref())
                    .await
            }))
        },
    },
    Operation {
        name: "download_artifact",
        function: Some("gumloop_client_download_artifact"),
        result: ResultKind::Bytes,
        arguments: &[
            arg("artifact_id", Str, true),
            arg("version_id", Str, false),
            arg("options", Object, false),
        ],
        prepare: |args| {
            let artifact_id = args.text("artifact_id")?;
            let version_id = args.optional_text("version_id")?;
            let mut options =
                crate::artifacts::DownloadOptions::parse(args.json("options").as_deref())?;
            if let Some(version_id) = version_id {
                if options.version_id.is_some() {
                    return Err(Error::invalid_argument(
                        "version_id",
                        "`version_id` is given both as an argument and in `options`",
                    ));
                }
                options.version_id = Some(version_id);
            }
            Ok(Prepared::Bytes(Box::new(move |c, t| {
                Box::pin(async move {
                    c.download_artifact(&artifact_id, &options, t.as_deref())
                        .await
                })
            })))
        },
    },
    Operation {
        name: "download_artifact_to_file",
        function: Some("gumloop_client_download_artifact_to_file"),
        result: ResultKind::Json,
        arguments: &[
            arg("artifact_id", Str, true),
            arg("path", Str, true),
            arg("options", Object, false),
        ],
        prepare: |args| {
            let artifact_id = args.text("artifact_id")?;
            let path = std::path::PathBuf::from(args.text("path")?);
            let options =
                crate::artifacts::DownloadOptions::parse(args.json("options").as_deref())?;
            Ok(call(move |c, t| async move {
                c.download_artifact_to_file(&artifact_id, &path, &options, t.as_deref())
                    .await
            }))
        },
    },
    Operation {
        name: "send_request",
        function: Some("gumloop_client_send_request"),
        result: ResultKind::Json,
        arguments: &[
            arg("method", Str, true),
            arg("path", Array, true),
            arg("query", Object, false),
            arg("body", Json, false),
        ],
        prepare: |args| {
            let method = args.text("method")?;
            let path = args.required_json("path")?;
            let query = args.json("query");
            let body = args.json("body");
            Ok(call(move |c, t| async move {
                c.send_request(
                    &method,
                    &path,
                    query.as_deref(),
                    body.as_deref(),
                    t.as_deref(),
                )
                .await
            }))
        },
    },
];

/// The operation named `name`.
pub fn find(name: &str) -> Result<&'static Operation> {
    OPERATIONS.iter().find(|op| op.name == name).ok_or_else(|| {
        let known: Vec<&str> = OPERATIONS.iter().map(|op| op.name).collect();
        Error::about(
            ErrorKind::InvalidArgument,
            "operation",
            format!("unknown operation `{name}`; known: {}", known.join(", ")),
        )
    })
}

/// Prepares the operation `name` from `args`, refusing arguments it does not take.
pub fn prepare(name: &str, mut args: Args) -> Result<Prepared> {
    let operation = find(name)?;
    let prepared = (operation.prepare)(&mut args)?;
    args.finish(name)?;
    Ok(prepared)
}

/// The call of the call operation `name` with `args`, for a blocking function.
pub fn call_future(
    name: &str,
    args: Args,
    client: Arc<Client>,
    token: Option<Arc<CancelToken>>,
) -> Result<CallFuture> {
    match prepare(name, args)? {
        Prepared::Call(make) => Ok(make(client, token)),
        Prepared::Bytes(_) | Prepared::Stream(_) => Err(Error::new(
            ErrorKind::Internal,
            format!("the operation `{name}` does not answer with JSON alone"),
        )),
    }
}

/// The start of the streaming operation `name` with `args`, for a blocking function.
pub fn stream_start(name: &str, args: Args) -> Result<OwnedStart> {
    match prepare(name, args)? {
        Prepared::Stream(start) => Ok(start),
        Prepared::Call(_) | Prepared::Bytes(_) => Err(Error::new(
            ErrorKind::Internal,
            format!("the operation `{name}` does not stream"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_unknown_ones_are_refused_by_name() {
        let mut names: Vec<&str> = OPERATIONS.iter().map(|op| op.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), OPERATIONS.len());
        let error = prepare("get_sessions", Args::default()).err().unwrap();
        assert_eq!(error.param.as_deref(), Some("operation"));
        assert!(error.message.contains("get_session,"), "{}", error.message);
    }

    #[test]
    fn arguments_are_checked_by_name() {
        let args = Args::parse(Some(r#"{"session_id":"s","cursor":""}"#)).unwrap();
        assert!(matches!(
            prepare("resume_stream", args),
            Ok(Prepared::Stream(OwnedStart::Resume { .. }))
        ));
        let args = Args::parse(Some(r#"{"session_id":"s","body":{}}"#)).unwrap();
        let error = prepare("get_session", args).err().unwrap();
        assert_eq!(error.param.as_deref(), Some("body"));
        let args = Args::parse(Some(r#"{"session_id":"s","options":{"timeout_ms":0}}"#)).unwrap();
        let error = prepare("wait_session", args).err().unwrap();
        assert_eq!(error.param.as_deref(), Some("timeout_ms"));
    }
}
