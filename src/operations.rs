//! Every operation of a client, declared once and typed: its name, its arguments (each with its
//! kind and whether it is required) and what it answers (JSON, bytes, or a stream).
//!
//! [`operations!`] turns each declaration into a struct with one field per argument (e.g.
//! [`GetSession`] with `session_id: String`), its descriptor (a row of [`OPERATIONS`], which the
//! exported description lists), its reading from a poller's named arguments, and its
//! preparation into a call. A blocking C function builds its operation's struct directly from
//! its parameters and runs it with the runner of its answer's kind, so a wrong name or a
//! stream/call mismatch does not compile; the poller reads the same struct from `args_json` by
//! name ([`prepare`]).
//!
//! Adding an operation is one entry in the `operations!` list below (and its blocking function
//! in `ffi/`, whose presence `tests/header.rs` checks against the description).

use crate::args::Args;
use crate::cancel::CancelToken;
use crate::client::Client;
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

/// What an operation's arguments make, whatever its kind (the poller's view).
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

/// One operation as the description lists it.
#[derive(Clone, Copy, Debug)]
pub struct Operation {
    /// The name a poller's `start_call` takes.
    pub name: &'static str,
    /// The blocking C function that runs it (`gumloop_client_<name>`), if there is one.
    pub function: Option<&'static str>,
    /// What a successful call gives.
    pub result: ResultKind,
    /// Its arguments, in the blocking function's order.
    pub arguments: &'static [Argument],
}

