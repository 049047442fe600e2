//! Names that collide once made Rust identifiers get distinct ones; the wire keeps its names.
//!
//! Typify names a property `recase(name, snake_case)` and an enum value
//! `sanitize(value, PascalCase)` (both in `typify-impl/src/util.rs`, copied in `crate::names`).
//! Two properties that become the same field (`isGlobal`, `is_global`) make a struct that does
//! not compile, and enum values that become the same variant (`ASC`/`asc`,
//! `Etc/GMT+1`/`Etc/GMT-1`) make typify panic. Names typify already tells apart (`+1` and `-1`
//! are `plus1` and `minus1`) are left alone.
//!
//! This pass renames all but one of each colliding group in the document to a name typify
//! makes distinct: a sign before a digit becomes a word (`Etc/GMT-1` → `Etc/GMT~minus~1`, the
//! variant `EtcGmtMinus1`), anything else gets the first free number (`isGlobal` →
//! `isGlobal~2`, the field `is_global_2`). The name kept is the one already equal to its Rust
//! form (`is_global`), otherwise the first in document order. The new names appear nowhere
//! else in the document; [`Merged::renamed`] records them, and `rust::wire_names` puts the
//! wire names back into every string of the generated code (serde renames, `Display`,
//! `FromStr`, docs), so only the Rust identifiers differ.
//!
//! Before:
//!
//! ```yaml
//! Filter: {properties: {isGlobal: {type: boolean}, is_global: {type: boolean}}}
//! Order: {type: string, enum: [ASC, asc]}
//! ```
//!
//! After (and one note per renamed name):
//!
//! ```yaml
//! Filter: {properties: {isGlobal~2: {type: boolean}, is_global: {type: boolean}}}
//! Order: {type: string, enum: [ASC, asc~2]}
//! ```

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};
use unicode_ident::is_xid_continue;

use crate::Error;
use crate::names::{Case, sanitize};
use crate::openapi::{Merged, escape, schemas_mut};

/// Renames the colliding property names and enum values of every schema.
pub(crate) fn apply(merged: &mut Merged) -> Result<Vec<String>, Error> {
    // The document's text, to pick new names that occur nowhere in it; made on the first
    // collision only.
    let mut text: Option<String> = None;
    let mut renames: Vec<(String, String, String)> = Vec::new();
    let mut dropped: Vec<String> = Vec::new();
    let mut doc = std::mem::take(&mut merged.value);
    let source = doc.clone();
    let _ = schemas_mut(&mut doc, &mut |path: &[String], schema: &mut Value| -> Result<(), ()> {
        let Some(object) = schema.as_object_mut() else { return Ok(()) };
        let pointer: String = path.iter().map(|token| format!("/{}", escape(token))).collect();
        let mut fresh = |name: &str| {
            let text = text.get_or_insert_with(|| source.to_string());
            !text.contains(name)
        };
        for name in drop_colliding_required(object) {
            dropped.push(format!(
                "#{pointer}: `required` names `{name}`, which is not a property but would be the Rust field of \
                 another; it is no longer required"
            ));
        }
        for (wire, new) in rename_properties(object, &mut fresh) {
            renames.push((format!("#{pointer}/properties"), wire, new));
        }
        for (wire, new) in rename_enum_values(object, &mut fresh) {
            renames.push((format!("#{pointer}/enum"), wire, new));
        }
        Ok(())
    });
    merged.value = doc;
    let mut fresh = |name: &str| {
        let text = text.get_or_insert_with(|| source.to_string());
        !text.contains(name)
    };
    renames.extend(rename_parameters(&mut merged.value, &mut fresh));
    let mut notes = dropped;
    for (at, wire, new) in renames {
        let case = if at.ends_with("/enum") { Case::Pascal } else { Case::Snake };
        notes.push(format!(
            "`{wire}` (at {at}) becomes the same Rust name as another; it is `{}` in Rust and stays `{wire}` on the wire",
            sanitize(&new, case)
        ));
        merged.renamed.insert(new, wire);
    }
    Ok(notes)
}

