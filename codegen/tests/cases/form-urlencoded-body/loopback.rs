//! The form-urlencoded operation of this case against a loopback server: the server receives
//! `application/x-www-form-urlencoded` with the typed fields (a list repeating its name, as
//! OpenAPI's default form style says), and the JSON answer decodes.
//! (Compiled and run by `xtask/tests/nested_cargo/accepted_cases.rs` inside a copy of the client
//! crate where this case is the vendor module `case_form_urlencoded_body`.)

use periskope_wapikit::case_form_urlencoded_body::{Client, types};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_form_urlencoded_body_is_sent_as_a_form() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/tokens"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("audiences=api&audiences=web&client_id=app+%231&grant_type=client_credentials&scope=read%3Aall"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "access_token": "t0k" })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("key").base_url(server.uri()).build().expect("client builds");
    let token = client
        .create_token(
            types::CreateTokenBody::builder("app #1", types::CreateTokenBodyGrantType::ClientCredentials)
                .scope("read:all".to_string())
                .audiences(vec!["api".to_string(), "web".to_string()]),
        )
        .send()
        .await
        .expect("the call succeeds");
    assert_eq!(token.into_inner().access_token, "t0k");
}
