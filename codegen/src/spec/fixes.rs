//! Named corrections of upstream documents, kept apart from the pristine specs.
//!
//! A vendor's fixes are one OpenAPI Overlay 1.0 document: a list of actions, each with an
//! RFC 9535 JSONPath `target`, an `update` (merged into every node the target selects) or
//! `remove: true`, and a `description` saying what upstream gets wrong and how we know.
//! They apply to the vendor's merged document, before validation.
//!
//! A fix must keep earning its place: one whose target selects nothing, or that no longer
//! changes the document (upstream fixed the bug), is an error asking the maintainer to
//! delete it.
//!
//! Before, with the action `{target: "$.components.schemas.Member.properties.name", update:
//! {nullable: true}, description: "..."}`:
//!
//! ```yaml
//! components: {schemas: {Member: {properties: {name: {type: string}}}}}
//! ```
//!
//! After:
//!
//! ```yaml
//! components: {schemas: {Member: {properties: {name: {type: string, nullable: true}}}}}
//! ```

use serde::Deserialize;
use serde_json::Value;
use serde_json_path::JsonPath;

use crate::{Error, SpecFile};

/// An Overlay document, as far as the generator uses it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Overlay {
    overlay: String,
    actions: Vec<Action>,
}

#[derive(Deserialize)]
struct Action {
    target: String,
    description: Option<String>,
    update: Option<Value>,
    #[serde(default)]
    remove: bool,
}

/// Applies `fixes` to `doc`, returning one line per applied fix.
pub(crate) fn apply(doc: &mut Value, fixes: &SpecFile) -> Result<Vec<String>, Error> {
    let overlay: Overlay =
        serde_yaml_ng::from_str(&fixes.text).map_err(|err| crate::openapi::yaml_error(fixes, &err))?;
    if !overlay.overlay.starts_with("1.") {
        return Err(invalid(fixes, format!("overlay version `{}` is not supported; use 1.0.0", overlay.overlay)));
    }
    let mut applied = Vec::new();
    for (index, action) in overlay.actions.iter().enumerate() {
        let name = fix_name(index, action);
        let description = action.description.as_deref().unwrap_or("").trim();
        if description.is_empty() {
            return Err(invalid(
                fixes,
                format!("{name} has no `description`; say what upstream gets wrong and how we know"),
            ));
        }
        let path = JsonPath::parse(&action.target).map_err(|err| {
            invalid(fixes, format!("{name}: target `{}` is not valid JSONPath: {err}", action.target))
        })?;
        let pointers: Vec<String> =
            path.query_located(doc).locations().map(|location| location.to_json_pointer()).collect();
        if pointers.is_empty() {
            return Err(obsolete(fixes, &name, &action.target, "selects nothing"));
        }
        let before = doc.clone();
        if action.remove {
            remove(doc, &pointers);
        } else if let Some(update) = &action.update {
            for pointer in &pointers {
                if let Some(node) = doc.pointer_mut(pointer) {
                    merge(node, update);
                }
            }
        } else {
            return Err(invalid(fixes, format!("{name} has neither `update` nor `remove: true`")));
        }
        if *doc == before {
            return Err(obsolete(fixes, &name, &action.target, "no longer changes anything"));
        }
        applied.push(format!("applied {name}"));
    }
    Ok(applied)
}

/// Overlay merge rules: objects merge key by key, recursively; an array target gets the
/// update appended (its items, when the update is an array); anything else is replaced.
fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(target), Value::Object(update)) => {
            for (key, value) in update {
                match target.get_mut(key) {
                    Some(existing) if existing.is_object() && value.is_object() => merge(existing, value),
                    _ => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(target), Value::Array(items)) => target.extend(items.iter().cloned()),
        (Value::Array(target), item) => target.push(item.clone()),
        (target, update) => *target = update.clone(),
    }
}

/// Removes the nodes at `pointers`; array items from the highest index down, so earlier
/// removals do not shift later ones.
fn remove(doc: &mut Value, pointers: &[String]) {
    let mut sorted: Vec<(&str, &str)> = pointers.iter().filter_map(|p| p.rsplit_once('/')).collect();
    sorted.sort_by(|(parent_a, last_a), (parent_b, last_b)| {
        parent_b.cmp(parent_a).then_with(|| index_of(last_b).cmp(&index_of(last_a)))
    });
    for (parent, last) in sorted {
        let key = crate::openapi::unescape(last);
        match doc.pointer_mut(parent) {
            Some(Value::Object(map)) => {
                map.shift_remove(&key);
            }
            Some(Value::Array(items)) => {
                if let Ok(index) = key.parse::<usize>()
                    && index < items.len()
                {
                    items.remove(index);
                }
            }
            _ => {}
        }
    }
}

fn index_of(token: &str) -> usize {
    token.parse().unwrap_or(0)
}

fn fix_name(index: usize, action: &Action) -> String {
    match action.description.as_deref().map(first_sentence) {
        Some(summary) if !summary.is_empty() => format!("fix #{} ({summary})", index + 1),
        _ => format!("fix #{}", index + 1),
    }
}

/// The first sentence of a description, cut to a readable length, for one-line messages.
fn first_sentence(text: &str) -> String {
    const MAX: usize = 72;
    let line = text.trim().lines().next().unwrap_or("");
    let sentence = line.find(". ").map_or(line, |end| &line[..end]).trim_end_matches('.');
    if sentence.chars().count() <= MAX {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(MAX).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':']))
}

fn invalid(fixes: &SpecFile, message: String) -> Error {
    Error::Invalid { file: fixes.path.clone(), location: String::new(), message }
}

fn obsolete(fixes: &SpecFile, name: &str, target: &str, what: &str) -> Error {
    Error::ObsoleteFix { file: fixes.path.clone(), fix: name.to_string(), message: format!("target `{target}` {what}") }
}
