//! Error bodies progenitor can represent: one error type per operation.
//!
//! Progenitor gives each operation one error type. When the error responses declare
//! different JSON schemas, this pass merges them into one object schema (a property is
//! required only when every source requires it) and points every error response at it; an
//! inline error schema next to a success body gets a name of its own, because progenitor would
//! name both `<OperationId>Response`.
//!
//! Before:
//!
//! ```yaml
//! responses:
//!   "400": {content: {application/json: {schema: {properties: {message: {type: string}}}}}}
//!   "404": {content: {application/json: {schema: {properties: {code: {type: integer}}}}}}
//! ```
//!
//! After (and the note "error responses 400, 404 have 2 different schemas; they share the
//! merged schema `ErrorResponse`"):
//!
//! ```yaml
//! responses:
//!   "400": {content: {application/json: {schema: {$ref: "#/components/schemas/ErrorResponse"}}}}
//!   "404": {content: {application/json: {schema: {$ref: "#/components/schemas/ErrorResponse"}}}}
//! components: {schemas: {ErrorResponse: {properties: {message: {..}, code: {..}}}}}
//! ```
//!
//! It also refuses, naming the operation, what progenitor cannot generate: success responses
//! with different bodies, and error responses that mix JSON bodies with other ones.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::OpRef;
use crate::Error;
use crate::names::free_component;
use crate::openapi::{self, Merged, child, is_json};

