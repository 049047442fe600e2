//! Every classified change kind, end to end: the loopback upstream serves a modified copy of
//! a vendored document (re-serialised, so its formatting differs too), and the JSON report
//! must name exactly the expected ids and levels for that file and nothing for the others.
//! Every source is taken as upstream's text here (the Wapikit document's `prose = "own"` is
//! dropped), so that wording changes are classified too; `prose.rs` tests the setting.

use serde_json::{Value, json};

use super::support::{Run, Upstream, drift, prose_from_upstream, remove, scratch, set, snapshot};

const INVITE: &str = "periskope/invite-members.yaml";
const WAPIKIT: &str = "wapikit/wapikit.yaml";

const OP: &str = "/paths/~1members~1invite/post";
const BODY: &str = "/paths/~1members~1invite/post/requestBody/content/application~1json/schema";
const MEMBER: &str =
    "/paths/~1members~1invite/post/responses/200/content/application~1json/schema/properties/addedMember/items";
const LIST: &str = "/paths/~1organization~1invites/get";
const CREATE: &str = "/paths/~1organization~1invites/post";
const SCHEMAS: &str = "/components/schemas";

struct Case {
    name: &'static str,
    file: &'static str,
    edit: Box<dyn Fn(&mut Value) + Send + Sync>,
    expect: &'static [(&'static str, &'static str)],
}

fn case(
    name: &'static str,
    file: &'static str,
    edit: impl Fn(&mut Value) + Send + Sync + 'static,
    expect: &'static [(&'static str, &'static str)],
) -> Case {
    Case { name, file, edit: Box::new(edit), expect }
}

fn p(base: &str, rest: &str) -> String {
    format!("{base}{rest}")
}

