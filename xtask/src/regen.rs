//! `cargo xtask regen [--check]`: the vendored specs → `generated-client/src/<vendor>/generated.rs`
//! and the example contract tests, and the operation table of `README.md` ([`crate::readme`]).
//! `cargo xtask drift --update` regenerates through the same code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::Layout;
use crate::write::{normalize_newlines, write_atomic};

/// The command named in generated headers and in stale-check messages.
pub const COMMAND: &str = "cargo xtask regen";

/// Where `regen --check` keeps the fingerprint that lets an unchanged check answer at once;
/// removing the file makes the next check generate everything.
pub fn check_stamp(layout: &Layout) -> PathBuf {
    stamp::stamp_path(layout)
}

/// Regenerates every generated file, or with `check` only compares; with `strict`, every
/// vendor is strict (a degradation is an error), whatever `specs/sources.toml` says.
///
/// Everything is generated in memory first, so an error in any spec leaves every file as it
/// was. Returns exit code 1 when `check` finds a difference.
pub fn run(layout: &Layout, check: bool, strict: bool) -> Result<ExitCode> {
    if check && !strict && stamp::unchanged_since_last_check(layout) {
        println!(
            "generated code is up to date (specs, fixes, generated files and generator unchanged since the last check)"
        );
        return Ok(ExitCode::SUCCESS);
    }
    let expected = generate_all(layout, strict)?;
    let existing = existing_generated_files(layout)?;

    let mut stale = Vec::new();
    for (path, contents) in &expected {
        let current = std::fs::read_to_string(path).ok();
        if current.as_deref().map(normalize_newlines) != Some(normalize_newlines(contents)) {
            stale.push(path.clone());
            if check {
                print_diff(layout, path, current.as_deref().unwrap_or(""), contents);
            }
        }
    }
    let orphans: Vec<&PathBuf> = existing.iter().filter(|path| !expected.contains_key(*path)).collect();

    if check {
        for orphan in &orphans {
            println!("{} is generated but no spec produces it any more", layout.relative(orphan));
        }
        if stale.is_empty() && orphans.is_empty() {
            stamp::record(layout);
            println!("generated code is up to date");
            return Ok(ExitCode::SUCCESS);
        }
        println!("generated code is stale: run `{COMMAND}` and commit the result");
        return Ok(ExitCode::from(1));
    }

    for path in &stale {
        write_atomic(path, &expected[path])?;
        println!("updated {}", layout.relative(path));
    }
    for orphan in orphans {
        std::fs::remove_file(orphan).with_context(|| format!("cannot remove {}", orphan.display()))?;
        println!("removed {} (no spec produces it any more)", layout.relative(orphan));
    }
    if stale.is_empty() {
        println!("generated code is up to date");
    }
    stamp::record(layout);
    Ok(ExitCode::SUCCESS)
}

/// Generates every vendor's files in memory (the vendors in parallel): output path → contents.
fn generate_all(layout: &Layout, strict: bool) -> Result<BTreeMap<PathBuf, String>> {
    let mut vendors = layout.read_vendors()?;
    for vendor in &mut vendors {
        vendor.strict |= strict;
    }
    let results: Vec<std::thread::Result<Result<codegen::Generated, codegen::Error>>> = std::thread::scope(|scope| {
        let handles: Vec<_> =
            vendors.iter().map(|vendor| scope.spawn(move || codegen::generate(vendor.input(), COMMAND))).collect();
        handles.into_iter().map(|handle| handle.join()).collect()
    });
    let mut out = BTreeMap::new();
    let mut operations = Vec::new();
    for (vendor, result) in vendors.iter().zip(results) {
        let name = &vendor.name;
        let result = result.map_err(|payload| {
            // The generator catches progenitor's panics per operation; one that escapes is a
            // bug in the generator itself, whatever the spec says.
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".into());
            anyhow::anyhow!(
                "the generator panicked while generating the {name} client ({what}); this is a bug in codegen, \
                 not in the spec: report it with the specs of {name}\nNo file was written."
            )
        })?;
        let generated = result.map_err(|err| {
            anyhow::anyhow!(
                "cannot generate the {name} client: {err}\nNo file was written; fix the spec and run `{COMMAND}` again."
            )
        })?;
        for note in &generated.notes {
            println!("{name}: {note}");
        }
        operations.extend(crate::readme::rows(name, &generated.methods));
        out.insert(layout.generated_source(name), generated.source);
        out.insert(layout.generated_tests(name), generated.tests);
        out.insert(layout.generated_mock_calls(name), generated.mock_calls);
        out.insert(layout.generated_mock_document(name), generated.mock_document);
        out.insert(layout.generated_operations(name), generated.operations);
    }
    // The README's operation table, where there is a README (scratch copies may have none).
    let readme = layout.readme();
    if let Ok(text) = std::fs::read_to_string(&readme) {
        let table = crate::readme::table(&operations);
        out.insert(readme.clone(), crate::readme::with_table(&layout.relative(&readme), &text, &table)?);
    }
    Ok(out)
}

