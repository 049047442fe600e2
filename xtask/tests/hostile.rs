//! The real `xtask` binary on hostile and broken specs: every failing case of the generator's
//! corpus (`codegen/tests/cases/`) exits 2 with a message, never panics, and leaves every
//! generated file byte-identical; a write that fails half-way leaves each file old or new.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{workspace_root, xtask_with_env as xtask};

fn scratch() -> tempfile::TempDir {
    common::scratch_workspace(true)
}

/// Every file under `generated-client/`, with its bytes.
fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push((path.clone(), std::fs::read(&path).expect("read")));
            }
        }
    }
    let mut out = Vec::new();
    walk(&root.join("generated-client"), &mut out);
    out.sort();
    out
}

/// The case's `skip.txt` (`METHOD /path: reason` a line) as `[[skip]]` entries of `vendor`.
fn skip_entries(case: &Path, vendor: &str) -> String {
    let text = std::fs::read_to_string(case.join("skip.txt")).unwrap_or_default();
    text.lines()
        .filter_map(|line| line.split_once(": "))
        .map(|(operation, reason)| {
            format!("\n[[skip]]\nvendor = \"{vendor}\"\noperation = \"{operation}\"\nreason = \"{reason}\"\n")
        })
        .collect()
}

#[test]
fn every_failing_corpus_case_exits_2_and_changes_nothing() {
    let cases = workspace_root().join("codegen/tests/cases");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&cases).expect("corpus").map(|e| e.expect("entry").path()).collect();
    dirs.sort();
    let mut failing = 0;
    for case in dirs {
        let expected = std::fs::read_to_string(case.join("expected.txt")).expect("expected.txt");
        if !expected.starts_with("error:") {
            continue;
        }
        failing += 1;
        let dir = scratch();
        let root = dir.path();
        // The case's documents become the `hostile` vendor; its fixes, if any, its fixes.
        let mut toml = String::new();
        std::fs::create_dir_all(root.join("specs/hostile")).expect("create dir");
        for entry in std::fs::read_dir(&case).expect("case") {
            let path = entry.expect("entry").path();
            let name = path.file_name().expect("name").to_string_lossy().into_owned();
            if name.ends_with(".overlay.yaml") {
                std::fs::copy(&path, root.join("specs/fixes/hostile.overlay.yaml")).expect("copy fixes");
            } else if name.ends_with(".yaml") || name.ends_with(".json") {
                std::fs::copy(&path, root.join("specs/hostile").join(&name)).expect("copy document");
                toml.push_str(&format!(
                    "\n[[source]]\nvendor = \"hostile\"\nfile = \"hostile/{name}\"\nkind = \"docs-page\"\nurl = \"https://example.com/{name}\"\n"
                ));
            }
        }
        toml.push_str(&skip_entries(&case, "hostile"));
        let sources = root.join("specs/sources.toml");
        let mut text = std::fs::read_to_string(&sources).expect("sources.toml");
        text.push_str(&toml);
        std::fs::write(&sources, text).expect("write sources.toml");

        let before = snapshot(root);
        for args in [&["regen"][..], &["regen", "--check"][..]] {
            let out = xtask(root, args, &[]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let name = case.file_name().expect("name").to_string_lossy().into_owned();
            assert_eq!(out.status.code(), Some(2), "{name} {args:?}: {stderr}");
            assert!(stderr.contains("cannot generate the hostile client"), "{name}: {stderr}");
            assert!(!stderr.contains("panicked at") && !stderr.contains("RUST_BACKTRACE"), "{name}: {stderr}");
            assert!(snapshot(root) == before, "{name} {args:?}: a generated file changed");
        }
    }
    assert!(failing >= 25, "the corpus has only {failing} failing cases");
}