fn cases() -> Vec<Case> {
    vec![
        case(
            "required request property added",
            INVITE,
            |d| {
                set(d, &p(BODY, "/properties/team"), json!({ "type": "string" }));
                set(d, &p(BODY, "/required/-"), json!("team"));
            },
            &[("request-property-added-required", "breaking")],
        ),
        case(
            "optional request property added",
            INVITE,
            |d| set(d, &p(BODY, "/properties/note"), json!({ "type": "string" })),
            &[("request-property-added-optional", "info")],
        ),
        case(
            "request property removed",
            INVITE,
            |d| remove(d, &p(BODY, "/properties/orgPhones")),
            &[("request-property-removed", "warning")],
        ),
        case(
            "request property became required",
            INVITE,
            |d| set(d, &p(BODY, "/required/-"), json!("role")),
            &[("request-property-became-required", "breaking")],
        ),
        case(
            "request property became optional",
            INVITE,
            |d| set(d, &p(BODY, "/required"), json!([])),
            &[("request-property-became-optional", "info")],
        ),
        case(
            "response property added",
            INVITE,
            |d| set(d, &p(MEMBER, "/properties/team_id"), json!({ "type": "string" })),
            &[("response-property-added", "info")],
        ),
        case(
            "response property removed",
            INVITE,
            |d| remove(d, &p(MEMBER, "/properties/member_color")),
            &[("response-property-removed", "breaking")],
        ),
        case(
            "response property became optional (through $ref, in two operations)",
            WAPIKIT,
            |d| remove(d, &p(SCHEMAS, "/OrganizationMemberInviteSchema/required/5")),
            &[("response-property-became-optional", "breaking")],
        ),
        case(
            "type changed",
            INVITE,
            |d| set(d, &p(MEMBER, "/properties/is_active/type"), json!("string")),
            &[("type-changed", "breaking")],
        ),
        case(
            "format changed",
            INVITE,
            |d| set(d, &p(MEMBER, "/properties/created_at/format"), json!("date-time")),
            &[("format-changed", "warning")],
        ),
        case(
            "request enum value added",
            WAPIKIT,
            |d| set(d, &p(SCHEMAS, "/OrderEnum/enum/-"), json!("random")),
            &[("request-enum-value-added", "info")],
        ),
        case(
            "request enum value removed",
            WAPIKIT,
            |d| set(d, &p(SCHEMAS, "/OrderEnum/enum"), json!(["asc"])),
            &[("request-enum-value-removed", "breaking")],
        ),
        case(
            "response enum value added",
            WAPIKIT,
            |d| set(d, &p(SCHEMAS, "/InviteStatusEnum/enum/-"), json!("Expired")),
            &[("response-enum-value-added", "warning")],
        ),
        case(
            "response enum value removed",
            WAPIKIT,
            |d| set(d, &p(SCHEMAS, "/InviteStatusEnum/enum"), json!(["Pending"])),
            &[("response-enum-value-removed", "info")],
        ),
        case(
            "request value no longer nullable",
            INVITE,
            |d| remove(d, &p(BODY, "/properties/labels/nullable")),
            &[("request-nullable-removed", "breaking")],
        ),
        case(
            "request value became nullable",
            INVITE,
            |d| set(d, &p(BODY, "/properties/role/nullable"), json!(true)),
            &[("request-nullable-added", "info")],
        ),
        case(
            "response value became nullable",
            INVITE,
            |d| set(d, &p(MEMBER, "/properties/org_id/nullable"), json!(true)),
            &[("response-nullable-added", "breaking")],
        ),
        case(
            "response value no longer nullable",
            INVITE,
            |d| remove(d, &p(MEMBER, "/properties/user_id/nullable")),
            &[("response-nullable-removed", "info")],
        ),
        case(
            "required parameter added",
            WAPIKIT,
            |d| {
                let param = json!({ "in": "query", "name": "team", "required": true, "schema": { "type": "string" } });
                set(d, &p(LIST, "/parameters/-"), param);
            },
            &[("request-parameter-added-required", "breaking")],
        ),
        case(
            "optional parameter added",
            WAPIKIT,
            |d| {
                set(d, &p(LIST, "/parameters/-"), json!({ "in": "query", "name": "q", "schema": { "type": "string" } }))
            },
            &[("request-parameter-added-optional", "info")],
        ),
        case(
            "parameter removed",
            WAPIKIT,
            |d| remove(d, &p(LIST, "/parameters/2")),
            &[("request-parameter-removed", "warning")],
        ),
        case(
            "parameter became required",
            WAPIKIT,
            |d| set(d, &p(LIST, "/parameters/2/required"), json!(true)),
            &[("request-parameter-became-required", "breaking")],
        ),
        case(
            "parameter became optional",
            WAPIKIT,
            |d| set(d, &p(LIST, "/parameters/0/required"), json!(false)),
            &[("request-parameter-became-optional", "info")],
        ),
        case(
            "parameter serialisation changed",
            WAPIKIT,
            |d| set(d, &p(LIST, "/parameters/0/explode"), json!(false)),
            &[("request-parameter-changed", "warning")],
        ),
        case(
            "success status added",
            INVITE,
            |d| set(d, &p(OP, "/responses/201"), json!({ "description": "Created" })),
            &[("response-success-status-added", "warning")],
        ),
        case(
            "success status removed",
            WAPIKIT,
            |d| remove(d, &p(CREATE, "/responses/200")),
            &[("response-success-status-removed", "breaking")],
        ),
        case(
            "error status added",
            INVITE,
            |d| set(d, &p(OP, "/responses/422"), json!({ "description": "Validation Error" })),
            &[("response-error-status-added", "info")],
        ),
        case(
            "error status removed",
            WAPIKIT,
            |d| remove(d, &p(CREATE, "/responses/404")),
            &[("response-error-status-removed", "warning")],
        ),
        case(
            "response media type removed",
            WAPIKIT,
            |d| remove(d, &p(CREATE, "/responses/200/content/application~1json")),
            &[("response-media-type-removed", "breaking")],
        ),
        case(
            "request media type added",
            INVITE,
            |d| set(d, &p(OP, "/requestBody/content/multipart~1form-data"), json!({ "schema": { "type": "object" } })),
            &[("request-media-type-added", "info")],
        ),
        case(
            "request body removed",
            WAPIKIT,
            |d| remove(d, &p(CREATE, "/requestBody")),
            &[("request-body-removed", "warning")],
        ),
        case(
            "optional request body added",
            WAPIKIT,
            |d| {
                let body = json!({ "content": { "application/json": { "schema": { "type": "object" } } } });
                set(d, &p(LIST, "/requestBody"), body);
            },
            &[("request-body-added-optional", "info")],
        ),
        case(
            "required request body added",
            WAPIKIT,
            |d| {
                let body =
                    json!({ "required": true, "content": { "application/json": { "schema": { "type": "object" } } } });
                set(d, &p(LIST, "/requestBody"), body);
            },
            &[("request-body-added-required", "breaking")],
        ),
        case(
            "request media type replaced",
            INVITE,
            |d| {
                let media = d.pointer(&p(OP, "/requestBody/content/application~1json")).cloned().unwrap_or_default();
                remove(d, &p(OP, "/requestBody/content/application~1json"));
                set(d, &p(OP, "/requestBody/content/application~1merge-patch+json"), media);
            },
            &[("request-media-type-removed", "breaking"), ("request-media-type-added", "info")],
        ),
        case(
            "response media type added",
            INVITE,
            |d| set(d, &p(OP, "/responses/200/content/text~1csv"), json!({ "schema": { "type": "string" } })),
            &[("response-media-type-added", "info")],
        ),
        case(
            "response property became required",
            INVITE,
            |d| {
                set(
                    d,
                    "/paths/~1members~1invite/post/responses/200/content/application~1json/schema/required",
                    json!(["addedMember"]),
                )
            },
            &[("response-property-became-required", "info")],
        ),
        case(
            "schema title changed",
            INVITE,
            |d| set(d, &p(BODY, "/title"), json!("InviteMembersBody")),
            &[("title-changed", "info")],
        ),
        case(
            "callbacks changed",
            INVITE,
            |d| {
                set(
                    d,
                    &p(OP, "/callbacks"),
                    json!({ "done": { "{$request.body#/url}": { "post": { "responses": { "200": { "description": "OK" } } } } } }),
                )
            },
            &[("operation-changed", "warning")],
        ),
        case(
            "request body became required",
            INVITE,
            |d| set(d, &p(OP, "/requestBody/required"), json!(true)),
            &[("request-body-became-required", "breaking")],
        ),
        case(
            "response header added",
            INVITE,
            |d| {
                let headers = json!({ "X-RateLimit-Limit": { "schema": { "type": "integer" } } });
                set(d, &p(OP, "/responses/200/headers"), headers);
            },
            &[("response-header-added", "info")],
        ),
        case(
            "security scheme changed",
            INVITE,
            |d| {
                let scheme = json!({ "type": "apiKey", "in": "header", "name": "x-api-key" });
                set(d, "/components/securitySchemes/bearerAuth", scheme);
            },
            &[("security-changed", "breaking")],
        ),
        case(
            "security alternative added",
            INVITE,
            |d| set(d, "/security/-", json!({})),
            &[("security-alternative-added", "info")],
        ),
        case(
            "server URL changed",
            INVITE,
            |d| set(d, "/servers/0/url", json!("https://api.periskope.app/v2")),
            &[("server-url-changed", "warning")],
        ),
        case(
            "endpoint removed",
            WAPIKIT,
            |d| remove(d, "/paths/~1organization~1invites/get"),
            &[("endpoint-removed", "breaking")],
        ),
        case(
            "endpoint added to a docs page",
            INVITE,
            |d| {
                let op = json!({ "operationId": "cancelInvites", "responses": { "200": { "description": "OK" } } });
                set(d, "/paths/~1members~1invite/delete", op);
            },
            &[("endpoint-added", "info")],
        ),
        case(
            "operation id changed",
            INVITE,
            |d| set(d, &p(OP, "/operationId"), json!("inviteMember")),
            &[("operation-id-changed", "breaking")],
        ),
        case(
            "summary changed",
            INVITE,
            |d| set(d, &p(OP, "/summary"), json!("Invite members to the organization")),
            &[("summary-changed", "info")],
        ),
        case(
            "description changed",
            INVITE,
            |d| set(d, &p(BODY, "/properties/emails/description"), json!("Emails of the people to invite")),
            &[("description-changed", "info")],
        ),
        case(
            "description changed in a referenced component",
            WAPIKIT,
            |d| set(d, &p(SCHEMAS, "/PaginationMeta/description"), json!("Where the page is")),
            &[("description-changed", "info")],
        ),
        case(
            "example changed",
            INVITE,
            |d| set(d, &p(BODY, "/properties/role/example"), json!("admin")),
            &[("example-changed", "info")],
        ),
        case(
            "code samples changed",
            INVITE,
            |d| set(d, &p(OP, "/x-codeSamples"), json!([])),
            &[("extension-changed", "info")],
        ),
        case("tags changed", INVITE, |d| set(d, &p(OP, "/tags/-"), json!("invites")), &[("tags-changed", "info")]),
        case(
            "operation deprecated",
            INVITE,
            |d| set(d, &p(OP, "/deprecated"), json!(true)),
            &[("deprecation-added", "warning")],
        ),
        case("info changed", INVITE, |d| set(d, "/info/title", json!("API - Production")), &[("info-changed", "info")]),
        case(
            "openapi version changed",
            INVITE,
            |d| set(d, "/openapi", json!("3.0.1")),
            &[("openapi-version-changed", "info")],
        ),
        case(
            "constraint changed",
            INVITE,
            |d| set(d, &p(BODY, "/properties/emails/maxItems"), json!(50)),
            &[("constraint-changed", "warning")],
        ),
        case(
            "default changed",
            INVITE,
            |d| set(d, &p(BODY, "/properties/role/default"), json!("member")),
            &[("default-changed", "warning")],
        ),
        case(
            "additional properties changed",
            INVITE,
            |d| set(d, &p(MEMBER, "/properties/member_metadata/additionalProperties"), json!(false)),
            &[("additional-properties-changed", "warning")],
        ),
        case(
            "other schema keyword changed",
            INVITE,
            |d| set(d, &p(BODY, "/properties/labels/readOnly"), json!(true)),
            &[("schema-changed", "warning")],
        ),
        case(
            "a change and an unrelated reformat of the same page",
            INVITE,
            |d| {
                set(d, &p(OP, "/summary"), json!("Invite"));
                // The same text re-wrapped is not a change.
                let description = d.pointer(&p(OP, "/description")).and_then(Value::as_str).unwrap_or_default();
                let rewrapped = description.split_whitespace().collect::<Vec<_>>().join("\n  ");
                set(d, &p(OP, "/description"), json!(rewrapped));
            },
            &[("summary-changed", "info")],
        ),
    ]
}

