//! `allOf` shapes typify merges into the wrong type, or into a type no value fits (an empty
//! enum, which neither a request nor an answer can hold), rewritten into the shape that says
//! the same thing; one note per kind of rewrite ([`super::schema_shapes::notes`]):
//!
//! - `additionalProperties: false` on a schema with an `allOf`, `oneOf` or `anyOf`, on the
//!   inline parts of an `allOf` that intersects (several parts, or one and properties of its
//!   own) or on a component an `allOf` part refers to: dropped, since each closed part forbids
//!   the others' properties;
//! - a name in an `allOf` holder's `required` that an inline part's `properties` define, not
//!   its own (`{required: [kind], allOf: [{properties: {kind: ..}}, {$ref: Base}]}`): required
//!   in that part instead;
//! - a `$ref` with `nullable: true` or `required` beside it (`{$ref: Teammate, nullable:
//!   true}`), siblings OpenAPI 3.0 ignores although servers and mocks act on them: an `allOf`
//!   of the reference with them (`{allOf: [{$ref: Teammate}], nullable: true}`);
//! - `nullable: true` on an inline part of an `allOf` (`{allOf: [{properties: ..}, {nullable:
//!   true, properties: ..}]}`): a value must fit every part, so `null` fits the whole only when
//!   every part allows it. The holder is then `nullable` itself; otherwise the part's
//!   `nullable` is dropped (typify made the merged type an `Option` of a type of the holder's
//!   own name: `ApiKeyDetails(Option<ApiKeyDetails>)`).
//!
//! Before:
//!
//! ```yaml
//! Key:
//!   type: object
//!   additionalProperties: false
//!   required: [id]
//!   allOf:
//!     - {properties: {id: {type: string}}}
//!     - {nullable: true, properties: {created: {type: string}}}
//!     - {$ref: "#/components/schemas/Owned"}
//! ```
//!
//! After:
//!
//! ```yaml
//! Key:
//!   type: object
//!   allOf:
//!     - {properties: {id: {type: string}}, required: [id]}
//!     - {properties: {created: {type: string}}}
//!     - {$ref: "#/components/schemas/Owned"}
//! ```

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use crate::Error;
use crate::openapi::{Merged, escape, schemas_mut};

/// Rewrites every `allOf` shape of the document this module lists.
pub(crate) fn apply(merged: &mut Merged) -> Result<Vec<String>, Error> {
    let mut changes: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    open_all_of_parts(&mut merged.value, &mut changes);
    let _ = schemas_mut(&mut merged.value, &mut |path: &[String], schema: &mut Value| -> Result<(), ()> {
        let Some(object) = schema.as_object_mut() else { return Ok(()) };
        let pointer: String = path.iter().map(|token| format!("/{}", escape(token))).collect();
        let mut changed = Vec::new();
        if move_required_into_parts(object) {
            changed.push("a required property an inline `allOf` part defines made required there");
        }
        if reference_with_siblings(object) {
            changed.push("a `$ref` with `nullable` or `required` beside it made an `allOf` of the reference with them");
        }
        if let Some(what) = nullable_parts(object) {
            changed.push(what);
        }
        for what in changed {
            changes.entry(what).or_default().push(format!("#{pointer}"));
        }
        Ok(())
    });
    Ok(super::schema_shapes::notes("allOf shapes", changes))
}

/// OpenAPI 3.0 ignores a `$ref`'s siblings, but `nullable` or `required` there says what
/// servers send and want (and what mocks generate and check): `null` as well as the
/// referenced schema, or properties it leaves optional required here. Such a `$ref` becomes
/// an `allOf` of the reference with them; returns whether it did.
fn reference_with_siblings(object: &mut Map<String, Value>) -> bool {
    let nullable = object.get("nullable") == Some(&json!(true));
    let requires = object.get("required").and_then(Value::as_array).is_some_and(|names| !names.is_empty());
    if !(nullable || requires) {
        return false;
    }
    let Some(reference) = object.shift_remove("$ref") else { return false };
    object.insert("allOf".into(), json!([{"$ref": reference}]));
    true
}

/// Moves `nullable: true` from the parts of an `allOf` to the holder when every part says
/// it, else drops it from them (see the module documentation); what it did, if anything.
fn nullable_parts(object: &mut Map<String, Value>) -> Option<&'static str> {
    let Some(Value::Array(parts)) = object.get_mut("allOf") else { return None };
    let nullable = |part: &Value| part.get("nullable") == Some(&json!(true));
    if !parts.iter().any(nullable) {
        return None;
    }
    let every = parts.iter().all(nullable);
    for part in parts.iter_mut() {
        if let Some(part) = part.as_object_mut() {
            part.shift_remove("nullable");
        }
    }
    if every {
        object.insert("nullable".into(), json!(true));
        Some("`nullable` on every `allOf` part moved to the holder")
    } else {
        Some("`nullable` on an `allOf` part the others do not allow `null` in dropped")
    }
}

