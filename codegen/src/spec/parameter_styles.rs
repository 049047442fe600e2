//! Query parameters in a style progenitor does not encode (`deepObject`, `form` with
//! `explode: false`, `pipeDelimited`, `spaceDelimited`) are given to progenitor as plain
//! (exploded form) parameters, marked `x-codegen-style`, so that `rust::query_styles` encodes
//! them with the client crate's one general encoder (`crate::query::Styled`); a cookie
//! parameter, which progenitor refuses, is dropped; a parameter given by `content` (a JSON
//! value serialized into the query) or a header or path parameter whose schema is not a plain
//! value (an object, a list, a `oneOf`), which progenitor cannot put in a header or a path,
//! is a string the caller writes. Each is a degradation.
//!
//! Before:
//!
//! ```yaml
//! parameters: [{name: filter, in: query, style: deepObject, explode: true, schema: {type: object, ..}}]
//! ```
//!
//! After (and the note "degraded (parameter-style): ...: query parameter `filter` (deepObject)
//! is encoded by the client crate from a `serde_json::Value` object"; progenitor takes no
//! object as a query parameter, so an object's schema becomes any JSON value):
//!
//! ```yaml
//! parameters: [{name: filter, in: query, schema: {}, x-codegen-style: DeepObject}]
//! ```

use serde_json::{Value, json};

use crate::openapi::{self, Merged, child, resolve_or_self};
use crate::{Degradation, DegradeKind, Error};

/// The parameter extension naming the `crate::query::Style` variant that encodes it.
pub(crate) const STYLE_EXTENSION: &str = "x-codegen-style";

/// The style variant for a query parameter, when progenitor does not encode its style.
fn style_of(parameter: &Value) -> Option<&'static str> {
    let style = parameter.get("style").and_then(Value::as_str).unwrap_or("form");
    let explode = parameter.get("explode").and_then(Value::as_bool);
    match style {
        "deepObject" => Some("DeepObject"),
        "pipeDelimited" => Some("PipeDelimited"),
        "spaceDelimited" => Some("SpaceDelimited"),
        "form" if explode == Some(false) => Some("FormUnexploded"),
        _ => None,
    }
}

/// What is done to one parameter.
#[derive(Clone, Copy, PartialEq)]
enum Change {
    /// Encoded by the client crate in this `crate::query::Style`.
    Style(&'static str),
    /// Given to progenitor as a string.
    AsString,
    /// Dropped.
    Drop,
}

/// Whether progenitor can put a value of `schema` in a header or a path segment: a string,
/// number, integer or boolean (an enum of them included).
fn is_plain(doc: &Value, schema: Option<&Value>) -> bool {
    let Some(schema) = schema.map(|schema| resolve_or_self(doc, schema)) else { return false };
    let composite = ["oneOf", "anyOf", "allOf", "not", "properties"].iter().any(|key| schema.get(*key).is_some());
    let kind = schema.get("type").and_then(Value::as_str);
    !composite && matches!(kind, Some("string" | "integer" | "number" | "boolean"))
}

/// Runs the pass; returns no notes (each change is a degradation).
pub(crate) fn apply(merged: &mut Merged) -> Result<Vec<String>, Error> {
    // Where each parameter to change is written: its own pointer (a component when the
    // operation refers to one), the operation, and what to do.
    let mut changes: Vec<(String, String, Change)> = Vec::new();
    for operation in openapi::operations(&merged.value) {
        let lists = [
            (child(&child("/paths", operation.path), "parameters"), operation.item.get("parameters")),
            (child(&operation.pointer(), "parameters"), operation.operation.get("parameters")),
        ];
        for (list_pointer, list) in lists {
            for (index, parameter) in list.and_then(Value::as_array).into_iter().flatten().enumerate() {
                let pointer = match parameter.get("$ref").and_then(Value::as_str) {
                    Some(reference) => reference.trim_start_matches('#').to_string(),
                    None => format!("{list_pointer}/{index}"),
                };
                let Some(resolved) = merged.value.pointer(&pointer) else { continue };
                let location = resolved.get("in").and_then(Value::as_str);
                let schema = resolved.get("schema");
                let change = match location {
                    Some("cookie") => Change::Drop,
                    _ if schema.is_none() && resolved.get("content").is_some() => Change::AsString,
                    Some("query") => match style_of(resolved) {
                        Some(style) => Change::Style(style),
                        None => continue,
                    },
                    Some("header" | "path") if schema.is_some() && !is_plain(&merged.value, schema) => Change::AsString,
                    _ => continue,
                };
                if !changes.iter().any(|(p, ..)| *p == pointer) {
                    changes.push((pointer, operation.label(), change));
                }
            }
        }
    }
    // Removals last and from the highest index, so that the other pointers stay right.
    changes.sort_by_key(|(pointer, _, change)| (*change == Change::Drop, std::cmp::Reverse(pointer.clone())));
    for (pointer, label, change) in changes {
        let Some(parameter) = merged.value.pointer(&pointer) else { continue };
        let name = parameter.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
        let file = merged.file_of(&pointer).to_string();
        let note = match change {
            Change::AsString => {
                let place = parameter.get("in").and_then(Value::as_str).unwrap_or("query").to_string();
                let by_content = parameter.get("schema").is_none();
                if let Some(parameter) = merged.value.pointer_mut(&pointer).and_then(Value::as_object_mut) {
                    parameter.shift_remove("content");
                    parameter.shift_remove("style");
                    parameter.shift_remove("explode");
                    parameter.insert("schema".into(), json!({ "type": "string" }));
                }
                let what = if by_content { "is given by `content`" } else { "is not a plain value" };
                format!(
                    "{place} parameter `{name}` {what}; it is a string the caller writes (serialized as the document says)"
                )
            }
            Change::Style(style) => {
                let written = parameter.get("style").and_then(Value::as_str).unwrap_or("form").to_string();
                // Progenitor cannot take an object as a query parameter: it is any JSON value.
                let schema = parameter.get("schema").map(|schema| resolve_or_self(&merged.value, schema));
                let is_object = schema.is_some_and(|schema| {
                    schema.get("type").and_then(Value::as_str) == Some("object") || schema.get("properties").is_some()
                });
                let untyped = is_object.then(|| openapi::untyped(schema.unwrap_or(&Value::Null)));
                if let Some(parameter) = merged.value.pointer_mut(&pointer).and_then(Value::as_object_mut) {
                    parameter.shift_remove("style");
                    parameter.shift_remove("explode");
                    parameter.insert(STYLE_EXTENSION.into(), json!(style));
                    if let Some(untyped) = untyped {
                        parameter.insert("schema".into(), untyped);
                    }
                }
                let value = if is_object { " from a `serde_json::Value` object" } else { "" };
                format!("query parameter `{name}` ({written}) is encoded by the client crate{value}")
            }
            Change::Drop => {
                let Some((list, index)) = pointer.rsplit_once('/') else { continue };
                let index: usize = index.parse().unwrap_or(usize::MAX);
                match merged.value.pointer_mut(list).and_then(Value::as_array_mut) {
                    Some(items) if index < items.len() => {
                        items.remove(index);
                    }
                    // A cookie parameter component: the references to it go.
                    _ => continue,
                }
                format!("cookie parameter `{name}` is not generated; dropped")
            }
        };
        merged.degradations.push(Degradation {
            kind: DegradeKind::ParameterStyle,
            file,
            location: format!("#{pointer}"),
            operation: Some(label),
            note,
        });
    }
    Ok(Vec::new())
}
