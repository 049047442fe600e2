//! The headers every response carries, read the same way for successes and errors: rate
//! limits ([`RateLimit`]), how long to wait before trying again, and the vendor's trace id.

use std::time::{Duration, SystemTime};

use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName};

/// The headers that carry a vendor's id for one request, in the order they are looked up
/// (names parsed once here rather than on every lookup).
const TRACE_ID_HEADERS: [HeaderName; 2] =
    [HeaderName::from_static("x-periskope-trace-id"), HeaderName::from_static("x-request-id")];

/// The rate-limit state a response reports in its `X-RateLimit-*` headers.
///
/// Both APIs send `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`;
/// a header that is missing or not a number is `None`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests allowed in the current window (`X-RateLimit-Limit`).
    pub limit: Option<u64>,
    /// Requests left in the current window (`X-RateLimit-Remaining`).
    pub remaining: Option<u64>,
    /// When the window resets (`X-RateLimit-Reset`), as the server sends it: Wapikit sends
    /// Unix time in seconds.
    pub reset: Option<u64>,
}

impl RateLimit {
    /// Reads the `X-RateLimit-*` headers.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let number = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<u64>().ok();
        RateLimit {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            reset: number("x-ratelimit-reset"),
        }
    }

    /// How long until the window resets, from `reset`: a value that looks like a Unix time
    /// (after 2001) counts from now, a smaller one is a number of seconds.
    pub fn reset_after(&self) -> Option<Duration> {
        let reset = self.reset?;
        if reset < 1_000_000_000 {
            return Some(Duration::from_secs(reset));
        }
        Some(Duration::from_secs(reset.saturating_sub(unix_now()?)))
    }
}

/// What every successful response offers besides its decoded body.
///
/// ```no_run
/// # async fn example(client: periskope_wapikit::wapikit::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use periskope_wapikit::ResponseExt;
///
/// let invites = client.get_organization_invites(1, 20).send().await?;
/// if invites.rate_limit().remaining == Some(0) {
///     println!("no requests left until {:?}", invites.rate_limit().reset);
/// }
/// # Ok(()) }
/// ```
pub trait ResponseExt {
    /// The rate-limit state the server reported with this response.
    fn rate_limit(&self) -> RateLimit;

    /// The server's trace id for this request (Periskope's `x-periskope-trace-id`).
    fn trace_id(&self) -> Option<&str>;
}

impl<T> ResponseExt for ResponseValue<T> {
    fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(self.headers())
    }

    fn trace_id(&self) -> Option<&str> {
        trace_id(self.headers())
    }
}

/// The vendor's id for one request, from the first trace-id header present.
pub(crate) fn trace_id(headers: &HeaderMap) -> Option<&str> {
    TRACE_ID_HEADERS.iter().find_map(|name| headers.get(name)?.to_str().ok())
}

/// `Retry-After`: a number of seconds, or an HTTP date.
pub(crate) fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = u64::try_from(date.timestamp()).unwrap_or(0);
    Some(Duration::from_secs(at.saturating_sub(unix_now()?)))
}

fn unix_now() -> Option<u64> {
    Some(SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).ok()?.as_secs())
}

/// How long a response asks the client to wait before trying again: `Retry-After`, or for a
/// 429 without it, the time until `X-RateLimit-Reset`.
pub(crate) fn server_wait(status: StatusCode, headers: &HeaderMap) -> Option<Duration> {
    parse_retry_after(headers).or_else(|| {
        (status == StatusCode::TOO_MANY_REQUESTS).then(|| RateLimit::from_headers(headers).reset_after()).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().expect("valid header value"));
        }
        map
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(parse_retry_after(&headers(&[("retry-after", "3")])), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after(&headers(&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")])),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        assert_eq!(parse_retry_after(&headers(&[("retry-after", "soon")])), None);
        assert_eq!(parse_retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn rate_limit_headers_and_reset() {
        let limit = RateLimit::from_headers(&headers(&[
            ("x-ratelimit-limit", "100"),
            ("x-ratelimit-remaining", "7"),
            ("x-ratelimit-reset", "30"),
        ]));
        assert_eq!((limit.limit, limit.remaining, limit.reset), (Some(100), Some(7), Some(30)));
        assert_eq!(limit.reset_after(), Some(Duration::from_secs(30)));
        let past = RateLimit { reset: Some(1_000_000_001), ..RateLimit::default() };
        assert_eq!(past.reset_after(), Some(Duration::ZERO));
        assert_eq!(RateLimit::from_headers(&headers(&[("x-ratelimit-limit", "many")])).limit, None);
    }

    #[test]
    fn server_wait_uses_the_reset_only_for_429() {
        let reset = headers(&[("x-ratelimit-reset", "2")]);
        assert_eq!(server_wait(StatusCode::TOO_MANY_REQUESTS, &reset), Some(Duration::from_secs(2)));
        assert_eq!(server_wait(StatusCode::SERVICE_UNAVAILABLE, &reset), None);
        let both = headers(&[("x-ratelimit-reset", "2"), ("retry-after", "1")]);
        assert_eq!(server_wait(StatusCode::TOO_MANY_REQUESTS, &both), Some(Duration::from_secs(1)));
    }
}
