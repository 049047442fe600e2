//! A `discriminator`'s values written into the members it tells apart.
//!
//! Typify reads no `discriminator`: a `oneOf` of objects is an untagged enum, decoded as the
//! first member that accepts the value. When the members share a shape (an image and a video
//! message, each `{id, link?, caption?}`) the first one takes them all, and a property only
//! the later member has is dropped. The discriminator says which member a value is: the
//! `mapping`'s key, or a member component's own name. This pass writes that value into the
//! member's property as a one-value `enum` (`messageType: {type: string, enum: [Image]}`),
//! which typify types as an enum of its own that only that member accepts
//! (`rust::union_tags` keeps it closed).
//!
//! It writes into a member's own `properties` only (its inline `allOf` parts included), where
//! the property is a plain string with no `enum`: a property inherited from a shared base
//! schema is left alone, since every other schema built on the base would change with it.
//!
//! Before:
//!
//! ```yaml
//! Message: {oneOf: [{$ref: Video}, {$ref: Image}], discriminator: {propertyName: kind}}
//! Video: {properties: {kind: {type: string}, id: {type: string}}}
//! Image: {properties: {kind: {type: string}, id: {type: string}, caption: {type: string}}}
//! ```
//!
//! After: `Video.kind` is `{type: string, enum: [Video]}`, `Image.kind` `{type: string, enum:
//! [Image]}`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::Error;
use crate::openapi::{Merged, schemas_mut};

/// Writes each discriminator's values into its members; one note listing where.
pub(crate) fn apply(merged: &mut Merged) -> Result<Vec<String>, Error> {
    // Member component pointer → (property, values).
    let mut tags: BTreeMap<String, (String, BTreeSet<String>)> = BTreeMap::new();
    let _ = schemas_mut(&mut merged.value, &mut |_: &[String], schema: &mut Value| -> Result<(), ()> {
        let Some(property) = schema.pointer("/discriminator/propertyName").and_then(Value::as_str) else {
            return Ok(());
        };
        let mapping = schema.pointer("/discriminator/mapping").and_then(Value::as_object);
        let members = ["oneOf", "anyOf"].iter().filter_map(|key| schema.get(*key)?.as_array()).flatten();
        for reference in members.filter_map(|member| member.get("$ref")?.as_str()) {
            let Some(name) = reference.strip_prefix("#/components/schemas/") else { continue };
            // The mapping's keys that name this member (by reference or by name), else its name.
            let mut values: BTreeSet<String> = mapping
                .into_iter()
                .flatten()
                .filter(|(_, target)| target.as_str().is_some_and(|target| target == reference || target == name))
                .map(|(value, _)| value.clone())
                .collect();
            if values.is_empty() {
                values.insert(crate::openapi::unescape(name));
            }
            let entry =
                tags.entry(reference[1..].to_string()).or_insert_with(|| (property.to_string(), BTreeSet::new()));
            if entry.0 == property {
                entry.1.extend(values);
            }
        }
        Ok(())
    });
    let mut places = Vec::new();
    for (pointer, (property, values)) in tags {
        let Some(member) = merged.value.pointer_mut(&pointer) else { continue };
        if write_values(member, &property, &values) {
            places.push(format!("#{pointer}"));
        }
    }
    let mut changes = BTreeMap::new();
    if !places.is_empty() {
        changes.insert("a discriminator's values written into its members' property as an `enum`", places);
    }
    Ok(super::schema_shapes::notes("discriminators", changes))
}

/// Gives `property` of `member` (or of one of its inline `allOf` parts) the `enum` of
/// `values`, where it is a plain string; whether it did.
fn write_values(member: &mut Value, property: &str, values: &BTreeSet<String>) -> bool {
    let own = member.get_mut("properties").and_then(|properties| properties.get_mut(property));
    if let Some(schema) = own {
        let plain = schema.get("type").and_then(Value::as_str) == Some("string")
            && ["enum", "$ref", "allOf", "oneOf", "anyOf"].iter().all(|key| schema.get(*key).is_none());
        if plain && let Some(schema) = schema.as_object_mut() {
            schema.insert("enum".into(), json!(values));
            return true;
        }
        return false;
    }
    let parts = member.get_mut("allOf").and_then(Value::as_array_mut).into_iter().flatten();
    parts.filter(|part| part.get("$ref").is_none()).any(|part| write_values(part, property, values))
}
