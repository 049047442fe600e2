//! What reaches the wire for a three-state field, through the real generated client and a
//! server on 127.0.0.1: `None` never becomes `null`; only `Nullable::Null` (or `Nullable::null()`)
//! sends it.

#![cfg(feature = "periskope")]

use periskope_wapikit::Nullable;
use periskope_wapikit::periskope::{Client, types::UpdateMemberAccessBody, types::builder};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Sends an update-access request whose body is `body` with `emails` set, and returns the exact
/// bytes the server received.
async fn sent_bytes(
    body: impl FnOnce(builder::UpdateMemberAccessBodyBuilder) -> builder::UpdateMemberAccessBodyBuilder,
) -> String {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1/members/access"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("test-key").base_url(format!("{}/v1", server.uri())).build().expect("client builds");
    let body = body(UpdateMemberAccessBody::builder(vec!["a@example.com".to_string()]));
    client.update_member_access(body).send().await.expect("the call succeeds");
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1);
    String::from_utf8(requests[0].body.clone()).expect("a JSON body is UTF-8")
}

#[tokio::test]
async fn a_setter_not_called_leaves_the_field_out() {
    assert_eq!(sent_bytes(|body| body).await, r#"{"emails":["a@example.com"]}"#);
}

#[tokio::test]
async fn none_leaves_the_field_out() {
    // The foot-gun this guards against: an unconfigured `Option` that revoked all label access.
    let not_configured: Option<Vec<String>> = None;
    assert_eq!(sent_bytes(|body| body.labels(not_configured)).await, r#"{"emails":["a@example.com"]}"#);
}

#[tokio::test]
async fn some_sends_the_value() {
    let configured = Some(vec!["Sales".to_string()]);
    assert_eq!(sent_bytes(|body| body.labels(configured)).await, r#"{"emails":["a@example.com"],"labels":["Sales"]}"#);
}

#[tokio::test]
async fn a_plain_value_is_sent() {
    assert_eq!(
        sent_bytes(|body| body.org_phones(vec!["918824248940".to_string()])).await,
        r#"{"emails":["a@example.com"],"orgPhones":["918824248940"]}"#
    );
}

#[tokio::test]
async fn null_is_sent_only_when_named() {
    let expected = r#"{"emails":["a@example.com"],"labels":null}"#;
    assert_eq!(sent_bytes(|body| body.labels(Nullable::Null)).await, expected);
    assert_eq!(sent_bytes(|body| body.labels(Nullable::null())).await, expected);
}

#[tokio::test]
async fn absent_given_explicitly_leaves_the_field_out() {
    assert_eq!(sent_bytes(|body| body.labels(Nullable::Absent)).await, r#"{"emails":["a@example.com"]}"#);
}
