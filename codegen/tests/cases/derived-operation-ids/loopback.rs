//! Methods named by derived operation ids, against a server on 127.0.0.1: the id comes from
//! the method and path, and a clash with the document's own id gets a suffix.

use periskope_wapikit::case_derived_operation_ids::Client;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn derived_ids_name_the_methods() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/t-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": "t-1" })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/things/t-1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/Things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{ "id": "t-2" }])))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("test-key").base_url(server.uri()).build().expect("client builds");
    let thing = client.get_things_by_thing_id("t-1").send().await.expect("get succeeds").into_inner();
    assert_eq!(thing.id, "t-1");
    client.delete_things_by_thing_id("t-1").send().await.expect("delete succeeds");
    // `GET /Things` derives `get_things`, which the document already uses for `GET /things`.
    let things = client.get_things_2().send().await.expect("list succeeds").into_inner();
    assert_eq!(things[0].id, "t-2");
}
