//! A call made outside a Tokio runtime (here from `futures::executor::block_on`) returns a
//! transport error that says a Tokio runtime is missing and sends nothing, where reqwest's timers
//! would panic with a message pointing into `core`. The server on 127.0.0.1 runs on a runtime of
//! its own, which the calling thread is not inside.

#![cfg(feature = "periskope")]

use periskope_wapikit::{RetryPolicy, periskope};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn a_call_outside_a_tokio_runtime_is_an_error_that_says_so() {
    let server_runtime = tokio::runtime::Runtime::new().expect("a runtime for the server");
    let server = server_runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(200)).mount(&server).await;
        server
    });
    assert!(tokio::runtime::Handle::try_current().is_err(), "the test thread is outside any runtime");
    let client = periskope::Client::builder("k")
        .base_url(format!("{}/v1", server.uri()))
        .retry(RetryPolicy::never())
        .build()
        .expect("builds");
    let body = periskope::types::InviteMembersBody::builder(["a@example.com"]);
    let err = futures::executor::block_on(client.invite_members(body).send()).expect_err("no runtime");
    assert!(matches!(err, periskope::Error::Transport(_)), "{err:?}");
    assert_eq!(err.operation(), Some("invite_members"));
    let message = err.to_string();
    assert!(message.starts_with("invite_members: request to http://127.0.0.1:"), "{message}");
    assert!(message.contains("failed: no Tokio runtime: "), "{message}");
    assert!(message.contains("`#[tokio::main]`"), "{message}");
    let received = server_runtime.block_on(server.received_requests()).expect("recording is on");
    assert!(received.is_empty(), "nothing was sent: {received:?}");
}
