//! Takes a case through the response handling and checks the outcome against what the status,
//! the body and the size limit say it must be.

use std::fmt::Debug;
use std::time::Duration;

use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::API_KEY;
use crate::case::{Case, Read};
use crate::operations::{OPERATIONS, dispatch};
use periskope_wapikit::internals::{finish, next_attempt, parse_retry_after, server_wait};
use periskope_wapikit::{Error, RateLimit, ResponseExt, RetryPolicy};

/// How a case ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// An error status whose documented body decoded.
    ApiWithBody,
    Api,
    DecodeJson,
    TooLarge,
    Transport,
    Timeout,
}

pub const OUTCOMES: [Outcome; 7] = [
    Outcome::Ok,
    Outcome::ApiWithBody,
    Outcome::Api,
    Outcome::DecodeJson,
    Outcome::TooLarge,
    Outcome::Transport,
    Outcome::Timeout,
];

/// Takes `case` through the response handling of an operation whose success type is `T` and
/// error type `E`, and checks the outcome.
pub async fn check<T, E>(case: &Case) -> Outcome
where
    T: DeserializeOwned + PartialEq + Debug,
    E: DeserializeOwned + PartialEq + Debug,
{
    let operation = &OPERATIONS[case.operation];
    let status = case.status;

    // What `send()` does once the server has answered: decide on a retry, then `finish`.
    let answered: reqwest::Result<reqwest::Response> = Ok(case.response());
    let policy = RetryPolicy::default().retry_non_idempotent(case.retry_non_idempotent);
    let deadline = periskope_wapikit::DEFAULT_TIMEOUT;
    if let Some(wait) = next_attempt(&policy, &operation.method, &answered, case.attempt, case.elapsed, deadline) {
        assert!(matches!(status.as_u16(), 429 | 502 | 503 | 504), "retried a {status}");
        assert!(case.elapsed.checked_add(wait).is_some_and(|end| end <= Duration::from_secs(30)), "waits {wait:?}");
    }
    let finished = match case.limit {
        Some(limit) => finish(&tracing::Span::none(), answered, operation.id, limit, case.attempt, case.elapsed),
        None => answered,
    };
    let response = finished.expect("finish keeps a response a response");
    let result = dispatch::<T, E>(operation.declared, response).await;
    exercise(&result, &case.headers);

    let read = case.expected_read();
    if status != StatusCode::OK {
        let Err(Error::Api(err)) = &result else { panic!("a {status} gave {result:?}") };
        assert_eq!(err.status(), status);
        assert_eq!(err.operation(), case.limit.map(|_| operation.id));
        let text = match &read {
            Read::Whole(bytes) | Read::Cut(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            Read::Broken => String::new(),
        };
        assert_eq!(err.text(), text, "the error keeps the text read");
        let body =
            operation.declared.contains(&status.as_u16()).then(|| serde_json::from_str::<E>(&text).ok()).flatten();
        assert_eq!(err.body(), body.as_ref(), "a documented body decodes, any other does not");
        return if body.is_some() { Outcome::ApiWithBody } else { Outcome::Api };
    }
    let announced_too_large = case.hint.size_hint().exact().is_some_and(|length| length > case.limit() as u64);
    match (result, read) {
        (Err(Error::Decode(err)), _) if announced_too_large => {
            assert!(err.is_too_large() && err.text().is_empty(), "{err:?}");
            Outcome::TooLarge
        }
        (result, _) if announced_too_large => panic!("a body announced over the limit gave {result:?}"),
        (Err(Error::Transport(_)), Read::Broken) if !case.breaks_by_timeout => Outcome::Transport,
        (Err(Error::Timeout(_)), Read::Broken) if case.breaks_by_timeout => Outcome::Timeout,
        (Err(Error::Decode(err)), Read::Cut(start)) => {
            assert!(err.is_too_large(), "{err:?}");
            assert_eq!(err.text(), String::from_utf8_lossy(&start));
            Outcome::TooLarge
        }
        (Ok(value), Read::Whole(bytes)) => {
            let expected = serde_json::from_slice::<T>(&bytes).expect("a body that decodes in the client decodes here");
            assert_eq!(*value, expected);
            Outcome::Ok
        }
        (Err(Error::Decode(err)), Read::Whole(bytes)) => {
            assert!(!err.is_too_large(), "{err:?}");
            assert!(serde_json::from_slice::<T>(&bytes).is_err(), "a body that decodes was refused: {err:?}");
            assert_eq!(err.text(), String::from_utf8_lossy(&bytes));
            Outcome::DecodeJson
        }
        (result, _) => panic!("unexpected outcome for a 200: {result:?}"),
    }
}

/// Calls every accessor of the result and renders it every way, none of which may panic or
/// show the API key.
fn exercise<T: Debug, E: Debug>(result: &Result<ResponseValue<T>, Error<E>>, headers: &HeaderMap) {
    let mut rendered = Vec::new();
    let _ = RateLimit::from_headers(headers).reset_after();
    let _ = parse_retry_after(headers);
    for status in [StatusCode::TOO_MANY_REQUESTS, StatusCode::SERVICE_UNAVAILABLE] {
        let _ = server_wait(status, headers);
    }
    match result {
        Ok(value) => {
            let _ = (value.status(), value.headers().len(), value.rate_limit().reset_after(), value.trace_id());
            rendered.push(format!("{:?}", **value));
        }
        Err(err) => {
            rendered.push(err.to_string());
            rendered.push(format!("{err:?}"));
            rendered.push(format!("{err:#?}"));
            let mut source = std::error::Error::source(err);
            while let Some(inner) = source {
                rendered.push(inner.to_string());
                source = inner.source();
            }
            let _ = (err.status(), err.headers().map(HeaderMap::len), err.is_timeout());
            let _ = err.rate_limit().map(|limit| limit.reset_after());
            if let Some(api) = err.api_error() {
                rendered.extend(api.message());
                let _ = (api.json::<Value>(), api.retry_after(), api.trace_id(), api.rate_limit().reset_after());
                let _ = (api.text().len(), api.body().is_some(), api.operation());
                rendered.extend(err.as_validation().map(|invalid| format!("{invalid:?}")));
                let _ = (err.is_rate_limited(), err.retry_after(), err.operation());
            }
            if let Error::Decode(decode) = err {
                let _ = (decode.is_too_large(), decode.text().len(), decode.operation(), decode.status());
            }
        }
    }
    for text in rendered {
        assert!(!text.contains(API_KEY), "the API key shows in {text}");
    }
}