/// A fingerprint of everything a check depends on, so that `regen --check` with nothing
/// changed (the common case in a pre-commit hook) answers without generating.
mod stamp {
    use std::hash::{DefaultHasher, Hash, Hasher};
    use std::path::{Path, PathBuf};

    use crate::Layout;

    /// Where the fingerprint of the last successful check is kept.
    pub(super) fn stamp_path(layout: &Layout) -> PathBuf {
        layout.state_dir().join("regen-check.stamp")
    }

    /// The specs, the fixes, `sources.toml`, every generated file and the generator binary
    /// itself (its size and modification time), hashed; `None` when anything cannot be read.
    fn fingerprint(layout: &Layout) -> Option<String> {
        let mut hasher = DefaultHasher::new();
        let mut files: Vec<PathBuf> = Vec::new();
        for dir in [layout.specs(), layout.client_src(), layout.generated_tests_dir()] {
            collect(&dir, &mut files);
        }
        if layout.readme().is_file() {
            files.push(layout.readme());
        }
        files.retain(|path| {
            let name = path.to_string_lossy();
            name.ends_with(".yaml")
                || name.ends_with(".yml")
                || name.ends_with(".json")
                || name.ends_with(".toml")
                || name.ends_with("generated.rs")
                || name.contains("tests/generated/")
                || *path == layout.readme()
        });
        files.sort();
        for path in &files {
            path.hash(&mut hasher);
            std::fs::read(path).ok()?.hash(&mut hasher);
        }
        let exe = std::env::current_exe().ok()?;
        let meta = std::fs::metadata(&exe).ok()?;
        (exe, meta.len(), meta.modified().ok()?).hash(&mut hasher);
        Some(format!("{:016x}", hasher.finish()))
    }

    fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                collect(&path, out);
            } else {
                out.push(path);
            }
        }
    }

    /// Whether the last successful check or regeneration saw exactly what is there now.
    pub(super) fn unchanged_since_last_check(layout: &Layout) -> bool {
        match (fingerprint(layout), std::fs::read_to_string(stamp_path(layout))) {
            (Some(now), Ok(last)) => now == last.trim(),
            _ => false,
        }
    }

    /// Records the current state as checked. A stamp that cannot be written only costs the
    /// next check its shortcut, so failures are ignored.
    pub(super) fn record(layout: &Layout) {
        if let Some(now) = fingerprint(layout) {
            let path = stamp_path(layout);
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = crate::write_atomic(&path, &format!("{now}\n"));
        }
    }
}

/// Every generated file on disk: `generated-client/src/<dir>/generated.rs` and
/// `generated-client/tests/generated/*.{rs,json}`.
fn existing_generated_files(layout: &Layout) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in list_dir(&layout.client_src())? {
        let candidate = entry.join("generated.rs");
        if candidate.is_file() {
            out.push(candidate);
        }
    }
    for entry in list_dir(&layout.generated_tests_dir())? {
        if entry.extension().is_some_and(|ext| ext == "rs" || ext == "json") && entry.is_file() {
            out.push(entry);
        }
    }
    out.sort();
    Ok(out)
}

fn list_dir(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err).with_context(|| format!("cannot list {}", dir.display())),
    };
    entries.map(|entry| entry.map(|e| e.path()).with_context(|| format!("cannot list {}", dir.display()))).collect()
}

fn print_diff(layout: &Layout, path: &Path, old: &str, new: &str) {
    let name = layout.relative(path);
    let old = normalize_newlines(old);
    let new = normalize_newlines(new);
    let diff = similar::TextDiff::from_lines(&old, &new);
    print!("{}", diff.unified_diff().context_radius(3).header(&format!("a/{name}"), &format!("b/{name}")));
}
