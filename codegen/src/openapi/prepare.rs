//! From a vendor's files to the one document every tool works on: parse each document, merge
//! them, apply the vendor's fixes, validate.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Library, inline_external, is_method, parse, tokens};
use crate::timings::Stopwatch;
use crate::{Degradation, Error, SpecFile, Vendor, spec};

/// A vendor's documents merged into one, and the file each item came from.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The merged document.
    pub value: Value,
    /// Keyed by operation (`"POST /members/invite"`), component (`"#/components/schemas/Member"`),
    /// path-level key or top-level key.
    pub origins: BTreeMap<String, String>,
    /// The first document, which stands for items no document owns alone.
    pub first_file: String,
    /// The vendor's module name (`periskope`), for messages.
    pub vendor: String,
    /// Names the passes changed so that they make distinct Rust identifiers: the name in the
    /// document → the name on the wire, which the generated code's strings get back.
    pub renamed: BTreeMap<String, String>,
    /// What the steps so far degraded instead of refusing (see [`crate::Degradation`]).
    pub degradations: Vec<Degradation>,
}

impl Merged {
    /// The file that defines the item at `pointer` (a JSON pointer into the merged document).
    pub fn file_of(&self, pointer: &str) -> &str {
        let key = match tokens(pointer).as_slice() {
            [paths, path, method, ..] if paths == "paths" && is_method(method) => {
                format!("{} {path}", method.to_uppercase())
            }
            [components, section, name, ..] if components == "components" => {
                super::child(&format!("#/components/{section}"), name)
            }
            _ => String::new(),
        };
        self.origins.get(&key).map_or(self.first_file.as_str(), String::as_str)
    }
}

/// A vendor's documents, ready for the passes: merged, fixed and validated.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The merged document after the fixes, validated.
    pub document: Merged,
    /// The merged document before the fixes, when there are fixes (lint compares the two).
    pristine: Option<Value>,
    /// The vendor's document paths, sorted, joined with `, ` (for messages and headers).
    pub files: String,
    /// One line per fix applied, for the maintainer to read.
    pub notes: Vec<String>,
}

impl Prepared {
    /// The merged document as upstream published it, before the fixes.
    pub fn pristine(&self) -> &Value {
        self.pristine.as_ref().unwrap_or(&self.document.value)
    }
}

/// Parses, merges, fixes and validates a vendor's documents; every tool starts here.
///
/// The result does not depend on the order the documents are listed in.
pub fn prepare(vendor: Vendor<'_>) -> Result<Prepared, Error> {
    prepare_timed(vendor, &mut Stopwatch::start())
}

/// [`prepare`], timing each step on `watch`.
pub(crate) fn prepare_timed(vendor: Vendor<'_>, watch: &mut Stopwatch) -> Result<Prepared, Error> {
    if vendor.documents.is_empty() {
        return Err(Error::NoDocuments(vendor.name.to_string()));
    }
    let mut sorted: Vec<&SpecFile> = vendor.documents.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut docs = sorted.iter().map(|file| parse(file)).collect::<Result<Vec<_>, _>>()?;
    let mut library = Library::new(vendor.referenced);
    let mut notes = Vec::new();
    for doc in &mut docs {
        notes.extend(inline_external(&mut doc.value, &doc.file.path, &mut library)?);
    }
    watch.lap("load");
    let mut document = spec::merge::merge(&docs)?;
    document.vendor = vendor.name.to_string();
    document.degradations = docs.iter_mut().flat_map(|doc| std::mem::take(&mut doc.degradations)).collect();
    watch.lap("merge");
    let pristine = match vendor.fixes {
        Some(fixes) => {
            let pristine = document.value.clone();
            notes.extend(spec::fixes::apply(&mut document.value, fixes)?);
            Some(pristine)
        }
        None => None,
    };
    notes.extend(spec::skip::apply(&mut document, vendor.name, vendor.skip)?);
    watch.lap("fixes");
    spec::validate::validate(&document)?;
    watch.lap("validate");
    let files = sorted.iter().map(|file| file.path.as_str()).collect::<Vec<_>>().join(", ");
    Ok(Prepared { document, pristine, files, notes })
}
