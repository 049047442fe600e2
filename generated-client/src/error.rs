//! The error every operation returns: [`Error`], and the server's answer when it is an error
//! status ([`ApiError`]) or a body that cannot be decoded ([`DecodeError`]).
//!
//! Messages name the operation, the status or the URL, never the API key: the key travels in a
//! header, which no message shows, or in the query, whose value the client redacts from every
//! URL before an error holds it (`crate::auth`); bodies received are not part of any message.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::headers::{RateLimit, parse_retry_after, trace_id};

mod invalid;
mod pagination;

pub use invalid::InvalidRequestError;
pub(crate) use invalid::invalid_request;
pub use pagination::{PaginationError, PaginationErrorKind};

/// The longest server message an error's `Display` quotes.
const MAX_MESSAGE_CHARS: usize = 200;

/// Why an operation failed.
///
/// `E` is the error body the API documents for the operation (for Wapikit, the merged
/// `types::ErrorResponse`; for Periskope, `types::ValidationError`). Each vendor module names
/// its own `Error` with the right default, e.g. `wapikit::Error`.
///
/// The questions callers ask most have their own methods: [`as_validation`](Self::as_validation)
/// (which fields were rejected), [`is_rate_limited`](Self::is_rate_limited),
/// [`retry_after`](Self::retry_after), [`is_timeout`](Self::is_timeout) and
/// [`operation`](Self::operation).
///
/// ```
/// # async fn example(client: periskope_wapikit::wapikit::Client) {
/// use periskope_wapikit::wapikit::{self, types};
///
/// let result = client
///     .create_organization_invite(types::CreateNewOrganizationInviteSchema::builder(
///         types::UserPermissionLevelEnum::Member,
///         "new.member@example.com",
///     ))
///     .send()
///     .await;
/// match result {
///     Ok(invite) => println!("invited: {:?}", invite.into_inner().invite),
///     Err(err) if err.is_rate_limited() => println!("rate limited; try again in {:?}", err.retry_after()),
///     Err(err) if err.is_timeout() => println!("timed out"),
///     Err(err) => match err.as_validation() {
///         Some(invalid) => println!("rejected: {:?}", invalid.message),
///         None => println!("{err}"),
///     },
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E = ()> {
    /// The request was not sent: an input does not convert to the type the API takes, the body
    /// is not valid, or a value cannot travel in HTTP. The message names the operation and the
    /// input.
    #[error("invalid request: {0}")]
    InvalidRequest(InvalidRequestError),
    /// The request timed out: connecting took longer than the connect timeout, an attempt
    /// longer than the attempt timeout, or the call reached its deadline (the client's
    /// `timeout`, which counts every attempt and the waits between them).
    #[error(transparent)]
    Timeout(TransportError),
    /// No usable response: the server could not be reached (DNS, connection refused, TLS), the
    /// connection broke, or the call was made outside a Tokio runtime and nothing was sent.
    /// Retryable failures were already retried by the client's policy.
    #[error(transparent)]
    Transport(TransportError),
    /// The server answered with an error status (or one the operation does not document); the
    /// documented error body is decoded when the body fits it, and the raw text is always kept.
    #[error(transparent)]
    Api(ApiError<E>),
    /// The server answered with a success status, but the body could not be read as the
    /// documented type (wrong JSON, an HTML page, an empty body), or it exceeds the size limit.
    #[error(transparent)]
    Decode(DecodeError),
    /// A walk over a list's pages (`items()`) stopped before the last page: the server does not
    /// honour `page`, the walk reached its bound of pages, or its deadline.
    #[error(transparent)]
    Pagination(PaginationError),
}

