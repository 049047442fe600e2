//! When to send a request again: [`RetryPolicy`].

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use reqwest::{Method, StatusCode};

use crate::headers::server_wait;

/// When and how often a client sends a request again.
///
/// A request is retried, with exponential backoff and jitter, when
/// - the connection could not be made (the server never saw the request);
/// - the server answered 429 Too Many Requests (it did not process the request);
/// - the server answered 502, 503 or 504 and the method is idempotent (GET, HEAD, PUT, DELETE,
///   OPTIONS). A POST or PATCH may have been processed before the server failed, so it is sent
///   again only with [`retry_non_idempotent`](Self::retry_non_idempotent).
///
/// The wait before the next attempt is the backoff, or the server's wait when that is longer:
/// `Retry-After` when it sends one, for a 429 without it the time until `X-RateLimit-Reset`,
/// or without that either, until the `reset` of its JSON body (Wapikit's 429 body).
/// The server's wait is a floor, so a reset time that has already passed (a server clock
/// ahead of ours) still gets the backoff. A request is not retried when the wait would end
/// after [`max_elapsed`](Self::max_elapsed) or the client's
/// [`timeout`](crate::ClientBuilder::timeout), both counted from the first attempt, nor when
/// its body is a stream that cannot be sent twice: the last response or error is returned at
/// once.
///
/// ```
/// use std::time::Duration;
/// use periskope_wapikit::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .backoff(Duration::from_millis(100), Duration::from_secs(5))
///     .max_elapsed(Duration::from_secs(60));
/// # let _ = policy;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// Three attempts, backoff from 250 ms up to 8 s, at most 30 s in all, idempotent methods
    /// only for 5xx.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_elapsed: Duration::from_secs(30),
            retry_non_idempotent: false,
        }
    }
}

/// Why a request is sent again, for the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RetryReason {
    Connect,
    Status(StatusCode),
}

impl std::fmt::Display for RetryReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RetryReason::Connect => f.write_str("connection failed"),
            RetryReason::Status(status) => write!(f, "server answered {status}"),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// How many times a request is sent at most, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry, doubling for each further one up to `max`.
    /// Each wait is drawn between half the backoff and the whole of it.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// How long all attempts and the waits between them may take together; a retry whose wait
    /// would end later is not made, and the last response or error is returned instead.
    pub fn max_elapsed(mut self, max: Duration) -> Self {
        self.max_elapsed = max;
        self
    }

    /// Also retries POST and PATCH requests after a 502, 503 or 504, which the server may have
    /// processed: only for operations that are safe to repeat.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// The number of attempts allowed.
    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether, and after what wait, to send the request again after attempt number `attempt`
    /// (starting at 1) gave `outcome`, `elapsed` after the first attempt started, for a call
    /// that must end within `deadline` of its start.
    pub(crate) fn next_attempt(
        &self,
        method: &Method,
        outcome: &Result<reqwest::Response, reqwest::Error>,
        attempt: u32,
        elapsed: Duration,
        deadline: Duration,
    ) -> Option<(Duration, RetryReason)> {
        if attempt >= self.max_attempts {
            return None;
        }
        let (reason, server) = match outcome {
            Err(err) if err.is_connect() => (RetryReason::Connect, None),
            Err(_) => return None,
            Ok(response) => {
                let status = response.status();
                let retryable = match status {
                    StatusCode::TOO_MANY_REQUESTS => true,
                    StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT => {
                        is_idempotent(method) || self.retry_non_idempotent
                    }
                    _ => false,
                };
                if !retryable {
                    return None;
                }
                let body_wait = || response.extensions().get::<BodyWait>().map(|wait| wait.0);
                (RetryReason::Status(status), server_wait(status, response.headers()).or_else(body_wait))
            }
        };
        let backoff = self.backoff_for(attempt);
        let wait = server.map_or(backoff, |server| server.max(backoff));
        // A server may ask for any wait (`Retry-After: 18446744073709551615`): one too long to
        // add up ends after the budget like any other too-long wait. An attempt that would start
        // at the deadline could only time out, so the wait must end before it.
        let end = elapsed.checked_add(wait);
        let ends_in_time = end.is_some_and(|end| end <= self.max_elapsed && end < deadline);
        ends_in_time.then_some((wait, reason))
    }

    /// The jittered backoff after attempt number `attempt`: between half and all of
    /// `initial × 2^(attempt − 1)`, capped at the maximum.
    fn backoff_for(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        let full = self.initial_backoff.saturating_mul(factor).min(self.max_backoff);
        let half = full / 2;
        half + half.mul_f64(jitter())
    }
}

/// The wait a 429's JSON body asks for (Wapikit's `{"error": …, "remaining": n, "reset":
/// unix-seconds}`), which the runtime attaches to a response whose headers ask for none.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BodyWait(pub Duration);

fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE)
}

/// A number in [0, 1), different on every call. The standard library's hasher keys are
/// random per process and change with every `RandomState`, which is all jitter needs.
fn jitter() -> f64 {
    let bits = std::hash::RandomState::new().build_hasher().finish();
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_jitter_and_is_capped() {
        let policy = RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(350));
        for _ in 0..50 {
            let first = policy.backoff_for(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100), "{first:?}");
            let second = policy.backoff_for(2);
            assert!(second >= Duration::from_millis(100) && second <= Duration::from_millis(200), "{second:?}");
            let capped = policy.backoff_for(10);
            assert!(capped >= Duration::from_millis(175) && capped <= Duration::from_millis(350), "{capped:?}");
        }
        assert!(policy.backoff_for(u32::MAX) <= Duration::from_millis(350));
    }

    #[test]
    fn jitter_varies() {
        let draws: Vec<u64> = (0..8).map(|_| (jitter() * 1e9) as u64).collect();
        assert!(draws.iter().any(|d| *d != draws[0]), "{draws:?}");
        assert!(draws.iter().all(|d| *d < 1_000_000_000));
    }

    #[test]
    fn only_idempotent_methods_are_safe_to_repeat() {
        assert!(is_idempotent(&Method::GET) && is_idempotent(&Method::PUT) && is_idempotent(&Method::DELETE));
        assert!(!is_idempotent(&Method::POST) && !is_idempotent(&Method::PATCH));
    }

    #[tokio::test]
    async fn a_refused_connection_is_retried_for_every_method() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        crate::builder::install_tls_provider();
        let refused = reqwest::Client::new().post(format!("http://127.0.0.1:{port}/")).send().await;
        assert!(refused.as_ref().is_err_and(reqwest::Error::is_connect), "{refused:?}");
        let policy = RetryPolicy::default();
        for method in [Method::POST, Method::PATCH, Method::GET] {
            let next = policy.next_attempt(&method, &refused, 1, Duration::ZERO, Duration::MAX);
            assert!(matches!(next, Some((_, RetryReason::Connect))), "{method}: {next:?}");
        }
        assert_eq!(
            policy.next_attempt(&Method::GET, &refused, 3, Duration::ZERO, Duration::MAX),
            None,
            "attempts are bounded"
        );
        assert_eq!(
            policy.next_attempt(&Method::GET, &refused, 1, Duration::from_secs(30), Duration::MAX),
            None,
            "time is bounded"
        );
        assert_eq!(
            policy.next_attempt(&Method::GET, &refused, 1, Duration::from_secs(1), Duration::from_secs(1)),
            None,
            "the call's deadline bounds the wait"
        );
    }

    /// A 429 answer with `Retry-After: retry_after`.
    fn too_many_requests(retry_after: &str) -> reqwest::Result<reqwest::Response> {
        let mut response = http::Response::new(Vec::<u8>::new());
        *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        response.headers_mut().insert(reqwest::header::RETRY_AFTER, retry_after.parse().expect("a header value"));
        Ok(reqwest::Response::from(response))
    }

    #[test]
    fn a_wait_too_long_to_add_up_is_not_made() {
        let response = too_many_requests;
        let policy = RetryPolicy::default();
        let longest = response("18446744073709551615");
        let forever = Duration::MAX;
        assert_eq!(policy.next_attempt(&Method::GET, &longest, 1, Duration::from_millis(1), forever), None);
        assert_eq!(policy.next_attempt(&Method::GET, &response("1"), 1, Duration::MAX, forever), None);
        let soon = policy.next_attempt(&Method::GET, &response("1"), 1, Duration::ZERO, forever);
        assert_eq!(soon, Some((Duration::from_secs(1), RetryReason::Status(StatusCode::TOO_MANY_REQUESTS))));
        let past_deadline =
            policy.next_attempt(&Method::GET, &response("4"), 1, Duration::ZERO, Duration::from_secs(1));
        assert_eq!(past_deadline, None, "a wait that would pass the deadline is not made");
    }

    #[test]
    fn the_server_wait_is_a_floor_on_the_backoff() {
        let response = too_many_requests;
        let policy = RetryPolicy::default().backoff(Duration::from_millis(400), Duration::from_secs(1));
        for _ in 0..20 {
            let (wait, _) =
                policy.next_attempt(&Method::GET, &response("0"), 1, Duration::ZERO, Duration::MAX).expect("a retry");
            assert!(wait >= Duration::from_millis(200), "a zero wait from the server still backs off: {wait:?}");
        }
    }

    #[test]
    fn settings_are_clamped() {
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
        assert_eq!(RetryPolicy::never().attempts(), 1);
        let policy = RetryPolicy::default().backoff(Duration::from_secs(2), Duration::from_secs(1));
        assert_eq!(policy.max_backoff, Duration::from_secs(2));
    }
}
