//! Success and error responses as progenitor reads them: `default` is the error body when a
//! 2xx response exists, and a JSON body without a schema is any JSON.
//!
//! Progenitor counts `default` as a success *and* an error response, so the common
//! "2xx plus `default` for errors" pattern gives two success types, which it cannot generate.
//! When an operation declares a 2xx response, this pass moves `default` to the error ranges
//! `4XX` and `5XX` (those the operation does not declare itself). A JSON media type with no
//! `schema` (often with an `example` only) makes progenitor panic; it gets the empty schema,
//! which decodes any JSON as `serde_json::Value`, so the body stays reachable without a guess
//! at its type.
//!
//! Before:
//!
//! ```yaml
//! responses:
//!   "200": {content: {application/json: {example: {id: 1}}}}
//!   default: {content: {application/json: {schema: {$ref: "#/components/schemas/Problem"}}}}
//! ```
//!
//! After:
//!
//! ```yaml
//! responses:
//!   "200": {content: {application/json: {example: {id: 1}, schema: {}}}}
//!   "4XX": {content: {application/json: {schema: {$ref: "#/components/schemas/Problem"}}}}
//!   "5XX": {content: {application/json: {schema: {$ref: "#/components/schemas/Problem"}}}}
//! ```

use serde_json::{Map, Value};

use super::OpRef;
use crate::Error;
use crate::openapi::{self, Merged, child, is_json};

/// Runs the pass over every operation; returns one note per change.
pub(crate) fn apply(merged: &mut Merged) -> Result<Vec<String>, Error> {
    let operations: Vec<(String, OpRef)> = openapi::operations(&merged.value)
        .map(|operation| (format!("{}/responses", operation.pointer()), OpRef::new(merged, &operation)))
        .collect();
    let mut notes = Vec::new();
    for (pointer, op) in operations {
        let Some(Value::Object(responses)) = merged.value.pointer_mut(&pointer) else { continue };
        if let Some(note) = default_to_errors(responses, &op) {
            notes.push(note);
        }
        // A shared response (`$ref`) gets the schema in its component, for every user.
        let places: Vec<(String, String)> = responses
            .iter()
            .map(|(status, response)| {
                let at = match response.get("$ref").and_then(Value::as_str) {
                    Some(reference) => reference.strip_prefix('#').unwrap_or_default().to_string(),
                    None => child(&pointer, status),
                };
                (status.clone(), at)
            })
            .collect();
        for (status, at) in places {
            if let Some(note) = schema_for_bare_json(&mut merged.value, &at, &status, &op) {
                notes.push(note);
            }
        }
    }
    Ok(notes)
}

/// Moves `default` to `4XX` and `5XX` when a 2xx response exists.
fn default_to_errors(responses: &mut Map<String, Value>, op: &OpRef) -> Option<String> {
    let has_success = responses.keys().any(|status| status.starts_with('2'));
    if !has_success || !responses.contains_key("default") {
        return None;
    }
    let default = responses.shift_remove("default")?;
    let mut ranges = Vec::new();
    for range in ["4XX", "5XX"] {
        if !responses.keys().any(|status| status.eq_ignore_ascii_case(range)) {
            responses.insert(range.to_string(), default.clone());
            ranges.push(range);
        }
    }
    Some(format!(
        "{} ({}): `default` is the error response next to the 2xx ones, so it answers {}",
        op.label,
        op.id,
        if ranges.is_empty() {
            "no status the operation does not already declare".to_string()
        } else {
            ranges.join(" and ")
        }
    ))
}

/// Gives a JSON media type without a schema the empty schema (any JSON).
fn schema_for_bare_json(doc: &mut Value, pointer: &str, status: &str, op: &OpRef) -> Option<String> {
    let content = doc.pointer_mut(pointer)?.get_mut("content")?.as_object_mut()?;
    let mut note = None;
    for (media, media_type) in content.iter_mut().filter(|(media, _)| is_json(media)) {
        let Value::Object(media_type) = media_type else { continue };
        if media_type.contains_key("schema") {
            continue;
        }
        let with = if media_type.contains_key("example") || media_type.contains_key("examples") {
            "an example but no schema"
        } else {
            "no schema"
        };
        media_type.insert("schema".into(), Value::Object(Map::new()));
        note = Some(format!(
            "{} ({}): response {status} has `{media}` content with {with}, so its body decodes as any JSON \
             (`serde_json::Value`); add a schema with a fix to type it",
            op.label, op.id
        ));
    }
    note
}
