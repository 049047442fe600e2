//! References to other files (`$ref: ../models/Member.json`, `common.yaml#/components/schemas/Error`):
//! the generator reads no files, so whoever reads the documents asks [`referenced_files`] which
//! files a document needs (paths relative to the referring document, resolved), reads them,
//! and passes them as [`Vendor::referenced`](crate::Vendor::referenced). [`inline_external`]
//! then makes each document self-contained: a referenced schema becomes a component of its
//! own (named after the fragment's last token or the file's stem), anything else (a
//! parameter, a response, a path item) is copied where the reference was.
//!
//! Before, `specs/api/openapi.yaml` and `specs/models/Member.json`:
//!
//! ```yaml
//! paths: {/members: {get: {responses: {"200": {content: {application/json: {schema:
//!   {$ref: "../models/Member.json"}}}}}}}}
//! ```
//!
//! After:
//!
//! ```yaml
//! paths: {/members: {get: {responses: {"200": {content: {application/json: {schema:
//!   {$ref: "#/components/schemas/Member"}}}}}}}}
//! components: {schemas: {Member: {..the content of Member.json..}}}
//! ```

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::walk::{Kind, is_walked, kind_of};
use super::{child, escape, read_value, tokens};
use crate::{Error, SpecFile};

/// A reference to another file, found in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReference {
    /// The referenced file's path, resolved against the referring document's folder
    /// (`specs/api/../models/Member.json` → `specs/models/Member.json`).
    pub path: String,
    /// Where the reference is: the referring file and the JSON pointer of the `$ref`.
    pub at: String,
}

/// The files `file` refers to (URLs are not files: they are left to the reference check).
pub fn referenced_files(file: &SpecFile) -> Result<Vec<FileReference>, Error> {
    let value = read_value(file)?;
    let mut out = Vec::new();
    for (pointer, reference) in references(&value) {
        if let Some(target) = file_part(&reference) {
            out.push(FileReference { path: resolve_path(&file.path, target), at: format!("{}#{pointer}", file.path) });
        }
    }
    Ok(out)
}

