//! The client's behaviour around the happy path, against a real HTTP server on 127.0.0.1:
//! authentication headers, retries and rate limits, timeouts, and every kind of error response,
//! with the API key kept out of every message.

mod common;

use std::time::Duration;

use common::invite_member;
use periskope_wapikit::periskope;
use periskope_wapikit::{Nullable, ResponseExt, RetryPolicy, wapikit};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const PERISKOPE_KEY: &str = "psk-secret-0123456789";
const WAPIKIT_KEY: &str = "wk-secret-9876543210";

/// A policy whose backoff is short enough for tests.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(10), Duration::from_millis(50))
}

fn periskope_builder(server: &MockServer) -> periskope_wapikit::ClientBuilder<periskope::Client> {
    periskope::Client::builder(PERISKOPE_KEY).base_url(format!("{}/v1", server.uri())).retry(quick_retries())
}

fn periskope_client(server: &MockServer) -> periskope::Client {
    periskope_builder(server).build().expect("client builds")
}

fn wapikit_client(server: &MockServer) -> wapikit::Client {
    wapikit::Client::builder(WAPIKIT_KEY)
        .base_url(format!("{}/api", server.uri()))
        .retry(quick_retries())
        .build()
        .expect("client builds")
}

async fn invite(client: &periskope::Client) -> Result<(), periskope::Error> {
    client
        .invite_members(periskope::types::InviteMembersBody::builder(vec!["test@example.com".to_string()]))
        .send()
        .await
        .map(drop)
}

async fn update_access(client: &periskope::Client) -> Result<(), periskope::Error> {
    client
        .update_member_access(
            periskope::types::UpdateMemberAccessBody::builder(vec!["test@example.com".to_string()])
                .labels(Nullable::Null),
        )
        .send()
        .await
        .map(drop)
}

async fn list_invites(client: &wapikit::Client) -> Result<(), wapikit::Error> {
    client.get_organization_invites(1, 10).send().await.map(drop)
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

fn invite_response() -> serde_json::Value {
    json!({ "addedMembers": [], "errors": [] })
}

fn invites_page() -> serde_json::Value {
    json!({ "invites": [], "paginationMeta": { "page": 1, "per_page": 10, "total": 0 } })
}

/// Asserts that no rendering of `value` shows either API key.
fn assert_no_key(rendered: &str) {
    assert!(!rendered.contains(PERISKOPE_KEY) && !rendered.contains(WAPIKIT_KEY), "a key leaked: {rendered}");
    assert!(!rendered.contains("secret-"), "part of a key leaked: {rendered}");
}

fn assert_error_hides_keys<E: std::fmt::Debug>(err: &periskope_wapikit::Error<E>) {
    assert_no_key(&err.to_string());
    assert_no_key(&format!("{err:?}"));
    assert_no_key(&format!("{err:#?}"));
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        assert_no_key(&inner.to_string());
        source = inner.source();
    }
}

#[tokio::test]
async fn each_vendor_authenticates_with_its_own_header_and_nothing_else() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/members/invite"))
        .respond_with(ResponseTemplate::new(200).set_body_json(invite_response()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/organization/invites"))
        .respond_with(ResponseTemplate::new(200).set_body_json(invites_page()))
        .mount(&server)
        .await;
    invite(&periskope_client(&server)).await.expect("invite succeeds");
    list_invites(&wapikit_client(&server)).await.expect("list succeeds");

    let received = requests(&server).await;
    let (periskope, wapikit) = (&received[0].headers, &received[1].headers);
    assert_eq!(
        periskope.get("authorization").map(|v| v.as_bytes()),
        Some(format!("Bearer {PERISKOPE_KEY}").as_bytes())
    );
    assert!(periskope.get("x-access-token").is_none());
    assert_eq!(wapikit.get("x-access-token").map(|v| v.as_bytes()), Some(WAPIKIT_KEY.as_bytes()));
    assert!(wapikit.get("authorization").is_none());
    for headers in [periskope, wapikit] {
        assert!(headers.get("api-version").is_none(), "no header upstream never asked for");
        let agent = headers.get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert!(agent.starts_with("periskope-wapikit/"), "{agent}");
    }
}

#[tokio::test]
async fn x_phone_is_sent_only_when_configured() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(invite_response()))
        .mount(&server)
        .await;
    invite(&periskope_client(&server)).await.expect("succeeds");
    let with_phone = periskope_builder(&server).phone("919876512340").build().expect("client builds");
    invite(&with_phone).await.expect("succeeds");

    let received = requests(&server).await;
    assert!(received[0].headers.get("x-phone").is_none());
    assert_eq!(received[1].headers.get("x-phone").map(|v| v.as_bytes()), Some(&b"919876512340"[..]));
}

