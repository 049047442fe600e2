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
//! paths: {/things/{id}: {get: {responses: {200: {$ref: "#/components/responses/Missing"}}}}}
//! ```

use serde_json::Value;

use crate::Error;
use crate::openapi::{Merged, child, target, unescape};

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

/// Degrades each schema written as a `$ref` to nothing (a local pointer no node answers) to
/// `serde_json::Value`, a degradation each, instead of refusing the document: the schema says
/// nothing the generator could type. A dangling reference elsewhere (a response, a parameter)
/// stays an error, which `validate` reports.
pub(crate) fn degrade_dangling_schemas(merged: &mut Merged) {
    let mut dangling: Vec<(String, String)> = Vec::new();
    let _ = crate::openapi::schemas_mut(&mut merged.value.clone(), &mut |path: &[String], schema: &mut Value| {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str)
            && reference.starts_with('#')
            && target(&merged.value, reference).is_err()
        {
            let pointer: String = path.iter().map(|token| format!("/{}", crate::openapi::escape(token))).collect();
            dangling.push((pointer, reference.to_string()));
        }
        Ok::<(), ()>(())
    });
    for (pointer, reference) in dangling {
        let file = merged.file_of(&pointer).to_string();
        let Some(schema) = merged.value.pointer_mut(&pointer) else { continue };
        *schema = crate::openapi::untyped(schema);
        merged.degradations.push(crate::Degradation {
            kind: crate::DegradeKind::Schema,
            file,
            location: format!("#{pointer}"),
            operation: crate::openapi::operation_of(&pointer),
            note: format!("`$ref: {reference}` points to nothing; the schema is `serde_json::Value`"),
        });
    }
}
