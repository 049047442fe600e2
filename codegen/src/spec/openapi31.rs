//! OpenAPI 3.1 → 3.0: progenitor reads OpenAPI 3.0 only, so a 3.1 document is rewritten into
//! the 3.0 form that means the same, and a schema with what has no 3.0 form becomes
//! `serde_json::Value` (a degradation naming the file and the JSON pointer; an error for a
//! strict vendor).
//!
//! Before:
//!
//! ```yaml
//! openapi: 3.1.0
//! webhooks: {memberAdded: {..}}
//! components: {schemas: {Member: {properties: {
//!   nickname: {type: [string, "null"], examples: [Bo]},
//!   manager: {anyOf: [{$ref: "#/components/schemas/Member"}, {type: "null"}]},
//!   kind: {const: member},
//!   age: {type: integer, exclusiveMinimum: 0},
//!   role: {$ref: "#/components/schemas/Role", description: The member's role},
//! }}}}
//! ```
//!
//! After (and one note counting each rewrite):
//!
//! ```yaml
//! openapi: 3.0.3
//! components: {schemas: {Member: {properties: {
//!   nickname: {type: string, nullable: true, example: Bo},
//!   manager: {allOf: [{$ref: "#/components/schemas/Member"}], nullable: true},
//!   kind: {enum: [member]},
//!   age: {type: integer, minimum: 0, exclusiveMinimum: true},
//!   role: {$ref: "#/components/schemas/Role"},
//! }}}}
//! ```
//!
//! `nullable: true` on a property keeps the three-state `Nullable` of `rust::nullable`.
//! Several non-null types become an `anyOf` of one schema per type; `webhooks`,
//! `jsonSchemaDialect`, `info.license.identifier`, `info.summary`, `components.pathItems` and
//! `mutualTLS` security schemes are left out (a client does not receive webhooks); annotations and validation-only keywords
//! that do not shape a Rust type (`$id`, `$comment`, `contains`, `propertyNames`, ...) are
//! dropped. A tuple whose members are all one schema is an array of it, and
//! `patternProperties` of one schema a map of it; other tuples (`prefixItems`), conditionals
//! (`if`/`then`/`else`), `dependentSchemas`, other `patternProperties`, `$dynamicRef` and
//! `false` schemas degrade to `serde_json::Value`.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::Error;
use crate::openapi::{ANNOTATIONS, Merged, escape, is_openapi_31, schemas_mut};

/// The version a converted document declares.
const CONVERTED_VERSION: &str = "3.0.3";

/// 3.1 keywords dropped because they validate without shaping the Rust type.
const DROPPED: &[&str] = &[
    "$schema",
    "$id",
    "$anchor",
    "$comment",
    "$vocabulary",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "dependentRequired",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];

/// 3.1 keywords with no 3.0 form, and what they are.
const REFUSED: &[(&str, &str)] = &[
    ("prefixItems", "a tuple array"),
    ("if", "a conditional schema"),
    ("then", "a conditional schema"),
    ("else", "a conditional schema"),
    ("dependentSchemas", "schemas that depend on other properties"),
    ("patternProperties", "properties named by a pattern"),
    ("$dynamicRef", "a dynamic reference"),
];

/// Converts the document when it declares OpenAPI 3.1; one note says what changed.
pub(crate) fn apply(merged: &mut Merged) -> Result<Vec<String>, Error> {
    if !is_openapi_31(&merged.value) {
        return Ok(Vec::new());
    }
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let doc = &mut merged.value;
    let version = doc["openapi"].as_str().unwrap_or_default().to_string();
    doc["openapi"] = json!(CONVERTED_VERSION);
    if let Some(object) = doc.as_object_mut() {
        if let Some(Value::Object(webhooks)) = object.shift_remove("webhooks") {
            *counts.entry("webhooks left out").or_default() += webhooks.len();
        }
        object.shift_remove("jsonSchemaDialect");
        object.entry("paths").or_insert_with(|| json!({}));
    }
    if let Some(info) = doc.get_mut("info").and_then(Value::as_object_mut) {
        info.shift_remove("summary");
        if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
            license.shift_remove("identifier");
        }
    }
    if let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) {
        components.shift_remove("pathItems");
        // A client certificate is the HTTP client's configuration, not a request's: the
        // requirements that name one are skipped by `rust::auth`.
        if let Some(schemes) = components.get_mut("securitySchemes").and_then(Value::as_object_mut) {
            let before = schemes.len();
            schemes.retain(|_, scheme| scheme.get("type").and_then(Value::as_str) != Some("mutualTLS"));
            if schemes.len() < before {
                *counts.entry("mutualTLS security schemes left out").or_default() += before - schemes.len();
            }
        }
    }

    // What has no 3.0 form degrades: that schema becomes `serde_json::Value`.
    let mut untyped: Vec<(String, String)> = Vec::new();
    let _ = schemas_mut(doc, &mut |path: &[String], schema: &mut Value| -> Result<(), ()> {
        if let Err(message) = convert(path, schema, &mut counts) {
            let pointer: String = path.iter().map(|token| format!("/{}", escape(token))).collect();
            *schema = crate::openapi::untyped(schema);
            untyped.push((pointer, message));
        }
        Ok(())
    });
    for (pointer, message) in untyped {
        let file = merged.file_of(&pointer).to_string();
        merged.degradations.push(crate::Degradation {
            kind: crate::DegradeKind::Schema31,
            file,
            location: format!("#{pointer}"),
            operation: crate::openapi::operation_of(&pointer),
            note: format!("{message}, which has no OpenAPI 3.0 form; it is `serde_json::Value`"),
        });
    }
    let changes: Vec<String> = counts.iter().map(|(what, count)| format!("{what} ({count})")).collect();
    let changes = if changes.is_empty() { String::new() } else { format!(": {}", changes.join(", ")) };
    Ok(vec![format!("converted the document from OpenAPI {version} to {CONVERTED_VERSION}{changes}")])
}

