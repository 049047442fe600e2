//! `--update`: vendors upstream's text (pristine for docs pages, the subset for a whole
//! file), regenerates the client, and writes nothing when only the formatting changed.

use serde_json::{Map, Value, json};

use super::support::{TODAY, Upstream, drift, parse_yaml, prose_from_upstream, scratch, set, snapshot, to_yaml};

const INVITE: &str = "periskope/invite-members.yaml";
const WAPIKIT: &str = "wapikit/wapikit.yaml";

/// The same document with every mapping's keys in reverse order.
fn reversed(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, entry) in map.iter().rev() {
                out.insert(key.clone(), reversed(entry));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(reversed).collect()),
        other => other.clone(),
    }
}

#[tokio::test]
async fn update_vendors_the_page_verbatim_and_regenerates() {
    let dir = scratch(true);
    let root = dir.path();
    let upstream = Upstream::start(root).await;
    upstream.serve_unchanged().await;
    let mut doc = upstream.vendored(INVITE);
    set(&mut doc, "/paths/~1members~1invite/post/summary", json!("Invite members"));
    set(
        &mut doc,
        "/paths/~1members~1invite/post/requestBody/content/application~1json/schema/properties/note",
        json!({ "type": "string", "description": "A note for the invitees" }),
    );
    upstream.serve_doc(INVITE, &doc).await;
    let upstream_yaml = to_yaml(&doc);

    let generated = root.join("generated-client/src/periskope/generated.rs");
    assert!(!std::fs::read_to_string(&generated).expect("read").contains("pub note:"));
    let others = [root.join("specs/periskope/update-member-access.yaml"), root.join("specs").join(WAPIKIT)];
    let others_before: Vec<Vec<u8>> = others.iter().map(|p| std::fs::read(p).expect("read")).collect();

    let manifest_before = read(root, "generated-client/Cargo.toml");
    let run = drift(root, &["--mirror", &upstream.mirror(), "--update"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("request-property-added-optional"), "{run:?}");
    assert!(run.stdout.contains("updated specs/periskope/invite-members.yaml"), "{run:?}");
    // The summary names the regenerated file (the count also covers any file that was stale
    // before this run, so it is not asserted).
    assert!(run.stdout.contains("generated code: "), "{run:?}");
    assert!(run.stdout.contains("generated-client/src/periskope/generated.rs: +"), "{run:?}");

    // Pristine: the vendored file is exactly the YAML inside upstream's fence.
    assert_eq!(std::fs::read_to_string(root.join("specs").join(INVITE)).expect("read"), upstream_yaml);
    assert!(std::fs::read_to_string(&generated).expect("read").contains("pub note:"), "the client was not regenerated");
    let others_after: Vec<Vec<u8>> = others.iter().map(|p| std::fs::read(p).expect("read")).collect();
    assert_eq!(others_before, others_after, "an undrifted spec was rewritten");

    // An optional request property (an addition) and a summary (documentation): a patch
    // release while 0.x, with both listed in a dated changelog entry.
    let (before, after) =
        (client_version(&manifest_before), client_version(&read(root, "generated-client/Cargo.toml")));
    assert_eq!(after, semver_bump(&before, "patch"), "{run:?}");
    assert!(run.stdout.contains(&format!("{before} -> {after} (additions)")), "{run:?}");
    let changelog = read(root, "generated-client/CHANGELOG.md");
    let entry = changelog_entry(&changelog, &after);
    assert!(entry.starts_with(&format!("## [{after}] - {TODAY}\n")), "{changelog}");
    assert!(entry.contains("### Added\n\n- periskope: `POST /members/invite`: "), "{entry}");
    assert!(entry.contains("(`request-property-added-optional`)"), "{entry}");
    assert!(entry.contains("### Changed\n\n- periskope: `POST /members/invite`: "), "{entry}");
    assert!(entry.contains("(`summary-changed`)"), "{entry}");
    assert!(!entry.contains("Breaking"), "{entry}");
    let lock = read(root, "Cargo.lock");
    assert!(lock.contains(&format!("name = \"periskope-wapikit\"\nversion = \"{after}\"\n")), "Cargo.lock not bumped");

    let run = drift(root, &["--mirror", &upstream.mirror()]);
    assert_eq!(run.code, Some(0), "after --update there is no drift\n{run:?}");
}

fn read(root: &std::path::Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|err| panic!("cannot read {rel}: {err}"))
}