#[tokio::test]
async fn every_change_kind_is_classified_with_its_id_and_level() {
    let dir = scratch(false);
    let root = dir.path().to_path_buf();
    prose_from_upstream(&root);
    let before = snapshot(&root);
    let all = cases();
    let count = all.len();
    assert!(count >= 20, "the issue asks for at least 20 cases");

    // The cases share the workspace (drift without `--update` writes nothing) and run on every
    // core at once, each worker with an upstream server of its own.
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut chunks: Vec<Vec<Case>> = (0..workers).map(|_| Vec::new()).collect();
    for (index, case) in all.into_iter().enumerate() {
        chunks[index % workers].push(case);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for chunk in chunks {
        let root = root.clone();
        tasks.spawn(async move {
            let upstream = Upstream::start(&root).await;
            let mut failures = Vec::new();
            for case in chunk {
                upstream.server.reset().await;
                upstream.serve_unchanged().await;
                let mut doc = upstream.vendored(case.file);
                (case.edit)(&mut doc);
                upstream.serve_doc(case.file, &doc).await;
                let (root, mirror) = (root.clone(), upstream.mirror());
                let run = tokio::task::spawn_blocking(move || drift(&root, &["--mirror", &mirror, "--format", "json"]))
                    .await
                    .expect("drift ran");
                failures.extend(judge(&case, &run));
            }
            failures
        });
    }
    let mut failures = Vec::new();
    while let Some(found) = tasks.join_next().await {
        failures.extend(found.unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic())));
    }
    assert_eq!(snapshot(&root), before, "a run without --update wrote a file");
    assert!(failures.is_empty(), "{} of {count} cases failed:\n\n{}", failures.len(), failures.join("\n\n"));
}

