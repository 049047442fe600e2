//! A response that fails after its headers, against a raw HTTP server on 127.0.0.1: a body that
//! stalls past the deadline is a timeout, and a connection dropped mid-body a transport error,
//! each naming the operation and the URL exactly as a failure before the headers does.

#![cfg(feature = "periskope")]

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use periskope_wapikit::{RetryPolicy, periskope};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the server does after reading a request.
#[derive(Clone, Copy)]
enum Answer {
    /// Sends nothing, and keeps the connection open.
    Stall,
    /// Sends the headers and the first bytes of a longer body, then keeps the connection open.
    StallMidBody,
    /// Sends the headers and the first bytes of a longer body, then closes the connection.
    DropMidBody,
}

/// A server that answers every request as `answer` says.
async fn serve(answer: Answer) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let addr = listener.local_addr().expect("the listener's address");
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                // The request is small: its head and body arrive before the server answers.
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n";
                if !matches!(answer, Answer::Stall) {
                    let _ = stream.write_all(format!("{head}{{\"addedMembers\":[").as_bytes()).await;
                    let _ = stream.flush().await;
                }
                if matches!(answer, Answer::DropMidBody) {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(60)).await;
            });
        }
    });
    addr
}

/// The error of one `invite_members` call to a server answering as `answer`, with a 500 ms
/// deadline and no retries.
async fn invite_error(answer: Answer) -> (periskope::Error, String) {
    let addr = serve(answer).await;
    let client = periskope::Client::builder("k")
        .base_url(format!("http://{addr}/v1"))
        .timeout(Duration::from_millis(500))
        .retry(RetryPolicy::never())
        .build()
        .expect("builds");
    let err = common::invite_members(&client, "a@example.com").await.expect_err("the body never completes");
    (err, format!("http://{addr}/v1/members/invite"))
}

#[tokio::test]
async fn a_body_that_stalls_times_out_naming_the_operation_and_url() {
    let (before_headers, url) = invite_error(Answer::Stall).await;
    assert!(before_headers.is_timeout(), "{before_headers:?}");
    assert_eq!(before_headers.to_string(), format!("invite_members: request to {url} timed out"));

    let (mid_body, url) = invite_error(Answer::StallMidBody).await;
    assert!(mid_body.is_timeout(), "{mid_body:?}");
    assert_eq!(mid_body.operation(), Some("invite_members"));
    assert_eq!(mid_body.to_string(), format!("invite_members: request to {url} timed out"));
}

#[tokio::test]
async fn a_connection_dropped_mid_body_names_the_operation_and_url() {
    let (err, url) = invite_error(Answer::DropMidBody).await;
    let periskope_wapikit::Error::Transport(transport) = &err else { panic!("not a transport error: {err:?}") };
    assert_eq!(err.operation(), Some("invite_members"));
    assert_eq!(transport.url().map(|url| url.as_str()), Some(url.as_str()));
    let shown = err.to_string();
    assert!(shown.starts_with(&format!("invite_members: request to {url} failed: ")), "{shown}");
}
