//! Merging a vendor's per-endpoint documents into one API.
//!
//! Periskope publishes one document per operation, each repeating `info`, `servers`, `tags`
//! and `components.securitySchemes`. Repeated items that are equal are kept once; an
//! operation or component defined twice with different content is an error naming both files.
//!
//! Before, two documents:
//!
//! ```yaml
//! # a.yaml                                # b.yaml
//! paths: {/a: {get: {operationId: getA}}} paths: {/b: {post: {operationId: postB}}}
//! components: {schemas: {Member: {..}}}   components: {schemas: {Member: {..}}}  # equal
//! ```
//!
//! After, one:
//!
//! ```yaml
//! paths: {/a: {get: {operationId: getA}}, /b: {post: {operationId: postB}}}
//! components: {schemas: {Member: {..}}}
//! ```

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::Error;
use crate::openapi::{Merged, Parsed, child, is_method};

/// Merges `docs` (at least one) in order.
pub(crate) fn merge(docs: &[Parsed<'_>]) -> Result<Merged, Error> {
    let mut merged = Map::new();
    // Where each merged item was first defined, keyed by its description.
    let mut origins: BTreeMap<String, String> = BTreeMap::new();

    for doc in docs {
        let file = doc.file.path.as_str();
        let Value::Object(object) = &doc.value else { continue };
        for (key, value) in object {
            match key.as_str() {
                "paths" => merge_paths(&mut merged, value, file, &mut origins)?,
                "components" => merge_components(&mut merged, value, file, &mut origins)?,
                "tags" => merge_tags(&mut merged, value),
                // `info`, `externalDocs` and extensions describe the document, not the API:
                // the first document's copy stands for all.
                "info" | "externalDocs" | "openapi" => {
                    merged.entry(key.clone()).or_insert_with(|| value.clone());
                }
                _ if key.starts_with("x-") => {
                    merged.entry(key.clone()).or_insert_with(|| value.clone());
                }
                // `servers` and `security` change what the client does, so they must agree.
                _ => insert_or_compare(&mut merged, key, value, &format!("`{key}`"), file, &mut origins)?,
            }
        }
    }
    let first_file = docs.first().map(|doc| doc.file.path.clone()).unwrap_or_default();
    Ok(Merged {
        value: Value::Object(merged),
        origins,
        first_file,
        vendor: String::new(),
        renamed: BTreeMap::new(),
        degradations: Vec::new(),
    })
}

fn merge_paths(
    merged: &mut Map<String, Value>,
    paths: &Value,
    file: &str,
    origins: &mut BTreeMap<String, String>,
) -> Result<(), Error> {
    let Value::Object(paths) = paths else { return Ok(()) };
    let merged_paths = object_entry(merged, "paths");
    for (path, item) in paths {
        let Value::Object(item) = item else { continue };
        let merged_item = object_entry(merged_paths, path);
        for (key, value) in item {
            let what = if is_method(key) {
                format!("{} {path}", key.to_uppercase())
            } else {
                format!("{}/{key}", child("#/paths", path))
            };
            insert_or_compare(merged_item, key, value, &what, file, origins)?;
        }
    }
    Ok(())
}

fn merge_components(
    merged: &mut Map<String, Value>,
    components: &Value,
    file: &str,
    origins: &mut BTreeMap<String, String>,
) -> Result<(), Error> {
    let Value::Object(components) = components else { return Ok(()) };
    let merged_components = object_entry(merged, "components");
    for (section, entries) in components {
        let Value::Object(entries) = entries else { continue };
        let merged_section = object_entry(merged_components, section);
        for (name, value) in entries {
            let what = child(&format!("#/components/{section}"), name);
            insert_or_compare(merged_section, name, value, &what, file, origins)?;
        }
    }
    Ok(())
}

/// Tags are documentation: the union by name, first definition wins.
fn merge_tags(merged: &mut Map<String, Value>, tags: &Value) {
    let Value::Array(tags) = tags else { return };
    let entry = merged.entry("tags").or_insert_with(|| Value::Array(Vec::new()));
    let Value::Array(merged_tags) = entry else { return };
    for tag in tags {
        let name = tag.get("name");
        if !merged_tags.iter().any(|t| t.get("name") == name) {
            merged_tags.push(tag.clone());
        }
    }
}

fn insert_or_compare(
    target: &mut Map<String, Value>,
    key: &str,
    value: &Value,
    what: &str,
    file: &str,
    origins: &mut BTreeMap<String, String>,
) -> Result<(), Error> {
    match target.get(key) {
        None => {
            target.insert(key.to_string(), value.clone());
            origins.insert(what.to_string(), file.to_string());
            Ok(())
        }
        Some(existing) if existing == value => Ok(()),
        Some(_) => Err(Error::Conflict {
            item: what.to_string(),
            first: origins.get(what).cloned().unwrap_or_default(),
            second: file.to_string(),
        }),
    }
}

/// The object under `key`, created when absent (or replacing a non-object, which the typed
/// parse of every input document has already ruled out).
fn object_entry<'m>(map: &'m mut Map<String, Value>, key: &str) -> &'m mut Map<String, Value> {
    let entry = map.entry(key.to_string()).or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    match entry {
        Value::Object(object) => object,
        _ => unreachable!("the entry was made an object above"),
    }
}
