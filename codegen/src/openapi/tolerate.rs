//! Tolerant reading: a document that is OpenAPI but not strictly 3.0 as written (a keyword of
//! the wrong type, a `null` where an object belongs, an operation without `responses`) is
//! repaired node by node, each repair a note, instead of refused.
//!
//! Each round reads the document as `openapiv3::OpenAPI` ([`typed`]); the node that does not
//! fit is repaired by what it is, and the next round reads again. A node no rule repairs is
//! the error, as before. The rules:
//!
//! - `null` (`requestBody: null`) → dropped;
//! - a missing `responses` → `responses: {default: {description: ...}}`; a missing
//!   `description` (of a response) or `title`/`version` (of `info`) → empty;
//! - a reference written as a bare string (`property: "#/components/schemas/X"`) → a `$ref`;
//! - an empty `$ref` → dropped; a local `$ref` whose pointer is percent-encoded (RFC 6901 in a
//!   URI fragment: `#/paths/~1env~1%7Bid%7D`) → decoded;
//! - a Swagger 2 parameter `in: formData` → a property of a form request body
//!   (`multipart/form-data` when one is a `type: file`), unless the operation has a body; a
//!   parameter without `in` → a path parameter when the path has `{name}`, else a query one;
//! - a boolean keyword written as `0`/`1` or `"true"`/`"false"` → the boolean;
//! - a string keyword written as a number or boolean → its text; as a map or list → dropped;
//! - an integer keyword (`minimum`, `maxLength`, ...) beyond what i64 holds, or not an
//!   integer → dropped.
//!
//! Before: `{get: {operationId: ping}}`, `{type: object, nullable: 0}`,
//! `{type: string, description: {en: Name}}`. After: `{get: {operationId: ping, responses:
//! {default: {description: no responses declared}}}}`, `{type: object, nullable: false}`,
//! `{type: string}`, each with a note naming the node.

use serde_json::{Value, json};

use super::pointer::{child, tokens};
use super::shape::{ShapeError, typed};

/// The most repairs made to one document before its next bad node is the error.
const MAX_REPAIRS: usize = 500;

/// One node repaired: its JSON pointer and what was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Repair {
    pub pointer: String,
    pub note: String,
}

/// Reads `value` as OpenAPI 3.0, repairing what the rules above repair; the error is the first
/// node no rule repairs.
pub(crate) fn tolerate(value: &mut Value) -> Result<(openapiv3::OpenAPI, Vec<Repair>), ShapeError> {
    let mut repairs = drop_empty_references(value);
    loop {
        let err = match typed(value) {
            Ok(spec) => return Ok((spec, repairs)),
            Err(err) => err,
        };
        if repairs.len() >= MAX_REPAIRS {
            return Err(err);
        }
        match repair(value, &err) {
            Some(repair) => repairs.push(repair),
            None => return Err(err),
        }
    }
}

/// Drops every `$ref: ""` of a document, decodes percent-encoded local references and reads
/// Swagger 2 parameters as 3.0 (see [`super::swagger2`]); one repair each. For 3.1 documents
/// too, which are read as 3.0 only once converted, but whose references are checked before.
pub(crate) fn drop_empty_references(value: &mut Value) -> Vec<Repair> {
    let mut repairs = Vec::new();
    references(value, String::new(), &mut repairs);
    repairs.extend(super::swagger2::parameters(value));
    repairs
}

