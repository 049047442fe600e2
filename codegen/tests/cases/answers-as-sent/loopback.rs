//! Answers as servers send them, against a server on 127.0.0.1: `null` where the document
//! marks a `$ref` `nullable` (a sibling OpenAPI 3.0 ignores), a value of an `anyOf` of
//! scalars (a known code or any string; an integer, a string or a date) or of a list and a map,
//! a string that breaks
//! its documented `pattern` (which `FromStr` still checks), an answer without a required
//! `writeOnly` property, an empty body documented with a JSON media type, and a `204` declared
//! with a body (which HTTP does not allow) all decode;
//! an `allOf` of closed parts is a body that can be built, sent and decoded, and a union closed
//! around its members decodes.
//! (Compiled and run by `xtask/tests/nested_cargo/accepted_cases.rs` inside a copy of the client
//! crate where this case is the vendor module `case_answers_as_sent`.)

use periskope_wapikit::Nullable;
use periskope_wapikit::case_answers_as_sent::{Client, types};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn answers_as_servers_send_them_decode() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/conversations/c1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "c1", "assignee": null, "reviewer": {"id": "t2"}, "language": "de_ch", "cells": [0, "a", "2024-08-01"], "code": "x", "steps": ["a", "b"], "strategy": {"type": "auto"}, "score": {"kind": "NUMERIC", "value": 1.5}, "sendDate": "2021-03-16",
        })))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/conversations/c1"))
        .respond_with(ResponseTemplate::new(200).insert_header("content-type", "application/json"))
        .mount(&server)
        .await;
    let client = Client::builder("k-answers").base_url(server.uri()).build().expect("client builds");

    let conversation = client.get_conversation("c1").send().await.expect("a null assignee decodes").into_inner();
    assert_eq!((&conversation.assignee, &conversation.secret), (&None, &None));
    assert_eq!(conversation.reviewer.value().map(|teammate| teammate.id.as_str()), Some("t2"));
    assert_eq!(conversation.code.as_deref().map(|code| code.as_str()), Some("x"), "kept as sent");
    assert!("x".parse::<types::ConversationCode>().is_err(), "a value built here is checked");
    let sent = serde_json::to_value(&conversation).expect("it serializes");
    assert_eq!((&sent["language"], &sent["cells"]), (&json!("de_ch"), &json!([0, "a", "2024-08-01"])), "kept as sent");
    assert_eq!(sent["steps"], json!(["a", "b"]), "kept as sent");
    assert_eq!(sent["strategy"], json!({"type": "auto"}), "a union without members holds any value");
    assert_eq!(sent["score"], json!({"kind": "NUMERIC", "value": 1.5}), "a member requiring its part's property");
    assert_eq!(sent["sendDate"], json!("2021-03-16"), "a member typed by its holder");

    Mock::given(method("POST"))
        .and(path("/conversations/c1/archive"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let archived: periskope_wapikit::ResponseValue<()> =
        client.archive_conversation("c1").send().await.expect("a 204 declared with a body has none");
    assert_eq!(archived.status().as_u16(), 204);

    let deleted = client.delete_conversation("c1").send().await.expect("an empty body decodes");
    assert_eq!(deleted.status().as_u16(), 200);
    assert_eq!(deleted.into_inner(), serde_json::Value::Null);
}

#[tokio::test]
async fn an_all_of_of_closed_parts_is_sent_and_decoded() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/drafts"))
        .and(wiremock::matchers::body_json(json!({"url": "https://example.com/a.mp3", "punctuate": true})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"url": "https://example.com/a.mp3", "punctuate": true})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("k-answers").base_url(server.uri()).build().expect("client builds");
    // The body's `required` beside its `$ref` makes `punctuate` an argument of its builder.
    let draft = types::CreateDraftBody::builder(true, "https://example.com/a.mp3");
    let stored = client.create_draft(draft).send().await.expect("the call succeeds").into_inner();
    assert_eq!((stored.url.as_str(), stored.punctuate), ("https://example.com/a.mp3", Some(true)));

    Mock::given(method("GET"))
        .and(path("/notice"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"punctuate": false})))
        .mount(&server)
        .await;
    let notice = client.get_notice().send().await.expect("a closed union decodes").into_inner();
    assert_eq!(serde_json::to_value(&notice).expect("it serializes"), json!({"punctuate": false}));
}
