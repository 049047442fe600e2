//! The document's API key in the query against a loopback server: the key arrives in
//! `api_key` next to the operation's own `page`, and never shows in an error.
//! (Compiled and run by `xtask/tests/nested_cargo/accepted_cases.rs` inside a copy of the client
//! crate where this case is the vendor module `case_security_api_key_query`, which declares no `auth:`:
//! the document decides.)

use periskope_wapikit::case_security_api_key_query::{Client, Error};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "q-key-7781";

#[tokio::test]
async fn the_key_is_in_its_query_parameter() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .and(query_param("page", "2"))
        .and(query_param("api_key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "count": 2 })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(KEY).base_url(server.uri()).build().expect("client builds");
    let things = client.list_things().page(2).send().await.expect("the call succeeds");
    assert_eq!(things.into_inner().count, Some(2));
}

fn shown(err: &Error) -> String {
    format!("{err}\n{err:?}")
}

#[tokio::test]
async fn the_key_never_shows_in_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500).set_body_string("down")).mount(&server).await;
    let client = Client::builder(KEY).base_url(server.uri()).build().expect("client builds");
    let err = client.list_things().page(2).send().await.expect_err("a 500");
    assert_eq!(err.status().map(|status| status.as_u16()), Some(500));
    assert!(!shown(&err).contains(KEY), "{}", shown(&err));

    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let base = format!("http://{}", closed.local_addr().expect("its address"));
    drop(closed);
    let client = Client::builder(KEY)
        .base_url(base)
        .retry(periskope_wapikit::RetryPolicy::never())
        .build()
        .expect("client builds");
    let err = client.list_things().page(2).send().await.expect_err("connection refused");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let text = shown(&err);
    assert!(!text.contains(KEY) && text.contains("api_key=redacted"), "{text}");
}
