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
    // `orgPhones` is set: update access needs one of the two (see the last test).
    assert_eq!(sent_bytes(|body| body.org_phones(["1"])).await, r#"{"emails":["a@example.com"],"orgPhones":["1"]}"#);
}

#[tokio::test]
async fn none_leaves_the_field_out() {
    // The foot-gun this guards against: an unconfigured `Option` that revoked all label access.
    let not_configured: Option<Vec<String>> = None;
    assert_eq!(
        sent_bytes(|body| body.labels(not_configured).org_phones(["1"])).await,
        r#"{"emails":["a@example.com"],"orgPhones":["1"]}"#
    );
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
    assert_eq!(
        sent_bytes(|body| body.labels(Nullable::Absent).org_phones(["1"])).await,
        r#"{"emails":["a@example.com"],"orgPhones":["1"]}"#
    );
}

#[tokio::test]
async fn a_body_without_labels_or_phones_is_refused_before_sending() {
    let server = MockServer::start().await;
    let client = Client::builder("test-key").base_url(format!("{}/v1", server.uri())).build().expect("client builds");
    let body = UpdateMemberAccessBody::builder(["a@example.com"]);
    let err = client.update_member_access(body).send().await.expect_err("the body breaks the documented rule");
    assert_eq!(err.operation(), Some("update_member_access"), "{err}");
    let message = err.to_string();
    assert!(message.contains("`labels` or `orgPhones`"), "{message}");
    assert!(server.received_requests().await.expect("recording is on").is_empty(), "nothing is sent");
}
