//! Request bodies progenitor can take: one media type per operation, and `multipart/form-data`
//! bodies as typed structs.
//!
//! Progenitor takes one request media type per operation (it panics on two) and knows JSON,
//! `application/x-www-form-urlencoded`, `application/octet-stream` and `text/plain`, not
//! multipart. This pass, for each operation:
//!
//! - keeps, of several media types, the first progenitor can take in that order (JSON first),
//!   and names each one it drops in a note (`application/xml`, a second form of the same body);
//! - turns a `multipart/form-data` schema into a component whose `format: binary` properties
//!   (and arrays of them) become the client crate's `FilePart` (component `FilePart`, replaced
//!   by `crate::multipart::FilePart` when progenitor runs): the component the body refers to
//!   when nothing else does, else a new one, `<OperationId>Multipart`;
//! - when multipart is the only body progenitor could be given, gives it that type as JSON,
//!   and `x-codegen-multipart` tells the `multipart` Rust pass to send it as multipart instead;
//!   when another body is kept, multipart stays reachable as a second method,
//!   `<operation>_multipart`, which the Rust pass makes from the first.
//!
//! Before:
//!
//! ```yaml
//! /contacts/import:
//!   post:
//!     operationId: importContacts
//!     requestBody:
//!       content:
//!         application/json: {schema: {$ref: "#/components/schemas/ContactList"}}
//!         multipart/form-data: {schema: {properties: {file: {type: string, format: binary}}}}
//!         application/xml: {schema: {$ref: "#/components/schemas/ContactList"}}
//! ```
//!
//! After (with the notes "... multipart/form-data is sent by `import_contacts_multipart` with
//! the typed body `ImportContactsMultipart`" and "... application/xml is not generated"):
//!
//! ```yaml
//! /contacts/import:
//!   post:
//!     operationId: importContacts
//!     requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/ContactList"}}}}
//!     x-codegen-multipart: {type: ImportContactsMultipart, method: import_contacts_multipart, schema: {..}}
//! components:
//!   schemas:
//!     ImportContactsMultipart: {properties: {file: {$ref: "#/components/schemas/FilePart"}}}
//!     FilePart: {type: string, format: binary}
//! x-codegen-file-part: FilePart
//! ```

use std::collections::{BTreeSet, HashMap};

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::{Map, Value, json};

use super::OpRef;
use super::error_bodies::{pascal, schemas_mut};
use crate::Error;
use crate::names::free_component;
use crate::openapi::{self, Merged, is_json, resolve_or_self, unescape};

/// The operation extension naming the multipart body type (`type`) and, when the operation's
/// own method sends another body, the extra method that sends the multipart one (`method`)
/// and the multipart body's schema (`schema`, for that method's doc example).
pub(crate) const MULTIPART_EXTENSION: &str = "x-codegen-multipart";
/// The document extension naming the component that stands for a file part.
pub(crate) const FILE_PART_EXTENSION: &str = "x-codegen-file-part";

const MULTIPART: &str = "multipart/form-data";

/// The media types progenitor takes, in the order this pass prefers them.
fn rank(media: &str) -> Option<usize> {
    let essence = media.split(';').next().unwrap_or(media).trim();
    if is_json(media) {
        Some(0)
    } else {
        ["application/x-www-form-urlencoded", "application/octet-stream", "text/plain", "text/x-markdown"]
            .iter()
            .position(|known| *known == essence)
            .map(|index| index + 1)
    }
}

fn is_multipart(media: &str) -> bool {
    media.split(';').next().unwrap_or(media).trim() == MULTIPART
}

