//! The real `xtask` binary on hostile and broken specs: every failing case of the generator's
//! corpus (`codegen/tests/cases/`) exits 2 with a message, never panics, and leaves every
//! generated file byte-identical; a write that fails half-way leaves each file old or new.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{copy_dir, workspace_root, xtask_with_env as xtask};

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

/// A copy of the client crate (and `specs/`) in a temporary folder, to which vendor modules
/// are added from documents of our choosing and compiled with `cargo` like the real ones.
struct ClientCopy {
    dir: tempfile::TempDir,
    lib: String,
    sources: String,
    template: String,
    modules: Vec<String>,
    loopback_tests: Vec<String>,
}

impl ClientCopy {
    fn new() -> Self {
        let workspace = workspace_root();
        let dir = common::client_workspace(&["generated-client"]);
        let root = dir.path();
        ClientCopy {
            template: std::fs::read_to_string(workspace.join("generated-client/src/wapikit/mod.rs")).expect("mod.rs"),
            lib: std::fs::read_to_string(root.join("generated-client/src/lib.rs")).expect("lib.rs"),
            sources: std::fs::read_to_string(root.join("specs/sources.toml")).expect("sources.toml"),
            dir,
            modules: Vec::new(),
            loopback_tests: Vec::new(),
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Adds the vendor `module` generated from `documents` (and an overlay of fixes, when one
    /// is among them), with `loopback`, if given, as its integration test.
    fn add_vendor(&mut self, module: &str, documents: &[PathBuf], loopback: Option<&Path>) {
        let root = self.dir.path().to_path_buf();
        std::fs::create_dir_all(root.join("specs").join(module)).expect("create dir");
        for path in documents {
            let name = path.file_name().expect("name").to_string_lossy().into_owned();
            if name.ends_with(".overlay.yaml") {
                std::fs::copy(path, root.join(format!("specs/fixes/{module}.overlay.yaml"))).expect("copy fixes");
            } else {
                std::fs::copy(path, root.join("specs").join(module).join(&name)).expect("copy document");
                self.sources.push_str(&format!(
                    "\n[[source]]\nvendor = \"{module}\"\nfile = \"{module}/{name}\"\nkind = \"docs-page\"\nurl = \"https://example.com/{name}\"\n"
                ));
            }
        }
        let vendor_mod = self
            .template
            .replace("WAPIKIT", &module.to_uppercase())
            .replace("Wapikit", module)
            .replace("wapikit", module);
        std::fs::create_dir_all(root.join("generated-client/src").join(module)).expect("create dir");
        std::fs::write(root.join("generated-client/src").join(module).join("mod.rs"), vendor_mod)
            .expect("write mod.rs");
        self.lib.push_str(&format!("\n#[allow(missing_docs)]\npub mod {module};\n"));
        if let Some(test) = loopback {
            self.add_test(module, test);
        }
        self.modules.push(module.to_string());
    }

    /// Adds `path` as the integration test `name` of the copy.
    fn add_test(&mut self, name: &str, path: &Path) {
        std::fs::copy(path, self.root().join("generated-client/tests").join(format!("{name}.rs"))).expect("copy test");
        self.loopback_tests.push(name.to_string());
    }

    /// Runs `cargo xtask regen` on the copy; returns what it printed (the notes).
    fn regen(&self) -> String {
        std::fs::write(self.root().join("specs/sources.toml"), &self.sources).expect("write sources.toml");
        std::fs::write(self.root().join("generated-client/src/lib.rs"), &self.lib).expect("write lib.rs");
        let out = xtask(self.root(), &["regen"], &[]);
        assert!(out.status.success(), "regen failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Compiles the copy's library, and builds and runs the loopback tests added with the vendors.
    fn compile_and_test(&self) {
        // A target directory of its own: the one running this test is locked by cargo.
        let target = workspace_root().join("target/hostile-corpus-check");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut args = vec!["check", "--lib"];
        if !self.loopback_tests.is_empty() {
            args = vec!["test"];
            for test in &self.loopback_tests {
                args.extend(["--test", test.as_str()]);
            }
        }
        let out = Command::new(cargo)
            .args(args)
            .args(["-p", "periskope-wapikit", "--message-format", "short"])
            .current_dir(self.root())
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .expect("cargo runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error")).collect();
        assert!(
            out.status.success(),
            "the generated code of {:?} does not compile or its loopback tests fail:\n{}\n{stdout}",
            self.modules,
            errors.join("\n")
        );
        let passed = stdout.matches("test result: ok").count();
        assert_eq!(passed, self.loopback_tests.len(), "not every loopback test ran: {stdout}");
    }
}

/// Every corpus case the generator accepts becomes a vendor module of a copy of the client
/// crate, and the copy must compile: hostile names, keywords, recursive schemas and merged
/// error bodies all produce valid Rust. A case's `loopback.rs`, when it has one, is that
/// vendor's integration test and must pass: it calls the generated client on a loopback server.
/// The copy also runs `fixtures/pass_loopback.rs`, where the response passes' cases answer
/// over loopback through their generated clients.
#[test]
fn every_accepted_corpus_case_compiles_and_answers_over_loopback() {
    let mut copy = ClientCopy::new();
    let cases = workspace_root().join("codegen/tests/cases");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&cases).expect("corpus").map(|e| e.expect("entry").path()).collect();
    dirs.sort();
    for case in dirs {
        let expected = std::fs::read_to_string(case.join("expected.txt")).expect("expected.txt");
        if !expected.starts_with("ok") {
            continue;
        }
        let mut documents: Vec<PathBuf> = std::fs::read_dir(&case)
            .expect("case")
            .map(|entry| entry.expect("entry").path())
            .filter(|path| matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "json")))
            .collect();
        documents.sort();
        let loopback = case.join("loopback.rs");
        let module = module_name(&case);
        copy.add_vendor(&module, &documents, loopback.exists().then_some(loopback.as_path()));
        copy.sources.push_str(&skip_entries(&case, &module));
        // Files the documents refer to (`$ref: shared/Member.json`), in the case's subfolders.
        for entry in std::fs::read_dir(&case).expect("case") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                copy_dir(&path, &copy.root().join("specs").join(&module).join(path.file_name().expect("name")));
            }
        }
    }
    assert!(copy.modules.len() >= 8, "only {} accepted cases: {:?}", copy.modules.len(), copy.modules);
    assert!(!copy.loopback_tests.is_empty(), "no case has a loopback test");
    copy.add_test("pass_loopback", &workspace_root().join("xtask/tests/fixtures/pass_loopback.rs"));
    copy.regen();
    copy.compile_and_test();
}

