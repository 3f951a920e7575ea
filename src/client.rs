//! The client: a checked configuration and a connection pool, and the requests made with them.

use crate::cancel::{with_cancel, CancelToken};
use crate::config::{env_credential, no_credentials, process_env, Config, CredentialSource};
use crate::credentials::{Credentials, LiveCredentials};
use crate::error::{Error, ErrorKind, Result};
use crate::http::headers::check_header_value;
use crate::http::paths::{build_url, Endpoint};
use crate::http::retry::{settle, Attempts, CallFacts, Creates, Repeat};
use crate::http::server_error;
use crate::http::transport::{classify, read_body, retry_after_ms, Transport};
use crate::log::record::{millis, path_of, Event, Record};
use crate::log::Level;
use crate::oauth::refresh::Refresher;
use crate::redact::Redactor;
use crate::secret::Secret;
use reqwest::header::{
    HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE,
};
use reqwest::{Method, Url};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

/// Credentials given for one call, overriding the client's (the one-shot C call uses these).
#[derive(Clone, Debug, Default)]
pub struct CallAuth {
    /// Bearer credential for this call.
    pub access_token: Option<Secret>,
    /// `x-auth-key` for this call.
    pub user_id: Option<String>,
}

impl CallAuth {
    /// Checks the header values before anything is sent.
    pub fn check(&self) -> Result<()> {
        if let Some(token) = &self.access_token {
            check_header_value(ErrorKind::InvalidArgument, "access_token", token.expose())?;
        }
        if let Some(user) = &self.user_id {
            check_header_value(ErrorKind::InvalidArgument, "user_id", user)?;
        }
        Ok(())
    }
}

/// A Gumloop API client, safe to share between threads. Its configuration is fixed once built;
/// its credentials can be replaced while it runs ([`Client::set_credentials`]) and are renewed
/// after a 401 when it has a refresh token.
pub struct Client {
    config: Config,
    transport: Transport,
    /// The credentials every request reads when it starts.
    pub(crate) live: LiveCredentials,
    /// The single-flight refresh after a 401, and the token pairs it got.
    pub(crate) refresher: Refresher,
}

impl std::fmt::Debug for Client {
    /// Shows the configuration; the credential prints as `[redacted]`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// One request, before it is sent.
pub(crate) struct Call<'a> {
    /// The HTTP method.
    pub method: Method,
    /// The full URL, without the configured `team_id` (added here to REST calls).
    pub url: Url,
    /// A JSON body.
    pub body: Option<String>,
    /// Per-call credentials (only the one-shot call has them); the client's when `None`.
    pub auth: Option<&'a CallAuth>,
    /// Extra headers for this call only (e.g. `Idempotency-Key`).
    pub headers: Vec<(&'static str, String)>,
    /// Whether the answer is an event stream: no whole-request timeout, `Accept: text/event-stream`.
    pub stream: bool,
    /// How safe the request is to repeat after a failure.
    pub repeat: Repeat,
    /// Whether an empty success body is accepted (answered as `null`), as for HEAD or 204.
    pub allow_empty: bool,
    /// What the request makes when the server acts on it (said in the error of a call whose
    /// outcome is unknown).
    pub creates: Option<Creates>,
    /// The session the request creates (a keyed create) or writes to, when known.
    pub session_id: Option<String>,
    /// A JSON body streamed instead of `body` (sent when `body` is `None`).
    pub streamed_body: Option<StreamedBody>,
    /// The body's media type.
    pub content_type: &'static str,
    /// Sent without the client's credentials, `team_id` or refresh (the `/oauth/*` calls).
    pub anonymous: bool,
    /// Requests sent for this call so far (numbers the attempts in log records).
    pub sent: AtomicU32,
}

/// A request body streamed rather than held whole (an upload's base64), made afresh for each
/// attempt, of a known length (sent as `Content-Length`).
#[derive(Clone)]
pub(crate) struct StreamedBody {
    /// Makes the body's stream.
    pub make: std::sync::Arc<dyn Fn() -> reqwest::Body + Send + Sync>,
    /// Its exact length in bytes.
    pub length: u64,
}

impl<'a> Call<'a> {
    /// A call that expects a JSON answer, made with the client's credentials.
    pub fn api(method: Method, url: Url, body: Option<String>) -> Call<'a> {
        Call::with_auth(method, url, body, None)
    }

