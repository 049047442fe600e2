//! Schema shapes progenitor rejects although their intent is clear, rewritten into the shape
//! that says the same thing; each kind of rewrite gets one note listing where it applied
//! ([`notes`]). The shapes of `allOf` typify merges wrongly are `spec::all_of`'s.
//!
//! - a `format` on an object, array or boolean (`{type: object, format: uri-map}`): typify
//!   panics on it, and it says nothing a Rust type can hold, so it is dropped;
//! - a `default` of the wrong JSON type (`{type: boolean, default: "false"}`): converted when
//!   the text reads as the schema's type (`false`), otherwise dropped, as is a `default` that
//!   is not one of the schema's `enum` values or outside its `minimum` and `maximum` (typify
//!   refuses these: "value does not conform to the given schema") or that does not read as its
//!   `format` (`{format: date-time, default: Assigned}`: typify would write code that panics
//!   the client whenever an answer leaves the property out);
//! - an `enum` of strings on an array (`{type: array, items: {type: string}, enum: [a, b]}`):
//!   moved to `items`, where it belongs;
//! - `enum` values of the wrong type on a string (`{type: string, enum: [3, null]}`): numbers
//!   and booleans become their text, `null` makes the schema `nullable`;
//! - an `enum` without a `type` whose values have several JSON types (`[true, false, 0, 1]`):
//!   typify cannot pick one, so the `enum` is dropped and any JSON value is accepted;
//! - an empty `oneOf` or `anyOf` (`oneOf: []`, with or without a `discriminator`): dropped,
//!   since it says nothing and typify makes it a type no value fits;
//! - a union whose members only say which properties are required (`anyOf: [{required: [id]},
//!   {required: [name]}]`): dropped, the object keeps its properties (typify would make one
//!   variant per member, each refusing the other's properties);
//! - an `anyOf` of members of different JSON types (`[{type: string}, {type: number}]`, a
//!   `$ref` to a list and one to an object), or of no object (`[{$ref: LanguageCode},
//!   {type: string}]`, a string enum or any string; a string, a date-time string or a list of
//!   either): read as `oneOf`, a value decoding as the first member it fits (typify makes a
//!   struct of flattened optional parts for `anyOf`, which no string or list decodes into);
//! - a required property that is `writeOnly` (`{required: [password], properties: {password:
//!   {writeOnly: true}}}`): not required, since answers leave it out and the one Rust type
//!   serves requests and answers;
//! - an integer's exclusive bound (`minimum: 0, exclusiveMinimum: true`, as OpenAPI 3.1's
//!   `exclusiveMinimum: 0` is converted): the next integer, inclusive (`minimum: 1`), the same
//!   values in the form mock servers' generators read (Prism's composes 0 for the other);
//! - a `$ref` to a schema inside another one (`#/components/schemas/Tag/allOf/0`): the target
//!   becomes a component of its own (`TagAllOf0`) and every such reference points at it.
//!
//! Before:
//!
//! ```yaml
//! Account: {properties: {
//!   HasAttachments: {type: boolean, default: "false"},
//!   links: {type: object, format: uri-map},
//!   tags: {type: array, items: {type: string}, enum: [a, b]},
//!   parent: {$ref: "#/components/schemas/Tag/allOf/0"},
//! }}
//! ```
//!
//! After:
//!
//! ```yaml
//! Account: {properties: {
//!   HasAttachments: {type: boolean, default: false},
//!   links: {type: object},
//!   tags: {type: array, items: {type: string, enum: [a, b]}},
//!   parent: {$ref: "#/components/schemas/TagAllOf0"},
//! }}
//! TagAllOf0: {..the schema at Tag/allOf/0..}
//! ```

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::error_bodies::{pascal, schemas_mut as schemas_mut_map};
use crate::Error;
use crate::openapi::samples::fits_number;
use crate::openapi::{Kind, Merged, escape, is_walked, kind_of, schemas_mut, tokens};

/// The mark of a `oneOf` that was an `anyOf` of different JSON types.
pub(crate) const ANY_OF_EXTENSION: &str = "x-codegen-any-of";

