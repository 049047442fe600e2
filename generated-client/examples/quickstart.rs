//! Quickstart: invite members to a Periskope organization, change their access, and invite
//! someone to a Wapikit organization.
//!
//! ```sh
//! cargo run -p periskope-wapikit --example quickstart            # offline
//! PERISKOPE_API_KEY=... cargo run -p periskope-wapikit --example quickstart -- --live
//! ```
//!
//! Offline (the default), it starts an HTTP server on 127.0.0.1 that answers with the examples
//! documented in the vendored specs (`specs/`) and points both clients at it. Those examples do
//! not echo the request: the invite answer lists the example's three members, and the access
//! answer shows the example's labels, whatever was sent; the last lines show what was sent. With `--live` it
//! talks to the real APIs: Periskope with `PERISKOPE_API_KEY` (and `PERISKOPE_PHONE`,
//! `PERISKOPE_BASE_URL` if set), Wapikit only when `WAPIKIT_API_KEY` is set. Live, it really
//! invites `QUICKSTART_EMAIL` (default: the specs' `test@example.com`).

use std::path::Path;
use std::process::ExitCode;

use periskope_wapikit::periskope;
use periskope_wapikit::{Nullable, ResponseExt, wapikit};
use serde_json::{Map, Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

type Result<T, E = Box<dyn std::error::Error>> = std::result::Result<T, E>;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<()> {
    let live = std::env::args().skip(1).any(|arg| arg == "--live");
    // The server lives as long as the clients that talk to it.
    let (periskope, wapikit, server) = if live { live_clients()? } else { offline_clients().await? };
    let email = std::env::var("QUICKSTART_EMAIL").unwrap_or_else(|_| "test@example.com".to_string());

    // 1. Invite one address with access to one label and one phone. The answer lists every
    //    member the server added (offline: the spec example's three).
    let invited = periskope
        .invite_members(
            periskope::types::InviteMembersBody::builder(vec![email.clone()])
                .role(periskope::types::MemberRole::Member)
                .labels(vec!["Sales".to_string()])
                .org_phones(vec!["918824248940".to_string()]),
        )
        .send()
        .await;
    let invited = match invited {
        Ok(response) => response,
        Err(err) => {
            // A 422 says which fields the API rejected.
            if let Some(invalid) = err.as_validation() {
                for (field, problem) in &invalid.fields {
                    eprintln!("  {field}: {}", problem.message);
                }
            }
            return Err(err.into());
        }
    };
    println!("Periskope: invited {email}; the answer lists {} member(s):", invited.added_members.len());
    for member in &invited.added_members {
        println!(
            "  {} as {}, invited at {}, labels {:?}",
            member.email, member.role, member.invited_at, member.label_ids
        );
    }
    for failed in &invited.errors {
        println!("  not invited: {:?}: {}", failed.email, failed.error.message);
    }
    let limit = invited.rate_limit();
    println!("  rate limit: {:?} of {:?} left, trace id {:?}", limit.remaining, limit.limit, invited.trace_id());

    // 2. Take the member's label access away (`labels: null`) and keep one phone. The answer
    //    shows each member's access as the server has it (offline: the spec example's, which
    //    still has a label).
    let members = periskope
        .update_member_access(
            periskope::types::UpdateMemberAccessBody::builder(vec![email.clone()])
                .labels(Nullable::Null)
                .org_phones(vec!["918824248940".to_string()]),
        )
        .send()
        .await?
        .into_inner();
    println!("Periskope: sent `labels: null` for {email}; the answer lists {} member(s):", members.len());
    for member in &members {
        println!("  {}: labels {:?}, phones {:?}", member.email, member.label_ids, member.org_phones);
    }

    // 3. Invite the same person to a Wapikit organization.
    match wapikit {
        Some(wapikit) => invite_to_wapikit(&wapikit, email).await?,
        None => println!("Wapikit: skipped (set WAPIKIT_API_KEY to include it)"),
    }

    if let Some(server) = server {
        println!("\nWhat the loopback server received:");
        for request in server.received_requests().await.unwrap_or_default() {
            println!("  {} {} {}", request.method, request.url.path(), String::from_utf8_lossy(&request.body));
        }
    }
    Ok(())
}

async fn invite_to_wapikit(wapikit: &wapikit::Client, email: String) -> Result<()> {
    let invite = wapikit
        .create_organization_invite(wapikit::types::CreateNewOrganizationInviteSchema::builder(
            wapikit::types::UserPermissionLevelEnum::Member,
            email,
        ))
        .send()
        .await?
        .into_inner()
        .invite;
    println!(
        "Wapikit: invited {} to {} as {} ({}, created {})",
        invite.email, invite.organization_name, invite.access_level, invite.status, invite.created_at
    );
    Ok(())
}

/// Clients for the real APIs, configured from the environment.
fn live_clients() -> Result<(periskope::Client, Option<wapikit::Client>, Option<MockServer>)> {
    let periskope = periskope::Client::from_env()?;
    let wapikit = match std::env::var_os(wapikit::API_KEY_ENV) {
        Some(_) => Some(wapikit::Client::from_env()?),
        None => None,
    };
    Ok((periskope, wapikit, None))
}

/// A loopback server answering with the specs' documented examples, and clients pointed at it.
async fn offline_clients() -> Result<(periskope::Client, Option<wapikit::Client>, Option<MockServer>)> {
    let invite_spec = spec("periskope/invite-members.yaml")?;
    let access_spec = spec("periskope/update-member-access.yaml")?;
    let wapikit_spec = spec("wapikit/wapikit.yaml")?;
    let invited = pointer(
        &invite_spec,
        "/paths/~1members~1invite/post/responses/200/content/application~1json/examples/200 OK/value",
    )?;
    let updated = example(
        &access_spec,
        pointer(&access_spec, "/paths/~1members~1access/patch/responses/200/content/application~1json/schema")?,
    );
    let created = example(
        &wapikit_spec,
        pointer(&wapikit_spec, "/paths/~1organization~1invites/post/responses/200/content/application~1json/schema")?,
    );

    let server = MockServer::start().await;
    // Periskope sends its rate-limit state and a trace id with every response.
    let periskope_response = |body: Value| {
        ResponseTemplate::new(200)
            .insert_header("x-ratelimit-limit", "100")
            .insert_header("x-ratelimit-remaining", "99")
            .insert_header("x-ratelimit-reset", "60")
            .insert_header("x-periskope-trace-id", "quickstart-trace")
            .set_body_json(body)
    };
    Mock::given(method("POST"))
        .and(path("/v1/members/invite"))
        .respond_with(periskope_response(invited.clone()))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v1/members/access"))
        .respond_with(periskope_response(updated))
        .mount(&server)
        .await;
    // Wapikit's spec has no examples: the invite is composed from its schema (as its docs page
    // does), with the email and access level of the request, as the real API answers.
    let echo_invite = move |request: &wiremock::Request| {
        let mut body = created.clone();
        if let (Ok(sent), Some(invite)) = (request.body_json::<Value>(), body.get_mut("invite")) {
            for field in ["email", "accessLevel"] {
                if let Some(value) = sent.get(field) {
                    invite[field] = value.clone();
                }
            }
        }
        ResponseTemplate::new(200).set_body_json(body)
    };
    Mock::given(method("POST")).and(path("/api/organization/invites")).respond_with(echo_invite).mount(&server).await;
    println!("Offline: answering with the specs' examples from {}", server.uri());
    println!("(the answers are the documented examples, not an echo of each request)\n");

    let periskope = periskope::Client::builder("quickstart-key").base_url(format!("{}/v1", server.uri())).build()?;
    let wapikit = wapikit::Client::builder("quickstart-key").base_url(format!("{}/api", server.uri())).build()?;
    Ok((periskope, Some(wapikit), Some(server)))
}

/// A vendored spec, parsed.
fn spec(relative: &str) -> Result<Value> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs").join(relative);
    let text = std::fs::read_to_string(&file).map_err(|err| format!("cannot read {}: {err}", file.display()))?;
    Ok(serde_yaml_ng::from_str(&text).map_err(|err| format!("{}: {err}", file.display()))?)
}