    /// A call that expects a JSON answer, with per-call credentials or none.
    pub fn with_auth(
        method: Method,
        url: Url,
        body: Option<String>,
        auth: Option<&'a CallAuth>,
    ) -> Call<'a> {
        let repeat = if method == Method::GET || method == Method::HEAD {
            Repeat::Idempotent
        } else {
            Repeat::Unsafe
        };
        Call {
            repeat,
            method,
            url,
            body,
            auth,
            headers: Vec::new(),
            stream: false,
            allow_empty: false,
            creates: None,
            session_id: None,
            streamed_body: None,
            content_type: "application/json",
            anonymous: false,
            sent: AtomicU32::new(0),
        }
    }

    /// The facts `retry::settle` needs to settle this call's error.
    pub fn facts(&self, may_have_acted: bool) -> CallFacts<'_> {
        CallFacts {
            repeat: self.repeat,
            creates: self.creates,
            session_id: self.session_id.as_deref(),
            may_have_acted,
        }
    }
}

impl Client {
    /// Builds a client from `options_json` (NULL means `{}`) and the process environment.
    ///
    /// Fails with `NoCredentials` when no credential is given and none is in the environment.
    pub fn new(options_json: Option<&str>) -> Result<Client> {
        let config = Config::parse(options_json, &process_env)?;
        // An OAuth client (`client_id`) may start without a token: it signs in, or refreshes.
        if matches!(config.credential, CredentialSource::Environment)
            && config.oauth_client.is_none()
            && env_credential(&process_env).is_none()
        {
            return Err(no_credentials());
        }
        Client::with_config(config)
    }

    /// Builds a client from a checked configuration.
    pub fn with_config(config: Config) -> Result<Client> {
        let transport = Transport::new(&config)?;
        let live = LiveCredentials::new(Credentials {
            access: config.credential.clone(),
            user_id: config.user_id.clone(),
            refresh_token: config.refresh_token.clone(),
            generation: 0,
        });
        Ok(Client {
            config,
            transport,
            live,
            refresher: Refresher::default(),
        })
    }

    /// Replaces some of the client's credentials from `credentials_json` (see
    /// `gumloop_client_set_credentials`) for the requests that start afterwards, and returns the
    /// credentials' new generation. Nothing changes when the JSON is refused.
    pub fn set_credentials(&self, credentials_json: &str) -> Result<u64> {
        self.live
            .apply_json(credentials_json, self.config.oauth_client.is_some())
    }

    /// The user ID the client sends now (`x-auth-key`), if any.
    pub(crate) fn user_id(&self) -> Option<String> {
        self.live.snapshot().user_id.clone()
    }

    /// The client's configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The connection pool of the current process.
    pub(crate) fn pool(&self) -> Result<reqwest::Client> {
        self.transport.pool(&self.config)
    }

    /// The URL of `endpoint` under the REST base.
    pub(crate) fn rest_url(&self, endpoint: Endpoint<'_>) -> Result<Url> {
        build_url(&self.config.base_url, endpoint)
    }

    /// The URL of `endpoint` under the streaming base.
    pub(crate) fn stream_url(&self, endpoint: Endpoint<'_>) -> Result<Url> {
        build_url(&self.config.stream_base_url, endpoint)
    }

    fn bearer(&self, auth: Option<&CallAuth>, creds: &Credentials) -> Result<Secret> {
        if let Some(token) = auth.and_then(|a| a.access_token.as_ref()) {
            return Ok(token.clone());
        }
        match &creds.access {
            CredentialSource::Fixed(token) => Ok(token.clone()),
            CredentialSource::Environment => {
                let token = env_credential(&process_env).ok_or_else(no_credentials)?;
                check_header_value(
                    ErrorKind::InvalidArgument,
                    "GUMLOOP_ACCESS_TOKEN",
                    token.expose(),
                )?;
                Ok(token)
            }
        }
    }

    /// Builds the HTTP request for `call`: credentials, team, headers and body.
    pub(crate) fn request(&self, call: &Call<'_>) -> Result<reqwest::RequestBuilder> {
        self.request_to(call, None, &self.live.snapshot())
    }