/// How many places a note lists by pointer; the rest are counted.
const LISTED: usize = 3;

/// Normalises every schema of the document.
pub(crate) fn apply(merged: &mut Merged) -> Result<Vec<String>, Error> {
    let mut changes: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    hoist_inner_references(&mut merged.value, &mut changes);
    inline_foreign_references(&mut merged.value, &mut changes);
    let types = component_types(&merged.value);
    let _ = schemas_mut(&mut merged.value, &mut |path: &[String], schema: &mut Value| -> Result<(), ()> {
        let Some(object) = schema.as_object_mut() else { return Ok(()) };
        let pointer: String = path.iter().map(|token| format!("/{}", escape(token))).collect();
        for what in normalise(object, &types) {
            changes.entry(what).or_default().push(format!("#{pointer}"));
        }
        Ok(())
    });
    Ok(notes("schema shapes", changes))
}

/// One note per kind of rewrite: `<pass>: <what> (<count>: <the first places>, and N more)`.
pub(super) fn notes(pass: &str, changes: BTreeMap<&'static str, Vec<String>>) -> Vec<String> {
    changes
        .into_iter()
        .map(|(what, places)| {
            let count = places.len();
            let mut listed: Vec<String> = places.into_iter().take(LISTED).collect();
            if count > LISTED {
                listed.push(format!("and {} more", count - LISTED));
            }
            format!("{pass}: {what} ({count}: {})", listed.join(", "))
        })
        .collect()
}

/// The JSON type of each component that states one and is no union (`#/components/schemas/Code`
/// → `string`), for reading an `anyOf` of references.
fn component_types(doc: &Value) -> BTreeMap<String, String> {
    let Some(schemas) = doc.pointer("/components/schemas").and_then(Value::as_object) else { return BTreeMap::new() };
    schemas
        .iter()
        .filter_map(|(name, schema)| {
            Some((format!("#/components/schemas/{}", escape(name)), member_type(schema, &BTreeMap::new())?.to_string()))
        })
        .collect()
}

/// The JSON type a union member stands for (inline, or a reference to one of `types`), when it
/// states one and is no union itself; `integer` counts as `number` (`1` is both).
fn member_type<'a>(member: &'a Value, types: &'a BTreeMap<String, String>) -> Option<&'a str> {
    if let Some(reference) = member.get("$ref").and_then(Value::as_str) {
        return types.get(reference).map(String::as_str);
    }
    if ["allOf", "anyOf", "oneOf"].iter().any(|key| member.get(*key).is_some()) {
        return None;
    }
    match member.get("type").and_then(Value::as_str)? {
        "integer" => Some("number"),
        kind => Some(kind),
    }
}

/// Whether an `anyOf`'s members are of different JSON types (string, number, object, array,
/// ...), or none is an object (a string enum and any string, a string and a list of strings): a
/// value then decodes as the first member it fits, where typify makes a struct of optional
/// flattened parts for `anyOf`, which no scalar or list decodes into.
fn exclusive_members(members: &[Value], types: &BTreeMap<String, String>, holder: Option<&str>) -> bool {
    // A member that states no type of its own (`{format: date}`) has its holder's scalar type.
    let inherited = holder.filter(|kind| matches!(*kind, "string" | "number" | "integer" | "boolean"));
    let plain = |member: &Value| {
        member.as_object().is_some_and(|member| {
            !["type", "$ref", "allOf", "anyOf", "oneOf", "properties", "items"]
                .iter()
                .any(|key| member.contains_key(*key))
        })
    };
    let kinds: Option<Vec<&str>> = members
        .iter()
        .map(|member| match inherited {
            Some(kind) if plain(member) => Some(if kind == "integer" { "number" } else { kind }),
            _ => member_type(member, types),
        })
        .collect();
    let Some(kinds) = kinds.filter(|kinds| kinds.len() > 1) else { return false };
    let distinct: BTreeSet<&str> = kinds.iter().copied().collect();
    distinct.len() == kinds.len() || !kinds.contains(&"object")
}