impl<E> Error<E> {
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(err) => Some(err.status()),
            Error::Decode(err) => Some(err.status()),
            Error::InvalidRequest(_) | Error::Timeout(_) | Error::Transport(_) | Error::Pagination(_) => None,
        }
    }

    /// The response headers, when there was a response.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(err) => Some(err.headers()),
            Error::Decode(err) => Some(err.headers()),
            Error::InvalidRequest(_) | Error::Timeout(_) | Error::Transport(_) | Error::Pagination(_) => None,
        }
    }

    /// The operation that failed, e.g. `invite_members` (for a walk over a list's pages, the
    /// list operation).
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Api(err) => err.operation(),
            Error::Decode(err) => err.operation(),
            Error::Timeout(err) | Error::Transport(err) => err.operation(),
            Error::InvalidRequest(err) => err.operation(),
            Error::Pagination(err) => Some(err.operation()),
        }
    }

    /// The error response, when the server answered with an error status.
    pub fn api_error(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api(err) => Some(err),
            _ => None,
        }
    }

    /// The documented body of a response that rejects the request as invalid (400 or 422),
    /// decoded: for Periskope a `ValidationError` with the rejected `fields`, for Wapikit an
    /// `ErrorResponse` with its `message`. `None` for any other error, or a body that does not
    /// fit the documented schema (see [`ApiError::text`] then).
    pub fn as_validation(&self) -> Option<&E> {
        let err = self.api_error()?;
        matches!(err.status(), StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY).then(|| err.body()).flatten()
    }

    /// The server's explanation of an error status ([`ApiError::message`]): `None` for any
    /// other error, or a response that gives none.
    pub fn message(&self) -> Option<String> {
        self.api_error()?.message()
    }

    /// The server's trace id for the request (Periskope's `x-periskope-trace-id`), to quote
    /// when asking the vendor for help: from an error status or a success body that could not
    /// be decoded; `None` when there was no response.
    pub fn trace_id(&self) -> Option<&str> {
        match self {
            Error::Api(err) => err.trace_id(),
            Error::Decode(err) => trace_id(err.headers()),
            Error::InvalidRequest(_) | Error::Timeout(_) | Error::Transport(_) | Error::Pagination(_) => None,
        }
    }

    /// Whether the server refused the request for exceeding its rate limit (429).
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// How long the server asks the client to wait before trying again: `Retry-After`, or for
    /// a 429 without it, the time until `X-RateLimit-Reset`. The client has already retried
    /// as its policy allows; this is for scheduling the next call.
    pub fn retry_after(&self) -> Option<Duration> {
        self.api_error()?.retry_after()
    }

    /// The rate-limit state the server reported with the response, when there was one.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        match self {
            Error::Api(err) => Some(err.rate_limit()),
            Error::Decode(err) => Some(RateLimit::from_headers(err.headers())),
            Error::InvalidRequest(_) | Error::Timeout(_) | Error::Transport(_) | Error::Pagination(_) => None,
        }
    }

    /// Whether the request timed out, or a walk over a list's pages reached its deadline.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout(_) => true,
            Error::Pagination(err) => matches!(err.kind(), PaginationErrorKind::Deadline { .. }),
            _ => false,
        }
    }
}

/// What the generated operations map a `reqwest::Error` with, where they meet one (building
/// the request, sending it): the error, with `operation` attached.
pub(crate) fn in_operation<E>(operation: &'static str) -> impl FnOnce(reqwest::Error) -> Error<E> {
    move |err| transport(Some(operation), err)
}

/// A `reqwest::Error` of `operation` as this crate's error: a request that could not be built
/// is invalid, a timeout is a [`Error::Timeout`], anything else a [`Error::Transport`].
pub(crate) fn transport<E>(operation: Option<&'static str>, err: reqwest::Error) -> Error<E> {
    if err.is_builder() {
        let message = match operation {
            Some(operation) => format!("`{operation}`: {err}"),
            None => err.to_string(),
        };
        return Error::InvalidRequest(InvalidRequestError::new(operation, message));
    }
    let err = TransportError { operation, source: err };
    if err.source.is_timeout() { Error::Timeout(err) } else { Error::Transport(err) }
}

/// A request that got no usable response: it timed out, or failed in transport.
///
/// Its message names the operation, the URL (without the query, which may carry personal data)
/// and, for a transport failure, the cause, e.g. `invite_members: request to
/// http://127.0.0.1:9/v1/members/invite failed: connection refused`. Its `Debug` output and
/// [`url`](Self::url) show the query, with an API key sent there as `redacted`.
pub struct TransportError {
    operation: Option<&'static str>,
    source: reqwest::Error,
}

