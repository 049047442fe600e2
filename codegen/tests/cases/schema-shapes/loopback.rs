//! Normalised schema shapes as a client, against a server on 127.0.0.1: the converted
//! `default` (and the dropped ones: an answer leaving out a property whose `default` broke its
//! `format` decodes, where typify's code for that `default` would panic), the `enum` moved to
//! the array's items, the string enum made of a number, the object that lost its unknown
//! `format`, the `anyOf` of a string and a list read as a union, the hoisted `allOf` member and
//! the hoisted schema that refers to another one all send and decode.

use periskope_wapikit::case_schema_shapes::{Client, types};
use periskope_wapikit::Nullable;
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn normalised_shapes_send_and_decode() {
    let server = MockServer::start().await;
    let wire = json!({
        "hasAttachments": false, "retries": 3, "since": "2024-01-02", "links": {"self": "https://example.com/a"},
        "scopes": ["read"], "level": "3", "primaryTag": {"label": "vip"},
        "badge": {"icon": {"src": "vip.png"}},
    });
    Mock::given(method("POST"))
        .and(path("/accounts"))
        .and(body_json(wire.clone()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "links": {"self": "https://example.com/a"}, "scopes": ["write"], "level": null, "flag": 1, "fallback": ["a", "b"],
            "badge": {"icon": {"src": "gold.png"}},
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("test-key").base_url(server.uri()).build().expect("client builds");
    let links: std::collections::BTreeMap<String, String> =
        [("self".to_string(), "https://example.com/a".to_string())].into_iter().collect();
    let tag: types::TagAllOf0 =
        types::TagAllOf0::builder().label("vip".to_string()).try_into().expect("a valid tag");
    let icon: types::TagDefinitionsIcon =
        types::TagDefinitionsIcon::builder().src("vip.png".to_string()).try_into().expect("a valid icon");
    let badge: types::TagDefinitionsBadge =
        types::TagDefinitionsBadge::builder().icon(icon).try_into().expect("a valid badge");
    let body = types::Account::builder()
        .has_attachments(false)
        .retries(3)
        .links(links)
        .scopes(vec![types::AccountScopesItem::Read])
        .level(types::AccountLevel::X3)
        .primary_tag(tag)
        .badge(badge);
    let account = client.create_account(body).send().await.expect("the call succeeds").into_inner();
    // Absent fields take the converted defaults.
    assert!(!account.has_attachments);
    assert_eq!(account.retries, 3);
    assert_eq!(account.since, chrono::NaiveDate::from_ymd_opt(2024, 1, 2).expect("a date"));
    // Defaults that break their format or bounds were dropped: the properties are optional.
    assert_eq!((account.created, account.owner_id, account.page_size), (None, None, None));
    assert_eq!(account.scopes, vec![types::AccountScopesItem::Write]);
    assert_eq!(account.level, Nullable::Null);
    assert_eq!(account.flag, Some(json!(1)));
    // An `anyOf` of no object is a union whose first fitting member decodes the value.
    assert_eq!(account.fallback, Some(types::AccountFallback::Array(vec!["a".into(), "b".into()])));
    assert_eq!(account.links.get("self").map(String::as_str), Some("https://example.com/a"));
    // The hoisted schema's own reference is typed too, not any JSON.
    let icon: Option<types::TagDefinitionsIcon> = account.badge.and_then(|badge| badge.icon);
    assert_eq!(icon.and_then(|icon| icon.src).as_deref(), Some("gold.png"));
}
