//! Operation ids for operations that have none, or whose id another operation already has:
//! progenitor names each method after its operation's `operationId`, some APIs publish none
//! at all, and some give two operations the same one (the later one gets the derived id, a
//! degradation: `POST /a (make)` and `POST /b (make)` → the second is `post_b`).
//!
//! The rule: the method, then each path segment, a `{parameter}` as `by <parameter>`, all in
//! snake_case (`GET /users/{id}/posts` → `get_users_by_id_posts`, `GET /` → `get_root`). An id
//! already taken, by an operation's own id or one derived before it (paths in document order,
//! methods in the order the specification lists them), gets the first free suffix `_2`, `_3`,
//! ...; the document's own ids never change. The same document always gets the same ids.
//!
//! Before:
//!
//! ```yaml
//! paths:
//!   /users/{id}: {get: {responses: ..}}
//!   /users/{id}/posts: {get: {operationId: listPosts, responses: ..}}
//! ```
//!
//! After (and the note "derived an operationId for 1 operation without one, from its method
//! and path: GET /users/{id} → get_users_by_id"):
//!
//! ```yaml
//! paths:
//!   /users/{id}: {get: {operationId: get_users_by_id, responses: ..}}
//!   /users/{id}/posts: {get: {operationId: listPosts, responses: ..}}
//! ```

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;
use serde_json::{Value, json};

use crate::names::{Case, sanitize};
use crate::openapi::{Merged, operations};
use crate::{Degradation, DegradeKind, Error};

/// How many derived ids the note lists by name; the rest are counted.
const LISTED: usize = 5;

/// Gives every operation without an `operationId` (or with an empty one) a derived one, and
/// every operation whose id an earlier operation already has (in any of the vendor's
/// documents) a derived one too, with a degradation each.
pub(crate) fn apply(merged: &mut Merged) -> Result<Vec<String>, Error> {
    duplicates(merged);
    let mut notes = Vec::new();
    let mut taken: BTreeSet<String> =
        operations(&merged.value).filter_map(|op| op.id()).filter(|id| !id.is_empty()).map(normalize).collect();
    let missing: Vec<(String, String, String)> = operations(&merged.value)
        .filter(|op| op.id().is_none_or(str::is_empty))
        .map(|op| (op.pointer(), op.label(), derive(op.method, op.path)))
        .collect();
    if missing.is_empty() {
        return Ok(notes);
    }
    let mut derived = Vec::new();
    for (pointer, label, base) in missing {
        let id = first_free(&base, &taken);
        taken.insert(normalize(&id));
        if let Some(operation) = merged.value.pointer_mut(&pointer).and_then(Value::as_object_mut) {
            operation.insert("operationId".into(), json!(id));
        }
        derived.push(format!("{label} → {id}"));
    }
    let count = derived.len();
    let mut listed: Vec<String> = derived.into_iter().take(LISTED).collect();
    if count > LISTED {
        listed.push(format!("and {} more", count - LISTED));
    }
    let plural = if count == 1 { "" } else { "s" };
    notes.push(format!(
        "derived an operationId for {count} operation{plural} without one, from the method and path: {}",
        listed.join(", ")
    ));
    Ok(notes)
}

/// `base`, or the first of `base_2`, `base_3`, ... whose Rust names no id in `taken` (as
/// [`normalize`] keys them) has.
fn first_free(base: &str, taken: &BTreeSet<String>) -> String {
    std::iter::once(base.to_string())
        .chain((2..).map(|n| format!("{base}_{n}")))
        .find(|candidate| !taken.contains(&normalize(candidate)))
        .unwrap_or_else(|| base.to_string())
}

/// Renames every operation whose id (as progenitor names methods) an earlier one has: the
/// first keeps it, a later one gets the id derived from its method and path (numbered when
/// that is taken too); each rename is a degradation.
fn duplicates(merged: &mut Merged) {
    let all: BTreeSet<String> =
        operations(&merged.value).filter_map(|op| op.id()).filter(|id| !id.is_empty()).map(normalize).collect();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut renames = Vec::new();
    for op in operations(&merged.value) {
        let Some(id) = op.id().filter(|id| !id.is_empty()) else { continue };
        let label = op.label();
        match seen.get(&normalize(id)) {
            None => {
                seen.insert(normalize(id), label);
            }
            Some(first) => {
                renames.push((op.pointer(), label, id.to_string(), first.clone(), derive(op.method, op.path)))
            }
        }
    }
    let mut taken = all;
    for (pointer, label, id, first, base) in renames {
        let new = first_free(&base, &taken);
        taken.insert(normalize(&new));
        if let Some(operation) = merged.value.pointer_mut(&pointer).and_then(Value::as_object_mut) {
            operation.insert("operationId".into(), json!(new));
        }
        let file = merged.origins.get(&label).cloned().unwrap_or_else(|| merged.first_file.clone());
        merged.degradations.push(Degradation {
            kind: DegradeKind::DuplicateOperationId,
            file,
            location: format!("{label} ({id})"),
            operation: Some(label),
            note: format!("operationId `{id}` is also the id of {first}; this operation's is `{new}`"),
        });
    }
}

/// The id the rule gives `method path`, before clashes are resolved.
fn derive(method: &str, path: &str) -> String {
    let mut words = vec![method.to_string()];
    for segment in path.split('/').filter(|segment| !segment.is_empty()) {
        match segment.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')) {
            Some(parameter) => words.push(format!("by {parameter}")),
            None => words.push(segment.to_string()),
        }
    }
    if words.len() == 1 {
        words.push("root".into());
    }
    words.join(" ").to_snake_case()
}

/// Ids that progenitor turns into the same method or builder name are the same id: the
/// builder's name (`crate::names::sanitize` of the method's), which two ids share whenever
/// their methods are one (`getUser`, `get_user`) and also when only the builders are
/// (`get_a1`, `get_a_1`).
fn normalize(id: &str) -> String {
    sanitize(&sanitize(id, Case::Snake), Case::Pascal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_from_method_and_path() {
        assert_eq!(derive("get", "/users/{id}/posts"), "get_users_by_id_posts");
        assert_eq!(derive("delete", "/v1/userGroups/{group-id}"), "delete_v1_user_groups_by_group_id");
        assert_eq!(derive("get", "/"), "get_root");
        assert_eq!(derive("post", "/files/upload.json"), "post_files_upload_json");
    }
}