/// Rewrites one schema (not the schemas inside it) into its 3.0 form.
fn convert(path: &[String], schema: &mut Value, counts: &mut BTreeMap<&'static str, usize>) -> Result<(), String> {
    let object = match schema {
        Value::Bool(true) => {
            *schema = json!({});
            *counts.entry("`true` schema → `{}`").or_default() += 1;
            return Ok(());
        }
        // `additionalProperties: false` is 3.0 as well.
        Value::Bool(false) if path.last().is_some_and(|key| key == "additionalProperties") => return Ok(()),
        Value::Bool(false) => return Err("the schema is `false` (no value is valid)".into()),
        Value::Object(object) => object,
        _ => return Ok(()),
    };
    if uniform_tuple(object) {
        *counts.entry("tuple of one type → array").or_default() += 1;
    }
    if pattern_map(object) {
        *counts.entry("`patternProperties` of one schema → `additionalProperties`").or_default() += 1;
    }
    if let Some((keyword, what)) = REFUSED.iter().find(|(keyword, _)| object.contains_key(*keyword)) {
        return Err(format!("`{keyword}` is {what}"));
    }
    for keyword in DROPPED {
        object.shift_remove(*keyword);
    }
    let mut count = |what: &'static str| *counts.entry(what).or_default() += 1;

    if let Some(Value::Array(examples)) = object.get("examples") {
        if !object.contains_key("example")
            && let Some(first) = examples.first().cloned()
        {
            object.insert("example".into(), first);
        }
        object.shift_remove("examples");
        count("`examples` → `example`");
    }
    if let Some(value) = object.shift_remove("const") {
        if value.is_null() {
            object.insert("type".into(), json!("null"));
        } else {
            object.entry("enum").or_insert_with(|| json!([value]));
        }
        count("`const` → `enum`");
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(limit) = object.get(exclusive).filter(|value| value.is_number()).cloned() {
            object.insert(bound.into(), limit);
            object.insert(exclusive.into(), json!(true));
            count("numeric exclusive bound");
        }
    }
    if let Some(encoding) = object.shift_remove("contentEncoding")
        && encoding == "base64"
        && !object.contains_key("format")
    {
        object.insert("format".into(), json!("byte"));
    }
    if let Some(media) = object.shift_remove("contentMediaType")
        && !object.contains_key("format")
        && media.as_str().is_some_and(|media| !media.starts_with("text/") && !media.contains("json"))
    {
        object.insert("format".into(), json!("binary"));
    }
    if object.contains_key("$ref") && object.len() > 1 {
        ref_with_siblings(object);
        count("`$ref` with siblings");
    }
    if let Some(types) = object.get("type").cloned() {
        convert_type(object, types, &mut count)?;
    }
    for keyword in ["oneOf", "anyOf"] {
        let Some(Value::Array(members)) = object.get_mut(keyword) else { continue };
        let before = members.len();
        members.retain(|member| !is_null_schema(member));
        if members.len() < before {
            count("null member of `oneOf`/`anyOf` → `nullable`");
            object.insert("nullable".into(), json!(true));
            // One member left: the 3.0 idiom for a nullable reference.
            if let Some(Value::Array(members)) = object.get(keyword)
                && members.len() == 1
                && !object.contains_key("allOf")
                && let Some(Value::Array(members)) = object.shift_remove(keyword)
            {
                object.insert("allOf".into(), Value::Array(members));
            }
        }
    }
    Ok(())
}

/// `prefixItems: [A, A]` (every member the same schema, no other `items`) → `items: A`, with
/// `maxItems` when `items: false` closed the tuple; other tuples stay for the refusal.
fn uniform_tuple(object: &mut Map<String, Value>) -> bool {
    let Some(Value::Array(members)) = object.get("prefixItems") else { return false };
    let Some(first) = members.first().cloned() else { return false };
    let closed = object.get("items") == Some(&Value::Bool(false));
    if !members.iter().all(|member| *member == first) || !(closed || object.get("items").is_none_or(|i| *i == first)) {
        return false;
    }
    let count = members.len();
    object.shift_remove("prefixItems");
    object.insert("items".into(), first);
    if closed {
        object.insert("maxItems".into(), json!(count));
    }
    true
}

