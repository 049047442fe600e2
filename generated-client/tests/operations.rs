//! Every vendored operation against a real HTTP server on 127.0.0.1: the client sends the
//! right method, path, query, auth header and JSON body, and decodes the documented examples.

mod common;

use common::{at, example_from_schema, invite_member, spec};
use periskope_wapikit::{periskope, wapikit};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn periskope_client(server: &MockServer) -> periskope::Client {
    periskope::Client::builder("test-periskope-key")
        .base_url(format!("{}/v1", server.uri()))
        .build()
        .expect("client builds")
}

async fn wapikit_client(server: &MockServer) -> wapikit::Client {
    wapikit::Client::builder("test-wapikit-key")
        .base_url(format!("{}/api", server.uri()))
        .build()
        .expect("client builds")
}

/// The one request the server received.
async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "exactly one request");
    requests.remove(0)
}

#[tokio::test]
async fn invite_members_sends_the_documented_request_and_decodes_the_example() {
    let doc = spec("periskope/invite-members.yaml");
    let operation = at(&doc, "/paths/~1members~1invite/post");
    let request = at(operation, "/requestBody/content/application~1json/examples/Invite Members/value").clone();
    let response = at(operation, "/responses/200/content/application~1json/examples/200 OK/value").clone();

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/members/invite"))
        .and(header("authorization", "Bearer test-periskope-key"))
        .and(header("content-type", "application/json"))
        .and(body_json(&request))
        .respond_with(ResponseTemplate::new(200).set_body_json(&response))
        .expect(1)
        .mount(&server)
        .await;

    let client = periskope_client(&server).await;
    let body: periskope::types::InviteMembersBody =
        serde_json::from_value(request).expect("example fits the body type");
    let result = client.invite_members(body).send().await.expect("the call succeeds");
    assert_eq!(result.status(), 200);
    let invited = result.into_inner();
    assert_eq!(invited.added_members.len(), 3, "the example's three members decode into `addedMembers`");
    assert!(invited.errors.is_empty());
    let emails: Vec<&str> = invited.added_members.iter().map(|m| m.email.as_str()).collect();
    assert_eq!(emails, ["test@example.com", "test1@example.com", "test2@example.com"]);
    assert_eq!(invited.added_members[0].created_at.to_rfc3339(), "2025-11-18T05:09:07.481252+00:00");
    assert_eq!(invited.added_members[2].member_color.as_deref(), Some("#06CF9C"));
    let received = only_request(&server).await;
    assert!(received.headers.get("api-version").is_none(), "no header upstream never asked for");
    assert!(received.headers.get("x-phone").is_none(), "x-phone only when configured");
}

#[tokio::test]
async fn invite_members_with_the_typed_builder() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/members/invite"))
        .and(body_json(json!({ "emails": ["michael@dundermifflin.com"], "role": "admin", "labels": ["Sales"] })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "addedMembers": [], "errors": [] })))
        .expect(1)
        .mount(&server)
        .await;
    let client = periskope_client(&server).await;
    client
        .invite_members(
            periskope::types::InviteMembersBody::builder(vec!["michael@dundermifflin.com".to_string()])
                .role(Some(periskope::types::MemberRole::Admin))
                .labels(Some(vec!["Sales".to_string()])),
        )
        .send()
        .await
        .expect("the call succeeds");
}