/// Rewrites one schema; returns what it changed.
fn normalise(object: &mut Map<String, Value>, types: &BTreeMap<String, String>) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let kind = object.get("type").and_then(Value::as_str).map(String::from);
    let kind = kind.as_deref();

    if object.contains_key("format") && matches!(kind, Some("object" | "array" | "boolean")) {
        object.shift_remove("format");
        changed.push("a `format` on an object, array or boolean dropped");
    }

    if kind == Some("array")
        && let Some(Value::Array(values)) = object.get("enum")
        && values.iter().all(Value::is_string)
        && let Some(Value::Object(items)) = object.get("items")
        && !items.contains_key("enum")
        && !items.contains_key("$ref")
        && let Some(values) = object.shift_remove("enum")
        && let Some(Value::Object(items)) = object.get_mut("items")
    {
        items.insert("enum".into(), values);
        changed.push("an array's `enum` moved to its `items`");
    }

    // A `writeOnly` property is never in an answer: required of requests only, it is optional
    // in the one type both directions share (an answer without it would not decode).
    let write_only: Vec<String> = object
        .get("properties")
        .and_then(Value::as_object)
        .map(|properties| {
            properties
                .iter()
                .filter(|(_, schema)| schema.get("writeOnly") == Some(&json!(true)))
                .map(|(name, _)| name.clone())
                .collect()
        })
        .unwrap_or_default();
    if let Some(Value::Array(required)) = object.get_mut("required") {
        let before = required.len();
        required.retain(|name| !name.as_str().is_some_and(|name| write_only.iter().any(|w| w == name)));
        if required.len() < before {
            changed.push("a required `writeOnly` property made optional (answers leave it out)");
        }
    }

    let already_nullable = object.get("nullable") == Some(&json!(true));

    if kind == Some("string")
        && let Some(Value::Array(values)) = object.get_mut("enum")
        && values.iter().any(|value| value.is_number() || value.is_boolean() || (value.is_null() && !already_nullable))
    {
        let mut nullable = false;
        for value in values.iter_mut() {
            match value {
                Value::Number(number) => *value = json!(number.to_string()),
                Value::Bool(flag) => *value = json!(flag.to_string()),
                Value::Null => nullable = true,
                _ => {}
            }
        }
        if nullable {
            object.insert("nullable".into(), json!(true));
        }
        changed.push("a string `enum`'s other values made strings (`null`: `nullable`)");
    }

    if kind.is_none()
        && !object.contains_key("$ref")
        && let Some(Value::Array(values)) = object.get("enum")
    {
        let mut kinds: Vec<&str> = values.iter().filter(|value| !value.is_null()).map(json_type).collect();
        kinds.sort_unstable();
        kinds.dedup();
        if kinds.len() > 1 {
            object.shift_remove("enum");
            changed.push("an untyped `enum` of several JSON types dropped");
        }
    }

    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = object.get(key) else { continue };
        if members.is_empty() {
            // No member: the union says nothing (typify would make a type no value fits).
            object.shift_remove(key);
            object.shift_remove("discriminator");
            changed.push("an empty `oneOf` or `anyOf` dropped");
            continue;
        }
        if !members.is_empty() && members.iter().all(only_constrains) {
            object.shift_remove(key);
            changed.push("a union whose members only say what is required dropped (the object stays)");
        } else if key == "anyOf" && exclusive_members(members, types, kind) {
            let members = object.shift_remove(key).unwrap_or_default();
            object.insert("oneOf".into(), members);
            // The mock document gives the `anyOf` back: with nullable members, `null` fits
            // several, which `oneOf` forbids.
            object.insert(ANY_OF_EXTENSION.into(), json!(true));
            changed.push("an `anyOf` of different JSON types, or of no object, read as `oneOf` (the first that fits)");
        }
    }

    // An integer's exclusive bound is the next integer, inclusive: the same values, in the form
    // typify and mock servers' generators read alike (Prism's composes 0 for `minimum: 0,
    // exclusiveMinimum: true`).
    if kind == Some("integer") {
        let before = changed.len();
        for (exclusive, bound, next) in
            [("exclusiveMinimum", "minimum", f64::floor as fn(f64) -> f64), ("exclusiveMaximum", "maximum", f64::ceil)]
        {
            if object.get(exclusive) == Some(&json!(true))
                && let Some(limit) = object.get(bound).and_then(Value::as_f64)
            {
                let step = if bound == "minimum" { 1.0 } else { -1.0 };
                object.insert(bound.into(), json!((next(limit) + step) as i64));
                object.shift_remove(exclusive);
                if changed.len() == before {
                    changed.push("an integer's exclusive bound made the next integer, inclusive");
                }
            }
        }
    }

    if let Some(default) = object.get("default").cloned() {
        match fitting_default(object, kind, default) {
            Fit::Fits => {}
            Fit::Converted(value) => {
                object.insert("default".into(), value);
                changed.push("a `default` of the wrong type converted");
            }
            Fit::Dropped => {
                object.shift_remove("default");
                changed.push("a `default` that does not fit the schema dropped");
            }
        }
    }
    changed
}