/// Moves each name of an `allOf` holder's `required` that its own `properties` lack to the
/// inline part whose `properties` define it (`{required: [kind], allOf: [{properties: {kind:
/// ..}}, {$ref: Base}]}`): typify reads the holder's requirement as one of a property it does
/// not have and makes the whole a type no value fits. Returns whether anything moved.
fn move_required_into_parts(object: &mut Map<String, Value>) -> bool {
    let own: Vec<String> = object
        .get("properties")
        .and_then(Value::as_object)
        .map(|own| own.keys().cloned().collect())
        .unwrap_or_default();
    let Some(Value::Array(required)) = object.get("required") else { return false };
    let names: Vec<String> = required
        .iter()
        .filter_map(Value::as_str)
        .filter(|name| !own.iter().any(|o| o == name))
        .map(String::from)
        .collect();
    let mut moved = Vec::new();
    if let Some(Value::Array(parts)) = object.get_mut("allOf") {
        for name in names {
            let defines = |part: &Value| part.get("properties").and_then(|p| p.get(&name)).is_some();
            let Some(part) = parts.iter_mut().find(|part| part.get("$ref").is_none() && defines(part)) else {
                continue;
            };
            let Some(part) = part.as_object_mut() else { continue };
            let list = part.entry("required").or_insert_with(|| json!([]));
            if let Value::Array(list) = list
                && !list.contains(&json!(name))
            {
                list.push(json!(name));
            }
            moved.push(name);
        }
    }
    if !moved.is_empty()
        && let Some(Value::Array(required)) = object.get_mut("required")
    {
        required.retain(|name| !name.as_str().is_some_and(|name| moved.iter().any(|m| m == name)));
        if required.is_empty() {
            object.shift_remove("required");
        }
    }
    !moved.is_empty()
}

/// Drops `additionalProperties: false` from every schema with an `allOf`, `oneOf` or `anyOf`,
/// from an `allOf`'s inline parts and from the components its parts refer to: each closed part
/// forbids the others' properties (a closed holder, its members'), so typify makes the whole a
/// type no value fits (an empty enum), which neither a request nor an answer can hold.
fn open_all_of_parts(doc: &mut Value, changes: &mut BTreeMap<&'static str, Vec<String>>) {
    fn open(schema: &mut Value) -> bool {
        let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
        closed && schema.as_object_mut().is_some_and(|object| object.shift_remove("additionalProperties").is_some())
    }
    // The inline part of an `allOf` of one part and nothing of its own is the schema itself,
    // no intersection: it stays as written (opened, a copy of a component titled like it
    // became a second type of that name).
    fn intersected(schema: &Value) -> Option<&Vec<Value>> {
        let own = schema.get("properties").is_some();
        schema.get("allOf").and_then(Value::as_array).filter(|parts| parts.len() > 1 || (own && !parts.is_empty()))
    }
    let mut referenced: BTreeSet<String> = BTreeSet::new();
    let _ = schemas_mut(doc, &mut |_: &[String], schema: &mut Value| -> Result<(), ()> {
        let parts = schema.get("allOf").and_then(Value::as_array).into_iter().flatten();
        referenced.extend(parts.filter_map(|part| part.get("$ref")?.as_str().map(String::from)));
        Ok(())
    });
    let _ = schemas_mut(doc, &mut |path: &[String], schema: &mut Value| -> Result<(), ()> {
        let pointer: String = path.iter().map(|token| format!("/{}", escape(token))).collect();
        let mut opened = referenced.contains(&format!("#{pointer}")) && open(schema);
        let intersection = intersected(schema).is_some();
        if intersection && let Some(Value::Array(parts)) = schema.get_mut("allOf") {
            for part in parts.iter_mut().filter(|part| part.get("$ref").is_none()) {
                opened |= open(part);
            }
        }
        // A union's holder closed to properties of its own closes every member it combines with.
        if ["allOf", "oneOf", "anyOf"].iter().any(|key| schema.get(*key).is_some()) {
            opened |= open(schema);
        }
        if opened {
            changes
                .entry("`additionalProperties: false` dropped around a union or an `allOf`")
                .or_default()
                .push(format!("#{pointer}"));
        }
        Ok(())
    });
}
