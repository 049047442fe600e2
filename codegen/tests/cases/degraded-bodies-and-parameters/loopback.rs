//! Degraded media types as a client, against a server on 127.0.0.1: a body in a media type the
//! generator does not type is sent as raw bytes with its own `Content-Type`, and a vendor JSON
//! type is sent and decoded as JSON with the vendor's `Content-Type` and `Accept`, and `deepObject` and
//! `pipeDelimited` query parameters are encoded by the client crate.

use periskope_wapikit::case_degraded_bodies_and_parameters::{Client, types};
use serde_json::json;
use wiremock::matchers::{body_json, body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn raw_and_vendor_json_bodies_are_sent_with_their_content_types() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/tokens/verify"))
        .and(header("content-type", "application/jwt"))
        .and(body_string("eyJhbGciOiJub25lIn0.e30."))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/articles"))
        .and(header("content-type", "application/vnd.api+json"))
        // It asks for the type the API answers in, not `application/json` (a 406 from a server
        // that answers only in its own type).
        .and(header("accept", "application/vnd.api+json"))
        .and(body_json(json!({"title": "Hello"})))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("content-type", "application/vnd.api+json")
                .set_body_string(r#"{"title":"Hello back"}"#),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("test-key").base_url(server.uri()).build().expect("client builds");

    client.verify_token("eyJhbGciOiJub25lIn0.e30.").send().await.expect("the raw body is accepted");
    let article = client
        .create_article(types::Article::builder("Hello"))
        .send()
        .await
        .expect("the vendor JSON body is accepted")
        .into_inner();
    assert_eq!(article.title, "Hello back");
}

#[tokio::test]
async fn deep_object_and_pipe_delimited_queries_are_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search"))
        .and(query_param("filter[status]", "open"))
        .and(query_param("filter[minPrice]", "10"))
        .and(query_param("tags", "red|blue"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("test-key").base_url(server.uri()).build().expect("client builds");
    client
        .search_things()
        .filter(json!({"status": "open", "minPrice": 10}))
        .tags(vec!["red".to_string(), "blue".to_string()])
        .send()
        .await
        .expect("the styled query is accepted");
}