impl TransportError {
    /// The operation whose request failed, e.g. `invite_members`.
    pub fn operation(&self) -> Option<&'static str> {
        self.operation
    }

    /// Whether the connection could not be made (DNS, refused, TLS, connect timeout).
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }

    /// The URL of the request.
    pub fn url(&self) -> Option<&reqwest::Url> {
        self.source.url()
    }

    /// The underlying `reqwest` error.
    pub fn reqwest(&self) -> &reqwest::Error {
        &self.source
    }

    /// The innermost cause, as a short phrase: an operating-system error without its code
    /// (`connection refused`), or the last message of the chain.
    fn cause(&self) -> String {
        let mut innermost: &dyn std::error::Error = &self.source;
        while let Some(next) = innermost.source() {
            innermost = next;
        }
        let text = innermost.to_string();
        let text = text.split(" (os error").next().unwrap_or(&text);
        let mut chars = text.chars();
        chars.next().map(|first| first.to_lowercase().chain(chars).collect()).unwrap_or_default()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(operation) = self.operation {
            write!(f, "{operation}: ")?;
        }
        let url = match self.source.url() {
            Some(url) => format!("{}{}", url.origin().ascii_serialization(), url.path()),
            None => "the server".to_string(),
        };
        if self.source.is_timeout() {
            write!(f, "request to {url} timed out")
        } else {
            write!(f, "request to {url} failed: {}", self.cause())
        }
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError").field("operation", &self.operation).field("source", &self.source).finish()
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// A header value that cannot be sent in HTTP (a newline, say), converted with `?` in your own
/// code: no operation is attached (the generated operations attach theirs).
impl<E> From<reqwest::header::InvalidHeaderValue> for Error<E> {
    fn from(err: reqwest::header::InvalidHeaderValue) -> Self {
        let message = format!("a header parameter has a value HTTP does not allow: {err}");
        Error::InvalidRequest(InvalidRequestError::new(None, message))
    }
}

/// The server answered with an error status.
///
/// Keeps the status, the headers, the body as text and, when the API documents an error body
/// for the status and the body fits it, the decoded body.
pub struct ApiError<E = ()> {
    pub(crate) operation: Option<&'static str>,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<E>,
    pub(crate) text: String,
}

impl<E> ApiError<E> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The documented error body, decoded; `None` when the operation documents none for this
    /// status or the body does not fit it (see [`text`](Self::text) then).
    pub fn body(&self) -> Option<&E> {
        self.body.as_ref()
    }

    /// The documented error body, decoded, by value.
    pub fn into_body(self) -> Option<E> {
        self.body
    }

    /// The response body as text (invalid UTF-8 replaced, cut at the client's size limit).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The body decoded as JSON into `T`, for bodies the specification does not describe.
    pub fn json<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_str(&self.text).ok()
    }

    /// The server's explanation: the `message` (or `error`) field of a JSON body, a body that
    /// is a bare JSON string, or a short plain-text body.
    pub fn message(&self) -> Option<String> {
        message_of(&self.text, &self.headers)
    }

    /// The rate-limit state: the `X-RateLimit-*` headers, completed from a JSON body's
    /// `remaining` and `reset` fields (Wapikit's 429 body) where a header is missing.
    pub fn rate_limit(&self) -> RateLimit {
        let mut limit = RateLimit::from_headers(&self.headers);
        if (limit.remaining.is_none() || limit.reset.is_none())
            && let Ok(Value::Object(body)) = serde_json::from_str::<Value>(&self.text)
        {
            limit.remaining = limit.remaining.or_else(|| body.get("remaining").and_then(Value::as_u64));
            limit.reset = limit.reset.or_else(|| body.get("reset").and_then(Value::as_u64));
        }
        limit
    }

    /// How long the server asks the client to wait: `Retry-After` (in seconds or as a date),
    /// or for a 429 without it, the time until the reset of [`rate_limit`](Self::rate_limit).
    pub fn retry_after(&self) -> Option<Duration> {
        parse_retry_after(&self.headers).or_else(|| {
            (self.status == StatusCode::TOO_MANY_REQUESTS).then(|| self.rate_limit().reset_after()).flatten()
        })
    }

    /// The server's trace id for this request (Periskope's `x-periskope-trace-id`), to quote
    /// when asking the vendor for help.
    pub fn trace_id(&self) -> Option<&str> {
        trace_id(&self.headers)
    }

    /// The operation that failed, e.g. `invite_members`.
    pub fn operation(&self) -> Option<&'static str> {
        self.operation
    }
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(operation) = self.operation {
            write!(f, "{operation}: ")?;
        }
        write!(f, "the server answered {}", self.status)?;
        if let Some(message) = self.message() {
            write!(f, ": {}", shorten(&message))?;
        }
        Ok(())
    }
}

