//! The document's OAuth 2 scheme (every operation) and OpenID Connect scheme (`getMe`)
//! against a loopback server: the key is the access token, sent as a bearer token.
//! (Compiled and run by `xtask/tests/nested_cargo/accepted_cases.rs` inside a copy of the client
//! crate where this case is the vendor module `case_security_oauth2`, which declares no `auth:`:
//! the document decides.)

use periskope_wapikit::case_security_oauth2::Client;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_access_token_is_a_bearer_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer access-t0ken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "count": 0 })))
        .expect(2)
        .mount(&server)
        .await;
    let client = Client::builder("access-t0ken").base_url(server.uri()).build().expect("client builds");
    client.list_things().send().await.expect("the OAuth 2 call succeeds");
    client.get_me().send().await.expect("the OpenID Connect call succeeds");
}