/// A kind of argument as a type: the Rust value an operation's field holds, and how the poller
/// takes it from `args_json`.
pub trait ArgType {
    /// The field's type.
    type Value;
    /// The kind the description names.
    const KIND: ArgKind;
    /// Whether the call fails without it.
    const REQUIRED: bool;
    /// Takes the argument `name` from a poller's arguments.
    fn take(args: &mut Args, name: &'static str) -> Result<Self::Value>;
}

/// A required string.
pub struct Text;
/// An optional string.
pub struct OptionalText;
/// An optional JSON object, kept as the caller wrote it.
pub struct Object;
/// A required JSON array, kept as the caller wrote it.
pub struct Array;
/// An optional JSON value of any type, kept as the caller wrote it.
pub struct AnyJson;
/// Raw bytes (required).
pub struct Data;

impl ArgType for Text {
    type Value = String;
    const KIND: ArgKind = ArgKind::String;
    const REQUIRED: bool = true;
    fn take(args: &mut Args, name: &'static str) -> Result<String> {
        args.text(name)
    }
}

impl ArgType for OptionalText {
    type Value = Option<String>;
    const KIND: ArgKind = ArgKind::String;
    const REQUIRED: bool = false;
    fn take(args: &mut Args, name: &'static str) -> Result<Option<String>> {
        args.optional_text(name)
    }
}

impl ArgType for Object {
    type Value = Option<String>;
    const KIND: ArgKind = ArgKind::Object;
    const REQUIRED: bool = false;
    fn take(args: &mut Args, name: &'static str) -> Result<Option<String>> {
        Ok(args.json(name))
    }
}

impl ArgType for Array {
    type Value = String;
    const KIND: ArgKind = ArgKind::Array;
    const REQUIRED: bool = true;
    fn take(args: &mut Args, name: &'static str) -> Result<String> {
        args.required_json(name)
    }
}

impl ArgType for AnyJson {
    type Value = Option<String>;
    const KIND: ArgKind = ArgKind::Json;
    const REQUIRED: bool = false;
    fn take(args: &mut Args, name: &'static str) -> Result<Option<String>> {
        Ok(args.json(name))
    }
}

impl ArgType for Data {
    type Value = Vec<u8>;
    const KIND: ArgKind = ArgKind::Bytes;
    const REQUIRED: bool = true;
    fn take(args: &mut Args, _name: &'static str) -> Result<Vec<u8>> {
        args.data()
    }
}

/// A kind of answer as a type: what an operation's preparation makes.
pub trait Answer {
    /// What the preparation makes.
    type Made;
    /// The kind the description names.
    const KIND: ResultKind;
    /// The poller's view of it.
    fn into_prepared(made: Self::Made) -> Prepared;
    /// The same, run as the operation `name` (its log records name it).
    fn named(made: Self::Made, name: &'static str) -> Self::Made;
}

/// JSON text.
pub struct Json;
/// Bytes and a JSON document about them.
pub struct Bytes;
/// Stream events, then a summary.
pub struct Stream;

impl Answer for Json {
    type Made = MakeCall;
    const KIND: ResultKind = ResultKind::Json;
    fn into_prepared(made: MakeCall) -> Prepared {
        Prepared::Call(made)
    }
    fn named(made: MakeCall, name: &'static str) -> MakeCall {
        Box::new(move |client, token| Box::pin(crate::log::in_operation(name, made(client, token))))
    }
}

impl Answer for Bytes {
    type Made = MakeBytesCall;
    const KIND: ResultKind = ResultKind::Bytes;
    fn into_prepared(made: MakeBytesCall) -> Prepared {
        Prepared::Bytes(made)
    }
    fn named(made: MakeBytesCall, name: &'static str) -> MakeBytesCall {
        Box::new(move |client, token| Box::pin(crate::log::in_operation(name, made(client, token))))
    }
}

impl Answer for Stream {
    type Made = OwnedStart;
    const KIND: ResultKind = ResultKind::Stream;
    fn into_prepared(made: OwnedStart) -> Prepared {
        Prepared::Stream(made)
    }
    /// A stream names its operation itself (`Client::stream_to`), on whichever path runs it.
    fn named(made: OwnedStart, _: &'static str) -> OwnedStart {
        made
    }
}

/// One operation, typed: its arguments are its fields.
pub trait TypedOperation: Sized {
    /// What it answers.
    type Answer: Answer;
    /// Its row of the description.
    const DESCRIPTOR: Operation;
    /// Reads it from a poller's named arguments (leftovers are the caller's to refuse).
    fn from_args(args: &mut Args) -> Result<Self>;
    /// Checks what can be checked before sending and makes the call (or the stream's start).
    fn prepare(self) -> Result<<Self::Answer as Answer>::Made>;
}

/// A call from a closure of the client and the token.
fn call<F, Fut>(run: F) -> MakeCall
where
    F: FnOnce(Arc<Client>, Option<Arc<CancelToken>>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<String>> + Send + 'static,
{
    Box::new(move |client, token| Box::pin(run(client, token)))
}

/// A bytes call from a closure of the client and the token.
fn bytes_call<F, Fut>(run: F) -> MakeBytesCall
where
    F: FnOnce(Arc<Client>, Option<Arc<CancelToken>>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(Vec<u8>, String)>> + Send + 'static,
{
    Box::new(move |client, token| Box::pin(run(client, token)))
}

/// Declares the operations: each entry is
/// `name: Struct -> AnswerKind { argument: ArgKind, ... } |op| preparation;`
/// where the preparation turns `op` (the struct) into the answer kind's `Made`.
macro_rules! operations {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident: $Struct:ident -> $answer:ident { $($field:ident: $kind:ident),* $(,)? }
        |$op:ident| $prepare:expr;
    )*) => {
        $(
            $(#[doc = $doc])*
            #[doc = ""]
            #[doc = concat!("The operation `", stringify!($name), "`.")]
            #[derive(Debug)]
            pub struct $Struct {
                $(
                    #[doc = concat!("The argument `", stringify!($field), "`.")]
                    pub $field: <$kind as ArgType>::Value,
                )*
            }

            impl TypedOperation for $Struct {
                type Answer = $answer;
                const DESCRIPTOR: Operation = Operation {
                    name: stringify!($name),
                    function: Some(concat!("gumloop_client_", stringify!($name))),
                    result: <$answer as Answer>::KIND,
                    arguments: &[$(Argument {
                        name: stringify!($field),
                        kind: <$kind as ArgType>::KIND,
                        required: <$kind as ArgType>::REQUIRED,
                    }),*],
                };

                fn from_args(_args: &mut Args) -> Result<Self> {
                    Ok($Struct { $($field: <$kind as ArgType>::take(_args, stringify!($field))?,)* })
                }

                fn prepare(self) -> Result<<$answer as Answer>::Made> {
                    let $op = self;
                    let made: Result<<$answer as Answer>::Made> = $prepare;
                    Ok(<$answer as Answer>::named(made?, stringify!($name)))
                }
            }
        )*

        /// Every operation, in the header's order.
        pub static OPERATIONS: &[Operation] = &[$(<$Struct as TypedOperation>::DESCRIPTOR),*];

        /// Reads the operation `name` from `args` and prepares it; `None` for an unknown name.
        fn prepare_by_name(name: &str, args: Args) -> Option<Result<Prepared>> {
            match name {
                $(stringify!($name) => Some(prepare_typed::<$Struct>(name, args)),)*
                _ => None,
            }
        }
    };
}

/// Reads the operation `O` (named `name`) from `args`, refusing arguments it does not take, and
/// prepares it, for the poller.
fn prepare_typed<O: TypedOperation>(name: &str, mut args: Args) -> Result<Prepared> {
    let operation = O::from_args(&mut args)?;
    args.finish(name)?;
    Ok(<O::Answer as Answer>::into_prepared(operation.prepare()?))
}

operations! {
    /// Creates a session: `POST /agents/{agent_id}/sessions`.
    create_session: CreateSession -> Json { agent_id: Text, body: Object }
    |op| Ok(call(move |c, t| async move {
        c.create_session_as(&op.agent_id, op.body.as_deref(), None, t.as_deref()).await
    }));

    /// Retrieves a session: `GET /sessions/{session_id}`.
    get_session: GetSession -> Json { session_id: Text }
    |op| Ok(call(move |c, t| async move { c.get_session(&op.session_id, t.as_deref()).await }));

    /// Lists an agent's sessions: `GET /agents/{agent_id}/sessions`.
    list_sessions: ListSessions -> Json { agent_id: Text, query: Object }
    |op| Ok(call(move |c, t| async move {
        c.list_sessions(&op.agent_id, op.query.as_deref(), t.as_deref()).await
    }));

    /// Sends a message: `POST /sessions/{session_id}/messages`.
    send_message: SendMessage -> Json { session_id: Text, body: Object }
    |op| Ok(call(move |c, t| async move {
        c.send_message(&op.session_id, op.body.as_deref(), t.as_deref()).await
    }));

    /// Cancels a session: `POST /sessions/{session_id}/cancel`.
    cancel_session: CancelSession -> Json { session_id: Text }
    |op| Ok(call(move |c, t| async move { c.cancel_session(&op.session_id, t.as_deref()).await }));

    /// Renames a session: `PATCH /sessions/{session_id}`.
    rename_session: RenameSession -> Json { session_id: Text, name: Text }
    |op| Ok(call(move |c, t| async move {
        c.rename_session(&op.session_id, &op.name, t.as_deref()).await
    }));

    /// Waits until a session settles.
    wait_session: WaitSession -> Json { session_id: Text, options: Object }
    |op| {
        let options = WaitOptions::parse(op.options.as_deref())?;
        Ok(call(move |c, t| async move {
            c.wait_session(&op.session_id, options, t.as_deref()).await
        }))
    };

    /// Creates a session and streams its run.
    stream_session: StreamSession -> Stream { agent_id: Text, body: Object }
    |op| Ok(OwnedStart::Create { agent_id: op.agent_id, body_json: op.body });

    /// Sends a message and streams the run.
    stream_message: StreamMessage -> Stream { session_id: Text, body: Object }
    |op| Ok(OwnedStart::Send { session_id: op.session_id, body_json: op.body });

    /// Streams a run from a cursor.
    resume_stream: ResumeStream -> Stream { session_id: Text, cursor: Text }
    |op| Ok(OwnedStart::Resume { session_id: op.session_id, cursor: op.cursor });

    /// Uploads a file: `POST /sessions/{session_id}/files`.
    upload_file: UploadFile -> Json {
        session_id: Text, file_name: Text, media_type: OptionalText, data: Data
    }
    |op| Ok(call(move |c, t| async move {
        c.upload_file_bytes(&op.session_id, &op.file_name, op.media_type.as_deref(), op.data.into(), t.as_deref())
            .await
    }));

    /// Resolves pending approvals: `POST /sessions/{session_id}/approvals`.
    resolve_approvals: ResolveApprovals -> Json { session_id: Text, body: Object }
    |op| Ok(call(move |c, t| async move {
        c.resolve_approvals(&op.session_id, op.body.as_deref(), t.as_deref()).await
    }));

    /// Lists a session's queue: `GET /sessions/{session_id}/queue`.
    list_queue: ListQueue -> Json { session_id: Text }
    |op| Ok(call(move |c, t| async move { c.list_queue(&op.session_id, t.as_deref()).await }));

    /// Queues a message: `POST /sessions/{session_id}/queue`.
    queue_message: QueueMessage -> Json { session_id: Text, body: Object }
    |op| Ok(call(move |c, t| async move {
        c.queue_message(&op.session_id, op.body.as_deref(), t.as_deref()).await
    }));

    /// Edits a queued message: `PATCH /sessions/{session_id}/queue/{queued_message_id}`.
    edit_queued_message: EditQueuedMessage -> Json {
        session_id: Text, queued_message_id: Text, body: Object
    }
    |op| Ok(call(move |c, t| async move {
        let (session, queued) = (&op.session_id, &op.queued_message_id);
        c.edit_queued_message(session, queued, op.body.as_deref(), t.as_deref()).await
    }));

    /// Deletes a queued message: `DELETE /sessions/{session_id}/queue/{queued_message_id}`.
    delete_queued_message: DeleteQueuedMessage -> Json { session_id: Text, queued_message_id: Text }
    |op| Ok(call(move |c, t| async move {
        c.delete_queued_message(&op.session_id, &op.queued_message_id, t.as_deref()).await
    }));

    /// Sends a queued message now: `POST /sessions/{session_id}/queue/{queued_message_id}/send`.
    send_queued_message: SendQueuedMessage -> Json { session_id: Text, queued_message_id: Text }
    |op| Ok(call(move |c, t| async move {
        c.send_queued_message(&op.session_id, &op.queued_message_id, t.as_deref()).await
    }));

    /// Reads who can see a session: `GET /sessions/{session_id}/access`.
    get_session_access: GetSessionAccess -> Json { session_id: Text }
    |op| Ok(call(move |c, t| async move {
        c.get_session_access(&op.session_id, t.as_deref()).await
    }));

    /// Changes who can see a session: `PUT /sessions/{session_id}/access`.
    update_session_access: UpdateSessionAccess -> Json { session_id: Text, body: Object }
    |op| Ok(call(move |c, t| async move {
        c.update_session_access(&op.session_id, op.body.as_deref(), t.as_deref()).await
    }));

    /// Lists agents: `GET /agents`.
    list_agents: ListAgents -> Json { query: Object }
    |op| Ok(call(move |c, t| async move { c.list_agents(op.query.as_deref(), t.as_deref()).await }));

    /// Retrieves an agent: `GET /agents/{agent_id}`.
    get_agent: GetAgent -> Json { agent_id: Text }
    |op| Ok(call(move |c, t| async move { c.get_agent(&op.agent_id, t.as_deref()).await }));

    /// Lists an agent's artifacts: `GET /agents/{agent_id}/artifacts`.
    list_artifacts: ListArtifacts -> Json { agent_id: Text, query: Object }
    |op| Ok(call(move |c, t| async move {
        c.list_artifacts(&op.agent_id, op.query.as_deref(), t.as_deref()).await
    }));

    /// Asks where an artifact's bytes are: `GET /artifacts/{artifact_id}/download`.
    get_artifact_download: GetArtifactDownload -> Json {
        artifact_id: Text, version_id: OptionalText
    }
    |op| Ok(call(move |c, t| async move {
        c.get_artifact_download(&op.artifact_id, op.version_id.as_deref(), t.as_deref()).await
    }));

    /// Downloads an artifact's bytes into memory.
    download_artifact: DownloadArtifact -> Bytes {
        artifact_id: Text, version_id: OptionalText, options: Object
    }
    |op| {
        let mut options = crate::artifacts::DownloadOptions::parse(op.options.as_deref())?;
        if let Some(version_id) = op.version_id {
            if options.version_id.is_some() {
                return Err(Error::invalid_argument(
                    "version_id",
                    "`version_id` is given both as an argument and in `options`",
                ));
            }
            options.version_id = Some(version_id);
        }
        let artifact_id = op.artifact_id;
        Ok(bytes_call(move |c, t| async move {
            c.download_artifact(&artifact_id, &options, t.as_deref()).await
        }))
    };

    /// Downloads an artifact into a file.
    download_artifact_to_file: DownloadArtifactToFile -> Json {
        artifact_id: Text, path: Text, options: Object
    }
    |op| {
        let options = crate::artifacts::DownloadOptions::parse(op.options.as_deref())?;
        let path = std::path::PathBuf::from(op.path);
        let artifact_id = op.artifact_id;
        Ok(call(move |c, t| async move {
            c.download_artifact_to_file(&artifact_id, &path, &options, t.as_deref()).await
        }))
    };

    /// Registers an OAuth client: `POST <root>/oauth/register` (JSON).
    oauth_register_client: OAuthRegisterClient -> Json {
        redirect_uri: Text, client_name: OptionalText, scopes: AnyJson
    }
    |op| Ok(call(move |c, t| async move {
        let (name, scopes) = (op.client_name.as_deref(), op.scopes.as_deref());
        c.oauth_register_client(&op.redirect_uri, name, scopes, t.as_deref()).await
    }));

    /// Exchanges an authorization code: `POST <root>/oauth/token` (form).
    oauth_exchange_code: OAuthExchangeCode -> Json {
        client_id: Text, code: Text, redirect_uri: Text, code_verifier: Text,
        client_secret: OptionalText
    }
    |op| Ok(call(move |c, t| async move {
        let secret = op.client_secret.as_deref();
        c.oauth_exchange_code(&op.client_id, &op.code, &op.redirect_uri, &op.code_verifier, secret, t.as_deref())
            .await
    }));

    /// Refreshes an access token: `POST <root>/oauth/token` (form).
    oauth_refresh_token: OAuthRefreshToken -> Json {
        client_id: Text, refresh_token: Text, client_secret: OptionalText
    }
    |op| Ok(call(move |c, t| async move {
        let secret = op.client_secret.as_deref();
        c.oauth_refresh_token(&op.client_id, &op.refresh_token, secret, t.as_deref()).await
    }));

    /// Revokes a token: `POST <root>/oauth/revoke` (form).
    oauth_revoke: OAuthRevoke -> Json { client_id: Text, token: Text }
    |op| Ok(call(move |c, t| async move {
        c.oauth_revoke(&op.client_id, &op.token, t.as_deref()).await
    }));

    /// Sends a request the library does not wrap.
    send_request: SendRequest -> Json { method: Text, path: Array, query: Object, body: AnyJson }
    |op| Ok(call(move |c, t| async move {
        let (query, body) = (op.query.as_deref(), op.body.as_deref());
        c.send_request(&op.method, &op.path, query, body, t.as_deref()).await
    }));
}

/// The error for an operation name that is none of [`OPERATIONS`].
fn unknown(name: &str) -> Error {
    let known: Vec<&str> = OPERATIONS.iter().map(|op| op.name).collect();
    Error::about(
        ErrorKind::InvalidArgument,
        "operation",
        format!("unknown operation `{name}`; known: {}", known.join(", ")),
    )
}

/// Prepares the operation `name` from `args` (a poller's `args_json`), refusing arguments it does
/// not take.
pub fn prepare(name: &str, args: Args) -> Result<Prepared> {
    prepare_by_name(name, args).unwrap_or_else(|| Err(unknown(name)))
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

    #[test]
    fn the_declarations_give_the_descriptors() {
        let d = UploadFile::DESCRIPTOR;
        assert_eq!(
            (d.name, d.function, d.result),
            (
                "upload_file",
                Some("gumloop_client_upload_file"),
                ResultKind::Json
            )
        );
        let kinds: Vec<(&str, ArgKind, bool)> = d
            .arguments
            .iter()
            .map(|a| (a.name, a.kind, a.required))
            .collect();
        assert_eq!(
            kinds,
            [
                ("session_id", ArgKind::String, true),
                ("file_name", ArgKind::String, true),
                ("media_type", ArgKind::String, false),
                ("data", ArgKind::Bytes, true),
            ]
        );
        assert_eq!(DownloadArtifact::DESCRIPTOR.result, ResultKind::Bytes);
        assert_eq!(ResumeStream::DESCRIPTOR.result, ResultKind::Stream);
    }
}
