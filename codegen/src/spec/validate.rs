//! Checks progenitor relies on, made before calling it so that a bad document gives an error
//! naming the file and the operation instead of a panic. This pass changes nothing.
//!
//! Before (accepted as it is):
//!
//! ```yaml
//! paths: {/things/{id}: {get: {operationId: getThing, parameters: [{in: path, name: id}]}}}
//! ```
//!
//! Refused, naming `GET /things/{id} (getThing)` and the missing declaration:
//!
//! ```yaml
//! paths: {/things/{id}: {get: {operationId: getThing}}}
//! ```

use std::collections::BTreeMap;

use serde_json::Value;

use super::OpRef;
use crate::Error;
use crate::openapi::{self, Merged, Operation, child, target, unescape};

/// Checks `merged`; the first problem found is the error.
pub(crate) fn validate(merged: &Merged) -> Result<(), Error> {
    check_operation_ids(merged)?;
    check_references(merged, &merged.value, String::new())?;
    check_reference_cycles(merged)?;
    for operation in openapi::operations(&merged.value) {
        let op = OpRef::new(merged, &operation);
        check_path_parameters(&merged.value, &operation, &op)?;
    }
    Ok(())
}

/// The operation ids a document gives must be unique across the vendor's documents.
fn check_operation_ids(merged: &Merged) -> Result<(), Error> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
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
    for operation in openapi::operations(&merged.value) {
        let label = operation.label();
        let file = merged.origins.get(&label).cloned().unwrap_or_default();
        match operation.id() {
            // `spec::operation_ids` derives the missing ones.
            None | Some("") => {}
            Some(id) => {
                if let Some(first) = seen.insert(id.to_string(), format!("{label} in {file}")) {
                    return Err(Error::Unsupported {
                        file,
                        skip: super::skip::entry(&merged.vendor, &label),
                        operation: label,
                        message: format!("operationId `{id}` is also used by {first}; operation ids must be unique"),
                    });
                }
            }
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
                // Examples are data: a `$ref` key in one is not a reference.
                if key != "example" && key != "examples" {
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

/// Every `{name}` in the path template needs a declared path parameter, and every declared
/// path parameter a place in the template.
fn check_path_parameters(doc: &Value, operation: &Operation<'_>, op: &OpRef) -> Result<(), Error> {
    let mut declared = Vec::new();
    for parameter in operation.parameters() {
        let parameter = op.resolve(doc, parameter)?;
        if parameter.get("in").and_then(Value::as_str) == Some("path")
            && let Some(name) = parameter.get("name").and_then(Value::as_str)
        {
            declared.push(name.to_string());
        }
    }
    let path = operation.path;
    let in_template: Vec<&str> =
        path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect();
    if let Some(name) = in_template.iter().find(|name| !declared.iter().any(|d| d == *name)) {
        return Err(op.unsupported(format!(
            "the path has `{{{name}}}`, but no path parameter `{name}` is declared; declare it"
        )));
    }
    if let Some(name) = declared.iter().find(|name| !in_template.contains(&name.as_str())) {
        return Err(
            op.unsupported(format!("path parameter `{name}` does not appear in the path; remove it or fix its name"))
        );
    }
    Ok(())
}
