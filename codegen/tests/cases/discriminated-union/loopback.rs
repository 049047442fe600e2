//! A union whose members share a shape and are told apart by a discriminator only, against a
//! server on 127.0.0.1: each value decodes as the member its `kind` names, with every
//! property, and encodes back to what was received.

use periskope_wapikit::case_discriminated_union::{Client, types};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn each_value_decodes_as_the_member_its_kind_names() {
    let sent = json!([
        { "kind": "VideoMessage", "id": "v-1" },
        { "kind": "image", "id": "i-1", "caption": "a cat" },
        { "kind": "document", "id": "d-1", "fileName": "invoice.pdf" },
    ]);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/messages"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&sent))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("test-key").base_url(server.uri()).build().expect("client builds");
    let messages = client.list_messages().send().await.expect("the list decodes").into_inner();

    assert!(matches!(messages[0], types::Message::VideoMessage(_)), "{:?}", messages[0]);
    match &messages[1] {
        types::Message::ImageMessage(image) => assert_eq!(image.caption.as_deref(), Some("a cat")),
        other => panic!("an image decoded as {other:?}"),
    }
    match &messages[2] {
        types::Message::DocumentMessage(document) => assert_eq!(document.file_name, "invoice.pdf"),
        other => panic!("a document decoded as {other:?}"),
    }
    assert_eq!(serde_json::to_value(&messages).expect("encodes"), sent);
}