#[tokio::test]
async fn extra_default_headers_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("x-tenant", "dunder-mifflin"))
        .respond_with(ResponseTemplate::new(200).set_body_json(invites_page()))
        .expect(1)
        .mount(&server)
        .await;
    let client = wapikit::Client::builder(WAPIKIT_KEY)
        .base_url(format!("{}/api", server.uri()))
        .header("x-tenant", "dunder-mifflin")
        .build()
        .expect("client builds");
    list_invites(&client).await.expect("succeeds");
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/members/invite"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/members/invite"))
        .respond_with(ResponseTemplate::new(200).set_body_json(invite_response()))
        .mount(&server)
        .await;
    // A 429 means the request was not processed, so even a POST is sent again.
    invite(&periskope_client(&server)).await.expect("the retry succeeds");
    assert_eq!(requests(&server).await.len(), 2);
}

/// Wapikit's 429 without a `Retry-After` or `X-RateLimit-Reset` header: the reset only in the body.
fn body_only_429(reset: u64) -> ResponseTemplate {
    ResponseTemplate::new(429).set_body_json(json!({ "error": "Rate limit exceeded", "remaining": 0, "reset": reset }))
}

#[tokio::test]
async fn a_429_whose_reset_is_only_in_the_body_waits_for_it() {
    // A reset an hour away is beyond the 30 s budget: no retry after the short backoff.
    let server = MockServer::start().await;
    let in_an_hour =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970").as_secs() + 3600;
    Mock::given(method("GET")).respond_with(body_only_429(in_an_hour)).mount(&server).await;
    let err = list_invites(&wapikit_client(&server)).await.expect_err("429 is an error");
    assert_eq!(requests(&server).await.len(), 1, "the body's reset is an hour away, beyond the budget");
    let wapikit::Error::Api(err) = err else { panic!("expected an API error, got {err:?}") };
    assert_eq!(err.status(), 429);
    assert_eq!(err.rate_limit().reset, Some(in_an_hour), "the body read for the wait is kept for the error");
    assert!(err.retry_after().is_some_and(|wait| wait > Duration::from_secs(3000)), "{:?}", err.retry_after());

    // A reset a second away is waited for, then the call succeeds.
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(body_only_429(1)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(invites_page()))
        .mount(&server)
        .await;
    list_invites(&wapikit_client(&server)).await.expect("the retry after the reset succeeds");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_wait_beyond_the_time_budget_is_not_made() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "3600")
                .set_body_json(json!({ "error": "Rate limit exceeded", "remaining": 0, "reset": 1763450000 })),
        )
        .mount(&server)
        .await;
    let err = list_invites(&wapikit_client(&server)).await.expect_err("429 is an error");
    assert_eq!(requests(&server).await.len(), 1, "an hour's wait exceeds the 30 s budget");
    let wapikit::Error::Api(err) = err else { panic!("expected an API error, got {err:?}") };
    assert_eq!(err.status(), 429);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
}

#[tokio::test]
async fn a_503_on_patch_is_not_retried_by_default() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let err = update_access(&periskope_client(&server)).await.expect_err("503 is an error");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(requests(&server).await.len(), 1, "the server may have processed the PATCH");
}

#[tokio::test]
async fn a_503_on_patch_is_retried_when_the_caller_opts_in() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("PATCH")).respond_with(ResponseTemplate::new(200).set_body_json(json!([]))).mount(&server).await;
    let client = periskope_builder(&server).retry(quick_retries().retry_non_idempotent(true)).build().expect("builds");
    update_access(&client).await.expect("the retry succeeds");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_503_on_get_is_retried_up_to_the_attempt_limit() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let err = list_invites(&wapikit_client(&server)).await.expect_err("503 every time");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(requests(&server).await.len(), 3, "the default policy makes three attempts");

    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(502)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(invites_page()))
        .mount(&server)
        .await;
    list_invites(&wapikit_client(&server)).await.expect("the retry succeeds");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(429)).mount(&server).await;
    let client = wapikit::Client::builder(WAPIKIT_KEY)
        .base_url(format!("{}/api", server.uri()))
        .retry(RetryPolicy::never())
        .build()
        .expect("builds");
    list_invites(&client).await.expect_err("429 is an error");
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    let client = periskope::Client::builder(PERISKOPE_KEY)
        .base_url(format!("http://127.0.0.1:{port}/v1"))
        .retry(quick_retries())
        .build()
        .expect("client builds");
    let err = invite(&client).await.expect_err("nothing listens");
    match &err {
        periskope::Error::Transport(inner) => assert!(inner.is_connect(), "{inner:?}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(err.operation(), Some("invite_members"));
    assert_eq!(
        err.to_string(),
        format!("invite_members: request to http://127.0.0.1:{port}/v1/members/invite failed: connection refused")
    );
    assert_error_hides_keys(&err);
}

#[tokio::test]
async fn a_timeout_is_a_timeout_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(invite_response()).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = periskope_builder(&server).timeout(Duration::from_millis(200)).build().expect("client builds");
    let err = invite(&client).await.expect_err("the server is too slow");
    assert!(matches!(err, periskope::Error::Timeout(_)), "{err:?}");
    assert!(err.is_timeout());
    assert_eq!(err.operation(), Some("invite_members"));
    let shown = err.to_string();
    assert!(shown.starts_with("invite_members: request to http://") && shown.ends_with("timed out"), "{shown}");
    assert_eq!(requests(&server).await.len(), 1, "a timed-out POST is not sent again");
    assert_error_hides_keys(&err);
}

