//! An externally tagged union (each member an object of one property of its own) against a
//! server on 127.0.0.1: an object with other properties besides the member's key decodes, as
//! the member that key names, and each member encodes as its one key.

use periskope_wapikit::case_externally_tagged_union::{Client, types};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn chart(source: serde_json::Value) -> types::Chart {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/charts/c-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "source": source })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("test-key").base_url(server.uri()).build().expect("client builds");
    client.get_chart("c-1").send().await.expect("the chart decodes").into_inner()
}

#[tokio::test]
async fn a_member_with_other_properties_decodes_as_the_member_its_key_names() {
    let padded = chart(json!({ "repository": { "name": "stable" }, "checked_at": "2025-01-01" })).await;
    match &padded.source {
        types::ChartSource::Repository(repository) => assert_eq!(repository.name, "stable"),
        other => panic!("decoded as {other:?}"),
    }
    assert_eq!(serde_json::to_value(&padded.source).expect("encodes"), json!({ "repository": { "name": "stable" } }));
    let git = chart(json!({ "git": { "url": "https://example.com/c.git" } })).await;
    assert!(matches!(git.source, types::ChartSource::Git(_)), "{:?}", git.source);
}

#[tokio::test]
async fn an_object_without_a_member_key_is_an_error_naming_the_keys() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "source": { "ftp": {} } })))
        .mount(&server)
        .await;
    let client = Client::builder("test-key").base_url(server.uri()).build().expect("client builds");
    let error = client.get_chart("c-1").send().await.expect_err("no member fits");
    assert!(error.to_string().contains("one of the keys `git`, `repository`"), "{error}");
}
