//! What every vendor's client carries besides its base URL and HTTP client, and how it sends
//! a request: authentication and default headers, retries, tracing.

use std::fmt;
use std::time::{Duration, Instant};

use progenitor_client::OperationInfo;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tracing::Instrument;
use tracing::field::Empty;

use crate::auth::Credentials;
use crate::headers::{RateLimit, server_wait, trace_id};
use crate::response::ResponseContext;
use crate::retry::{BodyWait, RetryPolicy};

/// Per-client request settings: the credentials, the headers added to every request (the API
/// key among them when the vendor fixes a header scheme), the deadlines, the retry policy and
/// the response size limit.
///
/// The API key is kept as a sensitive header value or as redacted credentials and never appears
/// in `Debug` output.
#[derive(Clone)]
pub struct Runtime {
    /// The API's name, for logs.
    api: &'static str,
    /// Headers added to every request: authentication first, then the caller's extras.
    headers: HeaderMap,
    /// The key and the scheme the vendor fixes; a generated `send()` applies an operation's own.
    credentials: Credentials,
    /// How long a whole call may take: every attempt and every wait between them.
    timeout: Duration,
    /// How long one attempt may take, when shorter than what is left of `timeout`.
    attempt_timeout: Option<Duration>,
    retry: RetryPolicy,
    max_body: usize,
}

impl Runtime {
    pub(crate) fn new(
        api: &'static str,
        (credentials, headers): (Credentials, HeaderMap),
        (timeout, attempt_timeout): (Duration, Option<Duration>),
        retry: RetryPolicy,
        max_body: usize,
    ) -> Self {
        Self { api, headers, credentials, timeout, attempt_timeout, retry, max_body }
    }

    /// The key and the scheme the vendor fixes, for `crate::auth::apply`.
    pub(crate) fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The names of the headers added to every request (values are not shown: one is a secret).
    pub fn header_names(&self) -> impl Iterator<Item = &HeaderName> {
        self.headers.keys()
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Sends `request` with the client's headers, retrying as the policy allows, inside a
    /// tracing span that records the method, path, status, latency and the server's trace id.
    ///
    /// Outside a Tokio runtime, where reqwest and the timers would panic, nothing is sent and
    /// the error says what is missing.
    pub(crate) async fn execute(
        &self,
        http: &reqwest::Client,
        mut request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        if tokio::runtime::Handle::try_current().is_err()
            && let Some(err) = outside_tokio(request.url()).await
        {
            return Err(self.credentials.redact_error(err));
        }
        self.credentials.add_fixed(&mut request);
        for (name, value) in &self.headers {
            request.headers_mut().insert(name.clone(), value.clone());
        }
        // Only the path goes into the span: query strings may carry personal data.
        let span = tracing::info_span!(
            "http_request",
            api = self.api,
            operation = info.operation_id,
            method = %request.method(),
            path = request.url().path(),
            status = Empty,
            attempts = Empty,
            latency_ms = Empty,
            trace_id = Empty,
        );
        let attempts = self.send_with_retries(http, request, info.operation_id, &span);
        // Entering and leaving a span on every poll has a cost even when no subscriber wants it.
        if span.is_disabled() { attempts.await } else { attempts.instrument(span.clone()).await }
    }

    async fn send_with_retries(
        &self,
        http: &reqwest::Client,
        mut request: reqwest::Request,
        operation: &'static str,
        span: &tracing::Span,
    ) -> reqwest::Result<reqwest::Response> {
        let method = request.method().clone();
        let started = Instant::now();
        let mut attempt_started = started;
        let mut attempt = 1;
        loop {
            // A body that is a stream cannot be cloned, and the request is then sent once.
            let spare = (attempt < self.retry.attempts()).then(|| request.try_clone()).flatten();
            // reqwest's per-request timeout covers connecting, sending and reading the body, so
            // the deadline also holds while the decoders read the last response.
            let left = self.timeout.saturating_sub(attempt_started.saturating_duration_since(started));
            *request.timeout_mut() = Some(self.attempt_timeout.map_or(left, |limit| limit.min(left)));
            // A key in the query is redacted from the URL of what comes back, before anything
            // (a log line, an error) can show it.
            let outcome = http
                .execute(request)
                .await
                .map(|response| self.credentials.redact_response(response))
                .map_err(|err| self.credentials.redact_error(err));
            let outcome = match outcome {
                // Only a response that may be retried is worth reading for its wait.
                Ok(response) if spare.is_some() => Ok(with_body_wait(response, self.max_body).await),
                outcome => outcome,
            };
            let now = Instant::now();
            let latency_ms = now.saturating_duration_since(attempt_started).as_millis() as u64;
            match &outcome {
                Ok(response) => tracing::debug!(status = response.status().as_u16(), latency_ms, attempt, "response"),
                Err(err) => tracing::debug!(error = %err, latency_ms, attempt, "no response"),
            }
            let elapsed = now.saturating_duration_since(started);
            let retry = spare.and_then(|next| {
                let (wait, reason) = self.retry.next_attempt(&method, &outcome, attempt, elapsed, self.timeout)?;
                Some((next, wait, reason))
            });
            let Some((next, wait, reason)) = retry else {
                return finish(span, outcome, operation, self.max_body, attempt, elapsed);
            };
            tracing::warn!(%reason, wait_ms = wait.as_millis() as u64, attempt, "retrying");
            tokio::time::sleep(wait).await;
            request = next;
            attempt += 1;
            attempt_started = Instant::now();
        }
    }
}

/// What is missing when a call is made outside a Tokio runtime.
#[derive(Debug)]
struct NoTokioRuntime;

impl fmt::Display for NoTokioRuntime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "no Tokio runtime: the client needs one with its I/O and time drivers (`#[tokio::main]`, \
             `#[tokio::test]`, or a runtime built with `enable_all()`); other executors cannot drive it",
        )
    }
}