/// Runs the pass over every operation; returns one note per change.
pub(crate) fn apply(merged: &mut Merged) -> Result<Vec<String>, Error> {
    let mut targets = Vec::new();
    let mut method_names: BTreeSet<String> = BTreeSet::new();
    for operation in openapi::operations(&merged.value) {
        method_names.insert(operation.id().unwrap_or_default().to_snake_case());
        let Some(body) = operation.operation.get("requestBody") else { continue };
        let body = resolve_or_self(&merged.value, body);
        let Some(content) = body.get("content").and_then(Value::as_object) else { continue };
        if content.len() > 1 || content.keys().any(|media| is_multipart(media)) {
            targets.push((operation.pointer(), OpRef::new(merged, &operation), body.clone()));
        }
    }
    let mut notes = Vec::new();
    let mut file_part: Option<String> = None;
    let mut counts: Option<HashMap<String, usize>> = None;
    for (pointer, op, body) in targets {
        let content = body.get("content").and_then(Value::as_object).cloned().unwrap_or_default();
        let kept = content.keys().filter(|media| rank(media).is_some()).min_by_key(|media| rank(media)).cloned();
        let multipart = content.keys().find(|media| is_multipart(media)).cloned();
        let mut new_content = Map::new();
        let mut extension = None;
        if let Some(media) = &kept {
            new_content.insert(media.clone(), content[media].clone());
        }
        if let Some(media) = &multipart {
            let schema = content[media].get("schema").cloned().unwrap_or(Value::Null);
            let file_part = file_part.get_or_insert_with(|| free_component(&merged.value, &["FilePart".into()]));
            match multipart_schema(&merged.value, &schema, file_part) {
                Ok(multipart) => {
                    // A component only this body uses becomes the body type itself; otherwise
                    // the body gets a component of its own and the shared one stays as it is.
                    let counts = counts.get_or_insert_with(|| reference_counts(&merged.value));
                    let (component, reference) = match only_use(counts, &schema) {
                        Some((component, reference)) => (component, reference),
                        None => {
                            let name = free_component(&merged.value, &[format!("{}Multipart", pascal(&op.id))]);
                            let reference = format!("#/components/schemas/{name}");
                            (name, reference)
                        }
                    };
                    schemas_mut(&mut merged.value).insert(component.clone(), multipart);
                    let name = component.to_upper_camel_case();
                    let reference = json!({ "$ref": reference });
                    if kept.is_none() {
                        new_content.insert("application/json".into(), json!({ "schema": reference }));
                        extension = Some(json!({ "type": name, "schema": reference }));
                        notes.push(format!(
                            "{} ({}): the {MULTIPART} body is sent as multipart from the typed body `{name}`",
                            op.label, op.id
                        ));
                    } else {
                        let base = format!("{}_multipart", op.id.to_snake_case());
                        let method = (1..)
                            .map(|n| if n == 1 { base.clone() } else { format!("{base}{n}") })
                            .find(|candidate| !method_names.contains(candidate))
                            .unwrap_or(base);
                        method_names.insert(method.clone());
                        extension = Some(json!({ "type": name, "method": method, "schema": reference }));
                        notes.push(format!(
                            "{} ({}): the request body is {}; {MULTIPART} is sent by `{method}` with the typed body \
                             `{name}`",
                            op.label,
                            op.id,
                            kept.as_deref().unwrap_or_default(),
                        ));
                    }
                }
                Err(why) if kept.is_some() => notes.push(format!(
                    "{} ({}): {MULTIPART} is not generated ({why}); the request body is {}",
                    op.label,
                    op.id,
                    kept.as_deref().unwrap_or_default()
                )),
                Err(why) => return Err(op.unsupported(format!("the {MULTIPART} request body {why}"))),
            }
        }
        let dropped: Vec<&str> = content
            .keys()
            .filter(|media| Some(*media) != kept.as_ref() && Some(*media) != multipart.as_ref())
            .map(String::as_str)
            .collect();
        if new_content.is_empty() {
            // Nothing progenitor takes: leave the body as it is, and progenitor's error names it.
            continue;
        }
        if !dropped.is_empty() {
            let sent = if kept.is_some() { kept.as_deref().unwrap_or_default() } else { MULTIPART };
            notes.push(format!(
                "{} ({}): the request body is sent as {sent}; {} {} not generated",
                op.label,
                op.id,
                dropped.join(", "),
                if dropped.len() == 1 { "is" } else { "are" }
            ));
        }
        let mut body = body;
        body["content"] = Value::Object(new_content);
        if let Some(operation) = merged.value.pointer_mut(&pointer) {
            operation["requestBody"] = body;
            if let Some(extension) = extension {
                operation[MULTIPART_EXTENSION] = extension;
            }
        }
    }
    if let Some(name) = file_part {
        schemas_mut(&mut merged.value).insert(
            name.clone(),
            json!({ "type": "string", "format": "binary", "description": "A file sent as one part of a multipart body." }),
        );
        merged.value[FILE_PART_EXTENSION] = json!(name);
    }
    Ok(notes)
}