fn pointer<'v>(doc: &'v Value, pointer: &str) -> Result<&'v Value> {
    Ok(doc.pointer(pointer).ok_or_else(|| format!("the spec has no {pointer}"))?)
}

/// An instance of `schema` from its examples, with a plain value where there is none.
fn example(doc: &Value, schema: &Value) -> Value {
    let schema = match schema.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        Some(target) => doc.pointer(target).unwrap_or(&Value::Null),
        None => schema,
    };
    if let Some(value) = schema.get("example") {
        return value.clone();
    }
    if let Some(first) = schema.get("enum").and_then(|values| values.get(0)) {
        return first.clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => json!([example(doc, schema.get("items").unwrap_or(&Value::Null))]),
        Some("integer") | Some("number") => json!(1),
        Some("boolean") => json!(true),
        Some("string") if schema.get("format").and_then(Value::as_str) == Some("date-time") => {
            json!("2025-11-18T05:09:07Z")
        }
        // What Wapikit's docs page shows for every string.
        Some("string") => json!("<string>"),
        _ => {
            let properties = schema.get("properties").and_then(Value::as_object).into_iter().flatten();
            Value::Object(
                properties.map(|(name, property)| (name.clone(), example(doc, property))).collect::<Map<_, _>>(),
            )
        }
    }
}