/// Renames the parameters of one operation that become one field of its builder (`workflowId`
/// in the query and `workflow_id` in a header): the path parameter, else the first, keeps its
/// name. A parameter another document part refers to (`$ref`) is renamed where it is defined.
/// Returns (where, wire, new) triples.
fn rename_parameters(doc: &mut Value, fresh: &mut impl FnMut(&str) -> bool) -> Vec<(String, String, String)> {
    // Each operation's parameters as (pointer of the definition, name, place).
    let mut groups: Vec<Vec<(String, String, String)>> = Vec::new();
    for operation in crate::openapi::operations(doc) {
        let lists = [
            (crate::openapi::child(&crate::openapi::child("/paths", operation.path), "parameters"), operation.item),
            (format!("{}/parameters", operation.pointer()), operation.operation),
        ];
        let mut parameters = Vec::new();
        for (list_pointer, owner) in lists {
            let Some(list) = owner.get("parameters").and_then(Value::as_array) else { continue };
            for (index, parameter) in list.iter().enumerate() {
                let pointer = match parameter.get("$ref").and_then(Value::as_str) {
                    Some(reference) => reference.trim_start_matches('#').to_string(),
                    None => format!("{list_pointer}/{index}"),
                };
                let Some(resolved) = doc.pointer(&pointer) else { continue };
                let (Some(name), Some(place)) =
                    (resolved.get("name").and_then(Value::as_str), resolved.get("in").and_then(Value::as_str))
                else {
                    continue;
                };
                // An operation's own parameter replaces the path item's of the same name and place.
                parameters.retain(|(_, other, other_place): &(String, String, String)| {
                    !(other == name && other_place == place)
                });
                parameters.push((pointer, name.to_string(), place.to_string()));
            }
        }
        groups.push(parameters);
    }
    let mut renamed: BTreeMap<String, (String, String)> = BTreeMap::new();
    for parameters in groups {
        let rust: Vec<String> = parameters.iter().map(|(_, name, _)| sanitize(name, Case::Snake)).collect();
        if unique(rust.iter()) {
            continue;
        }
        let mut order: Vec<usize> = (0..parameters.len()).collect();
        order.sort_by_key(|&i| (parameters[i].2 != "path", i));
        let mut used: BTreeSet<String> = BTreeSet::new();
        for i in order {
            let (pointer, name, _) = &parameters[i];
            if used.insert(rust[i].clone()) || renamed.contains_key(pointer) {
                continue;
            }
            let candidate = (2..1000).map(|n| format!("{name}~{n}")).find(|candidate| {
                !used.contains(&sanitize(candidate, Case::Snake))
                    && !rust.contains(&sanitize(candidate, Case::Snake))
                    && fresh(candidate)
            });
            if let Some(candidate) = candidate {
                used.insert(sanitize(&candidate, Case::Snake));
                renamed.insert(pointer.clone(), (name.clone(), candidate));
            }
        }
    }
    let mut out = Vec::new();
    for (pointer, (wire, new)) in renamed {
        if let Some(parameter) = doc.pointer_mut(&pointer).and_then(Value::as_object_mut) {
            parameter.insert("name".into(), Value::String(new.clone()));
            out.push((format!("#{pointer}"), wire, new));
        }
    }
    out
}

/// Drops each `required` name that is no property of the schema (typify would add a field of
/// any JSON value for it) and whose Rust field another name of the schema already is
/// (`clientId` required, `client_id` defined: a wrong spelling, and two fields of one name).
/// Returns the names dropped.
fn drop_colliding_required(object: &mut Map<String, Value>) -> Vec<String> {
    let properties: Vec<String> = object
        .get("properties")
        .and_then(Value::as_object)
        .map(|map| map.keys().cloned().collect())
        .unwrap_or_default();
    let Some(Value::Array(required)) = object.get_mut("required") else { return Vec::new() };
    let mut fields: BTreeSet<String> = properties.iter().map(|name| sanitize(name, Case::Snake)).collect();
    let mut dropped = Vec::new();
    required.retain(|name| {
        let Some(name) = name.as_str() else { return true };
        if properties.iter().any(|property| property == name) {
            return true;
        }
        if fields.insert(sanitize(name, Case::Snake)) {
            return true;
        }
        dropped.push(name.to_string());
        false
    });
    dropped
}

/// Renames colliding property keys (and their `required` entries); returns (wire, new) pairs.
fn rename_properties(object: &mut Map<String, Value>, fresh: &mut impl FnMut(&str) -> bool) -> Vec<(String, String)> {
    let Some(Value::Object(properties)) = object.get("properties") else { return Vec::new() };
    let names: Vec<String> = properties.keys().cloned().collect();
    let renamed = resolve(&names, Case::Snake, fresh);
    if renamed.is_empty() {
        return renamed;
    }
    let map: BTreeMap<&str, &str> = renamed.iter().map(|(wire, new)| (wire.as_str(), new.as_str())).collect();
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        *properties = std::mem::take(properties)
            .into_iter()
            .map(|(key, value)| (map.get(key.as_str()).map_or(key, |new| new.to_string()), value))
            .collect();
    }
    if let Some(Value::Array(required)) = object.get_mut("required") {
        for name in required.iter_mut() {
            if let Some(new) = name.as_str().and_then(|name| map.get(name)) {
                *name = Value::String(new.to_string());
            }
        }
    }
    renamed
}

