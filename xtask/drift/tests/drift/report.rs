//! No drift, discovery through the index, and the four output formats.

use serde_json::json;

use super::support::{Upstream, drift, scratch, set, snapshot};

const INVITE: &str = "periskope/invite-members.yaml";
const WAPIKIT: &str = "wapikit/wapikit.yaml";

#[tokio::test]
async fn no_drift_exits_0_quietly() {
    let dir = scratch(false);
    let root = dir.path();
    let before = snapshot(root);
    let upstream = Upstream::start(root).await;
    upstream.serve_unchanged().await;

    let run = drift(root, &["--mirror", &upstream.mirror()]);
    assert_eq!(run.code, Some(0), "{run:?}");
    for source in &upstream.sources {
        assert!(run.stdout.contains(&format!("specs/{}: no drift", source.file.display())), "{run:?}");
    }
    assert!(run.stdout.contains("drift: 0 breaking, 0 warning, 0 info"), "{run:?}");
    assert_eq!(run.stderr, "", "no progress output in CI");
    assert!(!run.stdout.contains('\u{1b}'), "no colour when stdout is not a terminal");

    let run = drift(root, &["--mirror", &upstream.mirror(), "--format", "json"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let json = run.json();
    assert_eq!(json["version"], 1);
    assert_eq!(
        json["summary"],
        json!({ "checked": upstream.sources.len() + upstream.indexes.len(), "drifted": 0, "errors": 0, "breaking": 0, "warning": 0, "info": 0, "accepted": 0 })
    );
    assert_eq!(json["changes"], json!([]));

    // Every request names the tool.
    let requests = upstream.server.received_requests().await.unwrap_or_default();
    assert!(!requests.is_empty());
    for request in requests {
        let agent = request.headers.get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert!(agent.starts_with("openapi-clients-xtask-drift/"), "User-Agent: {agent}");
    }
    assert_eq!(snapshot(root), before);
}

#[tokio::test]
async fn index_reports_new_and_unlisted_pages() {
    let dir = scratch(false);
    let root = dir.path();
    let upstream = Upstream::start(root).await;
    upstream.serve_unchanged().await;
    let index = upstream.indexes.first().expect("sources.toml has an [[index]]").clone();
    let invite_url = upstream.source(INVITE).url.clone();
    let new_page = format!("{}{}list-members.md", index.pages, index.groups[0]);
    let other_group = format!("{}chats/archive-chat.md", index.pages);
    let text =
        upstream.index_text(&index, &[&invite_url], &[("List Members", &new_page), ("Archive Chat", &other_group)]);
    upstream.serve(&index.url, text).await;

    let run = drift(root, &["--mirror", &upstream.mirror(), "--format", "json"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    let changes = run.json()["changes"].clone();
    let changes = changes.as_array().expect("changes");
    assert_eq!(changes.len(), 2, "{run:?}");
    let added = changes.iter().find(|c| c["id"] == "page-added").expect("page-added");
    assert_eq!(added["level"], "info");
    assert_eq!(added["file"], serde_json::Value::Null);
    assert!(added["message"].as_str().unwrap_or_default().contains("list-members"), "{added}");
    let removed = changes.iter().find(|c| c["id"] == "page-removed").expect("page-removed");
    assert_eq!(removed["level"], "warning");
    assert!(
        removed["message"].as_str().unwrap_or_default().contains("specs/periskope/invite-members.yaml"),
        "{removed}"
    );
    assert!(!run.stdout.contains("archive-chat"), "pages of other groups are not reported\n{run:?}");

    // A page deliberately left out is not reported once the index's `ignore` names it.
    let sources = root.join("specs/sources.toml");
    let text = std::fs::read_to_string(&sources).expect("read");
    let group = &index.groups[0];
    let text = text.replacen("ignore = [\"", &format!("ignore = [\"{group}list-members\", \""), 1);
    std::fs::write(&sources, text).expect("write");
    let run = drift(root, &["--mirror", &upstream.mirror(), "--format", "json"]);
    let ids: Vec<String> = run.changes().into_iter().map(|(_, id, _)| id).collect();
    assert_eq!(ids, ["page-removed"], "{run:?}");
}

#[tokio::test]
async fn formats_render_the_same_change() {
    let dir = scratch(false);
    let root = dir.path();
    let upstream = Upstream::start(root).await;
    upstream.serve_unchanged().await;
    let mut doc = upstream.vendored(INVITE);
    let body = "/paths/~1members~1invite/post/requestBody/content/application~1json/schema";
    set(&mut doc, &format!("{body}/properties/team"), json!({ "type": "string" }));
    set(&mut doc, &format!("{body}/required/-"), json!("team"));
    upstream.serve_doc(INVITE, &doc).await;
    let mirror = upstream.mirror();
    let pointer = "/paths/~1members~1invite/post/requestBody/content/application~1json/schema/properties/team";

    let text = drift(root, &["--mirror", &mirror]);
    assert_eq!(text.code, Some(1), "{text:?}");
    assert!(text.stdout.contains("specs/periskope/invite-members.yaml: 1 change upstream"), "{text:?}");
    assert!(text.stdout.contains("breaking request-property-added-required POST /members/invite: request property `team` was added as required"), "{text:?}");
    assert!(text.stdout.contains(&format!("at {pointer}")), "{text:?}");

    let markdown = drift(root, &["--mirror", &mirror, "--format", "markdown"]);
    assert_eq!(markdown.code, Some(1), "{markdown:?}");
    assert!(markdown.stdout.starts_with("## Upstream API drift\n"), "{markdown:?}");
    assert!(markdown.stdout.contains("### `specs/periskope/invite-members.yaml`"), "{markdown:?}");
    assert!(
        markdown.stdout.contains("| breaking | `request-property-added-required` | `POST /members/invite` |"),
        "{markdown:?}"
    );
    assert!(markdown.stdout.contains("cargo xtask drift --update"), "{markdown:?}");

    let github = drift(root, &["--mirror", &mirror, "--format", "github"]);
    assert_eq!(github.code, Some(1), "{github:?}");
    assert!(
        github.stdout.contains("::error file=specs/periskope/invite-members.yaml,title=API drift%3A request-property-added-required::POST /members/invite: request property `team` was added as required"),
        "{github:?}"
    );

    let json = drift(root, &["--mirror", &mirror, "--format", "json"]).json();
    let change = &json["changes"][0];
    assert_eq!(change["id"], "request-property-added-required");
    assert_eq!(change["level"], "breaking");
    assert_eq!(change["operation"], "POST /members/invite");
    assert_eq!(change["pointer"], pointer);
    assert_eq!(change["file"], "specs/periskope/invite-members.yaml");
    assert_eq!(change["url"], "https://docs.periskope.app/api-reference/members/invite-members.md");
    let statuses: Vec<&str> =
        json["sources"].as_array().expect("sources").iter().filter_map(|s| s["status"].as_str()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == "drift").count(), 1, "{json}");
}

/// The vendored Wapikit selection as a 3.1 JSON document says it: one-type `type` arrays, a
/// `webhooks` section and a dialect, none of which 3.0 has.
fn as_openapi_31(mut doc: serde_json::Value) -> serde_json::Value {
    fn type_arrays(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::String(ty)) = map.get("type") {
                    let ty = ty.clone();
                    map.insert("type".into(), json!([ty]));
                }
                // Like the generator's walk, which the conversion to 3.0 uses, nothing below an
                // `example` key: it takes it for data even where it names a property (Wapikit's
                // `TemplateParameterInput.example`), so such a property keeps its 3.0 form.
                map.iter_mut().filter(|(key, _)| key.as_str() != "example").for_each(|(_, v)| type_arrays(v));
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(type_arrays),
            _ => {}
        }
    }
    type_arrays(&mut doc);
    set(&mut doc, "/openapi", json!("3.1.0"));
    set(&mut doc, "/jsonSchemaDialect", json!("https://spec.openapis.org/oas/3.1/dialect/base"));
    set(
        &mut doc,
        "/webhooks",
        json!({ "inviteAccepted": { "post": { "responses": { "200": { "description": "ok" } } } } }),
    );
    doc
}

#[tokio::test]
async fn a_31_json_upstream_is_compared_in_the_generators_30_form() {
    let dir = scratch(false);
    let root = dir.path();
    let upstream = Upstream::start(root).await;
    upstream.serve_unchanged().await;
    let url = upstream.source(WAPIKIT).url.clone();
    let doc = as_openapi_31(upstream.vendored(WAPIKIT));
    let serve = |doc: &serde_json::Value| {
        // Pretty-printed, with a surrogate-pair escape a YAML parser refuses: read as JSON.
        let text =
            serde_json::to_string_pretty(doc).expect("JSON").replacen('{', "{\"x-note\": \"\\ud83d\\udc4d\",", 1);
        wiremock::ResponseTemplate::new(200).set_body_raw(text, "application/json")
    };

    upstream.respond(&url, serve(&doc)).await;
    // The move to 3.1 is the one change: the type arrays, the dialect and the webhooks are
    // what the generator converts or leaves out.
    let run = drift(root, &["--mirror", &upstream.mirror(), "--format", "json"]);
    let ids: Vec<(String, String)> = run.changes().into_iter().map(|(file, id, _)| (file, id)).collect();
    assert_eq!(ids, [(format!("specs/{WAPIKIT}"), "openapi-version-changed".to_string())], "{run:?}");
    assert!(run.stdout.contains("3.1.0"), "{run:?}");

    // A change only the 3.1 form can say: `null` among the types is `nullable` in 3.0.
    let mut nullable = doc.clone();
    set(&mut nullable, "/components/schemas/PaginationMeta/properties/total/type", json!(["integer", "null"]));
    upstream.server.reset().await;
    upstream.serve_unchanged().await;
    upstream.respond(&url, serve(&nullable)).await;
    let run = drift(root, &["--mirror", &upstream.mirror(), "--format", "json"]);
    let changes = run.changes();
    assert!(
        changes.iter().any(|(file, id, _)| file == &format!("specs/{WAPIKIT}") && id.contains("nullable")),
        "{run:?}"
    );
}
