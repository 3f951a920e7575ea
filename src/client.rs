//! The client: a checked configuration and a connection pool, and the requests made with them.

use crate::cancel::{with_cancel, CancelToken};
use crate::config::{env_credential, no_credentials, process_env, Config, CredentialSource};
use crate::error::{Error, ErrorKind, Result};
use crate::http::headers::check_header_value;
use crate::http::paths::{build_url, Endpoint};
use crate::http::retry::{settle, Attempts, CallFacts, Creates, Repeat};
use crate::http::server_error;
use crate::http::transport::{classify, read_body, retry_after_ms, Transport};
use crate::secret::Secret;
use reqwest::header::{HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, Url};

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

/// A Gumloop API client. Immutable once built, and safe to share between threads.
pub struct Client {
    config: Config,
    transport: Transport,
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
    /// Per-call credentials.
    pub auth: &'a CallAuth,
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
}

impl<'a> Call<'a> {
    /// A call that expects a JSON answer.
    pub fn json(method: Method, url: Url, body: Option<String>, auth: &'a CallAuth) -> Call<'a> {
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
        if matches!(config.credential, CredentialSource::Environment)
            && env_credential(&process_env).is_none()
        {
            return Err(no_credentials());
        }
        Client::with_config(config)
    }

    /// Builds a client from a checked configuration.
    pub fn with_config(config: Config) -> Result<Client> {
        let transport = Transport::new(&config)?;
        Ok(Client { config, transport })
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

    fn bearer(&self, auth: &CallAuth) -> Result<Secret> {
        if let Some(token) = &auth.access_token {
            return Ok(token.clone());
        }
        match &self.config.credential {
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
        self.request_to(call, None)
    }

    /// Sends `call` and follows its redirects by the rule of [`crate::http::redirect`].
    pub(crate) async fn send(&self, call: &Call<'_>) -> Result<reqwest::Response> {
        let mut response = self.request(call)?.send().await.map_err(classify)?;
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
            response = self
                .request_to(call, Some(&next))?
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
    ) -> Result<reqwest::RequestBuilder> {
        call.auth.check()?;
        let token = self.bearer(call.auth)?;
        // The call's own options (`request_options`), when it runs in a context.
        let context = crate::context::CallContext::current();
        let per_call = context.as_ref().map(|c| &c.options);
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

        let url = match redirected {
            Some(url) => url.clone(),
            None => {
                let mut url = call.url.clone();
                // As the official SDK: the configured team rides on every REST request unless
                // the call names its own (`setdefault`), and not on the streaming host.
                if let Some(team) = &self.config.team_id {
                    let own = url.query_pairs().any(|(key, _)| key == "team_id");
                    if !call.stream && !own {
                        url.query_pairs_mut().append_pair("team_id", team);
                    }
                }
                url
            }
        };
        let pool = self.transport.pool(&self.config)?;
        let mut request = pool
            .request(call.method.clone(), url)
            .header(AUTHORIZATION, bearer);
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
        if let Some(user) = call.auth.user_id.as_ref().or(self.config.user_id.as_ref()) {
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
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        Ok(request)
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
            let wait = match attempts.next_wait(&self.config.retry, call.repeat, error) {
                Ok(wait) => wait,
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
        with_cancel(cancel, async {
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
        .await?
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