#[tokio::test]
async fn a_422_body_is_decoded_into_its_fields() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(422).insert_header("x-periskope-trace-id", "trace-42").set_body_json(
            json!({
                "code": "VALIDATION_ERROR",
                "fields": {
                    "emails.0": { "message": "Invalid email", "value": "not-an-email" },
                    "{x-phone}": { "message": "Missing Header: {x-phone}" }
                },
                "message": "Validation failed",
                "name": "Validation Error",
                "status": 422
            }),
        ))
        .mount(&server)
        .await;
    let err = invite(&periskope_client(&server)).await.expect_err("422 is an error");
    let invalid = err.as_validation().expect("a typed validation error");
    assert_eq!(invalid.code, "VALIDATION_ERROR");
    assert_eq!(invalid.status, Some(422));
    assert_eq!(invalid.fields["emails.0"].message, "Invalid email");
    assert_eq!(invalid.fields["emails.0"].value, Some(json!("not-an-email")));
    assert_eq!(invalid.fields["{x-phone}"].value, None);
    let api = err.api_error().expect("an API error");
    assert_eq!(api.trace_id(), Some("trace-42"));
    assert_eq!(api.message().as_deref(), Some("Validation failed"));
    assert_eq!(err.to_string(), "invite_members: the server answered 422 Unprocessable Entity: Validation failed");
    assert_error_hides_keys(&err);
}

#[tokio::test]
async fn an_html_500_page_is_an_error_with_the_status() {
    let server = MockServer::start().await;
    let page = "<!DOCTYPE html><html><body><h1>500 Internal Server Error</h1></body></html>";
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_raw(page, "text/html"))
        .mount(&server)
        .await;
    let err = invite(&periskope_client(&server)).await.expect_err("500 is an error");
    let periskope::Error::Api(api) = &err else { panic!("expected an API error, got {err:?}") };
    assert_eq!(api.status(), 500);
    assert_eq!(api.text(), page);
    assert_eq!(api.message(), None);
    assert!(err.as_validation().is_none());
    assert_eq!(err.to_string(), "invite_members: the server answered 500 Internal Server Error");
    assert_error_hides_keys(&err);
}

#[tokio::test]
async fn success_bodies_that_do_not_decode_keep_the_status_and_text() {
    for (body, content_type) in [
        ("<html>maintenance</html>", "text/html"),
        ("", "application/json"),
        (r#"{"addedMembers": 7}"#, "application/json"),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, content_type))
            .mount(&server)
            .await;
        let err = invite(&periskope_client(&server)).await.expect_err("the body does not decode");
        let periskope::Error::Decode(decode) = &err else { panic!("expected a decode error, got {err:?}") };
        assert_eq!(decode.status(), 200);
        assert_eq!(decode.text(), body);
        assert!(!decode.is_too_large());
        assert!(err.to_string().starts_with("invite_members: cannot decode the 200 OK response body: "), "{err}");
        assert!(std::error::Error::source(&err).is_some(), "the JSON error is the source");
        assert_error_hides_keys(&err);
    }
}

#[tokio::test]
async fn bodies_over_the_size_limit_are_refused_or_cut() {
    let server = MockServer::start().await;
    let huge = format!(r#"{{"addedMembers": [], "errors": [], "padding": "{}"}}"#, "x".repeat(100_000));
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(huge, "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(400).set_body_raw("y".repeat(100_000), "text/plain"))
        .mount(&server)
        .await;
    let client = periskope_builder(&server).max_response_size(4096).build().expect("client builds");

    let err = invite(&client).await.expect_err("the body is too large");
    let periskope::Error::Decode(decode) = &err else { panic!("expected a decode error, got {err:?}") };
    assert!(decode.is_too_large());
    assert!(err.to_string().contains("exceeds the limit of 4096 bytes"), "{err}");

    let err = update_access(&client).await.expect_err("400 is an error");
    let periskope::Error::Api(api) = &err else { panic!("expected an API error, got {err:?}") };
    assert_eq!(api.status(), 400);
    assert_eq!(api.text().len(), 4096, "an error body is cut at the limit");
}

#[tokio::test]
async fn wapikit_rate_limit_errors_expose_remaining_and_reset() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("x-ratelimit-limit", "100")
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", "1763450000")
                .set_body_json(json!({ "error": "Rate limit exceeded", "remaining": 0, "reset": 1763450000 })),
        )
        .mount(&server)
        .await;
    let client = wapikit::Client::builder(WAPIKIT_KEY)
        .base_url(format!("{}/api", server.uri()))
        .retry(RetryPolicy::never())
        .build()
        .expect("builds");
    let err = list_invites(&client).await.expect_err("429 is an error");
    let limit = err.rate_limit().expect("a response came");
    assert_eq!((limit.limit, limit.remaining, limit.reset), (Some(100), Some(0), Some(1763450000)));
    let wapikit::Error::Api(api) = &err else { panic!("expected an API error, got {err:?}") };
    assert_eq!(api.message().as_deref(), Some("Rate limit exceeded"));
    let body = api.body().expect("the real 429 body fits the documented one");
    assert_eq!((body.remaining, body.reset), (Some(0), Some(1763450000)));
    assert_error_hides_keys(&err);
}

#[tokio::test]
async fn a_bare_string_401_is_an_error_with_its_message() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!("Unauthorized access")))
        .mount(&server)
        .await;
    let err = invite_member(&wapikit_client(&server), "new.member@example.com").await.expect_err("401 is an error");
    let wapikit::Error::Api(api) = &err else { panic!("expected an API error, got {err:?}") };
    assert_eq!(api.status(), 401);
    assert!(api.body().is_none(), "a bare string does not fit the documented body");
    assert_eq!(api.message().as_deref(), Some("Unauthorized access"));
    assert_eq!(
        err.to_string(),
        "create_organization_invite: the server answered 401 Unauthorized: Unauthorized access"
    );
    assert_error_hides_keys(&err);
}

