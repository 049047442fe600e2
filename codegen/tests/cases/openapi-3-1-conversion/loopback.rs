//! The converted OpenAPI 3.1 document as a client, against a server on 127.0.0.1: a
//! `type: [string, "null"]` property is a three-state `Nullable` that sends `null` by name, a
//! nullable `anyOf` reference decodes `null`, `const` is an enum, a two-type property decodes
//! either type, a tuple of numbers is a list and `patternProperties` a map.

use periskope_wapikit::case_openapi_3_1_conversion::{Client, types};
use periskope_wapikit::Nullable;
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_converted_document_calls_and_decodes() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/members/m-1"))
        .and(body_json(json!({ "nickname": null, "role": "admin" })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "m-1", "kind": "member", "nickname": null, "manager": null, "age": 3, "score": "high",
            "position": [1.5, 2.5], "labels": { "team": "core" },
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("test-key").base_url(server.uri()).build().expect("client builds");
    let patch = types::MemberPatch::builder()
        .nickname(Nullable::<types::MemberPatchNickname>::Null)
        .role(types::Role::Admin);
    let member = client.update_member("m-1", patch).send().await.expect("the call succeeds").into_inner();
    assert_eq!(member.id, "m-1");
    assert_eq!(member.kind, types::MemberKind::Member);
    assert_eq!(member.nickname, Nullable::Null);
    assert_eq!(member.manager, Nullable::Null);
    assert_eq!(member.age.map(|age| age.get()), Some(3));
    assert!(matches!(member.score, Some(types::MemberScore::String(_))), "{:?}", member.score);
    assert_eq!(member.position, vec![1.5, 2.5]);
    assert_eq!(member.labels.get("team").map(String::as_str), Some("core"));
}
