//! Drives the real `xtask` binary: the committed client is fresh, `--check` catches a stale
//! file, `regen` restores it, and bad specs exit 2 without touching any generated file.

mod common;

use std::path::Path;

use common::{text, vendors, workspace_root, xtask};

fn scratch() -> tempfile::TempDir {
    common::scratch_workspace(true)
}

fn generated_files(root: &Path) -> Vec<(String, Vec<u8>)> {
    vendors(root)
        .iter()
        .map(|vendor| {
            let rel = format!("generated-client/src/{vendor}/generated.rs");
            let bytes = std::fs::read(root.join(&rel)).unwrap_or_default();
            (rel, bytes)
        })
        .collect()
}

#[test]
fn committed_client_is_fresh() {
    let out = xtask(&workspace_root(), &["regen", "--check"]);
    assert!(out.status.success(), "the committed client is stale; run `cargo xtask regen`\n{}", text(&out.stdout));
}

#[test]
fn check_reports_a_stale_file_and_regen_restores_it() {
    let dir = scratch();
    let root = dir.path();
    let file = root.join("generated-client/src/wapikit/generated.rs");
    let original = std::fs::read(&file).expect("read generated file");
    let mut edited = original.clone();
    edited.extend_from_slice(b"// a hand edit\n");
    std::fs::write(&file, &edited).expect("edit generated file");

    let out = xtask(root, &["regen", "--check"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("--- a/generated-client/src/wapikit/generated.rs"), "{stdout}");
    assert!(stdout.contains("-// a hand edit"), "{stdout}");
    assert!(stdout.contains("run `cargo xtask regen`"), "{stdout}");
    assert_eq!(std::fs::read(&file).expect("read"), edited, "--check must not write");

    let out = xtask(root, &["regen"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("updated generated-client/src/wapikit/generated.rs"));
    assert_eq!(std::fs::read(&file).expect("read"), original);

    let out = xtask(root, &["regen", "--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

/// Two clones that share one `CARGO_TARGET_DIR` run one `xtask` binary, built in whichever
/// clone built it last; each must act on itself. The binary of this test was built in this
/// checkout (clone A); clone B sits next to it with a tampered file, and `regen --check` run in
/// B (in a folder of B, without `--root`, as `cargo xtask` runs it) finds B's file.
#[test]
fn regen_check_in_another_clone_checks_that_clone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clone_b = dir.path().join("clone-b");
    common::copy_dir(common::scratch_workspace(true).path(), &clone_b);
    let file = clone_b.join("generated-client/src/periskope/generated.rs");
    let mut edited = std::fs::read(&file).expect("read generated file");
    edited.extend_from_slice(b"// tampered in clone B\n");
    std::fs::write(&file, &edited).expect("edit generated file");

    let out = common::xtask_in(&clone_b.join("generated-client/src"), &["regen", "--check"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "clone B's tampered file went unnoticed: {stdout}{}", text(&out.stderr));
    assert!(stdout.contains("--- a/generated-client/src/periskope/generated.rs"), "{stdout}");
    assert!(stdout.contains("-// tampered in clone B"), "{stdout}");
    assert_eq!(std::fs::read(&file).expect("read"), edited, "--check must not write");

    // Outside any checkout, the command refuses rather than act on the one it was built in.
    let outside = tempfile::tempdir().expect("temp dir");
    let out = common::xtask_in(outside.path(), &["regen", "--check"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is not inside a checkout of this repository"), "{stderr}");
    assert!(stderr.contains("--root DIR"), "{stderr}");
}

/// The README's operation table is generated: a row edited by hand (or an operation the specs
/// gained) is a stale file for `--check`, and `regen` writes the table from the generated code.
#[test]
fn the_readme_operation_table_is_kept_by_regen() {
    let dir = scratch();
    let root = dir.path();
    let readme = root.join("README.md");
    let original = std::fs::read_to_string(&readme).expect("README.md");
    let row = "| `periskope` | `invite_members` | `POST /members/invite` |";
    assert!(original.contains(row), "the table lists invite_members:\n{original}");
    std::fs::write(&readme, original.replace(row, "| `periskope` | `invite_everyone` | `POST /members/invite` |"))
        .expect("edit README.md");

    let out = xtask(root, &["regen", "--check"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("--- a/README.md"), "{stdout}");
    assert!(stdout.contains(&format!("+{row}")), "{stdout}");

    let out = xtask(root, &["regen"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&readme).expect("README.md"), original);

    // Without its markers the table cannot be kept: exit 2, naming the README.
    let unmarked = original.replace(xtask::readme::END, "");
    std::fs::write(&readme, &unmarked).expect("edit README.md");
    let out = xtask(root, &["regen", "--check"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("README.md has no operation table to keep"), "{stderr}");
}

#[test]
fn regen_writes_only_changed_files_and_removes_orphans() {
    let dir = scratch();
    let root = dir.path();
    let orphan = root.join("generated-client/src/retired/generated.rs");
    std::fs::create_dir_all(orphan.parent().expect("parent")).expect("create dir");
    std::fs::write(&orphan, "// from a vendor that is gone\n").expect("write orphan");
    let kept = root.join("generated-client/src/periskope/generated.rs");
    let before = std::fs::metadata(&kept).expect("metadata").modified().expect("mtime");

    let out = xtask(root, &["regen", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("generated-client/src/retired/generated.rs is generated but no spec"));

    let out = xtask(root, &["regen"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!orphan.exists(), "the orphan must be removed");
    assert!(text(&out.stdout).contains("removed generated-client/src/retired/generated.rs"));
    let after = std::fs::metadata(&kept).expect("metadata").modified().expect("mtime");
    assert_eq!(before, after, "an unchanged file must not be rewritten");
}

/// Runs `regen` on a broken spec and checks exit 2, the message, and untouched files.
fn assert_rejected(edit: impl FnOnce(&str) -> String, expected: &[&str]) {
    assert_rejected_in("specs/periskope/invite-members.yaml", edit, expected);
}

/// [`assert_rejected`] with `edit` made to `file`.
fn assert_rejected_in(file: &str, edit: impl FnOnce(&str) -> String, expected: &[&str]) {
    let dir = scratch();
    let root = dir.path();
    let spec = root.join(file);
    let original = std::fs::read_to_string(&spec).expect("read spec");
    std::fs::write(&spec, edit(&original)).expect("write broken spec");
    // Make one generated file stale, so a run that wrote anything would show.
    let stale = root.join("generated-client/src/wapikit/generated.rs");
    let mut bytes = std::fs::read(&stale).expect("read");
    bytes.extend_from_slice(b"// stale\n");
    std::fs::write(&stale, &bytes).expect("write");
    let before = generated_files(root);

    for args in [&["regen"][..], &["regen", "--check"][..]] {
        let out = xtask(root, args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        for needle in expected {
            assert!(stderr.contains(needle), "{args:?}: `{needle}` not in: {stderr}");
        }
        assert!(!stderr.contains("panicked at"), "{stderr}");
        assert_eq!(generated_files(root), before, "{args:?} changed a generated file");
    }
}

#[test]
fn a_missing_operation_id_is_derived_and_noted() {
    let dir = scratch();
    let root = dir.path();
    let spec = root.join("specs/periskope/invite-members.yaml");
    let original = std::fs::read_to_string(&spec).expect("read spec");
    std::fs::write(&spec, original.replace("      operationId: inviteMembers\n", "")).expect("write spec");
    let out = xtask(root, &["regen"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        stdout.contains(
            "periskope: derived an operationId for 1 operation without one, from the method and path: \
             POST /members/invite → post_members_invite"
        ),
        "{stdout}"
    );
    let generated =
        std::fs::read_to_string(root.join("generated-client/src/periskope/generated.rs")).expect("read generated.rs");
    assert!(generated.contains("pub fn post_members_invite<"), "the derived id names no method");
    assert!(!generated.contains("pub fn invite_members<"), "the old method is still there");
}

#[test]
fn two_success_schemas_become_one_enum_with_a_variant_per_status() {
    let created = "        '201':\n          description: Created\n          content:\n            application/json:\n              \
                   schema:\n                type: object\n                properties:\n                  id:\n                    \
                   type: string\n      x-codeSamples:\n";
    let dir = scratch();
    let root = dir.path();
    let spec = root.join("specs/periskope/invite-members.yaml");
    let original = std::fs::read_to_string(&spec).expect("read spec");
    std::fs::write(&spec, original.replacen("      x-codeSamples:\n", created, 1)).expect("write spec");
    let out = xtask(root, &["regen"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("periskope: POST /members/invite (inviteMembers): the success responses have different bodies"),
        "{stdout}"
    );
    let generated = std::fs::read_to_string(root.join("generated-client/src/periskope/generated.rs")).expect("read");
    assert!(generated.contains("pub enum InviteMembersSuccess"), "one enum for the two bodies");
    assert!(generated.contains("Status201(InviteMembersResponse201)"), "the 201 body keeps its type");
}

#[test]
fn a_skip_entry_leaves_the_operation_out_and_regen_says_so() {
    let dir = scratch();
    let root = dir.path();
    let spec = root.join("specs/periskope/invite-members.yaml");
    let original = std::fs::read_to_string(&spec).expect("read spec");
    std::fs::write(&spec, original.replace("      operationId: inviteMembers\n", "")).expect("break the operation");
    let sources = root.join("specs/sources.toml");
    let mut toml = std::fs::read_to_string(&sources).expect("read sources.toml");
    toml.push_str(
        "\n[[skip]]\nvendor = \"periskope\"\noperation = \"POST /members/invite\"\nreason = \"no operationId upstream\"\n",
    );
    std::fs::write(&sources, &toml).expect("write sources.toml");

    let out = xtask(root, &["regen"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("periskope: left out POST /members/invite: no operationId upstream"), "{stdout}");
    let generated = std::fs::read_to_string(root.join("generated-client/src/periskope/generated.rs")).expect("read");
    assert!(!generated.contains("fn invite_members"), "the skipped operation is gone");
    assert!(generated.contains("fn update_member_access"), "the other operation stays");

    // An entry naming no operation is refused, so skips never outlive their operation.
    std::fs::write(&sources, toml.replace("POST /members/invite", "POST /members/gone")).expect("write");
    let out = xtask(root, &["regen"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("`POST /members/gone`: names no operation"), "{}", text(&out.stderr));
}

#[test]
fn malformed_yaml_exits_2_with_line_and_column() {
    assert_rejected(
        |spec| spec.replace("      operationId: inviteMembers\n", "      operationId: [inviteMembers\n"),
        &["specs/periskope/invite-members.yaml:"],
    );
}

#[test]
fn conflicting_documents_exit_2_naming_both_files() {
    assert_rejected(
        |spec| {
            spec.replace("paths:\n  /members/invite:", "paths:\n  /members/access:\n    patch:\n      operationId: other\n      responses:\n        '204':\n          description: none\n  /members/invite:")
        },
        &[
            "PATCH /members/access is defined differently in",
            "specs/periskope/invite-members.yaml",
            "specs/periskope/update-member-access.yaml",
        ],
    );
}

#[test]
fn a_fix_whose_target_is_gone_exits_2_naming_the_fix() {
    // Upstream renames the path: the fixes aimed at the old path must be revisited.
    assert_rejected(
        |spec| spec.replace("  /members/invite:\n", "  /members/invitations:\n"),
        &[
            "specs/fixes/periskope.overlay.yaml",
            "fix `invite-response-drop-added-member` (The invite response schema names the member list",
            "selects nothing",
            "delete the fix",
        ],
    );
}

#[test]
fn regen_names_the_fixes_it_applies() {
    let dir = scratch();
    let out = xtask(dir.path(), &["regen"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        stdout.contains(
            "periskope: applied fix `invite-response-drop-added-member` (The invite response schema names the member list"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "upstream: https://docs.periskope.app/api-reference/members/invite-members.md\nperiskope: applied fix"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("wapikit: applied fix `access-token-scheme` (Upstream declares no security scheme"),
        "{stdout}"
    );
}

#[test]
fn lint_lists_the_defects_of_the_pristine_specs_and_passes_when_fixes_cover_them() {
    let out = xtask(&workspace_root(), &["lint"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains(
            "specs/periskope/invite-members.yaml#/paths/~1members~1invite/post/responses/200/content/application~1json/\
             examples/200 OK/value/addedMembers: fixed by `invite-response-members-and-errors`: example `200 OK` does \
             not match its schema: property `addedMembers` is not defined by the schema (it defines `addedMember`)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "specs/wapikit/wapikit.yaml#/components/schemas/UpdateOrganizationMemberSchema/required/0: \
             fixed by `update-member-drop-email-required`: `required` names `email`"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("0 not"), "{stdout}");
}

#[test]
fn lint_exits_1_when_a_defect_is_not_covered_by_a_fix() {
    let dir = scratch();
    let fixes = dir.path().join("specs/fixes/wapikit.overlay.yaml");
    let text_before = std::fs::read_to_string(&fixes).expect("read fixes");
    let cut = text_before.find("  - x-fix: update-member-drop-email-required").expect("the fix is there");
    std::fs::write(&fixes, &text_before[..cut]).expect("drop the last fix");
    let out = xtask(dir.path(), &["lint"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("UpdateOrganizationMemberSchema/required/0: NOT FIXED"), "{stdout}");
}

#[test]
fn the_unchanged_shortcut_never_hides_a_change() {
    let dir = scratch();
    let root = dir.path();
    assert_eq!(xtask(root, &["regen", "--check"]).status.code(), Some(0));
    let out = xtask(root, &["regen", "--check"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("unchanged since the last check"), "{}", text(&out.stdout));

    // A hand edit of a generated file.
    let generated = root.join("generated-client/src/periskope/generated.rs");
    let original = std::fs::read(&generated).expect("read");
    let mut edited = original.clone();
    edited.extend_from_slice(b"// hand edit\n");
    std::fs::write(&generated, &edited).expect("write");
    assert_eq!(xtask(root, &["regen", "--check"]).status.code(), Some(1));
    std::fs::write(&generated, &original).expect("restore");
    assert_eq!(xtask(root, &["regen", "--check"]).status.code(), Some(0));

    // A spec edit that changes the output.
    let spec = root.join("specs/wapikit/wapikit.yaml");
    let text_before = std::fs::read_to_string(&spec).expect("read");
    let edited = text_before.replace(
        "description: The invites sent to join the organization, a page at a time.",
        "description: lists the invites",
    );
    assert_ne!(edited, text_before, "the operation's description is not in the spec any more");
    std::fs::write(&spec, edited).expect("write");
    let out = xtask(root, &["regen", "--check"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("+    /**lists the invites"), "{}", text(&out.stdout));
}

/// Periskope is strict (`[[vendor]] strict = true` in specs/sources.toml): a construct the
/// generator would degrade (here an operationId another operation has) stops regen with exit
/// 2, naming the file, the operation and the `[[skip]]` entry, and writes nothing. Without
/// `strict` the same document generates, with the degradation as a note; `regen --strict`
/// makes it an error again.
#[test]
fn a_strict_vendor_refuses_a_degradation_and_a_lenient_one_notes_it() {
    let duplicate = |text: &str| text.replace("operationId: updateMemberAccess", "operationId: inviteMembers");
    assert_rejected_in(
        "specs/periskope/update-member-access.yaml",
        duplicate,
        &[
            "specs/periskope/update-member-access.yaml: PATCH /members/access (inviteMembers): operationId \
             `inviteMembers` is also the id of POST /members/invite",
            "refused because the vendor is strict",
            "[[skip]]\nvendor = \"periskope\"\noperation = \"PATCH /members/access\"\nreason = \"<why it is left out>\"",
        ],
    );

    let dir = scratch();
    let root = dir.path();
    let spec = root.join("specs/periskope/update-member-access.yaml");
    std::fs::write(&spec, duplicate(&std::fs::read_to_string(&spec).expect("read spec"))).expect("write spec");
    let sources = root.join("specs/sources.toml");
    let toml = std::fs::read_to_string(&sources).expect("read sources.toml");
    let lenient = toml.replace("name = \"periskope\"\nstrict = true", "name = \"periskope\"\nstrict = false");
    assert_ne!(lenient, toml, "sources.toml no longer makes periskope strict");
    std::fs::write(&sources, lenient).expect("write sources.toml");
    let before = generated_files(root);
    let out = xtask(root, &["regen", "--strict"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("refused because the vendor is strict"), "{}", text(&out.stderr));
    assert_eq!(generated_files(root), before, "--strict changed a generated file");

    let out = xtask(root, &["regen"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains(
            "periskope: degraded (duplicate-operation-id): specs/periskope/update-member-access.yaml: PATCH \
             /members/access (inviteMembers): operationId `inviteMembers` is also the id of POST /members/invite; \
             this operation's is `patch_members_access`"
        ),
        "{stdout}"
    );
    let generated = std::fs::read_to_string(root.join("generated-client/src/periskope/generated.rs")).expect("read");
    assert!(generated.contains("pub fn patch_members_access<"), "the derived id names no method");
}
