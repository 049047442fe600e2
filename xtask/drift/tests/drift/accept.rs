//! `specs/accepted-drift.toml`: `--accept` acknowledges the current drift, acknowledged changes
//! are reported as accepted and exit 0, a new edit of the same place is drift again, and an
//! acknowledgement that matches nothing is reported stale until `--accept` drops it.

use serde_json::json;

use super::support::{TODAY, Upstream, drift, scratch, set};

const INVITE: &str = "periskope/invite-members.yaml";
const SUMMARY: &str = "/paths/~1members~1invite/post/summary";

#[tokio::test]
async fn accepted_drift_exits_0_until_upstream_changes_again() {
    let dir = scratch(false);
    let root = dir.path();
    let accepted = root.join("specs/accepted-drift.toml");
    let upstream = Upstream::start(root).await;
    upstream.serve_unchanged().await;
    let mut doc = upstream.vendored(INVITE);
    set(&mut doc, SUMMARY, json!("Invite members to the organisation"));
    upstream.serve_doc(INVITE, &doc).await;
    let mirror = upstream.mirror();

    let run = drift(root, &["--mirror", &mirror]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(!accepted.exists(), "a plain check wrote the acknowledgements");

    let run = drift(root, &["--mirror", &mirror, "--accept", "--reason", "wording only; the method keeps its name"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("1 change(s) acknowledged, 0 stale"), "{run:?}");
    let text = std::fs::read_to_string(&accepted).expect("--accept writes specs/accepted-drift.toml");
    for needle in [
        "[[accepted]]\nid = \"summary-changed\"\nfile = \"specs/periskope/invite-members.yaml\"\n",
        "operation = \"POST /members/invite\"\n",
        &format!("pointer = \"{SUMMARY}\"\n"),
        "upstream = \"fnv1a64:",
        "reason = \"wording only; the method keeps its name\"\n",
        &format!("date = \"{TODAY}\"\n"),
    ] {
        assert!(text.contains(needle), "`{needle}` not in\n{text}");
    }

    // Acknowledged: reported as accepted, exit 0, in every format.
    let run = drift(root, &["--mirror", &mirror, "--format", "json"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let json = run.json();
    assert_eq!(json["summary"]["accepted"], 1, "{run:?}");
    assert_eq!(json["summary"]["info"], 0, "{run:?}");
    assert_eq!(json["changes"][0]["id"], "summary-changed", "{run:?}");
    assert_eq!(
        json["changes"][0]["accepted"],
        json!({ "date": TODAY, "reason": "wording only; the method keeps its name" })
    );
    let run = drift(root, &["--mirror", &mirror]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("accepted summary-changed"), "{run:?}");
    assert!(run.stdout.contains(&format!("accepted on {TODAY}: wording only")), "{run:?}");
    // `--update` leaves an acknowledged change where it is.
    let spec_before = std::fs::read(root.join("specs").join(INVITE)).expect("read spec");
    let run = drift(root, &["--mirror", &mirror, "--update"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("no vendored document needs updating"), "{run:?}");
    assert_eq!(std::fs::read(root.join("specs").join(INVITE)).expect("read spec"), spec_before);

    // Upstream edits the same place again: drift again, and the old acknowledgement is stale.
    set(&mut doc, SUMMARY, json!("Invite members (new wording)"));
    upstream.server.reset().await;
    upstream.serve_unchanged().await;
    upstream.serve_doc(INVITE, &doc).await;
    let run = drift(root, &["--mirror", &mirror, "--format", "json"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    let ids: Vec<String> = run.changes().into_iter().map(|(_, id, _)| id).collect();
    assert_eq!(ids, ["summary-changed", "accepted-drift-stale"], "{run:?}");
    assert_eq!(run.changes()[1].0, "specs/accepted-drift.toml", "{run:?}");
    assert_eq!(run.changes()[1].2, "warning", "{run:?}");

    // Upstream returns to the vendored text: only the stale acknowledgement is left, and
    // `--accept` drops it.
    upstream.server.reset().await;
    upstream.serve_unchanged().await;
    let run = drift(root, &["--mirror", &mirror]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stdout.contains("accepted-drift-stale"), "{run:?}");
    assert!(run.stdout.contains("matches no change any more; delete it"), "{run:?}");
    let run = drift(root, &["--mirror", &mirror, "--accept", "--reason", "unused"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("0 change(s) acknowledged, 1 stale acknowledgement(s) removed"), "{run:?}");
    assert!(!std::fs::read_to_string(&accepted).expect("read").contains("[[accepted]]"));
    let run = drift(root, &["--mirror", &mirror]);
    assert_eq!(run.code, Some(0), "{run:?}");
}

#[tokio::test]
async fn a_broken_acknowledgement_file_exits_2_before_fetching() {
    let dir = scratch(false);
    let root = dir.path();
    std::fs::write(root.join("specs/accepted-drift.toml"), "[[accepted]]\nid = \"summary-changed\"\n").expect("write");
    let run = drift(root, &["--mirror", "http://127.0.0.1:9"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("accepted-drift.toml"), "{run:?}");
    assert!(run.stderr.contains("missing field"), "{run:?}");
    assert!(!run.stderr.contains("panicked"), "{run:?}");
}