/// What is wrong with `run`, the drift report of `case`'s edit: the changes and levels it
/// expects, exit 1, and every change naming its operation and where it is.
fn judge(case: &Case, run: &Run) -> Vec<String> {
    let mut failures = Vec::new();
    let mut found: Vec<(String, String)> = run
        .changes()
        .into_iter()
        .map(|(file, id, level)| {
            let file = if file == format!("specs/{}", case.file) { String::new() } else { format!(" in {file}") };
            (format!("{id}{file}"), level)
        })
        .collect();
    found.sort();
    found.dedup();
    let mut expected: Vec<(String, String)> =
        case.expect.iter().map(|(id, level)| (id.to_string(), level.to_string())).collect();
    expected.sort();
    if found != expected || run.code != Some(1) {
        failures.push(format!("{}: expected {expected:?} and exit 1, got {found:?}\n{run:?}", case.name));
    }
    // Every change names its operation (unless it is about the whole document) and where it is.
    for change in run.json()["changes"].as_array().into_iter().flatten() {
        let document_level = change["id"] == "info-changed" || change["id"] == "openapi-version-changed";
        if !document_level && change["operation"].as_str().is_none() {
            failures.push(format!("{}: change without an operation: {change}", case.name));
        }
        if !change["pointer"].as_str().is_some_and(|p| p.starts_with('/')) {
            failures.push(format!("{}: change without a JSON pointer: {change}", case.name));
        }
    }
    failures
}

#[tokio::test]
async fn fail_on_sets_the_threshold() {
    let dir = scratch(false);
    let root = dir.path();
    let upstream = Upstream::start(root).await;
    upstream.serve_unchanged().await;
    let mut doc = upstream.vendored(INVITE);
    set(&mut doc, &p(OP, "/summary"), json!("Invite"));
    set(&mut doc, &p(BODY, "/properties/emails/maxItems"), json!(50));
    upstream.serve_doc(INVITE, &doc).await;
    let mirror = upstream.mirror();

    let run = drift(root, &["--mirror", &mirror]);
    assert_eq!(run.code, Some(1), "{run:?}");
    let run = drift(root, &["--mirror", &mirror, "--fail-on", "warning"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    let run = drift(root, &["--mirror", &mirror, "--fail-on", "breaking"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("constraint-changed"), "changes below the threshold are still printed\n{run:?}");
}
