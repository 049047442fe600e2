//! The questions callers ask of an error, answered without reading the source, against a real
//! HTTP server on 127.0.0.1: which fields were rejected, whether it is a rate limit and how long
//! to wait, which operation failed, and a `Debug` form that stays short whatever the body.

#![cfg(all(feature = "periskope", feature = "wapikit"))]

use std::time::Duration;

use periskope_wapikit::{RetryPolicy, periskope, wapikit};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn periskope_client(server: &MockServer) -> periskope::Client {
    periskope::Client::builder("k")
        .base_url(format!("{}/v1", server.uri()))
        .retry(RetryPolicy::never())
        .build()
        .expect("builds")
}

fn wapikit_client(server: &MockServer) -> wapikit::Client {
    wapikit::Client::builder("k")
        .base_url(format!("{}/api", server.uri()))
        .retry(RetryPolicy::never())
        .build()
        .expect("builds")
}

async fn answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("PATCH")).respond_with(template.clone()).mount(&server).await;
    Mock::given(method("POST")).respond_with(template.clone()).mount(&server).await;
    Mock::given(method("GET")).respond_with(template).mount(&server).await;
    server
}

async fn update_access(client: &periskope::Client) -> periskope::Error {
    let body = periskope::types::UpdateMemberAccessBody::builder(vec!["a@example.com".to_string()])
        .labels(vec!["Sales".to_string()]);
    client.update_member_access(body).send().await.expect_err("an error answer")
}

async fn create_invite(client: &wapikit::Client) -> wapikit::Error {
    let body = wapikit::types::CreateNewOrganizationInviteSchema::builder(
        wapikit::types::UserPermissionLevelEnum::Member,
        "not-an-email",
    );
    client.create_organization_invite(body).send().await.expect_err("an error answer")
}

#[tokio::test]
async fn a_periskope_422_is_typed_with_its_fields() {
    let server = answering(ResponseTemplate::new(422).set_body_json(json!({
        "code": "VALIDATION_ERROR",
        "fields": { "{x-phone}": { "message": "Missing Header: {x-phone}" } },
        "message": "Validation failed",
        "name": "Validation Error",
        "status": 422
    })))
    .await;
    let err = update_access(&periskope_client(&server)).await;
    // The body is the documented type, reachable from the error itself.
    let body: Option<&periskope::types::ValidationError> = err.api_error().and_then(|api| api.body());
    assert_eq!(body.map(|body| body.code.as_str()), Some("VALIDATION_ERROR"));
    let invalid = err.as_validation().expect("a validation error");
    assert_eq!(invalid.fields["{x-phone}"].message, "Missing Header: {x-phone}");
    assert_eq!(err.operation(), Some("update_member_access"));
    assert!(!err.is_rate_limited());
    assert_eq!(err.retry_after(), None);
}

#[tokio::test]
async fn the_fields_of_a_422_come_in_key_order_and_the_error_has_its_message_and_trace_id() {
    // Sent out of order: a hash map would give them back in an order that changes per run.
    let names = ["role", "emails", "labels", "orgPhones", "zone", "alpha", "middle", "beta"];
    let fields: serde_json::Map<_, _> =
        names.iter().map(|name| (name.to_string(), json!({ "message": format!("bad {name}") }))).collect();
    let body = json!({ "code": "VALIDATION_ERROR", "fields": fields, "message": "Validation failed",
                       "name": "Validation Error", "status": 422 });
    let template = ResponseTemplate::new(422).insert_header("x-periskope-trace-id", "trace-42").set_body_json(body);
    let err = update_access(&periskope_client(&answering(template).await)).await;
    let invalid = err.as_validation().expect("a validation error");
    let mut sorted = names.map(str::to_string).to_vec();
    sorted.sort();
    assert_eq!(invalid.fields.keys().cloned().collect::<Vec<_>>(), sorted);
    assert_eq!(err.message().as_deref(), Some("Validation failed"));
    assert_eq!(err.trace_id(), Some("trace-42"));

    // No response, no message or trace id.
    let unreachable = periskope::Client::builder("k")
        .base_url("http://127.0.0.1:9/v1")
        .retry(RetryPolicy::never())
        .build()
        .expect("builds");
    let err = update_access(&unreachable).await;
    assert_eq!((err.message(), err.trace_id()), (None, None));
}

#[tokio::test]
async fn a_wapikit_400_is_a_validation_error_with_its_message() {
    let server =
        answering(ResponseTemplate::new(400).set_body_json(json!({ "message": "Invalid email address" }))).await;
    let err = create_invite(&wapikit_client(&server)).await;
    let invalid = err.as_validation().expect("a 400 with the documented body");
    assert_eq!(invalid.message.as_deref(), Some("Invalid email address"));
    assert_eq!(err.operation(), Some("create_organization_invite"));
}

#[tokio::test]
async fn a_429_says_it_is_rate_limited_and_how_long_to_wait() {
    let server = answering(ResponseTemplate::new(429).insert_header("retry-after", "7")).await;
    let err = create_invite(&wapikit_client(&server)).await;
    assert!(err.is_rate_limited());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    assert!(err.as_validation().is_none());

    // Wapikit's own 429: no Retry-After, the reset (seconds from now here) in the body.
    let server = answering(ResponseTemplate::new(429).set_body_json(json!({
        "error": "Rate limit exceeded", "remaining": 0, "reset": 30
    })))
    .await;
    let err = create_invite(&wapikit_client(&server)).await;
    assert!(err.is_rate_limited());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
}

#[tokio::test]
async fn debug_of_an_error_shows_a_huge_body_only_in_part() {
    let huge = "x".repeat(10 * 1024 * 1024);
    for status in [500, 200] {
        let server = answering(ResponseTemplate::new(status).set_body_raw(huge.clone(), "text/plain")).await;
        let err = update_access(&periskope_client(&server)).await;
        for rendering in [format!("{err:?}"), format!("{err:#?}")] {
            assert!(rendering.len() < 16 * 1024, "a {status} answer renders as {} bytes", rendering.len());
            assert!(rendering.contains("more bytes"), "the rendering says it is cut: {status}");
        }
    }
    // A short body is shown whole.
    let server = answering(ResponseTemplate::new(500).set_body_raw("upstream down", "text/plain")).await;
    let err = update_access(&periskope_client(&server)).await;
    assert!(format!("{err:?}").contains("\"upstream down\""), "{err:?}");
}
