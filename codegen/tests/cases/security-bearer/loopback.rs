//! The document's HTTP bearer scheme against a loopback server: the key arrives as
//! `Authorization: Bearer <key>`.
//! (Compiled and run by `xtask/tests/nested_cargo/accepted_cases.rs` inside a copy of the client
//! crate where this case is the vendor module `case_security_bearer`, which declares no `auth:`:
//! the document decides.)

use periskope_wapikit::case_security_bearer::Client;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_key_is_a_bearer_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .and(header("authorization", "Bearer t0ken-123"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "count": 3 })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("t0ken-123").base_url(server.uri()).build().expect("client builds");
    let things = client.list_things().send().await.expect("the call succeeds");
    assert_eq!(things.into_inner().count, Some(3));
}