/// Every file `documents` need, directly or through other referenced files, each read once
/// with `read` (a resolved path → the file's text, or `None` when there is none), sorted by
/// path. A file that is missing or does not parse is left for the generator to report, at
/// the reference or at its own line and column.
pub fn read_referenced<E>(
    documents: &[SpecFile],
    mut read: impl FnMut(&str) -> Result<Option<String>, E>,
) -> Result<Vec<SpecFile>, E> {
    let mut files: Vec<SpecFile> = Vec::new();
    let mut pending: Vec<FileReference> =
        documents.iter().flat_map(|document| referenced_files(document).unwrap_or_default()).collect();
    let mut tried: Vec<String> = documents.iter().map(|document| document.path.clone()).collect();
    while let Some(reference) = pending.pop() {
        if tried.contains(&reference.path) {
            continue;
        }
        tried.push(reference.path.clone());
        if let Some(text) = read(&reference.path)? {
            let file = SpecFile { path: reference.path, text };
            pending.extend(referenced_files(&file).unwrap_or_default());
            files.push(file);
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Every `$ref` of `value` with its JSON pointer, in document order (examples skipped).
fn references(value: &Value) -> Vec<(String, String)> {
    fn walk(node: &Value, pointer: String, out: &mut Vec<(String, String)>) {
        match node {
            Value::Object(object) => {
                if let Some(Value::String(reference)) = object.get("$ref") {
                    out.push((pointer.clone(), reference.clone()));
                }
                for (key, value) in object.iter().filter(|(key, _)| is_walked(key)) {
                    walk(value, child(&pointer, key), out);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    walk(item, format!("{pointer}/{index}"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), &mut out);
    out
}

/// The file part of a reference to another file (`../models/X.json` of
/// `../models/X.json#/Y`); `None` for local references and URLs.
fn file_part(reference: &str) -> Option<&str> {
    let file = reference.split('#').next().unwrap_or_default();
    (!file.is_empty() && !file.contains("://")).then_some(file)
}

/// `target` relative to the folder of `from`, with `.` and `..` resolved.
fn resolve_path(from: &str, target: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in target.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                if parts.last().is_some_and(|last| *last != "..") && !parts.is_empty() {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

/// The files a vendor's documents may refer to, parsed once each.
pub(crate) struct Library<'a> {
    files: &'a [SpecFile],
    parsed: BTreeMap<String, Value>,
}

impl<'a> Library<'a> {
    pub(crate) fn new(files: &'a [SpecFile]) -> Self {
        Library { files, parsed: BTreeMap::new() }
    }

    /// The value at `fragment` of the file at `path`; `at` names the reference for errors.
    fn get(&mut self, path: &str, fragment: &str, at: &Located) -> Result<Value, Error> {
        if !self.parsed.contains_key(path) {
            let Some(file) = self.files.iter().find(|file| file.path == path) else {
                return Err(at.error(format!(
                    "`$ref: {}` points to the file {path}, which was not found next to the referring document; add \
                     the file or fix the reference",
                    at.reference
                )));
            };
            self.parsed.insert(path.to_string(), read_value(file)?);
        }
        let document = &self.parsed[path];
        document
            .pointer(fragment)
            .cloned()
            .ok_or_else(|| at.error(format!("`$ref: {}` points to nothing in {path}; fix the reference", at.reference)))
    }
}

/// A reference being followed, for error messages.
struct Located {
    file: String,
    pointer: String,
    reference: String,
}

impl Located {
    fn error(&self, message: String) -> Error {
        Error::Invalid {
            file: self.file.clone(),
            location: String::new(),
            message: format!("{message} (at #{})", self.pointer),
        }
    }
}

/// What [`inline_external`] is building: the components it hoisted, by source.
struct Hoisting<'l, 'a> {
    library: &'l mut Library<'a>,
    /// `(file, fragment)` → component name.
    names: BTreeMap<(String, String), String>,
    /// Component name → schema, added to the document at the end.
    schemas: BTreeMap<String, Value>,
    /// The document's own component schema names.
    taken: Vec<String>,
    /// The document being made self-contained (for error messages).
    root_file: String,
}

/// Makes `doc` (read from `file`) self-contained; one note per referenced file.
pub(crate) fn inline_external(doc: &mut Value, file: &str, library: &mut Library<'_>) -> Result<Vec<String>, Error> {
    if !references(doc).iter().any(|(_, reference)| file_part(reference).is_some()) {
        return Ok(Vec::new());
    }
    let taken = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    let mut hoisting =
        Hoisting { library, names: BTreeMap::new(), schemas: BTreeMap::new(), taken, root_file: file.to_string() };
    hoisting.walk(doc, &mut Vec::new(), file, false, 0)?;
    let mut notes = Vec::new();
    let mut by_file: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for ((source, _), name) in &hoisting.names {
        by_file.entry(source.as_str()).or_default().push(name.as_str());
    }
    for (source, names) in by_file {
        notes.push(format!(
            "{file}: the schemas referenced from {source} became components {}",
            names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    if !hoisting.schemas.is_empty() {
        let components = doc.as_object_mut().map(|d| d.entry("components").or_insert_with(|| json!({})));
        if let Some(Value::Object(components)) = components {
            let schemas = components.entry("schemas").or_insert_with(|| json!({}));
            if let Value::Object(schemas) = schemas {
                schemas.extend(hoisting.schemas);
            }
        }
    }
    Ok(notes)
}

impl Hoisting<'_, '_> {
    /// Rewrites the references below `node` (at `path` in the final document), which was read
    /// from `file`; in a `foreign` file, local references are to that file.
    fn walk(
        &mut self,
        node: &mut Value,
        path: &mut Vec<String>,
        file: &str,
        foreign: bool,
        depth: usize,
    ) -> Result<(), Error> {
        if depth > 64 {
            return Err(Error::Invalid {
                file: file.to_string(),
                location: String::new(),
                message: "references to other files nest more than 64 deep (a cycle of inlined values?)".into(),
            });
        }
        if let Some(Value::String(reference)) = node.get("$ref") {
            let reference = reference.clone();
            let (target_file, fragment) = match (file_part(&reference), reference.split_once('#')) {
                (Some(part), split) => {
                    (resolve_path(file, part), split.map(|(_, f)| f.to_string()).unwrap_or_default())
                }
                (None, Some(("", fragment))) if foreign => (file.to_string(), fragment.to_string()),
                _ => return Ok(()),
            };
            let at = Located {
                file: if foreign { file.to_string() } else { self.root_file.clone() },
                pointer: path.iter().map(|t| format!("/{}", escape(t))).collect(),
                reference: reference.clone(),
            };
            if kind_of(path) == Some(Kind::Schema) {
                let name = self.hoist(&target_file, &fragment, &at, depth)?;
                *node = json!({ "$ref": format!("#/components/schemas/{name}") });
            } else {
                let mut value = self.library.get(&target_file, &fragment, &at)?;
                self.walk(&mut value, path, &target_file, true, depth + 1)?;
                *node = value;
            }
            return Ok(());
        }
        match node {
            Value::Object(object) => {
                for (key, value) in object.iter_mut().filter(|(key, _)| is_walked(key)) {
                    path.push(key.clone());
                    self.walk(value, path, file, foreign, depth)?;
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter_mut().enumerate() {
                    path.push(index.to_string());
                    self.walk(item, path, file, foreign, depth)?;
                    path.pop();
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The component holding the schema at `fragment` of `file`, made on first use.
    fn hoist(&mut self, file: &str, fragment: &str, at: &Located, depth: usize) -> Result<String, Error> {
        let key = (file.to_string(), fragment.to_string());
        if let Some(name) = self.names.get(&key) {
            return Ok(name.clone());
        }
        let mut schema = self.library.get(file, fragment, at)?;
        let stem = file.rsplit('/').next().unwrap_or(file);
        let stem = stem.split('.').next().unwrap_or(stem);
        let base = tokens(fragment).last().cloned().filter(|t| !t.is_empty()).unwrap_or_else(|| stem.to_string());
        let name = std::iter::once(base.clone())
            .chain((2..).map(|n| format!("{base}{n}")))
            .find(|c| !self.taken.contains(c) && !self.schemas.contains_key(c) && !self.names.values().any(|n| n == c))
            .unwrap_or(base);
        self.names.insert(key, name.clone());
        let mut path = vec!["components".to_string(), "schemas".to_string(), name.clone()];
        self.walk(&mut schema, &mut path, file, true, depth + 1)?;
        self.schemas.insert(name.clone(), schema);
        Ok(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_against_the_referring_folder() {
        assert_eq!(resolve_path("specs/api/openapi.yaml", "../models/Member.json"), "specs/models/Member.json");
        assert_eq!(resolve_path("specs/api/openapi.yaml", "./common.yaml"), "specs/api/common.yaml");
        assert_eq!(resolve_path("a.yaml", "../x.json"), "../x.json");
        assert_eq!(file_part("common.yaml#/components/schemas/Error"), Some("common.yaml"));
        assert_eq!(file_part("#/components/schemas/Error"), None);
        assert_eq!(file_part("https://example.com/x.json"), None);
    }

    #[test]
    fn lists_the_files_a_document_needs() {
        let file = SpecFile {
            path: "specs/api/openapi.yaml".into(),
            text: "paths: {/x: {get: {responses: {'200': {$ref: 'common.yaml#/R'}}}}}\n\
                   components: {schemas: {A: {$ref: '#/components/schemas/B'}, B: {$ref: '../m/B.json'}}}\n"
                .into(),
        };
        let found = referenced_files(&file).expect("the document reads");
        let paths: Vec<(&str, &str)> = found.iter().map(|r| (r.path.as_str(), r.at.as_str())).collect();
        assert_eq!(
            paths,
            [
                ("specs/api/common.yaml", "specs/api/openapi.yaml#/paths/~1x/get/responses/200"),
                ("specs/m/B.json", "specs/api/openapi.yaml#/components/schemas/B"),
            ]
        );
    }
}
