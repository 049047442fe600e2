//! A source whose prose is our own (`prose = "own"`, the Wapikit document): upstream's wording
//! is not drift, its facts are, and `--update` leaves the document to be edited by hand. Last,
//! our Wapikit document against upstream's published file itself, when a copy of it is beside
//! the checkout.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use xtask::Prose;

use super::support::{Upstream, drift, prose_from_upstream, scratch, set, snapshot};

const WAPIKIT: &str = "wapikit/wapikit.yaml";
const LIST: &str = "/paths/~1organization~1invites/get";
const SCHEMAS: &str = "/components/schemas";

/// Upstream's file in other words: every kind of text a description, summary, example or
/// external-docs link can be, reworded.
fn reworded(mut doc: Value) -> Value {
    set(&mut doc, "/info/description", json!("The API collection for the Wapikit server"));
    set(&mut doc, &format!("{LIST}/description"), json!("returns all organization invites"));
    set(&mut doc, &format!("{LIST}/summary"), json!("List the invites"));
    set(&mut doc, &format!("{LIST}/externalDocs"), json!({ "url": "https://docs.example.com/invites" }));
    set(&mut doc, &format!("{LIST}/parameters/0/description"), json!("number of records to skip"));
    set(&mut doc, &format!("{LIST}/parameters/0/example"), json!(3));
    set(&mut doc, &format!("{LIST}/responses/200/description"), json!("organization invites list"));
    set(&mut doc, &format!("{SCHEMAS}/PaginationMeta/description"), json!("Pagination details"));
    set(&mut doc, &format!("{SCHEMAS}/OrganizationMemberInviteSchema/properties/email/example"), json!("a@b.example"));
    doc
}

/// The distinct change ids of a JSON report.
fn ids(report: &Value) -> BTreeSet<String> {
    report["changes"].as_array().into_iter().flatten().filter_map(|c| c["id"].as_str()).map(String::from).collect()
}