impl std::error::Error for NoTokioRuntime {}

/// The `reqwest::Error` of a call made outside a Tokio runtime, for `url`: its innermost cause
/// is [`NoTokioRuntime`], which the operation's `Error::Transport` shows. The request hook must
/// return a `reqwest::Error` (progenitor's signature), and reqwest makes them only itself: this
/// one comes from reading a body that fails at once, which needs no runtime.
async fn outside_tokio(url: &reqwest::Url) -> Option<reqwest::Error> {
    let failing = futures::stream::once(std::future::ready(Err::<Vec<u8>, _>(NoTokioRuntime)));
    let mut response = reqwest::Response::from(http::Response::new(reqwest::Body::wrap_stream(failing)));
    Some(response.chunk().await.err()?.with_url(url.clone()))
}

/// A 429 whose headers say nothing of when to try again, read so that the `reset` of its JSON
/// body can be waited for ([`BodyWait`]); the response is rebuilt from what was read, for the
/// decoders. Any other response is left as it is, unread.
async fn with_body_wait(response: reqwest::Response, max_body: usize) -> reqwest::Response {
    if response.status() != StatusCode::TOO_MANY_REQUESTS
        || server_wait(response.status(), response.headers()).is_some()
    {
        return response;
    }
    let (status, version, headers) = (response.status(), response.version(), response.headers().clone());
    let limit = max_body.min(MAX_RATE_LIMIT_BODY);
    // A body that breaks off or runs on past the limit gives no reset; what was read is kept.
    let mut bytes = Vec::new();
    let mut response = response;
    while let Ok(Some(chunk)) = response.chunk().await {
        bytes.extend_from_slice(&chunk[..chunk.len().min(limit - bytes.len())]);
        if bytes.len() >= limit {
            break;
        }
    }
    let mut rebuilt = http::Response::new(bytes);
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    let reset =
        serde_json::from_slice::<serde_json::Value>(rebuilt.body()).ok().and_then(|body| body.get("reset")?.as_u64());
    let wait = RateLimit { reset, ..RateLimit::default() }.reset_after();
    if let Some(wait) = wait {
        rebuilt.extensions_mut().insert(BodyWait(wait));
    }
    reqwest::Response::from(rebuilt)
}

/// The most of a 429's body read for its `reset`: such bodies are a line of JSON.
const MAX_RATE_LIMIT_BODY: usize = 64 * 1024;

/// Records the outcome on the request's span and attaches what the decoders need.
pub(crate) fn finish(
    span: &tracing::Span,
    outcome: reqwest::Result<reqwest::Response>,
    operation: &'static str,
    max_body: usize,
    attempts: u32,
    elapsed: Duration,
) -> reqwest::Result<reqwest::Response> {
    let mut response = outcome;
    if !span.is_disabled() {
        span.record("attempts", attempts);
        span.record("latency_ms", elapsed.as_millis() as u64);
        if let Ok(response) = &response {
            span.record("status", response.status().as_u16());
            if let Some(id) = trace_id(response.headers()) {
                span.record("trace_id", id);
            }
        }
    }
    if let Ok(response) = &mut response {
        response.extensions_mut().insert(ResponseContext { operation, max_body });
    }
    response
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Headers<'a>(&'a HeaderMap);
        impl fmt::Debug for Headers<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut map = f.debug_map();
                for (name, value) in self.0 {
                    if value.is_sensitive() {
                        map.entry(name, &"<redacted>");
                    } else {
                        map.entry(name, value);
                    }
                }
                map.finish()
            }
        }
        f.debug_struct("Runtime")
            .field("api", &self.api)
            .field("headers", &Headers(&self.headers))
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("retry", &self.retry)
            .field("max_body", &self.max_body)
            .finish()
    }
}

/// Implements the generated client's request hook with [`Runtime::execute`].
///
/// The generated operations call only `exec` (the code generator drops the `pre` and `post`
/// calls, whose errors would be progenitor's type): headers, retries and tracing all happen here.
macro_rules! impl_client_hooks {
    ($client:ty) => {
        // The generated operations' plumbing, not something a user calls.
        #[doc(hidden)]
        impl progenitor_client::ClientHooks<$crate::runtime::Runtime> for $client {
            async fn exec(
                &self,
                request: reqwest::Request,
                info: &progenitor_client::OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                self.inner.execute(&self.client, request, info).await
            }
        }
    };
}
pub(crate) use impl_client_hooks;

/// A header value holding a secret: marked sensitive so that `Debug` hides it.
pub(crate) fn secret_header(value: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(value).ok()?;
    value.set_sensitive(true);
    Some(value)
}