/// Whether a union member only constrains the object around it (`{required: [id]}`), adding
/// no shape of its own: the union then says "one of these is present", which a type need not
/// hold, while typify would make a variant per member, each missing the other's properties.
fn only_constrains(member: &Value) -> bool {
    const CONSTRAINTS: [&str; 6] = ["required", "minProperties", "maxProperties", "description", "title", "not"];
    member
        .as_object()
        .is_some_and(|member| !member.is_empty() && member.keys().all(|key| CONSTRAINTS.contains(&key.as_str())))
}

/// What to do with a schema's `default`.
enum Fit {
    Fits,
    Converted(Value),
    Dropped,
}

fn fitting_default(object: &Map<String, Value>, kind: Option<&str>, default: Value) -> Fit {
    let converted = match (kind, &default) {
        (Some("boolean"), Value::String(text)) => text.trim().parse::<bool>().ok().map(Value::Bool),
        (Some("integer"), Value::String(text)) => text.trim().parse::<i64>().ok().map(|n| json!(n)),
        (Some("number"), Value::String(text)) => text.trim().parse::<f64>().ok().map(|n| json!(n)),
        (Some("string"), Value::Number(number)) => Some(json!(number.to_string())),
        (Some("string"), Value::Bool(flag)) => Some(json!(flag.to_string())),
        _ => None,
    };
    let value = converted.clone().unwrap_or(default);
    let nullable = object.get("nullable") == Some(&json!(true));
    let type_fits = match kind {
        None => true,
        Some(_) if value.is_null() => nullable,
        Some("integer") => value.is_i64() || value.is_u64(),
        Some(kind) => json_type(&value) == kind || (kind == "number" && value.is_number()),
    };
    let enum_fits = match object.get("enum") {
        Some(Value::Array(values)) => values.contains(&value),
        _ => true,
    };
    let within_bounds = value.as_f64().is_none_or(|number| fits_number(object, number));
    let reads_as_format = match (kind, &value) {
        (Some("string"), Value::String(_)) => reads_as(object.get("format").and_then(Value::as_str), &value),
        _ => true,
    };
    match (type_fits && enum_fits && within_bounds && reads_as_format, converted) {
        (true, Some(value)) => Fit::Converted(value),
        (true, None) => Fit::Fits,
        (false, _) => Fit::Dropped,
    }
}