#[tokio::test]
async fn reworded_upstream_text_is_not_drift_for_a_document_of_ours() {
    let dir = scratch(false);
    let root = dir.path();
    let upstream = Upstream::start(root).await;
    assert_eq!(upstream.source(WAPIKIT).prose, Prose::Own, "specs/sources.toml: the Wapikit document is ours");
    upstream.serve_unchanged().await;
    upstream.serve_doc(WAPIKIT, &reworded(upstream.vendored(WAPIKIT))).await;

    let run = drift(root, &["--mirror", &upstream.mirror(), "--format", "json"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.json()["changes"], json!([]), "{run:?}");
    let run = drift(root, &["--mirror", &upstream.mirror()]);
    assert!(run.stdout.contains("specs/wapikit/wapikit.yaml: no drift"), "{run:?}");

    // The same upstream against a document of upstream's text is drift: the setting is what
    // keeps the wording out.
    prose_from_upstream(root);
    let run = drift(root, &["--mirror", &upstream.mirror(), "--format", "json"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    let expected = ["description-changed", "example-changed", "info-changed", "summary-changed"];
    assert_eq!(ids(&run.json()), expected.iter().map(|id| id.to_string()).collect(), "{run:?}");
}

#[tokio::test]
async fn a_changed_fact_is_drift_for_a_document_of_ours() {
    let dir = scratch(false);
    let root = dir.path();
    let upstream = Upstream::start(root).await;
    upstream.serve_unchanged().await;
    let mut doc = reworded(upstream.vendored(WAPIKIT));
    set(&mut doc, &format!("{SCHEMAS}/InviteStatusEnum/enum/-"), json!("Expired"));
    set(&mut doc, "/info/version", json!("0.0.2"));
    upstream.serve_doc(WAPIKIT, &doc).await;

    let run = drift(root, &["--mirror", &upstream.mirror(), "--format", "json"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    let changes = run.json()["changes"].as_array().cloned().unwrap_or_default();
    let found: BTreeSet<(String, String)> = changes
        .iter()
        .map(|c| {
            (c["id"].as_str().unwrap_or_default().to_string(), c["level"].as_str().unwrap_or_default().to_string())
        })
        .collect();
    let expected: BTreeSet<(String, String)> = [("info-changed", "info"), ("response-enum-value-added", "warning")]
        .iter()
        .map(|(id, level)| (id.to_string(), level.to_string()))
        .collect();
    assert_eq!(found, expected, "{run:?}");
    for change in &changes {
        let pointer = change["pointer"].as_str().unwrap_or_default();
        match change["id"].as_str() {
            Some("info-changed") => assert_eq!(pointer, "/info/version", "{run:?}"),
            _ => assert!(pointer.ends_with("/properties/status/enum"), "{change}"),
        }
    }
    let run = drift(root, &["--mirror", &upstream.mirror()]);
    assert!(run.stdout.contains("response-enum-value-added"), "the text report names the change\n{run:?}");
}

#[tokio::test]
async fn update_leaves_a_document_of_ours_to_be_edited_by_hand() {
    let dir = scratch(true);
    let root = dir.path();
    let before = snapshot(root);
    let upstream = Upstream::start(root).await;
    upstream.serve_unchanged().await;
    let mut doc = reworded(upstream.vendored(WAPIKIT));
    set(&mut doc, &format!("{SCHEMAS}/InviteStatusEnum/enum/-"), json!("Expired"));
    upstream.serve_doc(WAPIKIT, &doc).await;

    let run = drift(root, &["--mirror", &upstream.mirror(), "--update"]);
    assert_eq!(run.code, Some(1), "the change is left for a maintainer\n{run:?}");
    assert!(run.stdout.contains("specs/wapikit/wapikit.yaml is not updated: its prose is our own"), "{run:?}");
    assert!(!run.stdout.contains("regenerating the client"), "{run:?}");
    assert!(!run.stdout.contains("no vendored document needs updating"), "{run:?}");
    assert_eq!(snapshot(root), before, "--update wrote upstream's text into a document of ours, or released");

    // Only wording upstream: nothing to do.
    upstream.server.reset().await;
    upstream.serve_unchanged().await;
    upstream.serve_doc(WAPIKIT, &reworded(upstream.vendored(WAPIKIT))).await;
    let run = drift(root, &["--mirror", &upstream.mirror(), "--update"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("no vendored document needs updating"), "{run:?}");
    assert_eq!(snapshot(root), before);
}

/// Our Wapikit document against upstream's published file: no drift, so every fact of every
/// operation lines up. Upstream's file is third-party text and never part of the repository;
/// a copy is read from `../shared/reference/wapikit/upstream-spec.openapi.yaml` beside the
/// checkout when there (the only file of these tests from outside the checkout), and without it
/// the test says so and passes, as it must in a lone clone.
#[tokio::test]
async fn our_wapikit_document_lines_up_with_upstreams_published_file() {
    let reference = crate::common::workspace_root().join("../shared/reference/wapikit/upstream-spec.openapi.yaml");
    let Ok(published) = std::fs::read_to_string(&reference) else {
        eprintln!(
            "skipped: no copy of Wapikit's published file at {} (it is not part of the repository), so there is \
             nothing to compare our document with",
            reference.display()
        );
        return;
    };
    let dir = scratch(false);
    let root = dir.path();
    let upstream = Upstream::start(root).await;
    upstream.serve_unchanged().await;
    upstream.serve(&upstream.source(WAPIKIT).url.clone(), published).await;

    let run = drift(root, &["--mirror", &upstream.mirror(), "--format", "json"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let json = run.json();
    assert_eq!(json["changes"], json!([]), "{run:?}");
    let wapikit = json["sources"].as_array().into_iter().flatten().find(|s| s["file"] == "specs/wapikit/wapikit.yaml");
    assert_eq!(wapikit.map(|s| &s["status"]), Some(&json!("unchanged")), "{run:?}");
}