#[tokio::test]
async fn update_member_access_sends_the_documented_request_and_decodes_members() {
    let doc = spec("periskope/update-member-access.yaml");
    let operation = at(&doc, "/paths/~1members~1access/patch");
    let request = at(operation, "/requestBody/content/application~1json/examples/Update Access/value").clone();
    let response = example_from_schema(at(operation, "/responses/200/content/application~1json/schema"));

    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1/members/access"))
        .and(header("authorization", "Bearer test-periskope-key"))
        .and(header("x-phone", "919876512340"))
        .and(body_json(&request))
        .respond_with(ResponseTemplate::new(200).set_body_json(&response))
        .expect(1)
        .mount(&server)
        .await;

    let client = periskope::Client::builder("test-periskope-key")
        .base_url(format!("{}/v1", server.uri()))
        .phone("919876512340")
        .build()
        .expect("client builds");
    let body: periskope::types::UpdateMemberAccessBody = serde_json::from_value(request).expect("example fits");
    let members = client.update_member_access(body).send().await.expect("the call succeeds").into_inner();
    assert_eq!(members.len(), 1);
    let member = &members[0];
    assert_eq!(member.email, "test@example.com");
    assert_eq!(member.org_id, "03a52dbe-b8af-47c5-9fd1-e5a622680cad");
    assert_eq!(member.org_phones, vec!["918824248940@c.us".to_string()]);
    assert!(member.is_active);
    assert_eq!(member.role, periskope::types::MemberRole::Member);
    assert_eq!(member.user_id, None);
    assert_eq!(serde_json::to_value(member).expect("serializes")["member_color"], json!("#DB2777"));
}

/// The response example on Wapikit's "Post organizationinvites" docs page.
fn wapikit_invite_example() -> Value {
    json!({
        "invite": {
            "uniqueId": "<string>",
            "email": "<string>",
            "accessLevel": "Owner",
            "createdAt": "2023-11-07T05:31:56Z",
            "status": "Pending",
            "organizationName": "<string>"
        }
    })
}

#[tokio::test]
async fn create_organization_invite_sends_the_body_and_decodes_the_invite() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/organization/invites"))
        .and(header("x-access-token", "test-wapikit-key"))
        .and(body_json(json!({ "email": "new.member@example.com", "accessLevel": "Member" })))
        .respond_with(ResponseTemplate::new(200).set_body_json(wapikit_invite_example()))
        .expect(1)
        .mount(&server)
        .await;

    let client = wapikit_client(&server).await;
    let invite = invite_member(&client, "new.member@example.com").await.expect("the call succeeds").into_inner().invite;
    assert_eq!(invite.access_level, wapikit::types::UserPermissionLevelEnum::Owner);
    assert_eq!(invite.status, wapikit::types::InviteStatusEnum::Pending);
    assert_eq!(invite.created_at.to_rfc3339(), "2023-11-07T05:31:56+00:00");
    assert_eq!(serde_json::to_value(&invite).expect("serializes")["organizationName"], json!("<string>"));
    let received = only_request(&server).await;
    assert!(received.headers.get("authorization").is_none(), "Wapikit takes the key in x-access-token only");
    assert!(received.headers.get("api-version").is_none());
}

#[tokio::test]
async fn create_organization_invite_decodes_a_400_message() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/organization/invites"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({ "message": "User already a member of the organization" })),
        )
        .mount(&server)
        .await;
    let client = wapikit_client(&server).await;
    let err = invite_member(&client, "dwight@dundermifflin.com").await.expect_err("400 is an error");
    match err {
        wapikit::Error::Api(err) => {
            assert_eq!(err.status(), 400);
            let body = err.body().expect("the documented body decodes");
            assert_eq!(body.message.as_deref(), Some("User already a member of the organization"));
            assert_eq!(body.remaining, None);
        }
        other => panic!("expected a decoded error body, got {other:?}"),
    }
}

