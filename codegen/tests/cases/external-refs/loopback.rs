//! Schemas, a parameter and a response from sibling files, against a server on 127.0.0.1: the
//! referenced schemas are components of their own (`Member`, `Role`, `Error`), the parameter
//! and the error response are the referring operation's own.

use periskope_wapikit::case_external_refs::{Client, types};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn referenced_files_make_one_client() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/members"))
        .and(query_param("limit", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            { "id": "m-1", "role": "admin", "manager": { "id": "m-0" } },
        ])))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("test-key").base_url(server.uri()).build().expect("client builds");
    let limit = std::num::NonZeroU64::new(2).expect("not zero");
    let members: Vec<types::Member> = client.list_members().limit(limit).send().await.expect("the call succeeds").into_inner();
    assert_eq!(members[0].role, Some(types::Role::Admin));
    assert_eq!(members[0].manager.as_ref().map(|manager| manager.id.as_str()), Some("m-0"));
}