/// Renames colliding string enum values (and the `default`, when it is one of them).
fn rename_enum_values(object: &mut Map<String, Value>, fresh: &mut impl FnMut(&str) -> bool) -> Vec<(String, String)> {
    let Some(Value::Array(values)) = object.get("enum") else { return Vec::new() };
    let mut names: Vec<String> = Vec::new();
    for value in values.iter().filter_map(Value::as_str) {
        if !names.iter().any(|name| name == value) {
            names.push(value.to_string());
        }
    }
    // Typify tries a second spelling before it gives up; when that one is unique, it copes.
    let second = |name: &String| sanitize(&name.replace(|c: char| c == '_' || !is_xid_continue(c), "X"), Case::Pascal);
    if unique(names.iter().map(second)) {
        return Vec::new();
    }
    let renamed = resolve(&names, Case::Pascal, fresh);
    let map: BTreeMap<&str, &str> = renamed.iter().map(|(wire, new)| (wire.as_str(), new.as_str())).collect();
    let rename = |slot: &mut Value| {
        if let Some(new) = slot.as_str().and_then(|value| map.get(value)) {
            *slot = Value::String(new.to_string());
        }
    };
    object.get_mut("enum").and_then(Value::as_array_mut).into_iter().flatten().for_each(rename);
    object.get_mut("default").into_iter().for_each(rename);
    renamed
}

/// New names for all but one of each group of `names` with the same Rust name.
fn resolve(names: &[String], case: Case, fresh: &mut impl FnMut(&str) -> bool) -> Vec<(String, String)> {
    let rust: Vec<String> = names.iter().map(|name| sanitize(name, case)).collect();
    if unique(rust.iter()) {
        return Vec::new();
    }
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut renamed = Vec::new();
    // Keepers first: a name equal to its Rust form, then the first of its group.
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by_key(|&i| (names[i] != rust[i], i));
    let mut kept: BTreeSet<&str> = BTreeSet::new();
    let mut later = Vec::new();
    for i in order {
        if kept.insert(rust[i].as_str()) {
            used.insert(rust[i].clone());
        } else {
            later.push(i);
        }
    }
    later.sort_unstable();
    for i in later {
        let name = &names[i];
        let signed = signs_as_words(name);
        let candidates = signed.into_iter().chain((2..).map(|n| format!("{name}~{n}")));
        for candidate in candidates.take(1000) {
            let ident = sanitize(&candidate, case);
            if !used.contains(&ident) && !rust.contains(&ident) && fresh(&candidate) {
                used.insert(ident);
                renamed.push((name.clone(), candidate));
                break;
            }
        }
    }
    renamed
}

/// `Etc/GMT-1` → `Etc/GMT~minus~1`: a sign before a digit as a word; `None` when there is none.
fn signs_as_words(name: &str) -> Option<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    let mut changed = false;
    for (i, c) in chars.iter().enumerate() {
        let before_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
        match c {
            '+' if before_digit => out.push_str("~plus~"),
            '-' if before_digit => out.push_str("~minus~"),
            c => {
                out.push(*c);
                continue;
            }
        }
        changed = true;
    }
    changed.then_some(out)
}

fn unique<T: Ord>(items: impl Iterator<Item = T>) -> bool {
    let mut seen = BTreeSet::new();
    items.into_iter().all(|item| seen.insert(item))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_collisions_are_renamed() {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut fresh = |_: &str| true;
        assert!(resolve(&names(&["+1", "-1"]), Case::Snake, &mut fresh).is_empty());
        assert_eq!(
            resolve(&names(&["isGlobal", "is_global"]), Case::Snake, &mut fresh),
            [("isGlobal".to_string(), "isGlobal~2".to_string())]
        );
        assert_eq!(
            resolve(&names(&["Etc/GMT+1", "Etc/GMT-1", "Etc/GMT+12"]), Case::Pascal, &mut fresh),
            [("Etc/GMT-1".to_string(), "Etc/GMT~minus~1".to_string())]
        );
        let mut taken = |name: &str| name != "asc~2";
        assert_eq!(
            resolve(&names(&["ASC", "asc"]), Case::Pascal, &mut taken),
            [("asc".to_string(), "asc~3".to_string())]
        );
    }
}