#[tokio::test]
async fn get_organization_invites_sends_the_query_and_decodes_a_429() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/organization/invites"))
        .and(query_param("page", "2"))
        .and(query_param("per_page", "20"))
        .and(query_param("sortBy", "desc"))
        .and(header("x-access-token", "test-wapikit-key"))
        .respond_with(
            ResponseTemplate::new(429)
                .set_body_json(json!({ "message": "Rate limit exceeded", "remaining": 0, "reset": 1763450000 })),
        )
        .expect(1)
        .mount(&server)
        .await;
    // Without retries: a 429 is otherwise sent again (see tests/resilience.rs).
    let client = wapikit::Client::builder("test-wapikit-key")
        .base_url(format!("{}/api", server.uri()))
        .retry(periskope_wapikit::RetryPolicy::never())
        .build()
        .expect("client builds");
    let err = client
        .get_organization_invites(2, 20)
        .sort_by(wapikit::types::OrderEnum::Desc)
        .send()
        .await
        .expect_err("429 is an error");
    match err {
        wapikit::Error::Api(err) => {
            assert_eq!(err.status(), 429);
            let body = err.body().expect("the documented body decodes");
            assert_eq!(body.remaining, Some(0));
            assert_eq!(body.reset, Some(1763450000));
        }
        other => panic!("expected a decoded error body, got {other:?}"),
    }
}

