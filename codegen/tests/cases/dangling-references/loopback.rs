//! An API whose document refers to a parameter, a header, a response and a request body it
//! does not define, against a server on 127.0.0.1: the parameters it does define are sent,
//! the undefined error answer is still an error with its status, and the undefined body is
//! sent as the JSON the caller gives.

use periskope_wapikit::case_dangling_references::Client;
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder("test-key").base_url(server.uri()).build().expect("client builds")
}

#[tokio::test]
async fn the_defined_parts_work_and_the_undefined_ones_degrade() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .and(query_param("limit", "5"))
        .respond_with(ResponseTemplate::new(200).insert_header("X-Count", "1").set_body_json(json!({ "ok": true })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/things"))
        .and(body_json(json!({ "name": "a" })))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let listed = client(&server).list_things().limit(5).send().await.expect("the list succeeds");
    assert_eq!(listed.into_inner().ok, Some(true));
    client(&server).create_thing(json!({ "name": "a" })).send().await.expect("the body is sent as given");
}

#[tokio::test]
async fn the_undefined_error_answer_is_an_error_with_its_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(400).set_body_string("bad limit"))
        .mount(&server)
        .await;
    let error = client(&server).list_things().send().await.expect_err("a 400 is an error");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(400));
}
