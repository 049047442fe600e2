//! The document's API key in a cookie against a loopback server: the key arrives as
//! `Cookie: session_id=<key>`.
//! (Compiled and run by `xtask/tests/nested_cargo/accepted_cases.rs` inside a copy of the client
//! crate where this case is the vendor module `case_security_api_key_cookie`, which declares no `auth:`:
//! the document decides.)

use periskope_wapikit::case_security_api_key_cookie::Client;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_key_is_in_its_cookie() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .and(header("cookie", "session_id=c00kie-9"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "count": 9 })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("c00kie-9").base_url(server.uri()).build().expect("client builds");
    client.list_things().send().await.expect("the call succeeds");
}