/// Whether a string reads as the Rust type typify gives its `format`. typify writes such a
/// `default` as `serde_json::from_str::<Type>(..).unwrap()`, which the generated client runs
/// whenever an answer leaves the property out: a date-time `default: Assigned` would panic it.
fn reads_as(format: Option<&str>, value: &Value) -> bool {
    fn reads<T: serde::de::DeserializeOwned>(value: &Value) -> bool {
        T::deserialize(value).is_ok()
    }
    match format {
        Some("date-time") => reads::<chrono::DateTime<chrono::Utc>>(value),
        Some("date") => reads::<chrono::NaiveDate>(value),
        Some("uuid") => reads::<uuid::Uuid>(value),
        Some("ip") => reads::<std::net::IpAddr>(value),
        Some("ipv4") => reads::<std::net::Ipv4Addr>(value),
        Some("ipv6") => reads::<std::net::Ipv6Addr>(value),
        _ => true,
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(number) if number.is_i64() || number.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Points every `$ref` to a schema inside another schema (deeper than
/// `#/components/schemas/<name>`) at a component holding a copy of it. A copy's own such
/// references (a `definitions` entry referring to its sibling) are hoisted in turn.
fn hoist_inner_references(doc: &mut Value, changes: &mut BTreeMap<&'static str, Vec<String>>) {
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    // Each round hoists what the previous round's copies refer to; a bound for safety.
    for _ in 0..16 {
        let mut targets: BTreeSet<String> = BTreeSet::new();
        let _ = schemas_mut(doc, &mut |_: &[String], schema: &mut Value| -> Result<(), ()> {
            if let Some(reference) = schema.get("$ref").and_then(Value::as_str)
                && let Some(pointer) = reference.strip_prefix('#')
                && !matches!(tokens(pointer).as_slice(), [components, schemas, _] if components == "components" && schemas == "schemas")
                && !names.contains_key(reference)
            {
                targets.insert(reference.to_string());
            }
            Ok(())
        });
        let before = names.len();
        for reference in targets {
            let Some(schema) = doc.pointer(&reference[1..]).cloned() else { continue };
            let path = tokens(&reference[1..]);
            let skip = if path.first().is_some_and(|token| token == "components") { 2 } else { 0 };
            let base: String = path.iter().skip(skip).map(|token| pascal(token)).collect();
            let name = crate::names::free_component(doc, &[base]);
            schemas_mut_map(doc).insert(name.clone(), schema);
            names.insert(reference, name);
        }
        if names.len() == before {
            break;
        }
    }
    if names.is_empty() {
        return;
    }
    let _ = schemas_mut(doc, &mut |path: &[String], schema: &mut Value| -> Result<(), ()> {
        if let Some(Value::String(reference)) = schema.get_mut("$ref")
            && let Some(name) = names.get(reference.as_str())
        {
            *reference = format!("#/components/schemas/{name}");
            let pointer: String = path.iter().map(|token| format!("/{}", escape(token))).collect();
            changes
                .entry("a `$ref` into another schema pointed at a component of its own")
                .or_default()
                .push(format!("#{pointer}"));
        }
        Ok(())
    });
}

/// Replaces every response, parameter, request body or header written as a `$ref` to a place
/// other than `#/components/<section>/<name>` (`#/paths/~1a/get/responses/200`, which
/// progenitor cannot follow) with a copy of what it points to.
fn inline_foreign_references(doc: &mut Value, changes: &mut BTreeMap<&'static str, Vec<String>>) {
    fn walk(node: &mut Value, path: &mut Vec<String>, source: &Value, found: &mut Vec<String>, depth: usize) {
        if depth > 64 {
            return;
        }
        if let Some(reference) = node.get("$ref").and_then(Value::as_str)
            && matches!(kind_of(path), Some(Kind::Response | Kind::Parameter | Kind::RequestBody | Kind::Header))
            && !matches!(tokens(reference.trim_start_matches('#')).as_slice(), [components, _, _] if components == "components")
            && let Ok(target) = crate::openapi::resolve(source, node)
        {
            *node = target.clone();
            found.push(path.iter().map(|token| format!("/{}", escape(token))).collect());
        }
        match node {
            Value::Object(map) => {
                for (key, value) in map.iter_mut().filter(|(key, _)| is_walked(key)) {
                    path.push(key.clone());
                    walk(value, path, source, found, depth + 1);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter_mut().enumerate() {
                    path.push(index.to_string());
                    walk(item, path, source, found, depth + 1);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let source = doc.clone();
    let mut found = Vec::new();
    if let Some(paths) = doc.get_mut("paths") {
        walk(paths, &mut vec!["paths".to_string()], &source, &mut found, 0);
    }
    for pointer in found {
        changes
            .entry("a `$ref` to a place outside `components` replaced by a copy of its target")
            .or_default()
            .push(format!("#{pointer}"));
    }
}