/// The `version` of `generated-client/Cargo.toml`'s text.
fn client_version(manifest: &str) -> String {
    let line = manifest.lines().find(|line| line.starts_with("version = ")).expect("a version line");
    line.trim_start_matches("version = ").trim_matches('"').to_string()
}

/// `version` bumped at `part` (`minor` or `patch`).
fn semver_bump(version: &str, part: &str) -> String {
    let numbers: Vec<u64> = version.split('.').map(|n| n.parse().expect("number")).collect();
    match part {
        "minor" => format!("{}.{}.0", numbers[0], numbers[1] + 1),
        _ => format!("{}.{}.{}", numbers[0], numbers[1], numbers[2] + 1),
    }
}

/// The changelog entry of `version`, up to the next entry.
fn changelog_entry<'a>(changelog: &'a str, version: &str) -> &'a str {
    let start =
        changelog.find(&format!("## [{version}]")).unwrap_or_else(|| panic!("no {version} entry:\n{changelog}"));
    let rest = &changelog[start..];
    rest[4..].find("\n## [").map_or(rest, |end| &rest[..end + 5])
}

/// A new required request property breaks existing calls: a minor release while 0.x, marked
/// breaking in the changelog.
#[tokio::test]
async fn breaking_update_bumps_the_minor_version() {
    let dir = scratch(true);
    let root = dir.path();
    let manifest_before = read(root, "generated-client/Cargo.toml");
    let upstream = Upstream::start(root).await;
    upstream.serve_unchanged().await;
    let mut doc = upstream.vendored(INVITE);
    let body = "/paths/~1members~1invite/post/requestBody/content/application~1json/schema";
    set(&mut doc, &format!("{body}/properties/note"), json!({ "type": "string" }));
    match doc.pointer_mut(&format!("{body}/required")).and_then(Value::as_array_mut) {
        Some(required) => required.push(json!("note")),
        None => set(&mut doc, &format!("{body}/required"), json!(["note"])),
    }
    upstream.serve_doc(INVITE, &doc).await;

    let run = drift(root, &["--mirror", &upstream.mirror(), "--update"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let (before, after) =
        (client_version(&manifest_before), client_version(&read(root, "generated-client/Cargo.toml")));
    assert_eq!(after, semver_bump(&before, "minor"), "{run:?}");
    let entry = changelog_entry(&read(root, "generated-client/CHANGELOG.md"), &after).to_string();
    assert!(entry.contains("### Added\n\n- **Breaking:** periskope: `POST /members/invite`: "), "{entry}");
    assert!(entry.contains("(`request-property-added-required`)"), "{entry}");
}

#[tokio::test]
async fn update_writes_the_selected_subset_of_a_whole_document() {
    let dir = scratch(true);
    let root = dir.path();
    // A whole file of upstream's text (the Wapikit document is ours, which `--update` leaves
    // alone: `prose.rs`).
    prose_from_upstream(root);
    let upstream = Upstream::start(root).await;
    upstream.serve_unchanged().await;
    let vendored_text = upstream.vendored_text(WAPIKIT);
    let mut doc = upstream.vendored(WAPIKIT);
    // Upstream's whole file has more than we vendor: another path, another operation on a
    // vendored path, and a schema only they use.
    set(&mut doc, "/components/schemas/CreateNewOrganizationInviteSchema/properties/note", json!({ "type": "string" }));
    set(
        &mut doc,
        "/components/schemas/RoleSchema",
        json!({ "type": "object", "properties": { "name": { "type": "string" } } }),
    );
    let uses_role = json!({ "200": { "description": "ok", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RoleSchema" } } } } });
    set(
        &mut doc,
        "/paths/~1organization~1roles",
        json!({ "get": { "operationId": "getRoles", "responses": uses_role.clone() } }),
    );
    set(
        &mut doc,
        "/paths/~1organization~1invites/delete",
        json!({ "operationId": "deleteInvites", "responses": uses_role }),
    );
    upstream.serve_doc(WAPIKIT, &doc).await;

    let run = drift(root, &["--mirror", &upstream.mirror(), "--update"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("request-property-added-optional"), "{run:?}");
    assert!(!run.stdout.contains("deleteInvites"), "unvendored operations are not reported\n{run:?}");
    assert!(run.stdout.contains("updated specs/wapikit/wapikit.yaml"), "{run:?}");

    let written = std::fs::read_to_string(root.join("specs").join(WAPIKIT)).expect("read");
    let comment: String = vendored_text.lines().take_while(|l| l.starts_with('#')).map(|l| format!("{l}\n")).collect();
    assert!(written.starts_with(&comment), "the provenance comment is kept:\n{written}");
    let subset = parse_yaml(&written);
    assert!(subset.pointer("/components/schemas/CreateNewOrganizationInviteSchema/properties/note").is_some());
    assert!(subset.pointer("/components/schemas/RoleSchema").is_none(), "unreferenced schema kept:\n{written}");
    assert!(subset.pointer("/paths/~1organization~1roles").is_none(), "unvendored path kept:\n{written}");
    assert!(subset.pointer("/paths/~1organization~1invites/delete").is_none(), "unvendored operation kept:\n{written}");
    let keys: Vec<&String> = subset.as_object().expect("mapping").keys().collect();
    assert_eq!(keys.first().map(|k| k.as_str()), Some("openapi"), "upstream's header comes first");
    assert_eq!(keys.last().map(|k| k.as_str()), Some("components"));

    // Stable: a second update finds nothing to do and leaves the bytes alone.
    let run = drift(root, &["--mirror", &upstream.mirror(), "--update"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("no vendored document needs updating"), "{run:?}");
    assert_eq!(std::fs::read_to_string(root.join("specs").join(WAPIKIT)).expect("read"), written);
}

#[tokio::test]
async fn formatting_only_rewrites_are_no_drift_and_update_writes_nothing() {
    let dir = scratch(true);
    let root = dir.path();
    let before = snapshot(root);
    let upstream = Upstream::start(root).await;
    upstream.serve_unchanged().await;

    // The docs page: JSON instead of YAML, every key order reversed, text re-wrapped.
    let mut page_doc = upstream.vendored(INVITE);
    let description =
        page_doc["paths"]["/members/invite"]["post"]["description"].as_str().unwrap_or_default().to_string();
    set(
        &mut page_doc,
        "/paths/~1members~1invite/post/description",
        json!(description.split_whitespace().collect::<Vec<_>>().join("\n")),
    );
    let json_text = format!("{}\n", serde_json::to_string_pretty(&reversed(&page_doc)).expect("JSON"));
    let body = upstream.body_for(INVITE, &to_yaml(&page_doc)).replace(&to_yaml(&page_doc), &json_text);
    upstream.serve(&upstream.source(INVITE).url.clone(), body).await;

    // The whole file: a `$ref` replaced by the equal inline schema, keys reversed, comments.
    let mut whole = upstream.vendored(WAPIKIT);
    let inline = whole["components"]["schemas"]["CreateNewOrganizationInviteSchema"].clone();
    set(&mut whole, "/paths/~1organization~1invites/post/requestBody/content/application~1json/schema", inline);
    let text = format!(
        "# Reformatted upstream\n{}# The end\n",
        to_yaml(&reversed(&whole)).replace(": '", ": \"").replace("'\n", "\"\n")
    );
    upstream.serve(&upstream.source(WAPIKIT).url.clone(), text).await;

    let run = drift(root, &["--mirror", &upstream.mirror(), "--format", "json"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let json = run.json();
    assert_eq!(json["summary"]["drifted"], 0, "{run:?}");
    for source in json["sources"].as_array().expect("sources") {
        assert_eq!(source["status"], "unchanged", "{run:?}");
    }
    let run = drift(root, &["--mirror", &upstream.mirror(), "--update"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("no vendored document needs updating"), "{run:?}");
    assert_eq!(snapshot(root), before, "formatting-only drift wrote a file");
}