    /// Sends `call` (following its redirects); a 401 met with the client's own credentials,
    /// when it has a refresh token, renews them once (shared with the calls that met it too)
    /// and sends `call` again once. A refresh that fails ends the call with the 401's error and
    /// the refresh's error in its `details.refresh`.
    pub(crate) async fn send(&self, call: &Call<'_>) -> Result<reqwest::Response> {
        let creds = self.live.snapshot();
        let refreshes = self.refreshes(call, &creds);
        if refreshes && self.lacks_token(&creds) {
            // A client given only a refresh token gets its first access token now.
            let seen = self.refresher.attempts();
            if let Err(refresh) = self.refresh_after_401(creds.generation, seen).await {
                let error = Error::about(
                    ErrorKind::NoCredentials,
                    "access_token",
                    "no access token, and getting one with the refresh token failed",
                );
                return Err(with_refresh_error(error, &refresh));
            }
            return self.send_as(call, &self.live.snapshot()).await;
        }
        let seen = self.refresher.attempts();
        let response = self.send_as(call, &creds).await?;
        if response.status() != reqwest::StatusCode::UNAUTHORIZED || !refreshes {
            return Ok(response);
        }
        match self.refresh_after_401(creds.generation, seen).await {
            Ok(()) => self.send_as(call, &self.live.snapshot()).await,
            Err(refresh) => Err(with_refresh_error(self.error_of(response).await, &refresh)),
        }
    }

    /// Whether a 401 of `call` sent with `creds` may be answered by a refresh: the call uses
    /// the client's own credentials, and the client has an OAuth client ID and a refresh token.
    fn refreshes(&self, call: &Call<'_>, creds: &Credentials) -> bool {
        !call.anonymous
            && call.auth.and_then(|a| a.access_token.as_ref()).is_none()
            && creds.refresh_token.is_some()
            && self.config.oauth_client.is_some()
    }

    /// Whether `creds` give no access token at all (none set, none in the environment).
    fn lacks_token(&self, creds: &Credentials) -> bool {
        matches!(creds.access, CredentialSource::Environment)
            && env_credential(&process_env).is_none()
    }

    /// One attempt: `call` sent with `creds`, its redirects followed, logged.
    async fn send_as(&self, call: &Call<'_>, creds: &Credentials) -> Result<reqwest::Response> {
        let attempt = call.sent.fetch_add(1, Ordering::Relaxed) + 1;
        let started = Instant::now();
        let result = self.send_following(call, creds).await;
        let status = result.as_ref().ok().map(|r| r.status().as_u16());
        let failed = status.is_none_or(|s| s >= 400);
        let level = if failed { Level::Info } else { Level::Debug };
        if crate::log::enabled(level) {
            let path = path_of(&call.url);
            let elapsed = millis(started.elapsed());
            let outcome = match (&result, status) {
                (_, Some(status)) => status.to_string(),
                (Err(e), None) => e.kind.name().to_string(),
                (Ok(_), None) => String::new(),
            };
            let mut record = Record::new(
                level,
                Event::Attempt,
                format!(
                    "{} {path} -> {outcome} in {elapsed} ms (attempt {attempt})",
                    call.method
                ),
            )
            .with("method", call.method.as_str())
            .with("path", path)
            .with("status", status);
            if let Err(e) = &result {
                record = record.with("error", e.kind.name());
            }
            crate::log::emit(record.with("duration_ms", elapsed).with("attempt", attempt));
        }
        result
    }

    /// Sends `call` with `creds` and follows its redirects by the rule of
    /// [`crate::http::redirect`].
    async fn send_following(
        &self,
        call: &Call<'_>,
        creds: &Credentials,
    ) -> Result<reqwest::Response> {
        let mut response = self
            .request_to(call, None, creds)?
            .send()
            .await
            .map_err(classify)?;
        let mut hops = 0;
        loop {
            let current = response.url().clone();
            let next = crate::http::redirect::next_hop(
                &call.method,
                &call.url,
                &current,
                &response,
                hops,
            )?;
            let Some(next) = next else {
                if let Some(context) = crate::context::CallContext::current() {
                    context.record_answer(response.headers());
                }
                return Ok(response);
            };
            hops += 1;
            if crate::log::enabled(Level::Debug) {
                let (from, to) = (path_of(&current), path_of(&next));
                let status = response.status().as_u16();
                crate::log::emit(
                    Record::new(
                        Level::Debug,
                        Event::Redirect,
                        format!("{} {from} -> {status}, following to {to}", call.method),
                    )
                    .with("method", call.method.as_str())
                    .with("path", from)
                    .with("status", status)
                    .with("to_path", to),
                );
            }
            response = self
                .request_to(call, Some(&next), creds)?
                .send()
                .await
                .map_err(classify)?;
        }
    }