/// Wapikit's whole published document (read from the shared reference folder beside the
/// checkout, never copied into the repository) generates with every operation, multipart
/// uploads included, and compiles inside the client crate.
#[test]
fn wapikit_upstream_document_generates_every_operation_and_compiles() {
    let upstream = workspace_root().join("../shared/reference/wapikit/upstream-spec.openapi.yaml");
    assert!(
        upstream.exists(),
        "{} is missing: CI places the shared reference folder beside the checkout",
        upstream.display()
    );
    let text = std::fs::read_to_string(&upstream).expect("read the upstream document");
    let operations = text.lines().filter(|line| line.trim_start().starts_with("operationId:")).count();
    assert_eq!(operations, 85, "the upstream document changed: update this test");

    let mut copy = ClientCopy::new();
    copy.add_vendor("upstream_wapikit", &[upstream], None);
    let notes = copy.regen();
    assert!(notes.contains("multipart/form-data is sent by `bulk_import_contacts_multipart`"), "{notes}");
    let generated = std::fs::read_to_string(copy.root().join("generated-client/src/upstream_wapikit/generated.rs"))
        .expect("generated.rs");
    let mut ids: Vec<&str> = generated
        .match_indices("operation_id: \"")
        .map(|(at, m)| {
            let rest = &generated[at + m.len()..];
            &rest[..rest.find('"').unwrap_or(0)]
        })
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), operations, "operations left out: {ids:?}");
    for method in ["fn bulk_import_contacts(", "fn bulk_import_contacts_multipart(", "fn upload_file_in_conversation("]
    {
        assert!(generated.contains(method), "no `{method}`");
    }
    copy.compile_and_test();
}