/// Runs the pass over every operation; returns one note per merged error type.
pub(crate) fn apply(merged: &mut Merged) -> Result<Vec<String>, Error> {
    let operations: Vec<(String, &'static str, OpRef)> = openapi::operations(&merged.value)
        .map(|operation| (operation.path.to_string(), operation.method, OpRef::new(merged, &operation)))
        .collect();
    let mut notes = Vec::new();
    let mut merged_errors: BTreeMap<Vec<String>, (String, String)> = BTreeMap::new();
    for (path, method, op) in operations {
        check_responses(&mut merged.value, &path, method, &op, &mut merged_errors, &mut notes)?;
    }
    Ok(notes)
}

/// What progenitor makes of one response body.
#[derive(Clone, PartialEq)]
enum Body {
    /// No content: `()`.
    None,
    /// A non-JSON media type: a byte stream.
    Raw,
    /// `application/json` with this schema.
    Json(Value),
}

impl Body {
    fn describe(&self) -> String {
        match self {
            Body::None => "no body".into(),
            Body::Raw => "a non-JSON body".into(),
            Body::Json(schema) => match schema.get("$ref").and_then(Value::as_str) {
                Some(reference) => format!("`{reference}`"),
                None => "an inline schema".into(),
            },
        }
    }
}

fn check_responses(
    doc: &mut Value,
    path: &str,
    method: &str,
    op: &OpRef,
    merged_errors: &mut BTreeMap<Vec<String>, (String, String)>,
    notes: &mut Vec<String>,
) -> Result<(), Error> {
    let responses = doc["paths"][path][method].get("responses").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut success: Vec<(String, Body)> = Vec::new();
    let mut errors: Vec<(String, Body)> = Vec::new();
    for (status, response) in &responses {
        let response = op.resolve(doc, response)?;
        let body = body_of(&response, status, op)?;
        let class = status.chars().next().unwrap_or('?');
        if status == "default" {
            success.push((status.clone(), body.clone()));
            errors.push((status.clone(), body));
        } else if class == '2' {
            success.push((status.clone(), body));
        } else if class == '4' || class == '5' {
            errors.push((status.clone(), body));
        }
    }
    // Progenitor ignores `default` for success when a `2XX` range is declared.
    if success.iter().any(|(s, _)| s.eq_ignore_ascii_case("2XX")) {
        success.retain(|(s, _)| s != "default");
    }

    if distinct(&success).len() > 1 {
        return Err(op.unsupported(format!(
            "the success responses have different bodies ({}); the generator supports one success body type \
                 per operation: make them share one schema",
            listing(&success)
        )));
    }

    let mut kinds = distinct(&errors);
    if kinds.len() > 1 && kinds.iter().any(|b| !matches!(b, Body::Json(_))) {
        // Progenitor needs one error type. A status left undeclared still reaches the caller
        // as `Error::Api` with its status and text, which is all a body-less or non-JSON
        // response has; the JSON bodies keep their type.
        let (kept, dropped): (Vec<_>, Vec<_>) = errors.into_iter().partition(|(_, b)| matches!(b, Body::Json(_)));
        if dropped.iter().any(|(status, _)| status == "default") {
            return Err(op.unsupported(format!(
                "the error responses mix bodies that cannot share one type ({}), and `default` is also the \
                 success response; give every error response a JSON body, or none",
                listing(&kept.iter().chain(&dropped).cloned().collect::<Vec<_>>())
            )));
        }
        let responses = &mut doc["paths"][path][method]["responses"];
        for (status, _) in &dropped {
            if let Some(map) = responses.as_object_mut() {
                map.shift_remove(status);
            }
        }
        notes.push(format!(
            "{} ({}): error responses without a JSON body ({}) are left undeclared so that the JSON error bodies keep one type; \
             they reach the caller as `Error::Api` with their status and text",
            op.label,
            op.id,
            listing(&dropped)
        ));
        errors = kept;
        kinds = distinct(&errors);
    }
    if kinds.len() > 1 {
        let (name, how) = merge_error_schemas(doc, &errors, op, merged_errors)?;
        let statuses: Vec<&str> = errors.iter().map(|(s, _)| s.as_str()).collect();
        notes.push(format!(
            "{} ({}): error responses {} have {} different schemas; {how} `{name}`",
            op.label,
            op.id,
            statuses.join(", "),
            kinds.len()
        ));
        let target = json!({ "$ref": format!("#/components/schemas/{name}") });
        for (status, _) in &errors {
            set_json_schema(doc, path, method, status, target.clone(), op)?;
        }
    } else if let Some(Body::Json(schema)) = kinds.first() {
        // Progenitor names every inline response schema `<OperationId>Response`; an inline
        // error schema would collide with an inline success schema, so it gets its own name.
        if schema.get("$ref").is_none() && !success.is_empty() {
            let name =
                free_component(doc, &[format!("{}Error", pascal(&op.id)), format!("{}ErrorBody", pascal(&op.id))]);
            schemas_mut(doc).insert(name.clone(), schema.clone());
            let target = json!({ "$ref": format!("#/components/schemas/{name}") });
            for (status, _) in &errors {
                set_json_schema(doc, path, method, status, target.clone(), op)?;
            }
        }
    }
    Ok(())
}

fn distinct(bodies: &[(String, Body)]) -> Vec<Body> {
    let mut out: Vec<Body> = Vec::new();
    for (_, body) in bodies {
        if !out.contains(body) {
            out.push(body.clone());
        }
    }
    out
}

fn listing(bodies: &[(String, Body)]) -> String {
    bodies.iter().map(|(status, body)| format!("{status}: {}", body.describe())).collect::<Vec<_>>().join(", ")
}

fn body_of(response: &Value, status: &str, op: &OpRef) -> Result<Body, Error> {
    let Some(content) = response.get("content").and_then(Value::as_object) else { return Ok(Body::None) };
    let json = content.iter().find(|(media, _)| is_json(media));
    match json {
        Some((_, media)) => match media.get("schema") {
            Some(schema) => Ok(Body::Json(schema.clone())),
            None => Err(
                op.unsupported(format!("response {status} has `application/json` content without a `schema`; add one"))
            ),
        },
        None if content.is_empty() => Ok(Body::None),
        None => Ok(Body::Raw),
    }
}

/// One schema for the given error bodies, and how it was made (for the note).
///
/// Plain object schemas merge into one object holding every property; a property is required
/// only when every source requires it, so any of the bodies deserializes into it, and the
/// status tells the caller which one came. Schemas that cannot merge (a property typed two
/// ways, a non-object) become a `oneOf` of the originals: the body decodes as the first
/// documented shape it fits, and the status still says which response the server sent.
fn merge_error_schemas(
    doc: &mut Value,
    errors: &[(String, Body)],
    op: &OpRef,
    merged_errors: &mut BTreeMap<Vec<String>, (String, String)>,
) -> Result<(String, String), Error> {
    let mut key: Vec<String> = Vec::new();
    let mut sources: Vec<(String, Value, Value)> = Vec::new();
    for (status, body) in errors {
        let Body::Json(schema) = body else { continue };
        let schema_key = schema.to_string();
        if !key.contains(&schema_key) {
            key.push(schema_key);
            sources.push((status.clone(), schema.clone(), op.resolve(doc, schema)?));
        }
    }
    key.sort();
    if let Some(found) = merged_errors.get(&key) {
        return Ok(found.clone());
    }
    let names: Vec<String> = errors
        .iter()
        .map(|(status, body)| match body {
            Body::Json(schema) => match schema.get("$ref").and_then(Value::as_str) {
                Some(reference) => format!("{status}: `{}`", reference.rsplit('/').next().unwrap_or(reference)),
                None => format!("{status}: inline"),
            },
            other => format!("{status}: {}", other.describe()),
        })
        .collect();
    let resolved: Vec<(String, Value)> = sources.iter().map(|(s, _, r)| (s.clone(), r.clone())).collect();
    let (schema, how) = match merged_object(&resolved) {
        Ok((properties, required)) => {
            let mut merged = Map::new();
            merged.insert("type".into(), json!("object"));
            merged.insert(
                "description".into(),
                json!(format!(
                    "The body of an error response. Merged by the generator from the declared error bodies \
                     ({}); the response status tells which one the server sent.",
                    names.join("; ")
                )),
            );
            if !required.is_empty() {
                merged.insert("required".into(), json!(required));
            }
            merged.insert("properties".into(), Value::Object(properties));
            (Value::Object(merged), "they share the merged schema".to_string())
        }
        Err(why) => {
            let one_of: Vec<Value> = sources.iter().map(|(_, original, _)| original.clone()).collect();
            let schema = json!({
                "description": format!(
                    "The body of an error response: one of the declared error bodies ({}), which cannot merge \
                     into one object; the response status tells which one the server sent.",
                    names.join("; ")
                ),
                "oneOf": one_of,
            });
            (schema, format!("they cannot merge ({why}), so the error type is the `oneOf` schema"))
        }
    };
    let candidates = if merged_errors.is_empty() {
        vec!["ErrorResponse".to_string(), format!("{}Error", pascal(&op.id))]
    } else {
        vec![format!("{}Error", pascal(&op.id)), format!("{}ErrorResponse", pascal(&op.id))]
    };
    let name = free_component(doc, &candidates);
    schemas_mut(doc).insert(name.clone(), schema);
    merged_errors.insert(key, (name.clone(), how.clone()));
    Ok((name, how))
}

/// The properties and required names of one object merging `sources`, or why they cannot merge.
fn merged_object(sources: &[(String, Value)]) -> Result<(Map<String, Value>, Vec<String>), String> {
    let mut properties = Map::new();
    let mut required: Option<Vec<String>> = None;
    for (status, schema) in sources {
        let is_object = schema.get("type").is_none_or(|t| t == "object");
        let composed = ["allOf", "oneOf", "anyOf"].iter().any(|k| schema.get(*k).is_some());
        if !is_object || composed || schema.get("properties").is_none() {
            return Err(format!("the {status} schema is not a plain object with properties"));
        }
        for (prop, prop_schema) in schema["properties"].as_object().into_iter().flatten() {
            match properties.get(prop) {
                Some(existing) if existing != prop_schema => {
                    return Err(format!("property `{prop}` has different schemas"));
                }
                Some(_) => {}
                None => {
                    properties.insert(prop.clone(), prop_schema.clone());
                }
            }
        }
        let this_required: Vec<String> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
        required = Some(match required {
            None => this_required,
            Some(previous) => previous.into_iter().filter(|r| this_required.contains(r)).collect(),
        });
    }
    Ok((properties, required.unwrap_or_default()))
}

/// Replaces the JSON schema of one response, inlining a `$ref`'d response first so the
/// shared component stays as written.
fn set_json_schema(
    doc: &mut Value,
    path: &str,
    method: &str,
    status: &str,
    schema: Value,
    op: &OpRef,
) -> Result<(), Error> {
    let pointer = child(&format!("{}/responses", child(&child("/paths", path), method)), status);
    let current = doc.pointer(&pointer).cloned().unwrap_or(Value::Null);
    let mut response = op.resolve(doc, &current)?;
    if let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) {
        for (media, media_type) in content.iter_mut() {
            if is_json(media) {
                media_type["schema"] = schema.clone();
            }
        }
    }
    if let Some(slot) = doc.pointer_mut(&pointer) {
        *slot = response;
    }
    Ok(())
}

/// The document's `components.schemas`, made when missing.
pub(crate) fn schemas_mut(doc: &mut Value) -> &mut Map<String, Value> {
    let components = &mut doc["components"];
    if !components.is_object() {
        *components = Value::Object(Map::new());
    }
    let schemas = &mut components["schemas"];
    if !schemas.is_object() {
        *schemas = Value::Object(Map::new());
    }
    match schemas {
        Value::Object(map) => map,
        _ => unreachable!("made an object above"),
    }
}

/// `inviteMembers` → `InviteMembers`, `get-org_invites` → `GetOrgInvites`.
pub(crate) fn pascal(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}