/// The component `schema` refers to, and the reference, when nothing else refers to it
/// (`counts` from [`reference_counts`]).
fn only_use(counts: &HashMap<String, usize>, schema: &Value) -> Option<(String, String)> {
    let reference = schema.get("$ref").and_then(Value::as_str)?;
    let name = reference.strip_prefix("#/components/schemas/").filter(|name| !name.contains('/'))?;
    (counts.get(reference) == Some(&1)).then(|| (unescape(name), reference.to_string()))
}

/// How often each `$ref` occurs in `doc` (one walk, whatever the number of multipart bodies).
fn reference_counts(doc: &Value) -> HashMap<String, usize> {
    fn walk(node: &Value, counts: &mut HashMap<String, usize>) {
        match node {
            Value::Object(object) => {
                if let Some(Value::String(reference)) = object.get("$ref") {
                    *counts.entry(reference.clone()).or_default() += 1;
                }
                object.values().for_each(|value| walk(value, counts));
            }
            Value::Array(items) => items.iter().for_each(|item| walk(item, counts)),
            _ => {}
        }
    }
    let mut counts = HashMap::new();
    walk(doc, &mut counts);
    counts
}

/// The properties and required names of an object schema, with those of its `allOf` parts
/// (references followed; the schema's own first): `None` when it has neither.
fn object_parts(doc: &Value, schema: &Value, depth: usize) -> Option<(Map<String, Value>, Vec<Value>)> {
    let schema = resolve_or_self(doc, schema);
    let mut properties = schema.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut required = schema.get("required").and_then(Value::as_array).cloned().unwrap_or_default();
    let parts = schema.get("allOf").and_then(Value::as_array);
    if (properties.is_empty() && parts.is_none()) || depth > 16 {
        return None;
    }
    for part in parts.into_iter().flatten() {
        let (more, names) = object_parts(doc, part, depth + 1)?;
        for (name, property) in more {
            properties.entry(name).or_insert(property);
        }
        required.extend(names.into_iter().filter(|name| !required.contains(name)).collect::<Vec<_>>());
    }
    Some((properties, required))
}

/// Whether `schema` is an object with properties, or an `allOf` of such objects: what a
/// multipart body's schema must be to be typed.
pub(super) fn is_object(doc: &Value, schema: &Value) -> bool {
    let schema = resolve_or_self(doc, schema);
    schema.get("type").is_none_or(|t| t == "object") && object_parts(doc, schema, 0).is_some()
}

/// The multipart schema as a component: an object (an `allOf` of objects merged into one)
/// whose binary properties, and arrays of them, name the file part component; or why it
/// cannot be one.
fn multipart_schema(doc: &Value, schema: &Value, file_part: &str) -> Result<Value, String> {
    let schema = resolve_or_self(doc, schema);
    let Some((properties, required)) = object_parts(doc, schema, 0).filter(|_| is_object(doc, schema)) else {
        return Err("has no object schema with properties".into());
    };
    let file = json!({ "$ref": format!("#/components/schemas/{file_part}") });
    let is_binary = |schema: &Value| {
        let schema = resolve_or_self(doc, schema);
        schema.get("type").and_then(Value::as_str) == Some("string")
            && schema.get("format").and_then(Value::as_str) == Some("binary")
    };
    let mut out = schema.clone();
    if let Some(out) = out.as_object_mut() {
        out.shift_remove("allOf");
    }
    if !required.is_empty() {
        out["required"] = Value::Array(required);
    }
    let mut new_properties = Map::new();
    for (name, property) in &properties {
        let resolved = resolve_or_self(doc, property);
        let new = if is_binary(property) {
            file.clone()
        } else if resolved.get("type").and_then(Value::as_str) == Some("array")
            && resolved.get("items").is_some_and(is_binary)
        {
            let mut array = resolved.clone();
            array["items"] = file.clone();
            array
        } else {
            property.clone()
        };
        new_properties.insert(name.clone(), new);
    }
    out["type"] = json!("object");
    out["properties"] = Value::Object(new_properties);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefers_json_then_form() {
        assert_eq!(rank("application/json; charset=utf-8"), Some(0));
        assert!(rank("application/x-www-form-urlencoded") < rank("application/octet-stream"));
        assert_eq!(rank("application/xml"), None);
        assert_eq!(rank(MULTIPART), None);
        assert!(is_multipart("multipart/form-data; boundary=x"));
    }
}
