//! The path template and its path parameters made to agree: a declared path parameter the
//! path does not have is dropped, a `{name}` of the path that no parameter declares is
//! declared as a required string, and a path parameter is required and never `nullable`; each
//! is a degradation.
//!
//! Before:
//!
//! ```yaml
//! /things/{id}:
//!   get: {operationId: getThing, parameters: [{name: thing, in: path, required: true}]}
//! ```
//!
//! After (and the notes "path parameter `thing` is not in the path; dropped" and "the path
//! has `{id}`, but no parameter declares it; declared as a string"):
//!
//! ```yaml
//! /things/{id}:
//!   get: {operationId: getThing, parameters: [{name: id, in: path, required: true, schema: {type: string}}]}
//! ```

use serde_json::{Value, json};

use crate::openapi::{self, Merged, child, resolve_or_self};
use crate::{Degradation, DegradeKind, Error};

/// Reconciles every operation's path with its path parameters; notes nothing but degradations.
pub(crate) fn apply(merged: &mut Merged) -> Result<Vec<String>, Error> {
    // (pointer of a parameter list, index, name) to drop; (operation pointer, name) to declare.
    let mut drops: Vec<(String, usize, String, String)> = Vec::new();
    let mut declares: Vec<(String, String, String)> = Vec::new();
    // (pointer of a path parameter's definition, name, operation) not marked required.
    let mut optional: Vec<(String, String, String)> = Vec::new();
    // (pointer of a path parameter's definition, name, operation) whose schema says `nullable`.
    let mut nullable: Vec<(String, String, String)> = Vec::new();
    for operation in openapi::operations(&merged.value) {
        let in_template: Vec<&str> =
            operation.path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect();
        let mut declared = Vec::new();
        let lists = [
            (child(&child("/paths", operation.path), "parameters"), operation.item.get("parameters")),
            (child(&operation.pointer(), "parameters"), operation.operation.get("parameters")),
        ];
        for (pointer, list) in lists {
            for (index, written) in list.and_then(Value::as_array).into_iter().flatten().enumerate() {
                let parameter = resolve_or_self(&merged.value, written);
                if parameter.get("in").and_then(Value::as_str) != Some("path") {
                    continue;
                }
                let Some(name) = parameter.get("name").and_then(Value::as_str) else { continue };
                declared.push(name.to_string());
                let definition = match written.get("$ref").and_then(Value::as_str) {
                    Some(reference) => reference.trim_start_matches('#').to_string(),
                    None => format!("{pointer}/{index}"),
                };
                if parameter.get("required").and_then(Value::as_bool) != Some(true)
                    && in_template.contains(&name)
                    && !optional.iter().any(|(p, ..)| *p == definition)
                {
                    optional.push((definition.clone(), name.to_string(), operation.label()));
                }
                if parameter.pointer("/schema/nullable") == Some(&json!(true))
                    && !nullable.iter().any(|(p, ..)| *p == definition)
                {
                    nullable.push((definition, name.to_string(), operation.label()));
                }
                if !in_template.contains(&name) && !drops.iter().any(|(p, i, ..)| *p == pointer && *i == index) {
                    drops.push((pointer.clone(), index, name.to_string(), operation.label()));
                }
            }
        }
        for name in in_template.iter().filter(|name| !declared.iter().any(|d| d == *name)) {
            declares.push((operation.pointer(), name.to_string(), operation.label()));
        }
    }
    // A path parameter is always sent: one not marked required is required.
    for (pointer, name, label) in optional {
        if let Some(parameter) = merged.value.pointer_mut(&pointer).and_then(Value::as_object_mut) {
            parameter.insert("required".into(), json!(true));
        }
        let note = format!("path parameter `{name}` is not marked required, but a path always has it; required");
        push(merged, &pointer, label, note);
    }
    // A path always has its parameters' values: one whose schema allows `null` does not.
    for (pointer, name, label) in nullable {
        if let Some(schema) = merged.value.pointer_mut(&format!("{pointer}/schema")).and_then(Value::as_object_mut) {
            schema.shift_remove("nullable");
        }
        let note = format!("path parameter `{name}` is marked `nullable`, but a path has no null; not nullable");
        push(merged, &pointer, label, note);
    }
    // Highest index first, so that the earlier indices stay right.
    drops.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    for (pointer, index, name, label) in drops {
        if let Some(list) = merged.value.pointer_mut(&pointer).and_then(Value::as_array_mut)
            && index < list.len()
        {
            list.remove(index);
        }
        let note = format!("path parameter `{name}` is not in the path; dropped");
        push(merged, &format!("{pointer}/{index}"), label, note);
    }
    for (pointer, name, label) in declares {
        if let Some(operation) = merged.value.pointer_mut(&pointer).and_then(Value::as_object_mut) {
            let list = operation.entry("parameters").or_insert_with(|| json!([]));
            if let Some(list) = list.as_array_mut() {
                list.push(json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }));
            }
        }
        let note = format!("the path has `{{{name}}}`, but no parameter declares it; declared as a string");
        push(merged, &pointer, label, note);
    }
    Ok(Vec::new())
}

fn push(merged: &mut Merged, pointer: &str, label: String, note: String) {
    let file = merged.file_of(pointer).to_string();
    merged.degradations.push(Degradation {
        kind: DegradeKind::PathParameter,
        file,
        location: format!("#{pointer}"),
        operation: Some(label),
        note,
    });
}