/// Drops every `$ref: ""` (a reference to nothing; what it sits in becomes any value), and
/// decodes a local reference written percent-encoded.
fn references(node: &mut Value, pointer: String, repairs: &mut Vec<Repair>) {
    match node {
        Value::Object(object) => {
            if object.get("$ref").is_some_and(|reference| reference.as_str().is_some_and(|r| r.trim().is_empty())) {
                object.shift_remove("$ref");
                let note = "`$ref` is empty; dropped".to_string();
                repairs.push(Repair { pointer: child(&pointer, "$ref"), note });
            }
            if let Some(Value::String(reference)) = object.get_mut("$ref")
                && reference.starts_with('#')
                && reference.contains('%')
                && let Ok(decoded) = percent_encoding::percent_decode_str(reference).decode_utf8()
                && decoded != reference.as_str()
            {
                let note = format!("`$ref: {reference}` is percent-encoded; read as `{decoded}`");
                *reference = decoded.into_owned();
                repairs.push(Repair { pointer: child(&pointer, "$ref"), note });
            }
            for (key, value) in object.iter_mut() {
                if super::walk::is_walked(key) {
                    references(value, child(&pointer, key), repairs);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                references(item, format!("{pointer}/{index}"), repairs);
            }
        }
        _ => {}
    }
}

/// Repairs the node `err` names, when a rule applies.
fn repair(doc: &mut Value, err: &ShapeError) -> Option<Repair> {
    let message = err.message.as_str();
    if let Some(field) = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
        let default = match field {
            "responses" => json!({ "default": { "description": "no responses declared" } }),
            "description" | "title" | "version" => json!(""),
            _ => return None,
        };
        let node = doc.pointer_mut(&err.pointer)?.as_object_mut()?;
        node.insert(field.to_string(), default);
        let pointer = child(&err.pointer, field);
        return Some(Repair { pointer, note: format!("`{field}` is missing; defaulted") });
    }
    // A reference written as the bare pointer where an object belongs (`partner:
    // "#/components/schemas/X"`, or `properties: "#/components/schemas/X"` for "the properties
    // of X"): read as the `$ref` it means (an `allOf` of it, for `properties`).
    if message.starts_with("invalid type: string")
        && let Some(slot) = doc.pointer_mut(&err.pointer)
    {
        let is_reference = |value: &Value| value.as_str().is_some_and(|text| text.starts_with("#/"));
        if let Some(reference) = slot.as_str().filter(|_| is_reference(slot)).map(str::to_string) {
            *slot = json!({ "$ref": reference });
            let note = format!("a reference is written as the string `{reference}`; read as `$ref: {reference}`");
            return Some(Repair { pointer: err.pointer.clone(), note });
        }
        if let Some(object) = slot.as_object_mut()
            && let Some((key, reference)) = object
                .iter()
                .find(|(_, value)| is_reference(value))
                .map(|(key, value)| (key.clone(), value.as_str().unwrap_or_default().to_string()))
        {
            let note = if key == "properties" && !object.contains_key("allOf") {
                object.shift_remove("properties");
                object.insert("allOf".into(), json!([{ "$ref": reference }]));
                format!("`properties` is written as the string `{reference}`; read as `allOf: [$ref: {reference}]`")
            } else {
                object.insert(key.clone(), json!({ "$ref": reference }));
                format!("`{key}` is written as the string `{reference}`; read as `$ref: {reference}`")
            };
            return Some(Repair { pointer: child(&err.pointer, &key), note });
        }
    }
    let (pointer, node) = locate_leaf(doc, &err.pointer, message)?;
    let written = compact(&node);
    let (replacement, what) = if node.is_null() {
        (None, "`null` is not a value here; dropped".to_string())
    } else {
        match expected(message) {
            Expected::Boolean => {
                let boolean = match &node {
                    Value::Number(number) if number.as_f64() == Some(0.0) => false,
                    Value::Number(number) if number.as_f64() == Some(1.0) => true,
                    Value::String(text) if text.eq_ignore_ascii_case("true") => true,
                    Value::String(text) if text.eq_ignore_ascii_case("false") => false,
                    _ => return drop_keyword(doc, &pointer, &written, "a boolean"),
                };
                (Some(Value::Bool(boolean)), format!("the boolean is written as `{written}`; read as `{boolean}`"))
            }
            // A 3.1 type list in a 3.0 document: one type and `null` is a nullable type;
            // several types are any value (the keyword is dropped).
            Expected::String if pointer.ends_with("/type") && node.is_array() => {
                let types: Vec<&str> = node.as_array().into_iter().flatten().filter_map(Value::as_str).collect();
                let named: Vec<&str> = types.iter().copied().filter(|t| *t != "null").collect();
                match named.as_slice() {
                    [only] => {
                        let parent = pointer.trim_end_matches("/type").to_string();
                        let schema = doc.pointer_mut(&parent).and_then(Value::as_object_mut)?;
                        schema.insert("type".into(), json!(only));
                        if types.contains(&"null") {
                            schema.insert("nullable".into(), json!(true));
                        }
                        let note = format!("the type list `{written}` (OpenAPI 3.1) is read as `{only}`");
                        return Some(Repair { pointer, note });
                    }
                    _ => return drop_keyword(doc, &pointer, &written, "one type (a list is OpenAPI 3.1)"),
                }
            }
            Expected::String => match &node {
                Value::Number(_) | Value::Bool(_) => (
                    Some(Value::String(written.clone())),
                    format!("the string is written as `{written}`; read as text"),
                ),
                _ => return drop_keyword(doc, &pointer, &written, "a string"),
            },
            Expected::Integer => return drop_keyword(doc, &pointer, &written, "an integer that fits in 64 bits"),
            Expected::Other => return None,
        }
    };
    set(doc, &pointer, replacement)?;
    Some(Repair { pointer, note: what })
}

fn drop_keyword(doc: &mut Value, pointer: &str, written: &str, expected: &str) -> Option<Repair> {
    set(doc, pointer, None)?;
    Some(Repair { pointer: pointer.to_string(), note: format!("expected {expected}, found `{written}`; dropped") })
}

/// The keywords of each type that tolerant reading repairs.
const BOOLEAN_KEYWORDS: &[&str] = &[
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "required",
    "uniqueItems",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "explode",
    "allowReserved",
    "allowEmptyValue",
];
const STRING_KEYWORDS: &[&str] = &[
    "description",
    "title",
    "summary",
    "format",
    "pattern",
    "operationId",
    "termsOfService",
    "version",
    "url",
    "type",
];
const INTEGER_KEYWORDS: &[&str] = &[
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "multipleOf",
];

