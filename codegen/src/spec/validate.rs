//! Checks progenitor relies on, made before calling it so that a bad document gives an error
//! naming the file and the operation instead of a panic. This pass changes nothing.
//!
//! Before (accepted as it is):
//!
//! ```yaml
//! paths: {/things/{id}: {get: {operationId: getThing, parameters: [{in: path, name: id}]}}}
//! ```
//!
//! Refused, naming the file and the node:
//!
//! ```yaml
//! paths: {/things/{id}: {get: {responses: {200: {$ref: "#/paths/~1missing"}}}}}
//! ```
//!
//! Before it, [`degrade_dangling_references`] turns a dangling `$ref` where a schema, a
//! response, a request body, a parameter or a header stands into a degradation.

use serde_json::{Value, json};

use crate::openapi::{Kind, Merged, child, kind_of, target, unescape};
use crate::{DegradeKind, Error};

/// Checks `merged`; the first problem found is the error.
pub(crate) fn validate(merged: &Merged) -> Result<(), Error> {
    check_path_items(merged)?;
    check_references(merged, &merged.value, String::new())?;
    check_reference_cycles(merged)?;
    Ok(())
}

/// Path items must be inline (`spec::operation_ids` gives operations that share an id
/// distinct ones, and `spec::path_parameters` reconciles the path with its parameters).
fn check_path_items(merged: &Merged) -> Result<(), Error> {
    let Some(paths) = merged.value.get("paths").and_then(Value::as_object) else { return Ok(()) };
    for (path, item) in paths {
        if item.get("$ref").is_some() {
            return Err(Error::Unsupported {
                file: String::new(),
                operation: path.clone(),
                message: "a path item given as `$ref` is not supported; inline the path item".into(),
                skip: String::new(),
            });
        }
    }
    Ok(())
}

/// Every `$ref` must point inside the document, at something that exists.
fn check_references(merged: &Merged, node: &Value, pointer: String) -> Result<(), Error> {
    match node {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref") {
                // One link at a time: a chain is checked link by link as the walk reaches each,
                // and cycles get their own message below.
                if let Err(message) = target(&merged.value, reference) {
                    return Err(Error::Invalid {
                        file: merged.file_of(&pointer).to_string(),
                        location: String::new(),
                        message: format!("{message} (at #{pointer})"),
                    });
                }
            }
            for (key, value) in object {
                // Examples are data and extensions the vendor's: a `$ref` key in one is not a
                // reference the generator follows.
                if crate::openapi::is_walked(key) {
                    check_references(merged, value, child(&pointer, key))?;
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                check_references(merged, item, format!("{pointer}/{index}"))?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Component schemas that are nothing but references to each other define no type.
fn check_reference_cycles(merged: &Merged) -> Result<(), Error> {
    let Some(schemas) = merged.value.pointer("/components/schemas").and_then(Value::as_object) else { return Ok(()) };
    for name in schemas.keys() {
        let mut seen = vec![name.clone()];
        let mut current = &schemas[name];
        while let Some(next) =
            current.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/components/schemas/"))
        {
            let next = unescape(next);
            if seen.contains(&next) {
                seen.push(next);
                return Err(Error::Invalid {
                    file: merged.file_of(&child("/components/schemas", name)).to_string(),
                    location: String::new(),
                    message: format!(
                        "schemas {} only refer to each other in a cycle and define no type; give one of them a definition",
                        seen.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(" → ")
                    ),
                });
            }
            let Some(schema) = schemas.get(&next) else { break };
            seen.push(next);
            current = schema;
        }
    }
    Ok(())
}

/// Degrades each node written as a `$ref` to nothing (a local pointer no node answers)
/// instead of refusing the document, a degradation each: a schema becomes
/// `serde_json::Value`, a response one without a body, a request body any JSON value, and a
/// parameter or header is left out. A dangling reference anywhere else stays an error, which
/// `validate` reports.
pub(crate) fn degrade_dangling_references(merged: &mut Merged) {
    let mut dangling: Vec<(Vec<String>, String)> = Vec::new();
    collect_dangling(&merged.value, &merged.value, &mut Vec::new(), &mut dangling);
    let mut emptied_lists = Vec::new();
    for (path, reference) in dangling {
        let pointer: String = path.iter().map(|token| format!("/{}", crate::openapi::escape(token))).collect();
        let file = merged.file_of(&pointer).to_string();
        // What stands in its place (`None`: any JSON value; `null`: removed below, a
        // parameter from its list, a header from its map).
        let (kind, what, replacement) = match kind_of(&path) {
            Some(Kind::Schema) => (DegradeKind::Schema, "the schema is `serde_json::Value`", None),
            Some(Kind::Response) => (
                DegradeKind::Tolerated,
                "the response is read without a body",
                Some(json!({ "description": format!("`{reference}` points to nothing") })),
            ),
            Some(Kind::RequestBody) => (
                DegradeKind::Tolerated,
                "the request body is any JSON value",
                Some(json!({ "content": { "application/json": { "schema": {} } } })),
            ),
            Some(Kind::Parameter) => (DegradeKind::Tolerated, "the parameter is left out", Some(Value::Null)),
            Some(Kind::Header) => (DegradeKind::Tolerated, "the header is left out", Some(Value::Null)),
            _ => continue,
        };
        let Some(node) = merged.value.pointer_mut(&pointer) else { continue };
        *node = replacement.unwrap_or_else(|| crate::openapi::untyped(node));
        if node.is_null()
            && let Some((parent, _)) = pointer.rsplit_once('/')
        {
            emptied_lists.push(parent.to_string());
        }
        merged.degradations.push(crate::Degradation {
            kind,
            file,
            location: format!("#{pointer}"),
            operation: crate::openapi::operation_of(&pointer),
            note: format!("`$ref: {reference}` points to nothing; {what}"),
        });
    }
    for parent in emptied_lists {
        match merged.value.pointer_mut(&parent) {
            Some(Value::Array(items)) => items.retain(|item| !item.is_null()),
            Some(Value::Object(map)) => map.retain(|_, value| !value.is_null()),
            _ => {}
        }
    }
}

/// Every `$ref` below `node` (at `path`) that points to nothing in `doc`, with its path.
fn collect_dangling(doc: &Value, node: &Value, path: &mut Vec<String>, out: &mut Vec<(Vec<String>, String)>) {
    if path.len() > 256 {
        return;
    }
    match node {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref")
                && reference.starts_with('#')
                && target(doc, reference).is_err()
            {
                out.push((path.clone(), reference.clone()));
            }
            for (key, value) in object.iter().filter(|(key, _)| crate::openapi::is_walked(key)) {
                path.push(key.clone());
                collect_dangling(doc, value, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(index.to_string());
                collect_dangling(doc, item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}