/// `patternProperties` whose patterns all have the same schema, on an object without other
/// `additionalProperties`: a map of that schema (the key pattern only validates).
fn pattern_map(object: &mut Map<String, Value>) -> bool {
    let Some(Value::Object(patterns)) = object.get("patternProperties") else { return false };
    let Some(first) = patterns.values().next().cloned() else { return false };
    let open = object.get("additionalProperties").is_none_or(|a| *a == Value::Bool(false) || *a == first);
    if !open || !patterns.values().all(|schema| *schema == first) {
        return false;
    }
    object.shift_remove("patternProperties");
    object.insert("additionalProperties".into(), first);
    true
}

/// `type: [string, "null"]` → `type: string, nullable: true`; several non-null types → an
/// `anyOf` with one schema per type; `type: "null"` → the 3.0 null schema `enum: [null]`.
fn convert_type(
    object: &mut Map<String, Value>,
    types: Value,
    count: &mut impl FnMut(&'static str),
) -> Result<(), String> {
    let names: Vec<String> = match &types {
        Value::String(name) => vec![name.clone()],
        Value::Array(names) => names.iter().filter_map(Value::as_str).map(String::from).collect(),
        _ => return Ok(()),
    };
    let nullable = names.iter().any(|name| name == "null");
    let others: Vec<&String> = names.iter().filter(|name| *name != "null").collect();
    match others.as_slice() {
        [] => {
            object.shift_remove("type");
            object.insert("enum".into(), json!([null]));
            count("`type: null` → `enum: [null]`");
        }
        [single] if types.is_array() => {
            object.insert("type".into(), json!(single));
            if nullable {
                object.insert("nullable".into(), json!(true));
                count("type array with null → `nullable`");
            }
        }
        [_] => {}
        several => {
            if ["oneOf", "anyOf", "allOf"].iter().any(|keyword| object.contains_key(*keyword)) {
                return Err(format!("`type: {types}` next to `oneOf`/`anyOf`/`allOf`"));
            }
            object.shift_remove("type");
            let mut members = Vec::new();
            for name in several {
                let mut member = Map::new();
                member.insert("type".into(), json!(name));
                for (keyword, value) in object.iter() {
                    if applies_to(keyword, name) {
                        member.insert(keyword.clone(), value.clone());
                    }
                }
                if let Some(Value::Array(values)) = object.get("enum") {
                    let fitting: Vec<Value> = values.iter().filter(|value| is_of_type(value, name)).cloned().collect();
                    member.insert("enum".into(), Value::Array(fitting));
                }
                members.push(Value::Object(member));
            }
            object.retain(|keyword, _| !several.iter().any(|name| applies_to(keyword, name)) && keyword != "enum");
            object.insert("anyOf".into(), Value::Array(members));
            if nullable {
                object.insert("nullable".into(), json!(true));
            }
            count("type array → `anyOf`");
        }
    }
    Ok(())
}

/// Whether a schema keyword constrains values of JSON type `name`.
fn applies_to(keyword: &str, name: &str) -> bool {
    match name {
        "string" => matches!(keyword, "format" | "pattern" | "minLength" | "maxLength"),
        "integer" | "number" => {
            matches!(keyword, "format" | "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf")
        }
        "array" => matches!(keyword, "items" | "minItems" | "maxItems" | "uniqueItems"),
        "object" => {
            matches!(keyword, "properties" | "required" | "additionalProperties" | "minProperties" | "maxProperties")
        }
        _ => false,
    }
}

fn is_of_type(value: &Value, name: &str) -> bool {
    match name {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// Whether a `oneOf`/`anyOf` member (still in 3.1 form) only allows `null`.
fn is_null_schema(member: &Value) -> bool {
    match member.get("type") {
        Some(Value::String(name)) => name == "null",
        Some(Value::Array(names)) => names.iter().all(|name| name == "null"),
        _ => member.get("const").is_some_and(Value::is_null) || member.get("enum") == Some(&json!([null])),
    }
}

/// A `$ref` with siblings: 3.1 applies both, 3.0 ignores the siblings. Annotations and
/// extensions (`x-internal`) are dropped (the referenced schema has its own; neither
/// constrains a value); anything else is kept through `allOf`.
fn ref_with_siblings(object: &mut Map<String, Value>) {
    let reference = object.shift_remove("$ref").unwrap_or_default();
    object.retain(|keyword, _| !ANNOTATIONS.contains(&keyword.as_str()) && !keyword.starts_with("x-"));
    let nullable_type = matches!(object.get("type"), Some(Value::String(name)) if name == "null");
    if object.is_empty() {
        object.insert("$ref".into(), reference);
        return;
    }
    let nullable = object.shift_remove("nullable").is_some_and(|value| value == json!(true));
    let rest = std::mem::take(object);
    let mut all_of = vec![json!({ "$ref": reference })];
    if !rest.is_empty() && !nullable_type {
        all_of.push(Value::Object(rest));
    }
    object.insert("allOf".into(), Value::Array(all_of));
    if nullable || nullable_type {
        object.insert("nullable".into(), json!(true));
    }
}