#[tokio::test]
async fn rate_limit_headers_are_readable_from_a_success() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ratelimit-limit", "100")
                .insert_header("x-ratelimit-remaining", "99")
                .insert_header("x-ratelimit-reset", "60")
                .set_body_json(invites_page()),
        )
        .mount(&server)
        .await;
    let page = wapikit_client(&server).get_organization_invites(1, 10).send().await.expect("succeeds");
    let limit = page.rate_limit();
    assert_eq!((limit.limit, limit.remaining, limit.reset), (Some(100), Some(99), Some(60)));
    assert_eq!(limit.reset_after(), Some(Duration::from_secs(60)));
}

#[test]
fn the_key_is_absent_from_debug_output_and_build_errors() {
    let periskope = periskope::Client::builder(PERISKOPE_KEY).phone("919876512340").build().expect("builds");
    assert_no_key(&format!("{periskope:?}"));
    assert_no_key(&format!("{periskope:#?}"));
    assert!(format!("{periskope:?}").contains("919876512340"), "non-secret headers stay visible");
    let wapikit = wapikit::Client::new(WAPIKIT_KEY).expect("builds");
    assert_no_key(&format!("{wapikit:?}"));
    assert_no_key(&format!("{:?}", wapikit::Client::builder(WAPIKIT_KEY)));
    let err = periskope::Client::new(format!("{PERISKOPE_KEY}\nmore")).expect_err("a newline is not allowed");
    assert_no_key(&err.to_string());
    assert_no_key(&format!("{err:?}"));
}

/// A value that does not convert to the `String` a path id is.
struct NotAnId;

impl TryFrom<NotAnId> for String {
    type Error = ();

    fn try_from(_: NotAnId) -> Result<Self, ()> {
        Err(())
    }
}

#[tokio::test]
async fn an_argument_that_does_not_convert_is_refused_before_sending() {
    // A missing required input does not compile (tests/compile_fail); a value out of the
    // input's range still fails at run time, naming the operation and the input.
    let server = MockServer::start().await;
    let err =
        wapikit_client(&server).get_organization_invites(u64::MAX, 20).send().await.expect_err("u64::MAX is no i64");
    assert!(matches!(err, wapikit::Error::InvalidRequest(_)), "{err:?}");
    assert!(err.to_string().contains("`get_organization_invites`: `page` does not convert to `i64`"), "{err}");
    assert_eq!(err.operation(), Some("get_organization_invites"), "an input refused names its operation");
    // The same for a path parameter: a `String` that cannot be made from the value.
    let body = wapikit::types::UpdateOrganizationMemberSchema::builder();
    let err = wapikit_client(&server).update_organization_member_by_id(NotAnId, body).send().await.expect_err("no id");
    assert!(matches!(err, wapikit::Error::InvalidRequest(_)), "{err:?}");
    assert_eq!(err.operation(), Some("update_organization_member_by_id"), "{err}");
    assert!(requests(&server).await.is_empty());
}
