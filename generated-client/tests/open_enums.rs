//! Open enums against a real HTTP server on 127.0.0.1: a response that carries an enum value
//! the client does not know (upstream added it) decodes, loses nothing else, and encodes back
//! to the same value; requests still accept only the known values.

mod common;

use common::{at, invite_member, spec};
use periskope_wapikit::{periskope, wapikit};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn an_unknown_member_role_decodes_and_keeps_the_other_members() {
    // The documented invite response, with the second of its three members given a role
    // Periskope does not document.
    let doc = spec("periskope/invite-members.yaml");
    let mut response =
        at(&doc, "/paths/~1members~1invite/post/responses/200/content/application~1json/examples/200 OK/value").clone();
    response["addedMembers"][1]["role"] = json!("owner");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/members/invite"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&response))
        .expect(1)
        .mount(&server)
        .await;
    let client = periskope::Client::builder("key").base_url(format!("{}/v1", server.uri())).build().expect("client");
    let invited = client
        .invite_members(periskope::types::InviteMembersBody::builder(["test@example.com"]))
        .send()
        .await
        .expect("a response with an unknown role decodes")
        .into_inner();

    let roles: Vec<&periskope::types::MemberRole> = invited.added_members.iter().map(|m| &m.role).collect();
    assert_eq!(roles[1], &periskope::types::MemberRole::Unknown("owner".into()));
    assert_eq!(roles[1].as_str(), "owner");
    assert_eq!(roles[1].to_string(), "owner");
    let emails: Vec<&str> = invited.added_members.iter().map(|m| m.email.as_str()).collect();
    assert_eq!(emails, ["test@example.com", "test1@example.com", "test2@example.com"], "no member is lost");
    for (index, member) in invited.added_members.iter().enumerate().filter(|(index, _)| *index != 1) {
        let documented: periskope::types::MemberRole =
            serde_json::from_value(response["addedMembers"][index]["role"].clone()).expect("a documented role");
        assert!(!matches!(documented, periskope::types::MemberRole::Unknown(_)), "documented roles stay known");
        assert_eq!(member.role, documented);
    }

    // Encoding gives back exactly what the server sent, the unknown role included.
    let encoded = serde_json::to_value(&invited).expect("encodes");
    assert_eq!(encoded["addedMembers"][1]["role"], json!("owner"));
    common::assert_round_trip::<periskope::types::InviteMembersResponse>(
        "the invite response with an unknown role",
        &response.to_string(),
    );
}

#[tokio::test]
async fn unknown_wapikit_access_level_and_status_decode_and_round_trip() {
    let invite = json!({
        "uniqueId": "inv-1",
        "email": "a@example.com",
        "accessLevel": "Admin",
        "createdAt": "2025-11-14T07:30:47Z",
        "status": "Expired",
        "organizationName": "Dunder Mifflin",
    });
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/organization/invites"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "invite": invite })))
        .expect(1)
        .mount(&server)
        .await;
    let client = wapikit::Client::builder("key").base_url(format!("{}/api", server.uri())).build().expect("client");
    let created = invite_member(&client, "a@example.com")
        .await
        .expect("a response with unknown enum values decodes")
        .into_inner();
    assert_eq!(created.invite.access_level, wapikit::types::UserPermissionLevelEnum::Unknown("Admin".into()));
    assert_eq!(created.invite.status, wapikit::types::InviteStatusEnum::Unknown("Expired".into()));
    assert_eq!(created.invite.organization_name, "Dunder Mifflin");
    let encoded: Value = serde_json::to_value(&created.invite).expect("encodes");
    assert_eq!(encoded, invite);
}

#[test]
fn requests_accept_known_values_only_and_say_which_ones() {
    use std::str::FromStr;

    use wapikit::types::UserPermissionLevelEnum;
    assert_eq!(UserPermissionLevelEnum::from_str("Member").expect("known"), UserPermissionLevelEnum::Member);
    let err = UserPermissionLevelEnum::try_from("member").expect_err("values are case-sensitive");
    assert_eq!(
        err.to_string(),
        r#"invalid value "member" for `UserPermissionLevelEnum`: expected one of "Owner", "Member""#
    );
    // Every known value prints as it parses.
    for role in [periskope::types::MemberRole::Admin, periskope::types::MemberRole::Member] {
        assert_eq!(role.to_string().parse::<periskope::types::MemberRole>().expect("round trip"), role);
    }
    // An unknown value can still be sent, on purpose: it encodes as the text it holds.
    let body = periskope::types::InviteMembersBody::builder(["a@example.com"])
        .role(periskope::types::MemberRole::Unknown("owner".into()));
    let body = periskope::types::InviteMembersBody::try_from(body).expect("the body builds");
    assert_eq!(serde_json::to_value(&body).expect("encodes")["role"], json!("owner"));
}

#[test]
fn enums_compare_with_their_text() {
    let role = periskope::types::MemberRole::Admin;
    assert!(role == "admin");
    assert!(role == *"admin");
    assert!(role != "member");
    let unknown = periskope::types::MemberRole::Unknown("owner".into());
    assert!(unknown == "owner", "an unknown value compares as the text it holds");
    let status = wapikit::types::InviteStatusEnum::Pending;
    assert!(status == "Pending");
}

/// A union's members told apart by an enum of their own (`messageType`) decode as the member
/// the value names: the tags stay closed, so an image is not a video of an unknown type and a
/// document keeps its `fileName` (the video's data has none).
#[tokio::test]
async fn each_message_kind_decodes_as_its_own_member() {
    let message = |kind: &str, data: Value| {
        json!({
            "uniqueId": format!("m-{kind}"), "conversationId": "c-1", "direction": "InBound",
            "status": "Delivered", "messageType": kind, "createdAt": "2025-05-21T08:47:12Z",
            "messageData": data,
        })
    };
    let page = json!({ "messages": [
        message("Text", json!({ "text": "hello" })),
        message("Video", json!({ "id": "v-1", "link": "https://example.com/v.mp4" })),
        message("Image", json!({ "id": "i-1", "caption": "a cat" })),
        message("Document", json!({ "id": "d-1", "fileName": "invoice.pdf" })),
    ] });
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/messages"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&page))
        .expect(1)
        .mount(&server)
        .await;
    let client = wapikit::Client::builder("key").base_url(format!("{}/api", server.uri())).build().expect("client");
    let messages = client.get_messages().send().await.expect("the page decodes").into_inner().messages;

    use wapikit::types::MessageSchema;
    assert!(matches!(messages[0], MessageSchema::TextMessage(_)), "{:?}", messages[0]);
    assert!(matches!(messages[1], MessageSchema::VideoMessage(_)), "{:?}", messages[1]);
    assert!(
        matches!(&messages[2], MessageSchema::ImageMessage(image) if image.message_data.caption.as_deref() == Some("a cat")),
        "{:?}",
        messages[2]
    );
    match &messages[3] {
        MessageSchema::DocumentMessage(document) => assert_eq!(document.message_data.file_name, "invoice.pdf"),
        other => panic!("a document decoded as {other:?}"),
    }
    // Each encodes back to what was received.
    for (sent, decoded) in page["messages"].as_array().expect("a list").iter().zip(&messages) {
        assert_eq!(&serde_json::to_value(decoded).expect("encodes"), sent);
    }
}