    /// As [`Client::request`]; a redirect's `url` is used as the server gave it.
    fn request_to(
        &self,
        call: &Call<'_>,
        redirected: Option<&Url>,
        creds: &Credentials,
    ) -> Result<reqwest::RequestBuilder> {
        if let Some(auth) = call.auth {
            auth.check()?;
        }
        // The call's own options (`request_options`), when it runs in a context.
        let context = crate::context::CallContext::current();
        let per_call = context.as_ref().map(|c| &c.options);
        let url = match redirected {
            Some(url) => url.clone(),
            None => {
                let mut url = call.url.clone();
                // As the official SDK: the configured team rides on every REST request unless
                // the call names its own (`setdefault`), and not on the streaming host.
                if let (Some(team), false) = (&self.config.team_id, call.anonymous) {
                    let own = url.query_pairs().any(|(key, _)| key == "team_id");
                    if !call.stream && !own {
                        url.query_pairs_mut().append_pair("team_id", team);
                    }
                }
                url
            }
        };
        let pool = self.transport.pool(&self.config)?;
        let mut request = pool.request(call.method.clone(), url);
        if !call.anonymous {
            request = request.header(AUTHORIZATION, self.bearer_header(call, creds)?);
        }
        request = if call.stream {
            request.header(ACCEPT, "text/event-stream")
        } else {
            let timeout = per_call.and_then(|o| o.timeout);
            request
                .timeout(timeout.unwrap_or(self.config.timeout))
                .header(ACCEPT, "application/json")
        };
        for (name, value) in &call.headers {
            request = request.header(*name, value.as_str());
        }
        let per_call_user = call.auth.and_then(|a| a.user_id.as_ref());
        let user = per_call_user.or(creds.user_id.as_ref());
        if let (Some(user), false) = (user, call.anonymous) {
            let mut value = HeaderValue::try_from(user.as_str()).map_err(|_| {
                Error::invalid_argument("user_id", "the user ID is not a valid header value")
            })?;
            value.set_sensitive(true);
            request = request.header(HeaderName::from_static("x-auth-key"), value);
        }
        // A call's own extra header replaces the client's of the same name.
        for (name, value) in &self.config.extra_headers {
            if !per_call.is_some_and(|o| o.has_header(name)) {
                request = request.header(name.as_str(), value.as_str());
            }
        }
        for (name, value) in per_call.map_or(&[][..], |o| &o.extra_headers[..]) {
            request = request.header(name.as_str(), value.as_str());
        }
        request = self.trace_headers(
            request,
            per_call.is_some_and(|o| o.has_header("traceparent")),
        );
        if let (Some(context), None) = (&context, redirected) {
            context.record_attempt();
        }
        if let Some(body) = &call.body {
            request = request
                .header(CONTENT_TYPE, call.content_type)
                .body(body.clone());
        }
        if let (None, Some(streamed)) = (&call.body, &call.streamed_body) {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .header(CONTENT_LENGTH, streamed.length)
                .body((streamed.make)());
        }
        Ok(request)
    }

    /// The `Authorization` header of `call` sent with `creds`.
    fn bearer_header(&self, call: &Call<'_>, creds: &Credentials) -> Result<HeaderValue> {
        let token = self.bearer(call.auth, creds)?;
        // The header text is built in a buffer that is wiped when dropped; the copy the HTTP
        // stack keeps in the header value is marked sensitive (never printed).
        let text = zeroize::Zeroizing::new(format!("Bearer {}", token.expose()));
        let mut bearer = HeaderValue::from_str(&text).map_err(|_| {
            Error::invalid_argument(
                "access_token",
                "the access token is not a valid header value",
            )
        })?;
        bearer.set_sensitive(true);
        Ok(bearer)
    }

