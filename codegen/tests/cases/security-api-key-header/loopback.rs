//! The document's API key in a header against a loopback server: the key arrives as it
//! is in `X-Api-Key`, and in no other header.
//! (Compiled and run by `xtask/tests/nested_cargo/accepted_cases.rs` inside a copy of the client
//! crate where this case is the vendor module `case_security_api_key_header`, which declares no `auth:`:
//! the document decides.)

use periskope_wapikit::case_security_api_key_header::Client;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_key_is_in_its_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .and(header("x-api-key", "k-42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "count": 42 })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("k-42").base_url(server.uri()).build().expect("client builds");
    client.list_things().send().await.expect("the call succeeds");
    let requests = server.received_requests().await.expect("requests are recorded");
    assert!(requests[0].headers.get("authorization").is_none(), "no other scheme is sent");
}
