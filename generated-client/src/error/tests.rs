//! The error messages and rate limits read from the bodies both APIs send.

use super::*;

fn api_error(text: &str, headers: HeaderMap) -> ApiError<()> {
    ApiError { operation: Some("op"), status: StatusCode::BAD_REQUEST, headers, body: None, text: text.into() }
}

#[test]
fn messages_come_from_the_forms_both_apis_use() {
    assert_eq!(
        api_error(r#"{"message":"Invalid email address"}"#, HeaderMap::new()).message().as_deref(),
        Some("Invalid email address")
    );
    assert_eq!(
        api_error(r#"{"error":"Rate limit exceeded"}"#, HeaderMap::new()).message().as_deref(),
        Some("Rate limit exceeded")
    );
    assert_eq!(
        api_error(r#""Unauthorized access""#, HeaderMap::new()).message().as_deref(),
        Some("Unauthorized access")
    );
    assert_eq!(api_error("<html><body>Bad gateway</body></html>", HeaderMap::new()).message(), None);
    let mut plain = HeaderMap::new();
    plain.insert(reqwest::header::CONTENT_TYPE, "text/plain".parse().expect("valid"));
    assert_eq!(api_error("upstream down\nmore", plain).message().as_deref(), Some("upstream down"));
}

#[test]
fn display_quotes_a_short_message() {
    let long = format!(r#"{{"message":"{}"}}"#, "x".repeat(500));
    let shown = api_error(&long, HeaderMap::new()).to_string();
    assert!(shown.starts_with("op: the server answered 400 Bad Request: xxx"), "{shown}");
    assert!(shown.chars().count() < 260, "{shown}");
}

#[test]
fn rate_limit_falls_back_to_the_body() {
    let mut headers = HeaderMap::new();
    headers.insert("x-ratelimit-limit", "100".parse().expect("valid"));
    let err = api_error(r#"{"error":"Rate limit exceeded","remaining":0,"reset":1763450000}"#, headers);
    let limit = err.rate_limit();
    assert_eq!((limit.limit, limit.remaining, limit.reset), (Some(100), Some(0), Some(1763450000)));
}
