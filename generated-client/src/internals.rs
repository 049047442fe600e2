//! Not for users, and outside semver: the steps a generated `send()` takes once a server has
//! answered, reachable with the `__internals` feature so that this crate's in-memory response
//! fuzzing (`tests/fuzz_responses/`) can feed them a million responses without a network.
//! Each is a thin call of the crate-private step of the same name. [`Probe`] is a client whose
//! vendor declares the scheme a test chooses, for the tests of authentication (`tests/auth.rs`).

use std::time::Duration;

use progenitor_client::ResponseValue;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

use crate::{Error, RetryPolicy};

mod probe;

pub use probe::{Declared, FromDocument, Probe};

/// The wait before the next attempt `policy` allows after attempt `attempt` gave `outcome`.
pub fn next_attempt(
    policy: &RetryPolicy,
    method: &Method,
    outcome: &reqwest::Result<reqwest::Response>,
    attempt: u32,
    elapsed: Duration,
    deadline: Duration,
) -> Option<Duration> {
    policy.next_attempt(method, outcome, attempt, elapsed, deadline).map(|(wait, _)| wait)
}

/// What the client's `exec` hook does last: records the outcome on `span` and attaches the
/// operation and body limit to the response.
pub fn finish(
    span: &tracing::Span,
    outcome: reqwest::Result<reqwest::Response>,
    operation: &'static str,
    max_body: usize,
    attempts: u32,
    elapsed: Duration,
) -> reqwest::Result<reqwest::Response> {
    crate::runtime::finish(span, outcome, operation, max_body, attempts, elapsed)
}

/// Decodes a success body.
pub async fn decode<T: DeserializeOwned, E>(response: reqwest::Response) -> Result<ResponseValue<T>, Error<E>> {
    crate::response::decode(response).await
}

/// An error status the operation documents with a JSON body.
pub async fn declared_error<E: DeserializeOwned>(response: reqwest::Response) -> Error<E> {
    crate::response::declared_error(response).await
}

/// An error status the operation does not document with a JSON body.
pub async fn undeclared_error<E>(response: reqwest::Response) -> Error<E> {
    crate::response::undeclared_error(response).await
}

/// `Retry-After`, as a wait.
pub fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    crate::headers::parse_retry_after(headers)
}

/// How long a response asks the client to wait before trying again.
pub fn server_wait(status: StatusCode, headers: &HeaderMap) -> Option<Duration> {
    crate::headers::server_wait(status, headers)
}
