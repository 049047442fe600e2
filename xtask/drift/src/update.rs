//! `--update`: vendor upstream's text, regenerate the client, summarise what the generated
//! code gained and lost.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

use xtask::{Layout, regen, write_atomic};

use crate::report::Report;

/// Writes each `(path, text)` atomically, runs the same regeneration as `cargo xtask regen`,
/// prints a summary of the generated-code diff, then bumps the client's version and adds a
/// changelog entry for the changes of `report` ([`crate::release`]).
///
/// Returns regen's exit code (regen reports fixes that no longer apply); nothing is released
/// when regeneration fails.
pub fn apply(layout: &Layout, updates: &[(PathBuf, String)], report: &Report) -> Result<ExitCode> {
    let before = generated_sources(layout)?;
    for (path, text) in updates {
        if write_atomic(path, text)? {
            println!("updated {}", layout.relative(path));
        }
    }
    println!("regenerating the client");
    let code = regen::run(layout, false, false).context(
        "the vendored specs were updated, but the client could not be regenerated; \
         fix the spec (or the fix that no longer applies) and run `cargo xtask regen`",
    )?;
    let after = generated_sources(layout)?;
    print!("{}", diff_summary(layout, &before, &after));
    if code == ExitCode::SUCCESS {
        crate::release::release(layout, report, &crate::accept::today()?)?;
    }
    Ok(code)
}

/// Every `.rs` file under `generated-client/src`, path → contents.
fn generated_sources(layout: &Layout) -> Result<BTreeMap<PathBuf, String>> {
    let mut out = BTreeMap::new();
    let mut pending = vec![layout.client_src()];
    while let Some(dir) = pending.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
            Err(err) => return Err(err).with_context(|| format!("cannot list {}", dir.display())),
        };
        for entry in entries {
            let path = entry.with_context(|| format!("cannot list {}", dir.display()))?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
                out.insert(path, text);
            }
        }
    }
    Ok(out)
}

/// One line per changed file with its added and removed lines, and a total.
fn diff_summary(layout: &Layout, before: &BTreeMap<PathBuf, String>, after: &BTreeMap<PathBuf, String>) -> String {
    let mut lines = Vec::new();
    let (mut added, mut removed) = (0, 0);
    let paths: std::collections::BTreeSet<&PathBuf> = before.keys().chain(after.keys()).collect();
    for path in paths {
        let (old, new) = (before.get(path).map_or("", String::as_str), after.get(path).map_or("", String::as_str));
        if old == new {
            continue;
        }
        let (mut plus, mut minus) = (0, 0);
        for change in similar::TextDiff::from_lines(old, new).iter_all_changes() {
            match change.tag() {
                similar::ChangeTag::Insert => plus += 1,
                similar::ChangeTag::Delete => minus += 1,
                similar::ChangeTag::Equal => {}
            }
        }
        added += plus;
        removed += minus;
        lines.push(format!("  {}: +{plus} -{minus}\n", layout.relative(path)));
    }
    if lines.is_empty() {
        return "generated code: unchanged\n".into();
    }
    let files = if lines.len() == 1 { "file" } else { "files" };
    format!(
        "generated code: {} {files} changed, +{added} -{removed} lines (review with `git diff generated-client`)\n{}",
        lines.len(),
        lines.concat()
    )
}