/// Bodies are shown in part: a 10 MiB error page must not flood a log line.
impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &Bounded(&self.body))
            .field("text", &Bounded(&self.text))
            .finish()
    }
}

/// The longest rendering of a body that `Debug` shows, in bytes.
const MAX_DEBUG_BYTES: usize = 1024;

/// Renders the `Debug` form of a value up to [`MAX_DEBUG_BYTES`], then says how much was left out.
struct Bounded<'a, T>(&'a T);

impl<T: fmt::Debug> fmt::Debug for Bounded<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// Keeps the first bytes written to it and counts the rest.
        struct Prefix {
            kept: String,
            left_out: usize,
        }
        impl fmt::Write for Prefix {
            fn write_str(&mut self, text: &str) -> fmt::Result {
                let room = MAX_DEBUG_BYTES.saturating_sub(self.kept.len());
                let mut end = room.min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                self.kept.push_str(&text[..end]);
                self.left_out += text.len() - end;
                Ok(())
            }
        }
        let mut prefix = Prefix { kept: String::new(), left_out: 0 };
        fmt::write(&mut prefix, format_args!("{:?}", self.0))?;
        f.write_str(&prefix.kept)?;
        if prefix.left_out > 0 {
            write!(f, "… ({} more bytes)", prefix.left_out)?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug> std::error::Error for ApiError<E> {}

/// A success response whose body could not be decoded, or a body over the size limit.
///
/// Keeps the status, the headers and the body as text.
pub struct DecodeError {
    pub(crate) operation: Option<&'static str>,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) text: String,
    pub(crate) reason: DecodeReason,
}

#[derive(Debug)]
pub(crate) enum DecodeReason {
    /// The body is not JSON of the documented shape.
    Json(serde_json::Error),
    /// The body is larger than the client accepts.
    TooLarge { limit: usize },
}

/// The body is shown in part, as for [`ApiError`].
impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("text", &Bounded(&self.text))
            .field("reason", &self.reason)
            .finish()
    }
}

impl DecodeError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The response body as text (invalid UTF-8 replaced, cut at the client's size limit).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the body was refused for exceeding the client's size limit
    /// ([`ClientBuilder::max_response_size`](crate::ClientBuilder::max_response_size)).
    pub fn is_too_large(&self) -> bool {
        matches!(self.reason, DecodeReason::TooLarge { .. })
    }

    /// The operation whose response this is, e.g. `invite_members`.
    pub fn operation(&self) -> Option<&'static str> {
        self.operation
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(operation) = self.operation {
            write!(f, "{operation}: ")?;
        }
        match &self.reason {
            DecodeReason::Json(err) => {
                write!(f, "cannot decode the {} response body: {err}", self.status)
            }
            DecodeReason::TooLarge { limit } => {
                write!(f, "the {} response body exceeds the limit of {limit} bytes", self.status)
            }
        }
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.reason {
            DecodeReason::Json(err) => Some(err),
            DecodeReason::TooLarge { .. } => None,
        }
    }
}

/// The message in an error body, in the forms the two APIs use.
fn message_of(text: &str, headers: &HeaderMap) -> Option<String> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::String(message)) => Some(message),
        Ok(Value::Object(body)) => {
            ["message", "error"].iter().find_map(|key| body.get(*key).and_then(Value::as_str)).map(str::to_string)
        }
        Ok(_) => None,
        Err(_) => {
            let plain = headers
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                .is_some_and(|value| value.starts_with("text/plain"));
            let line = text.trim().lines().next().unwrap_or("");
            (plain && !line.is_empty()).then(|| line.to_string())
        }
    }
}

fn shorten(message: &str) -> String {
    if message.chars().count() <= MAX_MESSAGE_CHARS {
        return message.to_string();
    }
    let mut short: String = message.chars().take(MAX_MESSAGE_CHARS).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests;
