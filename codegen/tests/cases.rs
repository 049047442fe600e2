//! Golden tests: each folder under `tests/cases/` holds the documents of one vendor and
//! `expected.txt`, the generator's error message or `ok` followed by its notes; a case that
//! shows what a pass does to the code also holds `expected.rs`, the whole generated source,
//! and a case with `[[skip]]` entries holds them in `skip.txt` (`METHOD /path: reason` a line);
//! a case with a `strict.txt` is generated as a strict vendor (a degradation is an error).
//!
//! A case that differs is shown as a unified diff from the expected file to what the
//! generator gives now. `tests/cases/README.md` says how to add a case and how to bless an
//! intended change (`UPDATE_EXPECT=1 cargo test -p codegen --test cases`).

use std::path::Path;

/// The notes or error, and the generated source when there is one.
fn run_case(dir: &Path) -> (String, Option<String>) {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("case folder is readable")
        .map(|entry| entry.expect("case entry is readable").path())
        .filter(|path| matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
        .collect();
    paths.sort();
    let spec_file = |path: &Path| codegen::SpecFile {
        path: path.file_name().expect("file name").to_string_lossy().into_owned(),
        text: std::fs::read_to_string(path).expect("case document is readable"),
    };
    let (fixes, documents): (Vec<_>, Vec<_>) =
        paths.iter().partition(|path| path.to_string_lossy().ends_with(".overlay.yaml"));
    let fixes = fixes.first().map(|path| spec_file(path));
    let files: Vec<codegen::SpecFile> = documents.iter().map(|path| spec_file(path)).collect();
    // `skip.txt`: the case's `[[skip]]` entries, one `METHOD /path: reason` a line.
    let skip: Vec<codegen::Skip> = std::fs::read_to_string(dir.join("skip.txt"))
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.split_once(": "))
        .map(|(operation, reason)| codegen::Skip { operation: operation.into(), reason: reason.into() })
        .collect();
    let referenced = referenced_files(dir, &files);
    let vendor = codegen::Vendor {
        name: "case",
        documents: &files,
        referenced: &referenced,
        fixes: fixes.as_ref(),
        skip: &skip,
        // `strict.txt`: the case's vendor is strict, so a degradation is its error.
        strict: dir.join("strict.txt").exists(),
    };
    match codegen::generate(vendor, "cargo test") {
        Ok(generated) => {
            syn::parse_file(&generated.source).expect("generated source parses");
            let mut out = String::from("ok\n");
            for note in generated.notes {
                out.push_str(&note);
                out.push('\n');
            }
            (out, Some(generated.source))
        }
        Err(err) => (format!("error: {err}\n"), None),
    }
}

/// The files `documents` refer to, read from the case folder as the xtask reads them from
/// `specs/` (a file that is not there is left for the generator to report).
fn referenced_files(dir: &Path, documents: &[codegen::SpecFile]) -> Vec<codegen::SpecFile> {
    codegen::openapi::read_referenced(documents, |path| {
        Ok::<_, codegen::Error>(std::fs::read_to_string(dir.join(path)).ok())
    })
    .unwrap_or_default()
}

/// The change from the expected file to the actual output, as `diff -u` prints it.
fn unified_diff(expected_path: &Path, expected: &str, actual: &str) -> String {
    let name = expected_path.display().to_string();
    let diff = similar::TextDiff::from_lines(expected, actual);
    diff.unified_diff().context_radius(3).header(&format!("{name} (expected)"), &format!("{name} (actual)")).to_string()
}

#[test]
fn golden_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("tests/cases exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut failures = Vec::new();
    for dir in &dirs {
        let (actual, source) = run_case(dir);
        let source_path = dir.join("expected.rs");
        let mut checks = vec![(dir.join("expected.txt"), actual)];
        if source_path.exists() {
            checks.push((source_path, source.unwrap_or_default()));
        }
        for (expected_path, actual) in checks {
            if update {
                std::fs::write(&expected_path, &actual).expect("the expected file is writable");
                continue;
            }
            let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
            if expected != actual {
                failures.push(unified_diff(&expected_path, &expected, &actual));
            }
        }
    }
    assert!(dirs.len() >= 15, "the corpus lost cases: {}", dirs.len());
    assert!(
        failures.is_empty(),
        "{} expected file(s) differ; if the change is intended, bless it with \
         `UPDATE_EXPECT=1 cargo test -p codegen --test cases` and review the diff:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The failure message is a diff a reviewer can read: the changed line as `-`/`+`, with its
/// neighbours as context, under headers naming the expected file.
#[test]
fn a_differing_case_is_shown_as_a_unified_diff() {
    let diff = unified_diff(Path::new("cases/x/expected.txt"), "ok\nnote one\nnote two\n", "ok\nnote one\nnote 2\n");
    assert!(diff.starts_with("--- cases/x/expected.txt (expected)\n+++ cases/x/expected.txt (actual)\n"), "{diff}");
    assert!(diff.contains("\n-note two\n+note 2\n"), "{diff}");
    assert!(diff.contains("\n ok\n note one\n"), "{diff}");
}