#[test]
fn a_write_that_fails_half_way_leaves_each_file_old_or_new() {
    let dir = scratch();
    let root = dir.path();
    // Make every generated file stale, so regen has to write all of them.
    let before = snapshot(root);
    for (path, bytes) in &before {
        let mut stale = bytes.clone();
        stale.extend_from_slice(b"// stale\n");
        std::fs::write(path, stale).expect("write stale file");
    }
    let stale = snapshot(root);

    let out = xtask(root, &["regen"], &[("XTASK_SIMULATE_WRITE_FAILURE", "2")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("simulated failure"), "{stderr}");
    let after = snapshot(root);
    assert_eq!(after.len(), before.len(), "no file appeared or vanished: {after:?}");
    let mut new = 0;
    for (((path, now), (_, old)), (_, fresh)) in after.iter().zip(&stale).zip(&before) {
        assert!(now == old || now == fresh, "{} is neither old nor new", path.display());
        new += usize::from(now == fresh);
    }
    assert_eq!(new, 1, "exactly the first write landed");

    // The next run finishes the job.
    let out = xtask(root, &["regen"], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(snapshot(root) == before);
}

/// A snake_case module name for a corpus case.
fn module_name(case: &Path) -> String {
    let name = case.file_name().expect("name").to_string_lossy().replace('-', "_");
    format!("case_{name}")
}

/// Every corpus case the generator accepts becomes a vendor module of a copy of the client
/// crate, and the copy must compile: hostile names, keywords, recursive schemas and merged
/// error bodies all produce valid Rust. The copy also runs `fixtures/pass_loopback.rs`, where
/// the response passes' cases answer over loopback through their generated clients.
#[test]
fn every_accepted_corpus_case_compiles_and_answers_over_loopback() {
    let workspace = workspace_root();
    let dir = common::client_workspace(&["generated-client"]);
    let root = dir.path();

    let template = std::fs::read_to_string(workspace.join("generated-client/src/wapikit/mod.rs")).expect("mod.rs");
    let mut lib = std::fs::read_to_string(root.join("generated-client/src/lib.rs")).expect("lib.rs");
    let mut sources = std::fs::read_to_string(root.join("specs/sources.toml")).expect("sources.toml");
    let cases = workspace.join("codegen/tests/cases");
    let mut accepted = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&cases).expect("corpus").map(|e| e.expect("entry").path()).collect();
    dirs.sort();
    for case in dirs {
        let expected = std::fs::read_to_string(case.join("expected.txt")).expect("expected.txt");
        if !expected.starts_with("ok") {
            continue;
        }
        let module = module_name(&case);
        std::fs::create_dir_all(root.join("specs").join(&module)).expect("create dir");
        for entry in std::fs::read_dir(&case).expect("case") {
            let path = entry.expect("entry").path();
            let name = path.file_name().expect("name").to_string_lossy().into_owned();
            if name.ends_with(".overlay.yaml") {
                std::fs::copy(&path, root.join(format!("specs/fixes/{module}.overlay.yaml"))).expect("copy fixes");
            } else if name.ends_with(".yaml") || name.ends_with(".json") {
                std::fs::copy(&path, root.join("specs").join(&module).join(&name)).expect("copy document");
                sources.push_str(&format!(
                    "\n[[source]]\nvendor = \"{module}\"\nfile = \"{module}/{name}\"\nkind = \"docs-page\"\nurl = \"https://example.com/{name}\"\n"
                ));
            }
        }
        sources.push_str(&skip_entries(&case, &module));
        let vendor_mod =
            template.replace("WAPIKIT", &module.to_uppercase()).replace("Wapikit", &module).replace("wapikit", &module);
        std::fs::create_dir_all(root.join("generated-client/src").join(&module)).expect("create dir");
        std::fs::write(root.join("generated-client/src").join(&module).join("mod.rs"), vendor_mod)
            .expect("write mod.rs");
        lib.push_str(&format!("\n#[allow(missing_docs)]\npub mod {module};\n"));
        accepted.push(module);
    }
    assert!(accepted.len() >= 8, "only {} accepted cases: {accepted:?}", accepted.len());
    std::fs::write(root.join("specs/sources.toml"), sources).expect("write sources.toml");
    std::fs::write(root.join("generated-client/src/lib.rs"), lib).expect("write lib.rs");
    std::fs::copy(
        workspace.join("xtask/tests/fixtures/pass_loopback.rs"),
        root.join("generated-client/tests/pass_loopback.rs"),
    )
    .expect("copy the loopback tests");

    let out = xtask(root, &["regen"], &[]);
    assert!(out.status.success(), "regen failed: {}", String::from_utf8_lossy(&out.stderr));

    // A target directory of its own: the one running this test is locked by cargo.
    let target = workspace.join("target/hostile-corpus-check");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["test", "-p", "periskope-wapikit", "--test", "pass_loopback", "--message-format", "short"])
        .current_dir(root)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error")).collect();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the generated code of {accepted:?} does not compile, or a loopback test fails:\n{}\n{stdout}",
        errors.join("\n")
    );
    assert!(stdout.contains("test result: ok"), "{stdout}");
}
