//! The document's HTTP basic scheme against a loopback server: the key, written
//! `user:password`, arrives base64-encoded in `Authorization: Basic ...`.
//! (Compiled and run by `xtask/tests/nested_cargo/accepted_cases.rs` inside a copy of the client
//! crate where this case is the vendor module `case_security_basic`, which declares no `auth:`:
//! the document decides.)

use periskope_wapikit::case_security_basic::Client;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_key_is_sent_as_basic_credentials() {
    let server = MockServer::start().await;
    // `aladdin:open sesame`, base64-encoded (RFC 7617's example).
    Mock::given(method("GET"))
        .and(path("/things"))
        .and(header("authorization", "Basic YWxhZGRpbjpvcGVuIHNlc2FtZQ=="))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "count": 1 })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("aladdin:open sesame").base_url(server.uri()).build().expect("client builds");
    let things = client.list_things().send().await.expect("the call succeeds");
    assert_eq!(things.into_inner().count, Some(1));
}
