//! `specs/accepted-drift.toml`: upstream changes the maintainers have seen and decided not to
//! take (a reworded description, a change the fixes already cover), so that the daily check
//! stays green without vendoring them.
//!
//! Each entry names one change by a stable fingerprint: its kind id, the file (or index URL)
//! it was found in, the operation, the JSON pointer, and a digest of the upstream value at
//! that pointer. A later upstream edit of the same place has another digest, so it is
//! reported again. An entry that matches nothing any more (upstream changed again, or the
//! change was vendored) is reported as `accepted-drift-stale`, so that no acknowledgement
//! outlives its change, as no fix outlives its bug.

use std::fmt::Write as _;
use std::hash::Hasher as _;
use std::path::Path;

use anyhow::{Context, Result, bail};
use codegen::openapi;
use serde::Deserialize;
use serde_json::Value;

use crate::compare::Change;
use crate::kinds::Kind;
use crate::report::{Entry, Report};

/// The file, relative to `specs/`.
pub const FILE: &str = "accepted-drift.toml";

/// How a change was acknowledged, as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Accepted {
    /// When (`YYYY-MM-DD`).
    pub date: String,
    /// Why the change is not taken.
    pub reason: String,
}

/// What names one change across runs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Fingerprint {
    /// The change kind's id (`description-changed`).
    pub id: String,
    /// The vendored file (`specs/...`) or the index URL the change was found in.
    pub file: String,
    /// The operation (`POST /members/invite`), when the change belongs to one.
    #[serde(default)]
    pub operation: Option<String>,
    /// Where the change is, as the report gives it.
    #[serde(default)]
    pub pointer: String,
    /// `fnv1a64:<hex>` of upstream's value at `pointer` (keys sorted), `absent` when upstream
    /// has nothing there; for index changes, of the report's message.
    pub upstream: String,
}

/// One acknowledged change.
#[derive(Debug, Clone, Deserialize)]
pub struct Acceptance {
    /// The change it acknowledges.
    #[serde(flatten)]
    pub fingerprint: Fingerprint,
    /// Why it is not taken.
    pub reason: String,
    /// When it was acknowledged (`YYYY-MM-DD`).
    pub date: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AcceptedFile {
    #[serde(default)]
    accepted: Vec<Acceptance>,
}

/// Reads the acknowledgements; a missing file is an empty list.
pub fn load(path: &Path) -> Result<Vec<Acceptance>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
    };
    let file: AcceptedFile = toml::from_str(&text).map_err(|err| {
        anyhow::anyhow!(
            "{}: {}; fix the entry, or delete it and run `cargo xtask drift --accept`",
            path.display(),
            err.to_string().trim_end()
        )
    })?;
    for entry in &file.accepted {
        if entry.reason.trim().is_empty() {
            bail!(
                "{}: the acknowledgement of `{}` at {} has no reason; say why the change is not taken",
                path.display(),
                entry.fingerprint.id,
                entry.fingerprint.pointer
            );
        }
    }
    Ok(file.accepted)
}

/// Writes the acknowledgements, replacing the file (comments in it are not kept: the reasons
/// belong in `reason`).
pub fn save(path: &Path, entries: &[Acceptance]) -> Result<()> {
    // A JSON string literal is a valid TOML basic string (the same escapes), so no TOML
    // writer is needed for a file of flat string tables.
    let quote = |text: &str| Value::String(text.to_string()).to_string();
    let mut text = String::from(
        "# Upstream changes seen by `cargo xtask drift` and deliberately not taken (see xtask/drift/DRIFT.md).\n\
         # Written by `cargo xtask drift --accept --reason TEXT`; an entry that no longer matches upstream is\n\
         # reported as `accepted-drift-stale` and should be deleted.\n",
    );
    for entry in entries {
        let print = &entry.fingerprint;
        let _ = write!(text, "\n[[accepted]]\nid = {}\nfile = {}\n", quote(&print.id), quote(&print.file));
        if let Some(operation) = &print.operation {
            let _ = writeln!(text, "operation = {}", quote(operation));
        }
        let _ = write!(
            text,
            "pointer = {}\nupstream = {}\nreason = {}\ndate = {}\n",
            quote(&print.pointer),
            quote(&print.upstream),
            quote(&entry.reason),
            quote(&entry.date)
        );
    }
    xtask::write_atomic(path, &text)?;
    Ok(())
}

/// The fingerprint of `change`, found in `file`; `upstream` is the document it was compared
/// with (`None` for index changes).
pub fn fingerprint(file: &str, change: &Change, upstream: Option<&Value>) -> Fingerprint {
    let upstream = match upstream {
        Some(doc) => value_at(doc, &change.pointer).map_or_else(|| "absent".to_string(), digest),
        None => digest(&Value::String(change.message.clone())),
    };
    Fingerprint {
        id: change.kind.id().to_string(),
        file: file.to_string(),
        operation: change.operation.clone(),
        pointer: change.pointer.clone(),
        upstream,
    }
}

