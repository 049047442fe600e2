//! The real `xtask` binary on hostile and broken specs: every failing case of the generator's
//! corpus (`codegen/tests/cases/`) exits 2 with a message, never panics, and leaves every
//! generated file byte-identical; a write that fails half-way leaves each file old or new.
//! (The accepted cases are compiled in `nested_cargo/accepted_cases.rs`.)

mod common;

use std::path::{Path, PathBuf};

use common::{skip_entries, xtask_with_env as xtask};

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

#[test]
fn every_failing_corpus_case_exits_2_and_changes_nothing() {
    let failing: Vec<PathBuf> = common::case_dirs()
        .into_iter()
        .filter(|case| {
            let expected = std::fs::read_to_string(case.join("expected.txt")).expect("expected.txt");
            expected.starts_with("error:")
        })
        .collect();
    assert!(failing.len() >= 25, "the corpus has only {} failing cases", failing.len());
    // The first case is the third vendor beside the two real ones, whose files it must leave
    // as they are; the others are the only vendor of their workspace, which spares generating
    // the two APIs again for each. Each case has a scratch workspace of its own: they run on
    // every core at once.
    exits_2_and_changes_nothing(&failing[0], false);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let rest = &failing[1..];
    std::thread::scope(|scope| {
        for cases in rest.chunks(rest.len().div_ceil(threads)) {
            scope.spawn(move || cases.iter().for_each(|case| exits_2_and_changes_nothing(case, true)));
        }
    });
}

/// The case's documents as the `hostile` vendor of a scratch workspace (`alone`: its only
/// vendor): `regen` and `regen --check` exit 2 with a message and change no generated file.
fn exits_2_and_changes_nothing(case: &Path, alone: bool) {
    let dir = scratch();
    let root = dir.path();
    // The case's documents become the `hostile` vendor; its fixes, if any, its fixes.
    let mut toml = String::new();
    std::fs::create_dir_all(root.join("specs/hostile")).expect("create dir");
    for entry in std::fs::read_dir(case).expect("case") {
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
    toml.push_str(&skip_entries(case, "hostile"));
    // `strict.txt`: the case's vendor is strict, so its degradation is the error.
    if case.join("strict.txt").exists() {
        toml.push_str("\n[[vendor]]\nname = \"hostile\"\nstrict = true\n");
    }
    let sources = root.join("specs/sources.toml");
    let mut text = if alone { String::new() } else { std::fs::read_to_string(&sources).expect("sources.toml") };
    text.push_str(&toml);
    std::fs::write(&sources, text).expect("write sources.toml");

    let before = snapshot(root);
    let name = case.file_name().expect("name").to_string_lossy().into_owned();
    for args in [&["regen"][..], &["regen", "--check"][..]] {
        let out = xtask(root, args, &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name} {args:?}: {stderr}");
        assert!(stderr.contains("cannot generate the hostile client"), "{name}: {stderr}");
        assert!(!stderr.contains("panicked at") && !stderr.contains("RUST_BACKTRACE"), "{name}: {stderr}");
        assert!(snapshot(root) == before, "{name} {args:?}: a generated file changed");
    }
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
