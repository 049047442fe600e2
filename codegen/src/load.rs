//! Loading a vendor: from its files to the one document every tool works on. Parse each
//! document (`openapi::parse`), make it self-contained (`openapi::inline_external`), merge them
//! (`spec::merge`), apply the vendor's fixes (`spec::fixes`), leave out its `[[skip]]`
//! operations (`spec::skip`), validate (`spec::validate`). The model (`openapi`) knows none of
//! these passes; this stage runs them in order.

use serde_json::Value;

use crate::openapi::{Library, Merged, inline_external, parse};
use crate::timings::Stopwatch;
use crate::{Error, SpecFile, Vendor, spec};

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
    spec::validate::degrade_dangling_references(&mut document);
    spec::validate::validate(&document)?;
    watch.lap("validate");
    let files = sorted.iter().map(|file| file.path.as_str()).collect::<Vec<_>>().join(", ");
    Ok(Prepared { document, pristine, files, notes })
}