/// What the parser expected, from its message.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expected {
    Boolean,
    String,
    Integer,
    Other,
}

fn expected(message: &str) -> Expected {
    let expected = message.rsplit("expected ").next().unwrap_or_default();
    if message.contains("invalid type: null") {
        Expected::Other
    } else if expected.starts_with("a boolean") || expected.starts_with("bool") {
        Expected::Boolean
    } else if expected.starts_with("a string") {
        Expected::String
    } else if ["i64", "u64", "usize", "i32", "u32"].iter().any(|int| expected.starts_with(int)) {
        Expected::Integer
    } else {
        Expected::Other
    }
}

/// Whether `value` is wrong for a keyword of type `expected`.
fn misfits(expected: Expected, key: &str, value: &Value) -> bool {
    match expected {
        Expected::Boolean => BOOLEAN_KEYWORDS.contains(&key) && !value.is_boolean() && !value.is_array(),
        Expected::String => STRING_KEYWORDS.contains(&key) && !value.is_string(),
        Expected::Integer => INTEGER_KEYWORDS.contains(&key) && value.as_i64().is_none() && value.is_number(),
        Expected::Other => value.is_null(),
    }
}

/// The node the error is about: the one at `pointer` when it is a scalar, else (the parser
/// stopped at a schema or another node read as one of several shapes) the first keyword below
/// it whose value misfits what the parser expected.
fn locate_leaf(doc: &Value, pointer: &str, message: &str) -> Option<(String, Value)> {
    let node = doc.pointer(pointer)?;
    let key = tokens(pointer).pop().unwrap_or_default();
    if !(node.is_object() || node.is_array()) || misfits(expected(message), &key, node) {
        return Some((pointer.to_string(), node.clone()));
    }
    find_misfit(node, pointer, expected(message), 0).map(|(at, value)| (at, value.clone()))
}

fn find_misfit<'a>(node: &'a Value, pointer: &str, expected: Expected, depth: usize) -> Option<(String, &'a Value)> {
    if depth > 32 {
        return None;
    }
    let children: Vec<(String, &str, &Value)> = match node {
        Value::Object(object) => object
            .iter()
            .filter(|(key, _)| super::walk::is_walked(key))
            .map(|(key, value)| (child(pointer, key), key.as_str(), value))
            .collect(),
        Value::Array(items) => {
            items.iter().enumerate().map(|(index, item)| (format!("{pointer}/{index}"), "", item)).collect()
        }
        _ => return None,
    };
    // A keyword of this node first, then the nodes below it.
    if let Some((at, _, value)) = children.iter().find(|(_, key, value)| misfits(expected, key, value)) {
        return Some((at.clone(), value));
    }
    children.into_iter().find_map(|(at, _, value)| find_misfit(value, &at, expected, depth + 1))
}

/// Replaces the node at `pointer` (or removes it, with `None`).
fn set(doc: &mut Value, pointer: &str, replacement: Option<Value>) -> Option<()> {
    let mut path = tokens(pointer);
    let last = path.pop()?;
    let parent_pointer: String = path.iter().map(|token| format!("/{}", super::escape(token))).collect();
    match doc.pointer_mut(&parent_pointer)? {
        Value::Object(object) => match replacement {
            Some(value) => {
                object.insert(last, value);
            }
            None => {
                object.shift_remove(&last)?;
            }
        },
        Value::Array(items) => {
            let index: usize = last.parse().ok()?;
            match replacement {
                Some(value) => *items.get_mut(index)? = value,
                None if index < items.len() => {
                    items.remove(index);
                }
                None => return None,
            }
        }
        _ => return None,
    }
    Some(())
}

/// The node as one short line of JSON.
fn compact(node: &Value) -> String {
    let text = match node {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    if text.chars().count() > 60 { format!("{}…", text.chars().take(60).collect::<String>()) } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_what_is_not_strictly_3_0() {
        let mut doc = json!({
            "openapi": "3.0.3", "info": {"title": "T", "version": "1"},
            "paths": {"/x": {
                "get": {"operationId": "getX"},
                "post": {"operationId": "postX", "requestBody": null, "responses": {"200": {"description": "ok"}}},
            }},
            "components": {"schemas": {
                "A": {"type": "object", "nullable": 0, "properties": {"n": {"type": "string", "description": {"en": "N"}}}},
            }},
        });
        let (_, repairs) = tolerate(&mut doc).expect("repaired");
        let pointers: Vec<&str> = repairs.iter().map(|repair| repair.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/paths/~1x/get/responses",
                "/components/schemas/A/properties/n/description",
                "/components/schemas/A/nullable"
            ]
        );
        assert_eq!(doc.pointer("/components/schemas/A/nullable"), Some(&json!(false)));
        assert_eq!(doc.pointer("/components/schemas/A/properties/n/description"), None);
    }
}