    /// W3C trace context from `TRACEPARENT`/`TRACESTATE`, read on every request; an explicit
    /// extra header (the client's, or the call's: `per_call_traceparent`) wins.
    fn trace_headers(
        &self,
        mut request: reqwest::RequestBuilder,
        per_call_traceparent: bool,
    ) -> reqwest::RequestBuilder {
        let has = |name: &str| {
            self.config
                .extra_headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case(name))
        };
        if per_call_traceparent || has("traceparent") {
            return request;
        }
        let valid = |v: &String| check_header_value(ErrorKind::InvalidArgument, "", v).is_ok();
        if let Some(parent) = process_env("TRACEPARENT").filter(valid) {
            request = request.header("traceparent", parent);
            if let Some(state) = process_env("TRACESTATE").filter(valid) {
                request = request.header("tracestate", state);
            }
        }
        request
    }

    /// Sends `call`, repeating it when the retry policy says that is safe, and returns the JSON
    /// answer of a 2xx status as text, unchanged.
    pub(crate) async fn execute(
        &self,
        call: Call<'_>,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        self.execute_counted(&call, cancel).await.0
    }

    /// As `execute`, also telling what the attempts saw. The error is settled (`retryable`,
    /// and what a write may have created) by `retry::settle`.
    pub(crate) async fn execute_counted(
        &self,
        call: &Call<'_>,
        cancel: Option<&CancelToken>,
    ) -> (Result<String>, Attempts) {
        let mut attempts = Attempts::default();
        loop {
            // A token triggered before the attempt stops it before anything is sent.
            let sent = !cancel.is_some_and(CancelToken::is_cancelled);
            attempts.count += 1;
            let error = match self.attempt(call, cancel).await {
                Ok(text) => return (Ok(text), attempts),
                Err(error) => error,
            };
            let in_flight = sent && error.kind == ErrorKind::Cancelled;
            attempts.outcome_unknown |= in_flight;
            let seen = (error.kind, error.status());
            let wait = match attempts.next_wait(&self.config.retry, call.repeat, error) {
                Ok(wait) => {
                    crate::log::retry(attempts.count, seen, wait);
                    wait
                }
                Err(error) => {
                    let facts = call.facts(attempts.outcome_unknown);
                    return (Err(settle(error, &facts)), attempts);
                }
            };
            if let Err(cancelled) = with_cancel(cancel, tokio::time::sleep(wait)).await {
                let error = Error {
                    attempts: attempts.count,
                    ..cancelled
                };
                return (
                    Err(settle(error, &call.facts(attempts.outcome_unknown))),
                    attempts,
                );
            }
        }
    }

    /// One attempt of `call`.
    async fn attempt(&self, call: &Call<'_>, cancel: Option<&CancelToken>) -> Result<String> {
        let outcome = with_cancel(cancel, async {
            let response = self.send(call).await?;
            let status = response.status().as_u16();
            if !(200..300).contains(&status) {
                return Err(self.error_of(response).await);
            }
            let bytes = read_body(response, self.config.max_response_bytes).await?;
            if call.allow_empty && bytes.is_empty() {
                return Ok("null".to_string());
            }
            json_text(bytes, status)
        })
        .await?;
        outcome.map_err(|error| self.credential_redactor(call.auth).scrub(error))
    }

    /// A redactor of the credentials a call with `auth` sends (its token and user ID), for the
    /// server text the library passes on: a server may echo a request's headers.
    pub(crate) fn credential_redactor(&self, auth: Option<&CallAuth>) -> Redactor {
        let creds = self.live.snapshot();
        let mut redactor = Redactor::new();
        if let Ok(token) = self.bearer(auth, &creds) {
            redactor = redactor.secret(token.expose());
        }
        if let Some(refresh) = &creds.refresh_token {
            redactor = redactor.secret(refresh.expose());
        }
        let per_call_user = auth.and_then(|a| a.user_id.as_ref());
        if let Some(user) = per_call_user.or(creds.user_id.as_ref()) {
            redactor = redactor.secret(user);
        }
        redactor
    }

    /// The error for a response with an error status, reading (a bounded amount of) its body.
    pub(crate) async fn error_of(&self, response: reqwest::Response) -> Error {
        let status = response.status().as_u16();
        let retry_after = retry_after_ms(&response);
        match read_body(response, self.config.max_response_bytes).await {
            Ok(bytes) => server_error::from_response(status, &bytes, retry_after),
            Err(e) => e,
        }
    }
}

/// `error` with the error document of the refresh that failed in its `details.refresh`.
fn with_refresh_error(mut error: Error, refresh: &Error) -> Error {
    let mut details = serde_json::Map::new();
    details.insert("refresh".into(), refresh.to_document()["error"].clone());
    error.details = Some(Box::new(serde_json::Value::Object(details)));
    error
}

/// Checks that a success body is JSON and returns it unchanged, as text.
fn json_text(bytes: Vec<u8>, status: u16) -> Result<String> {
    let problem = serde_json::from_slice::<serde::de::IgnoredAny>(&bytes)
        .err()
        .map(|e| e.to_string());
    let (why, bytes) = match (problem, String::from_utf8(bytes)) {
        (None, Ok(text)) => return Ok(text),
        (Some(why), Ok(text)) => (why, text.into_bytes()),
        (_, Err(e)) => (e.to_string(), e.into_bytes()),
    };
    let mut error = server_error::from_response(status, &bytes, None);
    error.kind = ErrorKind::InvalidResponse;
    error.message =
        format!("the server answered HTTP {status} with a body that is not JSON: {why}");
    Err(error)
}
