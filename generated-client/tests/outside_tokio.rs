//! A call made outside a Tokio runtime (here from `futures::executor::block_on`) returns a
//! transport error that says a Tokio runtime is missing and sends nothing, where reqwest's timers
//! would panic with a message pointing into `core`; a list walked there ends with that error. The
//! server on 127.0.0.1 runs on a runtime of its own, which the calling thread is not inside.

#![cfg(any(feature = "periskope", feature = "wapikit"))]

use periskope_wapikit::RetryPolicy;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server answering 200 to anything, on a runtime the test thread is not inside.
fn server_outside() -> (tokio::runtime::Runtime, MockServer) {
    let server_runtime = tokio::runtime::Runtime::new().expect("a runtime for the server");
    let server = server_runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(200)).mount(&server).await;
        server
    });
    assert!(tokio::runtime::Handle::try_current().is_err(), "the test thread is outside any runtime");
    (server_runtime, server)
}

#[cfg(feature = "periskope")]
#[test]
fn a_call_outside_a_tokio_runtime_is_an_error_that_says_so() {
    use periskope_wapikit::periskope;
    let (server_runtime, server) = server_outside();
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

#[cfg(feature = "wapikit")]
#[test]
fn a_list_walked_outside_a_tokio_runtime_ends_with_that_error() {
    use futures::StreamExt;
    use periskope_wapikit::wapikit;
    let (server_runtime, server) = server_outside();
    let client = wapikit::Client::builder("k")
        .base_url(format!("{}/api", server.uri()))
        .retry(RetryPolicy::never())
        .build()
        .expect("builds");
    let mut invites = client.get_organization_invites(1, 50).items();
    let first = futures::executor::block_on(invites.next()).expect("one item: the error");
    let err = first.expect_err("no runtime");
    assert!(err.to_string().contains("no Tokio runtime"), "{err}");
    assert_eq!(err.operation(), Some("get_organization_invites"));
    assert!(futures::executor::block_on(invites.next()).is_none(), "the walk ends at its error");
    let received = server_runtime.block_on(server.received_requests()).expect("recording is on");
    assert!(received.is_empty(), "nothing was sent: {received:?}");
}