/// The value at `pointer`, following `$ref`s on the way as the comparer does (its pointers
/// lead through references).
fn value_at<'v>(doc: &'v Value, pointer: &str) -> Option<&'v Value> {
    let mut current = doc;
    for token in openapi::tokens(pointer) {
        current = openapi::resolve(doc, current).ok()?;
        current = match current {
            Value::Object(map) => map.get(&token)?,
            Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    openapi::resolve(doc, current).ok()
}

/// FNV-1a (64 bits) of the value as compact JSON with keys sorted: stable across runs,
/// platforms and key order.
fn digest(value: &Value) -> String {
    fn sorted(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                Value::Object(keys.into_iter().map(|key| (key.clone(), sorted(&map[key]))).collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(sorted(value).to_string().as_bytes());
    format!("fnv1a64:{:016x}", hasher.finish())
}

/// The fingerprint of every change of every entry; `upstream` holds, per entry, the document
/// its changes were found against (`None` for indexes and entries that could not be checked).
pub fn fingerprints(report: &Report, upstream: &[Option<Value>]) -> Vec<Vec<Fingerprint>> {
    report
        .entries
        .iter()
        .zip(upstream)
        .map(|(entry, doc)| {
            let file = entry.file.as_deref().unwrap_or(&entry.url);
            entry.changes.iter().map(|change| fingerprint(file, change, doc.as_ref())).collect()
        })
        .collect()
}

/// Marks every change an acknowledgement matches as accepted, and reports each acknowledgement
/// that matches nothing as `accepted-drift-stale` (in an entry of its own, after the others).
/// An acknowledgement of a file that could not be checked is neither. Returns, per
/// acknowledgement, whether it matched.
pub fn mark(report: &mut Report, fingerprints: &[Vec<Fingerprint>], acceptances: &[Acceptance]) -> Vec<bool> {
    let mut matched = vec![false; acceptances.len()];
    for (entry, prints) in report.entries.iter_mut().zip(fingerprints) {
        for (change, print) in entry.changes.iter_mut().zip(prints) {
            if let Some(i) = acceptances.iter().position(|a| &a.fingerprint == print) {
                matched[i] = true;
                change.accepted =
                    Some(Accepted { date: acceptances[i].date.clone(), reason: acceptances[i].reason.clone() });
            }
        }
    }
    let unchecked =
        |file: &str| report.entries.iter().any(|e| e.error.is_some() && e.file.as_deref().unwrap_or(&e.url) == file);
    let stale: Vec<Change> = acceptances
        .iter()
        .zip(&matched)
        .filter(|(a, matched)| !**matched && !unchecked(&a.fingerprint.file))
        .map(|(a, _)| {
            let print = &a.fingerprint;
            Change {
                kind: Kind::AcceptedDriftStale,
                operation: print.operation.clone(),
                pointer: print.pointer.clone(),
                message: format!(
                    "the acknowledgement of `{}` in {} ({}, \"{}\") matches no change any more; delete it",
                    print.id, print.file, a.date, a.reason
                ),
                accepted: None,
            }
        })
        .collect();
    if !stale.is_empty() {
        report.entries.push(Entry {
            vendor: String::new(),
            kind: "accepted-drift",
            file: Some(format!("specs/{FILE}")),
            url: String::new(),
            error: None,
            changes: stale,
        });
    }
    matched
}

/// `--accept`: acknowledges every change that is not yet, keeps the acknowledgements that still
/// match, drops the stale ones, and writes the file. Returns how many were added and dropped.
pub fn record(
    path: &Path,
    report: &Report,
    fingerprints: &[Vec<Fingerprint>],
    acceptances: &[Acceptance],
    matched: &[bool],
    reason: &str,
) -> Result<(usize, usize)> {
    let date = today()?;
    let mut kept: Vec<Acceptance> =
        acceptances.iter().zip(matched).filter(|(_, matched)| **matched).map(|(a, _)| a.clone()).collect();
    let dropped = acceptances.len() - kept.len();
    let before = kept.len();
    for (entry, prints) in report.entries.iter().zip(fingerprints) {
        for (change, print) in entry.changes.iter().zip(prints) {
            if change.accepted.is_none() && !kept.iter().any(|a| &a.fingerprint == print) {
                kept.push(Acceptance { fingerprint: print.clone(), reason: reason.to_string(), date: date.clone() });
            }
        }
    }
    let added = kept.len() - before;
    if added > 0 || dropped > 0 {
        save(path, &kept)?;
    }
    Ok((added, dropped))
}

/// Today's date (UTC), or the date of `SOURCE_DATE_EPOCH` when it is set (reproducible runs
/// and tests).
pub fn today() -> Result<String> {
    let now = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(secs) => {
            let secs: i64 = secs.trim().parse().with_context(|| format!("SOURCE_DATE_EPOCH={secs} is not a number"))?;
            chrono::DateTime::from_timestamp(secs, 0)
                .with_context(|| format!("SOURCE_DATE_EPOCH={secs} is out of range"))?
        }
        Err(_) => chrono::Utc::now(),
    };
    Ok(now.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_are_found_through_references_and_digests_ignore_key_order() {
        let doc = json!({
            "paths": { "/a": { "get": { "responses": { "200": { "$ref": "#/components/responses/Ok" } } } } },
            "components": { "responses": { "Ok": { "description": "fine", "x": { "b": 1, "a": 2 } } } },
        });
        let at = value_at(&doc, "/paths/~1a/get/responses/200/description");
        assert_eq!(at, Some(&json!("fine")));
        assert_eq!(value_at(&doc, "/paths/~1a/get/responses/404"), None);
        assert_eq!(digest(&json!({ "a": 2, "b": 1 })), digest(&json!({ "b": 1, "a": 2 })));
        assert_ne!(digest(&json!("fine")), digest(&json!("fine!")));
    }
}