#[tokio::test]
async fn get_organization_invites_decodes_the_list() {
    let server = MockServer::start().await;
    let mut invite = wapikit_invite_example()["invite"].clone();
    invite["status"] = json!("Redeemed");
    Mock::given(method("GET"))
        .and(path("/api/organization/invites"))
        .and(query_param("page", "1"))
        .and(query_param("per_page", "10"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "invites": [invite],
            "paginationMeta": { "page": 1, "per_page": 10, "total": 1 }
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = wapikit_client(&server).await;
    let list = client.get_organization_invites(1, 10).send().await.expect("succeeds").into_inner();
    assert_eq!(list.invites.len(), 1);
    assert_eq!(list.invites[0].status, wapikit::types::InviteStatusEnum::Redeemed);
    assert_eq!(list.pagination_meta.total, 1);
    let received = only_request(&server).await;
    assert_eq!(received.url.query(), Some("page=1&per_page=10"), "sortBy is left out when not set");
}

#[test]
fn the_api_key_never_shows_in_debug_output() {
    let client = periskope::Client::new("secret-key-123").expect("client builds");
    let debug = format!("{client:?}");
    assert!(!debug.contains("secret-key-123"), "{debug}");
    assert!(debug.contains("redacted"), "{debug}");
    let builder = wapikit::Client::builder("secret-key-456");
    assert!(!format!("{builder:?}").contains("secret-key-456"));
    let client = wapikit::Client::new("secret-key-456").expect("client builds");
    assert!(!format!("{client:?}").contains("secret-key-456"));
}

#[test]
fn bad_configuration_is_an_error_without_the_key() {
    let err = periskope::Client::new("bad\nkey-789").expect_err("a newline is not a header value");
    assert!(!err.to_string().contains("key-789"), "{err}");
    assert!(periskope::Client::new("").is_err());
    let err = wapikit::Client::builder("k").base_url("ftp://example.com").build().expect_err("not http");
    assert!(err.to_string().contains("ftp://example.com"), "{err}");
    let default = wapikit::Client::new("k").expect("client builds");
    assert_eq!(periskope_wapikit::wapikit::ClientInfo::baseurl(&default), "https://api.wapikit.com/api");
}

#[tokio::test]
async fn update_member_access_sends_null_and_omits_absent_fields() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1/members/access"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = periskope_client(&server).await;
    client
        .update_member_access(
            periskope::types::UpdateMemberAccessBody::builder(vec!["test@example.com".to_string()])
                .labels(periskope_wapikit::Nullable::Null),
        )
        .send()
        .await
        .expect("the call succeeds");
    let received = only_request(&server).await;
    // The exact bytes: `labels` is null, `orgPhones` is left out altogether.
    assert_eq!(std::str::from_utf8(&received.body).expect("utf-8"), r#"{"emails":["test@example.com"],"labels":null}"#);
}

#[test]
fn nullable_fields_have_three_states_on_the_wire() {
    use periskope::types::UpdateMemberAccessBody;
    use periskope_wapikit::Nullable;
    let body = |labels: Nullable<Vec<String>>| -> String {
        let body: UpdateMemberAccessBody = UpdateMemberAccessBody::builder(vec!["a@example.com".to_string()])
            .labels(labels)
            .try_into()
            .expect("complete body");
        serde_json::to_string(&body).expect("serializes")
    };
    // Absent: left out; with `orgPhones` absent too the body breaks the documented rule (one of
    // the two is needed) and does not convert.
    let neither: Result<UpdateMemberAccessBody, _> =
        UpdateMemberAccessBody::builder(["a@example.com"]).labels(Nullable::Absent).try_into();
    assert!(neither.expect_err("neither labels nor orgPhones").to_string().contains("`labels` or `orgPhones`"));
    assert_eq!(body(Nullable::Null), r#"{"emails":["a@example.com"],"labels":null}"#);
    assert_eq!(body(Nullable::Value(vec!["Sales".into()])), r#"{"emails":["a@example.com"],"labels":["Sales"]}"#);

    // Setters take plain values and options too; `None` leaves the field out (never null), as
    // the loopback tests in `nullable_wire.rs` check on the wire.
    let from_builder = |builder: periskope::types::builder::UpdateMemberAccessBodyBuilder| {
        let body: UpdateMemberAccessBody = builder.try_into().expect("body");
        serde_json::to_value(&body).expect("serializes")
    };
    let builder = || UpdateMemberAccessBody::builder(["a@example.com"]);
    assert_eq!(
        from_builder(builder().org_phones(vec!["918824248940".to_string()]))["orgPhones"],
        json!(["918824248940"])
    );
    assert_eq!(from_builder(builder().org_phones(["918824248940"]))["orgPhones"], json!(["918824248940"]));
    assert!(from_builder(builder().labels(Nullable::Null).org_phones(None::<Vec<String>>)).get("orgPhones").is_none());
    assert!(from_builder(builder().labels(Nullable::Null)).get("orgPhones").is_none());

    // Decoding keeps the distinction.
    for text in [r#"{"emails":[]}"#, r#"{"emails":[],"labels":null}"#, r#"{"emails":[],"labels":["x"]}"#] {
        let decoded: UpdateMemberAccessBody = serde_json::from_str(text).expect("decodes");
        assert_eq!(serde_json::to_string(&decoded).expect("serializes"), text);
    }
}

#[tokio::test]
async fn update_organization_member_by_id_sends_the_path_and_body_and_decodes_the_member() {
    let server = MockServer::start().await;
    let member = json!({
        "uniqueId": "member-1",
        "createdAt": "2024-02-01T10:00:00Z",
        "accessLevel": "Member",
        "name": "Dwight Schrute",
        "email": "dwight@dundermifflin.com",
        "roles": [{ "uniqueId": "role-1", "name": "Sales", "permissions": ["Get:Contact", "Create:Contact"] }]
    });
    Mock::given(method("POST"))
        .and(path("/api/organization/members/member-1"))
        .and(header("x-access-token", "test-wapikit-key"))
        .and(body_json(json!({ "accessLevel": "Owner" })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "data": { "member": member } })))
        .expect(1)
        .mount(&server)
        .await;
    let client = wapikit_client(&server).await;
    let response = client
        .update_organization_member_by_id(
            "member-1",
            wapikit::types::UpdateOrganizationMemberSchema::builder()
                .access_level(wapikit::types::UserPermissionLevelEnum::Owner),
        )
        .send()
        .await
        .expect("the call succeeds")
        .into_inner();
    let member = response.data.expect("data").member;
    assert_eq!(member.name, "Dwight Schrute");
    assert_eq!(member.access_level, wapikit::types::UserPermissionLevelEnum::Member);
    assert_eq!(
        member.roles[0].permissions,
        vec![wapikit::types::RolePermissionEnum::GetContact, wapikit::types::RolePermissionEnum::CreateContact]
    );
}
